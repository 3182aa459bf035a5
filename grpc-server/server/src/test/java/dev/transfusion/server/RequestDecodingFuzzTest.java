package dev.transfusion.server;

import static dev.transfusion.core.testing.FuzzInputs.filled;
import static dev.transfusion.core.testing.FuzzInputs.forAll;
import static dev.transfusion.core.testing.FuzzInputs.noise;
import static dev.transfusion.core.testing.FuzzInputs.pick;
import static dev.transfusion.core.testing.FuzzInputs.size;
import static dev.transfusion.core.testing.FuzzInputs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.transfusion.core.testing.FuzzInputs;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of request decoding: arbitrary bytes as a GenerateRequest, arbitrary field values (NaN, negative, huge,
 * unknown enum numbers, empty and odd strings) through {@link PromptChunks} and {@link SamplingMessages}, damaged
 * PNG and JPEG bytes through {@link ImageDataCodec}, and arbitrary requests through a running server. The decoders
 * may only succeed or throw {@link InvalidInputException} (parsing: {@link InvalidProtocolBufferException}); the
 * server may only answer OK or INVALID_ARGUMENT, and keeps serving.
 *
 * <p>Plain JUnit loops: each property runs a fixed number of tries over hand-picked edge cases first (empty and
 * default messages, NaN, infinities, int and float extremes, limits and one past them), then inputs drawn from a
 * {@link SplittableRandom} with a fixed seed, so that CI time is bounded and a run repeatable. A failure names the
 * seed, the try and the input; rerunning the test repeats it.
 */
class RequestDecodingFuzzTest {
    private static final Duration HANG = Duration.ofSeconds(20);
    private static final byte[] PNG = encoded("png", 10, 7);
    private static final byte[] JPEG = encoded("jpeg", 10, 7);
    private static final List<Float> FLOATS = List.of(0f, -0f, 1f, 0.5f, 100f, 100.01f, -1f, Float.NaN,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, Float.MIN_VALUE);
    private static final List<Integer> INTS = List.of(0, 1, -1, 1000, 1001, 65536, 65537, Integer.MAX_VALUE,
            Integer.MIN_VALUE);
    private static final List<String> TEXTS = List.of("", "draw", "\u0000", "\ud83d\ude00", "\u202e");
    private static final List<String> SAMPLERS = List.of("", "ddpm", "ddim", "DDIM", "euler");
    private static final List<String> MIMES = List.of("", "image/png", "image/jpeg", "image/jpg", " IMAGE/PNG ",
            "image/gif", "text/plain");
    private static ServerHarness server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = ServerHarness.start(Transport.IN_PROCESS, new FakeModel(0, 0), b -> b.limits(1, 0));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void arbitraryBytesParseOrFailAsProtobuf() {
        byte[] base = validRequest().toByteArray();
        List<byte[]> edges = List.of(new byte[0], base, Arrays.copyOf(base, 1), Arrays.copyOf(base, base.length - 1),
                filled(200, (byte) 0xff), new byte[200]);
        forAll(500, 20260911L, edges, r -> requestBytes(r, base), FuzzInputs::describe, bytes ->
                decodesOrRefuses(() -> {
                    GenerateRequest r;
                    try {
                        r = GenerateRequest.parseFrom(bytes);
                    } catch (InvalidProtocolBufferException e) {
                        return;   // what gRPC's marshaller reports for bytes that are no message
                    }
                    decode(r);
                }));
    }

    @Test
    void arbitraryFieldsDecodeOrFailWithInvalidInput() {
        forAll(500, 20260912L, requestEdges(), RequestDecodingFuzzTest::request, RequestDecodingFuzzTest::describe,
                r -> decodesOrRefuses(() -> decode(r)));
    }

    @Test
    void damagedImagesDecodeOrFailWithInvalidInput() {
        forAll(400, 20260913L, imageEdges(), RequestDecodingFuzzTest::image, RequestDecodingFuzzTest::describe,
                image -> decodesOrRefuses(() -> ImageDataCodec.decode(image, "image")));
    }

    @Test
    void theServerAnswersOkOrInvalidArgumentAndKeepsServing() {
        List<GenerateRequest> requests = requestEdges();
        List<ImageData> images = imageEdges();
        List<Call> edges = new ArrayList<>();
        for (int i = 0; i < Math.max(requests.size(), images.size()); i++) {
            edges.add(new Call(requests.get(i % requests.size()), images.get(i % images.size())));
        }
        forAll(200, 20260914L, edges, r -> new Call(request(r), image(r)),
                c -> describe(c.request()) + " and image " + describe(c.image()), c -> {
                    assertTimeoutPreemptively(HANG, () -> {
                        okOrInvalid(() -> server.blocking().generate(c.request()).forEachRemaining(e -> { }));
                        CaptionRequest caption = CaptionRequest.newBuilder().setImage(c.image()).build();
                        okOrInvalid(() -> server.blocking().caption(caption));
                    });
                    assertEquals(0, server.server.limiter().queued(), "nothing left waiting");
                });
    }

    private record Call(GenerateRequest request, ImageData image) { }

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

    private static GenerateRequest validRequest() {
        return GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("draw a cat"))
                .addPrompt(Chunk.newBuilder().setImage(ImageData.newBuilder().setData(ByteString.copyFrom(PNG))))
                .setSampling(Sampling.newBuilder().setTemperature(0.7f).setTopK(5).addStop("."))
                .setDiffusion(Diffusion.newBuilder().setSteps(10).setSampler("ddim")).build();
    }

    /** 3 in 4 a valid request's bytes cut and with 0..8 bytes changed, 1 in 4 up to 200 bytes of noise. */
    private static byte[] requestBytes(SplittableRandom r, byte[] base) {
        if (r.nextInt(4) == 3) {
            return noise(r, 200);
        }
        byte[] b = Arrays.copyOf(base, r.nextInt(base.length + 1));
        for (int i = r.nextInt(9); i > 0 && b.length > 0; i--) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** Empty and default messages, then numbers at and past every limit in every field at once. */
    private static List<GenerateRequest> requestEdges() {
        Chunk text = Chunk.newBuilder().setText("draw").build();
        return List.of(GenerateRequest.getDefaultInstance(),
                GenerateRequest.newBuilder().addPrompt(Chunk.getDefaultInstance()).build(),
                GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText(""))
                        .addPrompt(Chunk.newBuilder().setImage(ImageData.getDefaultInstance())).build(),
                request(text, Float.NaN, 0, 0, "", 0, null),
                request(text, Float.POSITIVE_INFINITY, Integer.MAX_VALUE, Integer.MAX_VALUE, "ddpm", 1, Long.MAX_VALUE),
                request(text, Float.NEGATIVE_INFINITY, Integer.MIN_VALUE, Integer.MIN_VALUE, "ddim", 2, Long.MIN_VALUE),
                request(text, Float.MAX_VALUE, 65537, 1001, "euler", 3, 0L, ""),
                request(text, -0f, -1, -1, "DDIM", 4, -1L, "\u0000"),
                request(text, 100.01f, 1001, 0, "\u202e", 1, null, "\ud83d\ude00"),
                request(text, Float.MIN_VALUE, 65536, 1000, "ddim", 0, 1L, "."));
    }

    private static GenerateRequest request(Chunk chunk, float f, int n, int steps, String sampler, int mode,
                                           Long seed, String... stop) {
        Sampling.Builder s = Sampling.newBuilder().setTemperature(f).setTopK(n).setTopP(f).setMaxNewTokens(n)
                .addAllStop(List.of(stop));
        if (seed != null) {
            s.setSeed(seed);
        }
        return GenerateRequest.newBuilder().addPrompt(chunk).setSampling(s).setModeValue(mode)
                .setDiffusion(Diffusion.newBuilder().setSteps(steps).setGuidanceScale(f).setSampler(sampler)).build();
    }

    /** Up to 3 chunks (text, image or neither), sampling and diffusion values from all over, modes 0..4. */
    private static GenerateRequest request(SplittableRandom r) {
        GenerateRequest.Builder b = GenerateRequest.newBuilder();
        for (int i = r.nextInt(4); i > 0; i--) {
            b.addPrompt(switch (r.nextInt(3)) {
                case 0 -> Chunk.newBuilder().setText(anyText(r)).build();
                case 1 -> Chunk.newBuilder().setImage(image(r)).build();
                default -> Chunk.getDefaultInstance();
            });
        }
        Sampling.Builder s = Sampling.newBuilder().setTemperature(anyFloat(r)).setTopK(anyInt(r))
                .setTopP(anyFloat(r)).setMaxNewTokens(anyInt(r));
        if (r.nextBoolean()) {
            s.setSeed(r.nextLong());
        }
        for (int i = r.nextInt(4); i > 0; i--) {
            s.addStop(anyText(r));
        }
        String sampler = r.nextBoolean() ? pick(r, SAMPLERS) : anyText(r);
        Diffusion d = Diffusion.newBuilder().setSteps(Math.floorMod(anyInt(r), 2000) - 500)
                .setGuidanceScale(anyFloat(r)).setSampler(sampler).build();
        return b.setSampling(s).setDiffusion(d).setModeValue(Math.floorMod(anyInt(r), 5)).build();
    }

    /** Half the time a value at a limit; otherwise a plain decimal, a huge one, or any bit pattern (NaNs too). */
    private static float anyFloat(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0, 1, 2 -> pick(r, FLOATS);
            case 3 -> Math.round(r.nextDouble(-1000, 1000) * 100) / 100f;
            case 4 -> (float) (r.nextDouble(-1, 1) * Float.MAX_VALUE);
            default -> Float.intBitsToFloat(r.nextInt());
        };
    }

    /** Half the time a value at a limit; otherwise near the limits (-2000..70000) or any int. */
    private static int anyInt(SplittableRandom r) {
        return switch (r.nextInt(4)) {
            case 0, 1 -> pick(r, INTS);
            case 2 -> r.nextInt(-2000, 70000);
            default -> r.nextInt();
        };
    }

    private static String anyText(SplittableRandom r) {
        return r.nextBoolean() ? pick(r, TEXTS) : text(r, 40, "");
    }

    /** Empty, intact (with right, wrong and odd mime types), cut at the first and last byte, and noise. */
    private static List<ImageData> imageEdges() {
        return List.of(image(new byte[0], ""), image(PNG, "image/png"), image(JPEG, "image/jpeg"),
                image(PNG, "image/jpeg"), image(JPEG, " IMAGE/PNG "), image(Arrays.copyOf(PNG, 1), ""),
                image(Arrays.copyOf(PNG, PNG.length - 1), "image/png"),
                image(Arrays.copyOf(JPEG, Math.min(400, JPEG.length)), "image/jpeg"),
                image(new byte[64], "image/gif"), image(PNG, "text/plain"));
    }

    /** 1 in 8 an intact PNG or JPEG, 6 in 8 one cut to 1..400 bytes with 0..10 changed, 1 in 8 noise; any mime. */
    private static ImageData image(SplittableRandom r) {
        int kind = r.nextInt(8);
        byte[] bytes;
        if (kind == 0) {
            bytes = r.nextBoolean() ? PNG : JPEG;
        } else if (kind < 7) {
            byte[] base = r.nextBoolean() ? PNG : JPEG;
            bytes = Arrays.copyOf(base, Math.min(r.nextInt(1, 401), base.length));
            for (int i = r.nextInt(11); i > 0; i--) {
                bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
            }
        } else {
            bytes = noise(r, 64);
        }
        return image(bytes, r.nextBoolean() ? pick(r, MIMES) : text(r, 10, ""));
    }

    private static ImageData image(byte[] bytes, String mime) {
        return ImageData.newBuilder().setData(ByteString.copyFrom(bytes)).setMimeType(mime).build();
    }

    private static String describe(ImageData image) {
        return "mime \"" + image.getMimeType() + "\", " + FuzzInputs.describe(image.getData().toByteArray());
    }

    /** The message in text format on one line, image bytes included, cut to 600 characters. */
    private static String describe(GenerateRequest r) {
        String s = r.toString().replaceAll("\\s*\n\\s*", " ");
        return s.length() > 600 ? s.substring(0, 600) + " ..." : s;
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
