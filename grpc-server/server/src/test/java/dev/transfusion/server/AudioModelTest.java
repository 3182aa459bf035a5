package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.spi.CodecTraining;
import dev.transfusion.server.v1.CaptionRequest;
import dev.transfusion.server.v1.CaptionResponse;
import dev.transfusion.server.v1.Chunk;
import dev.transfusion.server.v1.Diffusion;
import dev.transfusion.server.v1.GenerateEvent;
import dev.transfusion.server.v1.GenerateRequest;
import dev.transfusion.server.v1.GetModelInfoRequest;
import dev.transfusion.server.v1.Modality;
import dev.transfusion.server.v1.ModelInfo;
import dev.transfusion.server.v1.Mode;
import dev.transfusion.server.v1.Sampling;
import dev.transfusion.server.v1.TransfusionGrpc;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real engine model with an audio modality (the bench preset, 256 positions, trained two steps on tones-v1: it draws noise,
 * which is enough here) behind the server: WAV bytes in a Caption reach it, MODE_IMAGE with modality "audio"
 * streams audio progress and an audio/wav part, and ModelInfo gives the audio latent shape and patch.
 */
class AudioModelTest {

    @Test
    void anAudioModelServedOverGrpc(@TempDir Path dir) throws Exception {
        Path codec = dir.resolve("codec-audio");
        Transfusion.registry().continuous("audio").trainCodec(List.of(), codec, CodecTraining.defaults(1),
                TrainingListener.NONE);
        Path out = dir.resolve("run");
        Transfusion.trainer(TrainingOptions.builder("tones", out).preset("bench").steps(2).batchSize(2)
                .codecDir("audio", codec).build()).train(TrainingListener.NONE, new dev.transfusion.api.Cancellation());
        String name = "audio-" + UUID.randomUUID();
        try (TransfusionModel model = Transfusion.load(out.resolve("model"))) {
            TransfusionServer server = TransfusionServer.builder().model(model).inProcess(name).build().start();
            server.awaitReady();
            ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
            try {
                TransfusionGrpc.TransfusionBlockingStub stub = TransfusionGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(120, TimeUnit.SECONDS);
                ModelInfo info = stub.getModelInfo(GetModelInfoRequest.getDefaultInstance());
                Modality audio = info.getModalitiesList().stream().filter(m -> m.getName().equals("audio"))
                        .findFirst().orElseThrow();
                assertEquals(List.of(1, 32, 8), audio.getLatentShapeList());
                assertEquals(List.of(8, 2), audio.getPatchList());

                ModalityPart clip = FakeModel.tone();
                CaptionResponse caption = stub.caption(CaptionRequest.newBuilder()
                        .setPart(ModalityDataCodec.encoded("audio", ModalityPartsTest.wav(clip, dir), "audio/wav"))
                        .setSampling(Sampling.newBuilder().setMaxNewTokens(3)).build());
                // a 1x32x8 latent in 8x2 patches: 16 positions, plus the begin/end tokens
                assertTrue(caption.getUsage().getPromptTokens() >= 16 + 2,
                        "the clip's patches are in the prompt: " + caption.getUsage());

                List<GenerateEvent> events = new ArrayList<>();
                stub.generate(GenerateRequest.newBuilder().addPrompt(Chunk.newBuilder().setText("a tone"))
                        .setMode(Mode.MODE_IMAGE).setModality("audio")
                        .setDiffusion(Diffusion.newBuilder().setSteps(2)).build()).forEachRemaining(events::add);
                List<String> kinds = events.stream().map(e -> e.getEventCase() + (e.hasProgress()
                        ? ":" + e.getProgress().getModality() : e.hasPart() ? ":" + e.getPart().getMimeType() : ""))
                        .toList();
                assertEquals(List.of("PROGRESS:audio", "PROGRESS:audio", "PART:audio/wav"), kinds.subList(0, 3));
                assertEquals("FINISHED", kinds.get(kinds.size() - 1));
                ModalityPart back = ModalityPartsTest.readWav(events.get(2).getPart().getData(), dir);
                assertArrayEquals(new int[] {8000}, back.shape());
            } finally {
                channel.shutdownNow();
                server.shutdown();
            }
        }
    }
}
