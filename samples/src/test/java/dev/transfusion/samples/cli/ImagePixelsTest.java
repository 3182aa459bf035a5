package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.protobuf.ByteString;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.Usage;
import dev.transfusion.core.data.ImageFileReader;
import dev.transfusion.plugins.image.ImageFiles;
import dev.transfusion.server.TransfusionServer;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.ImageData;
import dev.transfusion.server.v1.TransfusionGrpc;
import dev.transfusion.testing.StubModel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One decoder: the same PNG gives the same pixels on the command line, in the data sources and over gRPC. */
class ImagePixelsTest {

    /** A model that only records the image it is asked about. */
    static final class Recording implements StubModel {
        volatile RgbImage seen;

        @Override
        public GenerationResult generate(Document prompt, GenerationOptions o, GenerationListener l, Cancellation c) {
            seen = prompt.parts().stream().filter(p -> p instanceof ImagePart).map(p -> ((ImagePart) p).image())
                    .findFirst().orElse(null);
            return new GenerationResult(List.of(new TextPart("ok")), FinishReason.END_OF_SEQUENCE,
                    new Usage(1, 1, 0, 0));
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("recording", 1, 10, Map.of(), Map.of());
        }
    }

    private static Path rgba(Path dir) throws Exception {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int i = 0; i < 16; i++) {
            img.setRGB(i % 4, i / 4, (i * 16) << 24 | 0x3070b0 + i);   // alpha from 0 to 240
        }
        Path f = dir.resolve("rgba.png");
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    private static Path grey(Path dir) throws Exception {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 16; i++) {
            img.getRaster().setSample(i % 4, i / 4, 0, i * 16 + 3);
        }
        Path f = dir.resolve("grey.png");
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    @Test
    void rgbaAndGreyPngsGiveTheSamePixelsThroughTheCliAndGrpc(@TempDir Path dir) throws Exception {
        Recording model = new Recording();
        String name = "pixels-" + UUID.randomUUID();
        TransfusionServer server = TransfusionServer.builder().model(model).inProcess(name)
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(2)).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            server.awaitReady();
            for (Path f : List.of(rgba(dir), grey(dir))) {
                RgbImage cli = ImageFiles.read(f, 4);                 // caption/answer --image
                RgbImage data = ImageFileReader.read(f, "");         // training data listings
                TransfusionGrpc.newBlockingStub(channel).caption(CaptionRequest.newBuilder()
                        .setImage(ImageData.newBuilder().setData(ByteString.copyFrom(Files.readAllBytes(f)))).build());
                assertNotNull(model.seen, f.toString());
                assertEquals(cli, model.seen, f + ": gRPC and the CLI disagree");
                assertEquals(cli, data, f + ": the data sources and the CLI disagree");
            }
            // and what "over white" and "stored grey levels" mean, on one pixel each
            assertEquals(0xffffff, ImageFiles.read(dir.resolve("rgba.png")).pixel(0, 0), "alpha 0 is white");
            assertEquals(0x131313, ImageFiles.read(dir.resolve("grey.png")).pixel(1, 0), "grey 19 stays 19");
        } finally {
            channel.shutdownNow();
            server.shutdown();
        }
    }
}
