package dev.transfusion.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.data.EncodedDocument;
import dev.transfusion.core.data.JsonlDocumentSource;
import dev.transfusion.core.data.SequencePacker;
import dev.transfusion.core.plugin.PluginModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input on the surfaces modalities added (#14): each refused with a message naming what and why. */
class ModalityInputsTest {
    @TempDir
    Path dir;

    /** A continuous plugin that reads .sig files of one number per line into a [n] part. */
    static final class Signal implements ContinuousModalityPlugin {
        @Override
        public String modality() {
            return "signal";
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public String description() {
            return "test signals";
        }

        @Override
        public String beginToken() {
            return "<bos-sig>";
        }

        @Override
        public String endToken() {
            return "<eos-sig>";
        }

        @Override
        public LatentCodec loadCodec(Path directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> fileExtensions() {
            return List.of("sig");
        }

        @Override
        public Part readFile(Path file) {
            try {
                List<String> lines = Files.readAllLines(file);
                float[] v = new float[lines.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = Float.parseFloat(lines.get(i));
                }
                return new ModalityPart("signal", new int[] {v.length}, v);
            } catch (java.io.IOException e) {
                throw new InvalidInputException("cannot read " + file);
            }
        }
    }

    static ModalityRegistry registry() {
        return Guice.createInjector(new PluginModule(List.of(new Signal()))).getInstance(ModalityRegistry.class);
    }

    private InvalidInputException refusedLine(String line) throws Exception {
        Path f = dir.resolve("docs.jsonl");
        Files.writeString(f, line + "\n");
        return assertThrows(InvalidInputException.class, () -> JsonlDocumentSource.open(f, registry()));
    }

    @Test
    void documentPartsOfAModalityAreChecked() throws Exception {
        Files.writeString(dir.resolve("a.sig"), "0.5\n");
        Files.writeString(dir.resolve("a.wav"), "x");
        var unknown = refusedLine("{\"parts\": [{\"modality\": \"audio\", \"file\": \"a.wav\"}]}");
        assertEquals(dir.resolve("docs.jsonl") + " line 1 part 0: no continuous modality 'audio' is registered; "
                + "registered: [signal] (a plugin jar on the class path or in --plugins DIR adds one)", unknown.getMessage());
        var noFile = refusedLine("{\"parts\": [{\"modality\": \"signal\"}]}");
        assertTrue(noFile.getMessage().contains("a 'modality' part needs a 'file'"), noFile.getMessage());
        var wrongKind = refusedLine("{\"parts\": [{\"modality\": \"signal\", \"file\": \"a.wav\"}]}");
        assertTrue(wrongKind.getMessage().endsWith("the 'signal' plugin reads [.sig] files, not a.wav"),
                wrongKind.getMessage());
        var missing = refusedLine("{\"parts\": [{\"modality\": \"signal\", \"file\": \"b.sig\"}]}");
        assertTrue(missing.getMessage().contains("b.sig"), missing.getMessage());
        var escape = refusedLine("{\"parts\": [{\"modality\": \"signal\", \"file\": \"../a.sig\"}]}");
        assertTrue(escape.getMessage().contains("escapes the folder"), escape.getMessage());
        var both = refusedLine("{\"parts\": [{\"modality\": \"signal\", \"image\": \"x.png\", \"file\": \"a.sig\"}]}");
        assertTrue(both.getMessage().contains("exactly one of 'text', 'image', or 'modality'"), both.getMessage());
        var notRegistered = assertThrows(InvalidInputException.class, () -> {
            Path f = dir.resolve("docs2.jsonl");
            Files.writeString(f, "{\"parts\": [{\"modality\": \"signal\", \"file\": \"a.sig\"}]}\n");
            JsonlDocumentSource.open(f);
        });
        assertTrue(notRegistered.getMessage().contains("this reader takes text and image parts only"),
                notRegistered.getMessage());
    }

    static ModalityConfig signal(int[] latent, int[] patch, String coder, int begin, int end) {
        return new ModalityConfig("signal", "1", latent, patch, coder, begin, end, 1.0, null);
    }

    @Test
    void aModalitysSectionOfTheConfigIsChecked() {
        var patch = assertThrows(InvalidInputException.class, () -> signal(new int[] {1, 8, 8}, new int[] {3, 3},
                "linear", 5, 6));
        assertEquals("config field 'modality 'signal' latent' must be divisible into 3x3 patches, got [1, 8, 8]",
                patch.getMessage());
        var unetRect = assertThrows(InvalidInputException.class, () -> signal(new int[] {1, 8, 8}, new int[] {2, 4},
                "unet", 5, 6));
        assertTrue(unetRect.getMessage().contains("square for the U-Net patch coder"), unetRect.getMessage());
        var tokens = assertThrows(InvalidInputException.class, () -> signal(new int[] {1, 8, 8}, new int[] {2, 2},
                "linear", 5, 5));
        assertTrue(tokens.getMessage().contains("two distinct ids"), tokens.getMessage());
        var name = assertThrows(InvalidInputException.class, () -> new ModalityConfig("Audio Clips", null,
                new int[] {1, 8, 8}, new int[] {2, 2}, "linear", 5, 6, 1, null));
        assertTrue(name.getMessage().contains("lower case letters"), name.getMessage());
        var range = assertThrows(InvalidInputException.class, () -> new ModalityConfig("signal", null,
                new int[] {1, 8, 8}, new int[] {2, 2}, "linear", 5, 6, 1, new double[] {3, 1}));
        assertTrue(range.getMessage().contains("latent_range"), range.getMessage());
        TransfusionConfig tiny = TransfusionConfig.preset("tiny");
        var shared = assertThrows(InvalidInputException.class, () -> tiny.withModalities(List.of(tiny.modalities().get(0),
                signal(new int[] {1, 8, 8}, new int[] {2, 2}, "linear", tiny.specialTokens().eos(), 30))));
        assertTrue(shared.getMessage().contains("begin/end ids of their own"), shared.getMessage());
        var twice = assertThrows(InvalidInputException.class, () -> tiny.withModalities(List.of(tiny.modalities().get(0),
                tiny.modalities().get(0))));
        assertTrue(twice.getMessage().contains("distinct names"), twice.getMessage());
        var outside = assertThrows(InvalidInputException.class, () -> tiny.withModalities(List.of(
                signal(new int[] {1, 8, 8}, new int[] {2, 2}, "linear", 60, 99))));
        assertTrue(outside.getMessage().contains("inside the vocabulary"), outside.getMessage());
    }

    @Test
    void aSpanOfAModalityTheModelLacksIsNamedWhenPacked() {
        SequencePacker packer = new SequencePacker(TransfusionConfig.preset("tiny"));
        EncodedDocument doc = EncodedDocument.of(EncodedDocument.tokens(0, 2),
                EncodedDocument.span("signal", new Latent(4, 2, 2, new float[16]), 0), EncodedDocument.tokens(3, 1));
        var e = assertThrows(InvalidInputException.class, () -> packer.packRow(List.of(doc), 40, new SplittableRandom(1)));
        assertEquals("this model has no 'signal' modality; it has text and [image]", e.getMessage());
    }
}
