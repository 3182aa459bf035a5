package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.TransfusionConfig;
import dev.transfusion.testing.TinyModel;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.ImageScoreRequest;
import dev.transfusion.server.v1.Mode;
import dev.transfusion.server.v1.ModelInfo;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.ScoreRequest;
import dev.transfusion.server.v1.ScoreResponse;
import dev.transfusion.server.v1.TextScoreRequest;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with a real (untrained, tiny) model: a model directory written with the text and image plugins,
 * loaded by the engine behind {@code Transfusion.load}, served on loopback. Outputs are noise; what is checked is
 * that every RPC reaches the SameDiff engine and that a deadline stops its denoising loop.
 */
class RealModelTest {

    @Test
    void servesATinyModelDirectory(@TempDir Path dir) throws Exception {
        Path modelDir = TinyModel.write(dir);
        TransfusionServer server = ServerLauncher.forModelDirectory(modelDir).host("127.0.0.1").port(0)
                .limits(1, 0).shutdownTimings(Duration.ZERO, Duration.ofSeconds(10)).build().start();
        try {
            server.awaitReady();
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                exercise(server, channel);
            } finally {
                channel.shutdownNow();
            }
        } finally {
            server.shutdown();
        }
    }

    private static void exercise(TransfusionServer server, ManagedChannel channel) throws InterruptedException {
        {
            TransfusionGrpc.TransfusionBlockingStub stub = TransfusionGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(120, TimeUnit.SECONDS);

            ModelInfo info = stub.getModelInfo(GetModelInfoRequest.getDefaultInstance());
            assertEquals("model", info.getName());
            assertTrue(info.getParameterCount() > 1000, "parameters: " + info.getParameterCount());
            assertEquals(4, info.getImageSize());
            assertEquals(TransfusionConfig.preset("tiny").maxLength(), info.getMaxSequenceLength());
            assertEquals(TransfusionConfig.preset("tiny").diffusionSteps(), info.getDiffusionSteps(), "the model's T");
            assertEquals(java.util.Set.of("text", "image"),
                    info.getModalitiesList().stream().map(m -> m.getName()).collect(java.util.stream.Collectors.toSet()));
            dev.transfusion.server.v1.Modality imageModality = info.getModalitiesList().stream()
                    .filter(m -> m.getName().equals("image")).findFirst().orElseThrow();
            assertEquals(3, imageModality.getLatentShapeCount(), "C x H x W of the image latents: " + imageModality);
            assertEquals(info.getConfigMap().get("image.latent"), imageModality.getLatentShapeList().stream()
                    .map(String::valueOf).collect(java.util.stream.Collectors.joining("x")));
            assertEquals(2, imageModality.getPatchCount(), "patch height x width: " + imageModality);

            List<GenerateEvent> events = new ArrayList<>();
            stub.generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("a red circle"))
                    .setMode(Mode.MODE_IMAGE)
                    .setSampling(Sampling.newBuilder().setSeed(3).setMaxNewTokens(3))
                    .setDiffusion(Diffusion.newBuilder().setSteps(4).setSampler("ddim")).build())
                    .forEachRemaining(events::add);
            List<String> kinds = events.stream().map(e -> e.getEventCase().name()).toList();
            assertEquals(List.of("PROGRESS", "PROGRESS", "PROGRESS", "PROGRESS", "IMAGE"), kinds.subList(0, 5),
                    kinds.toString());
            assertEquals("FINISHED", kinds.get(kinds.size() - 1));
            assertEquals(4, ImageDataCodec.decode(events.get(4).getImage(), "image").width());
            assertTrue(events.get(events.size() - 1).getFinished().getImages() >= 1);
            assertEquals(3, events.get(events.size() - 1).getFinished().getSeed());

            String caption = stub.caption(CaptionRequest.newBuilder()
                    .setImage(ImageDataCodec.encode(FakeModel.solid(4, 4, 0xff0000)))
                    .setSampling(Sampling.newBuilder().setMaxNewTokens(3).setSeed(1)).build()).getText();
            assertTrue(caption.length() < 200, caption);

            ScoreResponse text = stub.score(ScoreRequest.newBuilder().setText(TextScoreRequest.newBuilder()
                    .addContext(Chunk.newBuilder().setText("a")).setText(" red circle")).build());
            assertTrue(text.getText().getTokenIdsCount() > 0);
            assertTrue(text.getText().getTotalLogProb() < 0);
            ScoreResponse image = stub.score(ScoreRequest.newBuilder().setImage(ImageScoreRequest.newBuilder()
                    .setCaption("a red circle").setImage(ImageDataCodec.encode(FakeModel.solid(4, 4, 0xff0000)))
                    .addTimesteps(10).addTimesteps(500)).build());
            assertEquals(2, image.getImage().getLossesCount());
            assertTrue(image.getImage().getMeanLoss() > 0);

            // a prompt longer than the model's limit (max_length positions, as ModelInfo says) is refused before any work
            StatusRuntimeException tooLong = assertThrows(StatusRuntimeException.class, () -> stub.generate(
                    GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("a red circle ".repeat(400)))
                            .build()).forEachRemaining(x -> { }));
            assertEquals(Status.Code.INVALID_ARGUMENT, tooLong.getStatus().getCode(), tooLong.getStatus().toString());
            // refused from its length alone, before the text is encoded
            int limit = TransfusionConfig.preset("tiny").maxLength();
            assertTrue(tooLong.getStatus().getDescription().matches("prompt text has 5200 characters, more than the "
                    + limit + " positions the model reads can hold \\(a token stands for at most \\d+ bytes\\)"),
                    tooLong.getStatus().getDescription());

            // a client's cancel stops the real denoising loop: with one slot and no queue, the next call is served
            // only if the cancelled image let go of the model. Cancelled at the first progress event, not by a
            // deadline: 1,000 steps of the tiny model can finish inside any short deadline on a quiet machine.
            io.grpc.Context.CancellableContext call = io.grpc.Context.current().withCancellation();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> call.call(() -> {
                var stream = TransfusionGrpc.newBlockingStub(channel).generate(GenerateRequest.newBuilder()
                        .addPrompt(Chunk.newBuilder().setText("slow")).setMode(Mode.MODE_IMAGE)
                        .setDiffusion(Diffusion.newBuilder().setSteps(1000)).build());
                while (stream.hasNext()) {
                    if (stream.next().hasProgress()) {
                        call.cancel(null);
                    }
                }
                return null;
            }));
            assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
            Await.until(() -> server.limiter().running() == 0, Duration.ofSeconds(20), "the model stops denoising");
            assertEquals("model", stub.getModelInfo(GetModelInfoRequest.getDefaultInstance()).getName());
            stub.caption(CaptionRequest.newBuilder().setImage(ImageDataCodec.encode(FakeModel.solid(4, 4, 0)))
                    .setSampling(Sampling.newBuilder().setMaxNewTokens(1)).build());
        }
    }

    /** The shared tiny model directory (test fixtures): a BPE tokenizer, 4x4 images, 2x2 patches. */
    static Path writeTinyModel(Path dir) {
        return dev.transfusion.testing.TinyModel.write(dir);
    }
}
