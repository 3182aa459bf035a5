package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.server.ServerHarness.Transport;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.Sampling;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of request decoding: arbitrary bytes as a GenerateRequest, arbitrary field values (NaN, negative, huge,
 * unknown enum numbers, empty and odd strings) through {@link PromptChunks} and {@link SamplingMessages}, damaged
 * PNG and JPEG bytes through {@link ImageDataCodec}, and arbitrary requests through a running server. The decoders
 * may only succeed or throw {@link InvalidInputException} (parsing: {@link InvalidProtocolBufferException}); the
 * server may only answer OK or INVALID_ARGUMENT, and keeps serving. Seeds and tries are fixed: bounded in CI.
 */
class RequestDecodingFuzzTest {
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final byte[] PNG = encoded("png", 10, 7);
    private static final byte[] JPEG = encoded("jpeg", 10, 7);
    private static ServerHarness server;

    @BeforeContainer
    static void start() throws InterruptedException {
        server = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0), b -> b.limits(1, 0));
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Property(tries = 500, seed = "20260911")
    void arbitraryBytesParseOrFailAsProtobuf(@ForAll("requestBytes") byte[] bytes) {
        decodesOrRefuses(() -> {
            GenerateRequest r;
            try {
                r = GenerateRequest.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                return;   // what gRPC's marshaller reports for bytes that are no message
            }
            decode(r);
        });
    }

    @Property(tries = 500, seed = "20260912")
    void arbitraryFieldsDecodeOrFailWithInvalidInput(@ForAll("requests") GenerateRequest r) {
        decodesOrRefuses(() -> decode(r));
    }

    @Property(tries = 400, seed = "20260913")
    void damagedImagesDecodeOrFailWithInvalidInput(@ForAll("images") ImageData image) {
        decodesOrRefuses(() -> ImageDataCodec.decode(image, "image"));
    }

    @Property(tries = 200, seed = "20260914")
    void theServerAnswersOkOrInvalidArgumentAndKeepsServing(@ForAll("requests") GenerateRequest r,
                                                            @ForAll("images") ImageData image) {
        assertTimeoutPreemptively(HANG, () -> {
            okOrInvalid(() -> server.blocking().generate(r).forEachRemaining(e -> { }));
            okOrInvalid(() -> server.blocking().caption(CaptionRequest.newBuilder().setImage(image).build()));
        });
        assertEquals(0, server.server.limiter().queued(), "nothing left waiting");
    }

    private static void decode(GenerateRequest r) {
        PromptChunks.toDocument(r.getPromptList(), "prompt", false);
        SamplingMessages.toOptions(r.getSampling(), r.getDiffusion(), r.getMode());
    }

    private static void decodesOrRefuses(Runnable decode) {
        assertTimeoutPreemptively(HANG, () -> {
            try {
                decode.run();
            } catch (InvalidInputException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "a message");
            }
        });
    }

    private static void okOrInvalid(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
            assertTrue(e.getStatus().getDescription() != null && !e.getStatus().getDescription().isBlank());
        }
    }

    @Provide
    Arbitrary<byte[]> requestBytes() {
        GenerateRequest valid = GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("draw a cat"))
                .addPrompt(Chunk.newBuilder().setImage(ImageData.newBuilder().setData(ByteString.copyFrom(PNG))))
                .setSampling(Sampling.newBuilder().setTemperature(0.7f).setTopK(5).addStop("."))
                .setDiffusion(Diffusion.newBuilder().setSteps(10).setSampler("ddim")).build();
        byte[] base = valid.toByteArray();
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, base.length),
                Arbitraries.longs(), Arbitraries.integers().between(0, 8)).as((cut, seed, flips) -> {
                    Random rnd = new Random(seed);
                    byte[] b = Arrays.copyOf(base, cut);
                    for (int i = 0; i < flips && b.length > 0; i++) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                    return b;
                });
        return Arbitraries.frequencyOf(Tuple.of(3, mutated),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)));
    }

    @Provide
    Arbitrary<GenerateRequest> requests() {
        Arbitrary<Float> floats = Arbitraries.oneOf(Arbitraries.of(0f, -0f, 1f, 0.5f, 100f, 100.01f, -1f, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE), Arbitraries.floats());
        Arbitrary<Integer> ints = Arbitraries.oneOf(Arbitraries.of(0, 1, -1, 1000, 1001, 65536, 65537,
                Integer.MAX_VALUE, Integer.MIN_VALUE), Arbitraries.integers());
        Arbitrary<String> texts = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.of("", "draw", "\u0000", "\ud83d\ude00", "\u202e"));
        Arbitrary<Chunk> chunk = Arbitraries.oneOf(texts.map(t -> Chunk.newBuilder().setText(t).build()),
                images().map(i -> Chunk.newBuilder().setImage(i).build()), Arbitraries.just(Chunk.getDefaultInstance()));
        Arbitrary<Sampling> sampling = Combinators.combine(floats, ints, floats, ints, Arbitraries.longs().injectNull(0.5),
                texts.list().ofMaxSize(3)).as((t, k, p, n, seed, stop) -> {
                    Sampling.Builder b = Sampling.newBuilder().setTemperature(t).setTopK(k).setTopP(p)
                            .setMaxNewTokens(n).addAllStop(stop);
                    if (seed != null) {
                        b.setSeed(seed);
                    }
                    return b.build();
                });
        Arbitrary<Diffusion> diffusion = Combinators.combine(ints, floats,
                Arbitraries.oneOf(Arbitraries.of("", "ddpm", "ddim", "DDIM", "euler"), texts))
                .as((steps, g, s) -> Diffusion.newBuilder().setSteps(Math.floorMod(steps, 2000) - 500)
                        .setGuidanceScale(g).setSampler(s).build());
        return Combinators.combine(chunk.list().ofMaxSize(3), sampling, diffusion, ints)
                .as((c, s, d, mode) -> GenerateRequest.newBuilder().addAllPrompt(c).setSampling(s).setDiffusion(d)
                        .setModeValue(Math.floorMod(mode, 5)).build());
    }

    @Provide
    Arbitrary<ImageData> images() {
        Arbitrary<byte[]> damaged = Combinators.combine(Arbitraries.of(PNG, JPEG), Arbitraries.integers().between(1, 400),
                Arbitraries.longs(), Arbitraries.integers().between(0, 10)).as((base, cut, seed, flips) -> {
                    Random r = new Random(seed);
                    byte[] b = Arrays.copyOf(base, Math.min(cut, base.length));
                    for (int i = 0; i < flips; i++) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                    return b;
                });
        Arbitrary<byte[]> bytes = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(PNG, JPEG)), Tuple.of(6, damaged),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(64)));
        Arbitrary<String> mime = Arbitraries.oneOf(Arbitraries.of("", "image/png", "image/jpeg", "image/jpg",
                " IMAGE/PNG ", "image/gif", "text/plain"), Arbitraries.strings().ofMaxLength(10));
        return Combinators.combine(bytes, mime).as((b, m) -> ImageData.newBuilder().setData(ByteString.copyFrom(b))
                .setMimeType(m).build());
    }

    private static byte[] encoded(String format, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
