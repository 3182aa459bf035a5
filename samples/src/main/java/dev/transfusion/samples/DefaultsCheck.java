package dev.transfusion.samples;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.datasets.shapes.ShapeSample;
import dev.transfusion.datasets.shapes.ShapesDataset;
import dev.transfusion.datasets.shapes.ShapesJudge;
import dev.transfusion.server.TransfusionServer;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * What a newcomer gets without choosing a sampler: draws held-out shapes-v1 captions with a trained model through
 * the Java API with {@link GenerationOptions#DEFAULTS} (only the mode and the seed set) and through a gRPC
 * Generate with no {@code diffusion} field, and prints the share of images with all four attributes right.
 *
 * <pre>java -cp 'samples/target/classes:samples/target/lib/*' dev.transfusion.samples.DefaultsCheck out/demo/model 200</pre>
 */
public final class DefaultsCheck {
    private DefaultsCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        ShapesDataset test = ShapesDataset.of(ShapesDataset.Split.TEST);
        try (TransfusionModel model = Transfusion.load(modelDir)) {
            int api = 0;
            for (int i = 0; i < n; i++) {
                ShapeSample s = test.sample(i);
                GenerationOptions o = GenerationOptions.DEFAULTS.toBuilder().mode(Mode.IMAGE).seed((long) i).build();
                api += ShapesJudge.judgeImage(model.generate(Document.text(s.caption()), o).images().get(0),
                        s.attributes()).all() ? 1 : 0;
            }
            System.out.printf("API, GenerationOptions.DEFAULTS (%s %d steps, guidance %.0f): %d of %d right (%.3f)%n",
                    GenerationOptions.DEFAULTS.sampler(), GenerationOptions.DEFAULTS.diffusionSteps(),
                    GenerationOptions.DEFAULTS.guidanceScale(), api, n, api / (double) n);

            TransfusionServer server = TransfusionServer.builder().model(model).host("127.0.0.1").port(0).build().start();
            server.awaitReady();
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                var stub = TransfusionGrpc.newBlockingStub(channel);
                int grpc = 0;
                for (int i = 0; i < n; i++) {
                    ShapeSample s = test.sample(i);
                    // no Diffusion message at all: the server's defaults decide
                    GenerateRequest request = GenerateRequest.newBuilder()
                            .addPrompt(Chunk.newBuilder().setText(s.caption()))
                            .setMode(dev.transfusion.server.v1.Mode.MODE_IMAGE)
                            .setSampling(Sampling.newBuilder().setSeed(i + 1L)).build();
                    RgbImage image = null;
                    for (Iterator<GenerateEvent> it = stub.generate(request); it.hasNext(); ) {
                        GenerateEvent e = it.next();
                        if (e.hasImage()) {
                            image = RgbImage.decode(e.getImage().getData().toByteArray(), "generated image " + i);
                        }
                    }
                    grpc += image != null && ShapesJudge.judgeImage(image, s.attributes()).all() ? 1 : 0;
                }
                System.out.printf("gRPC Generate without diffusion settings: %d of %d right (%.3f)%n", grpc, n,
                        grpc / (double) n);
            } finally {
                channel.shutdownNow();
                server.shutdown();
            }
        }
    }
}
