package dev.transfusion.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.spi.CodecTraining;
import dev.transfusion.core.model.NpyWeights;
import dev.transfusion.plugins.audio.AudioClip;
import dev.transfusion.plugins.audio.AudioPlugin;
import dev.transfusion.plugins.audio.tones.ToneSample;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import dev.transfusion.plugins.image.PixelCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One transformer over text, images and audio, through the public API: trained on in-memory documents that
 * mix the three, saved, loaded, and drawing and reading each continuous modality with its own tokens, patch coder
 * and codec (#14). Tiny and short: it checks the plumbing, not the quality.
 */
class ModalitiesEndToEndTest {
    @TempDir
    static Path dir;
    static Path model;
    static final Map<String, Double> LAST_DDPM = new ConcurrentHashMap<>();

    @BeforeAll
    static void train() throws Exception {
        Path imageCodec = dir.resolve("image-codec"), audioCodec = dir.resolve("audio-codec");
        new PixelCodec(4, 2).save(imageCodec);
        new AudioPlugin().trainCodec(List.of(), audioCodec, CodecTraining.defaults(0), TrainingListener.NONE);
        List<Document> docs = new ArrayList<>();
        List<ToneSample> tones = TonesDataset.of(TonesDataset.Split.TRAIN).samples(0, 6);
        for (int i = 0; i < 6; i++) {
            RgbImage img = RgbImage.fromPackedRgb(4, 4, solid(i % 2 == 0 ? 0xff0000 : 0x0000ff));
            docs.add(Document.of(new TextPart(i % 2 == 0 ? "red" : "blue"), new ImagePart(img)));
            docs.add(Document.of(new TextPart(tones.get(i).caption()), tones.get(i).clip().toPart()));
        }
        TrainingOptions o = TrainingOptions.builder("", dir.resolve("run")).documents(docs).preset("tiny").steps(6)
                .batchSize(2).warmupSteps(1).checkpointEvery(6).codecDir(imageCodec).codecDir("audio", audioCodec).build();
        try (var trainer = Transfusion.trainer(o)) {
            TrainingStep last = trainer.train(new TrainingListener() {
                @Override
                public void onStep(TrainingStep s) {
                    LAST_DDPM.putAll(s.ddpmLosses());
                }
            }, new Cancellation());
            assertNotNull(last);
        }
        model = dir.resolve("run/model");
    }

    static int[] solid(int rgb) {
        int[] px = new int[16];
        java.util.Arrays.fill(px, rgb);
        return px;
    }

    @Test
    void theModelDirectoryListsEachModalityWithItsOwnTokensCodecAndParameters() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(model.resolve("config.json").toFile());
        JsonNode modalities = config.get("modalities");
        assertEquals(2, modalities.size());
        assertEquals("image", modalities.get(0).get("name").asText());
        assertEquals("audio", modalities.get(1).get("name").asText());
        assertEquals("[1,32,8]", modalities.get(1).get("latent").toString());   // the audio codec's coarse grid
        assertEquals("[8,2]", modalities.get(1).get("patch").toString());
        assertEquals("[-0.7400000095367432,3.4000000953674316]", modalities.get(1).get("latent_range").toString());
        int boa = modalities.get(1).get("begin_token").asInt(), boi = modalities.get(0).get("begin_token").asInt();
        assertTrue(boa != boi && boa != config.at("/special_tokens/bos").asInt());
        assertTrue(Files.isDirectory(model.resolve("codecs/image")) && Files.isDirectory(model.resolve("codecs/audio")));
        JsonNode meta = json.readTree(model.resolve("model.json").toFile());
        assertEquals("codecs/audio", meta.at("/modalities/1/codec").asText());
        // each modality its own patch coder and time embedding; the image's under the reference's names
        for (String name : List.of("patch_in.weight", "audio.patch_in.weight", "audio.patch_out.bias",
                "audio.time_embed.0.weight", "time_embed.2.bias")) {
            assertTrue(Files.isRegularFile(NpyWeights.file(model.resolve("weights"), name)), name);
        }
        assertEquals(Map.of("image", true, "audio", true), Map.of("image", LAST_DDPM.containsKey("image"),
                "audio", LAST_DDPM.containsKey("audio")), "a DDPM loss per modality: " + LAST_DDPM);
    }

    @Test
    void eachModalityIsDrawnAndReadByItsOwnCodec() {
        try (TransfusionModel m = Transfusion.load(model)) {
            GenerationOptions audio = GenerationOptions.builder().mode(Mode.IMAGE).modality("audio").diffusionSteps(3)
                    .seed(5L).build();
            GenerationResult a = m.generate(Document.text("a tone"), audio);
            List<Part> clips = a.parts("audio");
            assertEquals(1, clips.size(), "one audio part: " + a.parts());
            AudioClip clip = AudioClip.of(clips.get(0));
            assertEquals(8000, clip.length());
            assertArrayEquals(clip.samples(), AudioClip.of(m.generate(Document.text("a tone"), audio).parts("audio")
                    .get(0)).samples(), "a seed draws the same clip again");
            GenerationResult img = m.generate(Document.text("red"), GenerationOptions.builder().mode(Mode.IMAGE)
                    .diffusionSteps(3).seed(5L).build());
            assertEquals(1, img.images().size(), "Mode.IMAGE draws the image modality by default");
            assertEquals(4, img.images().get(0).width());
            // reading: a clip in a prompt, and captioning any continuous part
            ModalityPart part = (ModalityPart) clips.get(0);
            String caption = m.caption(part, GenerationOptions.builder().maxTokens(4).build(), new Cancellation());
            assertInstanceOf(String.class, caption);
            assertTrue(m.info().config().containsKey("audio.latent"), m.info().config().toString());
            assertEquals("1x32x8", m.info().config().get("audio.latent"));
            assertTrue(m.info().modalities().containsKey("audio"), m.info().modalities().toString());
        }
    }

    @Test
    void aDrawnSpanIsHandedOutAtOnceAndPreviewsComeEveryKSteps() {
        try (TransfusionModel m = Transfusion.load(model)) {
            List<String> events = new ArrayList<>();
            List<Part> handed = new ArrayList<>();
            GenerationResult r = m.generate(Document.text("red"), GenerationOptions.builder().mode(Mode.IMAGE)
                    .diffusionSteps(4).previewEvery(2).seed(3L).build(), new dev.transfusion.api.GenerationListener() {
                        @Override
                        public void onDiffusionStep(dev.transfusion.api.DiffusionStep s) {
                            events.add("step " + s.step() + (s.preview() == null ? "" : " preview "
                                    + s.preview().width() + "x" + s.preview().height()));
                        }

                        @Override
                        public void onPart(int index, Part part) {
                            events.add("part " + index + " " + part.modality());
                            handed.add(part);
                        }
                    }, new Cancellation());
            assertEquals(List.of("step 1", "step 2 preview 4x4", "step 3", "step 4 preview 4x4", "part 0 image"), events);
            assertEquals(r.parts("image"), handed, "the part handed out is the result's");
        }
    }
}
