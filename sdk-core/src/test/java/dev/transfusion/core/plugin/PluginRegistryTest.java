package dev.transfusion.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.DiscreteModalityPlugin;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.spi.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry as Guice builds it from a {@link PluginModule}: lookups by name and the errors people see. */
class PluginRegistryTest {

    private static ModalityRegistry registryOf(ModalityPlugin... plugins) {
        return injectorOf(plugins).getInstance(ModalityRegistry.class);
    }

    private static Injector injectorOf(ModalityPlugin... plugins) {
        return Guice.createInjector(new PluginModule(List.of(plugins)));
    }

    @Test
    void answersEachPluginByItsModality() {
        FakeText text = new FakeText("text");
        FakeImage image = new FakeImage("image");
        ModalityRegistry registry = registryOf(text, image);

        assertEquals(Set.of("image", "text"), registry.modalities());
        assertSame(text, registry.plugin("text"));
        assertSame(text, registry.discrete("text"));
        assertSame(image, registry.plugin("image"));
        assertSame(image, registry.continuous("image"));
    }

    @Test
    void isOneRegistryPerInjector() {
        Injector injector = injectorOf(new FakeText("text"));
        assertSame(injector.getInstance(ModalityRegistry.class), injector.getInstance(ModalityRegistry.class));
    }

    @Test
    void twoPluginsClaimingOneNameAreRefusedNamingBoth() {
        Injector injector = injectorOf(new FakeText("text"), new OtherFakeText("text"));
        // Guice wraps what the registry's constructor throws; the cause is the SDK's own exception
        ProvisionException e = assertThrows(ProvisionException.class, () -> injector.getInstance(ModalityRegistry.class));
        PluginException cause = assertInstanceOf(PluginException.class, e.getCause());
        assertTrue(cause.getMessage().contains("'text'"), cause.getMessage());
        assertTrue(cause.getMessage().contains(FakeText.class.getName()), cause.getMessage());
        assertTrue(cause.getMessage().contains(OtherFakeText.class.getName()), cause.getMessage());
    }

    @Test
    void aMissingModalityNamesTheRegisteredOnes() {
        ModalityRegistry registry = registryOf(new FakeText("text"), new FakeImage("image"));
        PluginException e = assertThrows(PluginException.class, () -> registry.plugin("audio"));
        assertTrue(e.getMessage().contains("'audio'"), e.getMessage());
        assertTrue(e.getMessage().contains("image") && e.getMessage().contains("text"), e.getMessage());
        // the typed lookups fail the same way
        assertThrows(PluginException.class, () -> registry.discrete("audio"));
        assertThrows(PluginException.class, () -> registry.continuous("audio"));
    }

    @Test
    void anEmptyRegistrySaysSoAndHintsAtTheClassPath() {
        PluginException e = assertThrows(PluginException.class, () -> registryOf().plugin("text"));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
        assertTrue(e.getMessage().contains("class path"), e.getMessage());
    }

    @Test
    void askingForTheWrongKindSaysWhichKindItIs() {
        ModalityRegistry registry = registryOf(new FakeText("text"), new FakeImage("image"));

        PluginException notDiscrete = assertThrows(PluginException.class, () -> registry.discrete("image"));
        assertTrue(notDiscrete.getMessage().contains("'image'"), notDiscrete.getMessage());
        assertTrue(notDiscrete.getMessage().contains("continuous"), notDiscrete.getMessage());
        assertTrue(notDiscrete.getMessage().contains(FakeImage.class.getName()), notDiscrete.getMessage());

        PluginException notContinuous = assertThrows(PluginException.class, () -> registry.continuous("text"));
        assertTrue(notContinuous.getMessage().contains("'text'"), notContinuous.getMessage());
        assertTrue(notContinuous.getMessage().contains("discrete"), notContinuous.getMessage());
    }

    @Test
    void explicitPluginsJoinThoseOnTheClassPath() {
        // sdk-core's tests have no plugin jar on the class path: only the extra one is found
        FakeImage extra = new FakeImage("fake-modality");
        ModalityRegistry registry = Guice.createInjector(PluginModule.fromClassPath(List.of(extra)))
                .getInstance(ModalityRegistry.class);
        assertSame(extra, registry.plugin("fake-modality"));
    }

    /** A discrete plugin whose tokenizer is never used here. */
    static class FakeText implements DiscreteModalityPlugin {
        private final String modality;

        FakeText(String modality) {
            this.modality = modality;
        }

        @Override
        public String modality() {
            return modality;
        }

        @Override
        public String version() {
            return "1.0-test";
        }

        @Override
        public String description() {
            return "fake " + modality + " tokenizer";
        }

        @Override
        public Tokenizer loadTokenizer(Path path) {
            throw new UnsupportedOperationException("not needed by these tests");
        }

        @Override
        public Tokenizer trainTokenizer(Iterable<String> texts, int vocabSize, List<String> specialTokens) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }

    /** A second class claiming a name, as a second jar on the class path would. */
    static final class OtherFakeText extends FakeText {
        OtherFakeText(String modality) {
            super(modality);
        }
    }

    /** A continuous plugin whose codec is never used here. */
    static final class FakeImage implements ContinuousModalityPlugin {
        private final String modality;

        FakeImage(String modality) {
            this.modality = modality;
        }

        @Override
        public String modality() {
            return modality;
        }

        @Override
        public String version() {
            return "1.0-test";
        }

        @Override
        public String description() {
            return "fake " + modality + " codec";
        }

        @Override
        public String beginToken() {
            return "<boi>";
        }

        @Override
        public String endToken() {
            return "<eoi>";
        }

        @Override
        public LatentCodec loadCodec(Path directory) {
            throw new UnsupportedOperationException("not needed by these tests");
        }
    }
}
