package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.Mode;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.TransfusionGrpc;
import dev.transfusion.testing.TinyModel;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model of grey images (a one-channel codec) is served grey: greyscale PNGs out, greyscale PNGs read. */
class GreyImageTest {

    @Test
    void aGreyModelAnswersWithGreyscalePngs(@TempDir Path dir) throws Exception {
        Path modelDir = TinyModel.writeGrey(dir);
        TransfusionServer server = ServerLauncher.forModelDirectory(modelDir).host("127.0.0.1").port(0)
                .limits(1, 0).shutdownTimings(Duration.ZERO, Duration.ofSeconds(10)).build().start();
        ManagedChannel channel = null;
        try {
            server.awaitReady();
            channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            var stub = TransfusionGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
            List<GenerateEvent> events = new ArrayList<>();
            stub.generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("a red circle"))
                    .setMode(Mode.MODE_IMAGE).setSampling(Sampling.newBuilder().setSeed(3).setMaxNewTokens(1))
                    .setDiffusion(Diffusion.newBuilder().setSteps(3).setSampler("ddim")).build())
                    .forEachRemaining(events::add);
            GenerateEvent image = events.stream().filter(GenerateEvent::hasImage).findFirst().orElseThrow();
            byte[] png = image.getImage().getData().toByteArray();
            assertEquals(1, ImageCodecs.header(png, "the answer").channels(), "a one-channel PNG, not RGB");
            RgbImage decoded = ImageDataCodec.decode(image.getImage(), "image");
            assertTrue(decoded.isGrey(), decoded.toString());
            assertEquals(4, decoded.width());

            // a greyscale PNG in: read as one channel, and the grey model captions it
            RgbImage grey = RgbImage.grey(4, 4, new byte[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,
                (byte) 130, (byte) 140, (byte) 150});
            assertEquals(1, ImageCodecs.header(ImageDataCodec.encode(grey).getData().toByteArray(), "in").channels());
            assertEquals(grey, ImageDataCodec.decode(ImageDataCodec.encode(grey), "in"), "levels survive the wire");
            String caption = stub.caption(CaptionRequest.newBuilder().setImage(ImageDataCodec.encode(grey))
                    .setSampling(Sampling.newBuilder().setMaxNewTokens(2).setSeed(1)).build()).getText();
            assertTrue(caption.length() < 100, caption);
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            server.shutdown();
        }
    }
}
