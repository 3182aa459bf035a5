package dev.transfusion.server;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.server.v1.ModalityData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoded parts of continuous modalities to SDK parts and back, through each modality's plugin. The SPI reads
 * and writes files ({@link ContinuousModalityPlugin#readFile}, {@link ContinuousModalityPlugin#writeFile}), so
 * the bytes pass through a temporary file that is deleted at once; their size is bounded beforehand
 * ({@link PayloadLimits}). The registry is the engine's (class path and {@code --plugins} jars) unless given.
 */
public final class PluginParts {
    private static final Logger LOG = LoggerFactory.getLogger(PluginParts.class);

    private final Supplier<ModalityRegistry> registry;

    /** Parts read and written by the plugins of {@code registry}, asked for at first use. */
    public PluginParts(Supplier<ModalityRegistry> registry) {
        this.registry = registry;
    }

    /**
     * The plugin that reads and writes files of {@code modality}, or null when the server has none (no such
     * plugin, a discrete one, or one that reads no files).
     */
    @Nullable ContinuousModalityPlugin filePlugin(String modality) {
        ModalityRegistry r;
        try {
            r = registry.get();
        } catch (RuntimeException e) {   // no engine on the class path: no plugins, raw values only
            LOG.debug("no modality registry: {}", e.getMessage());
            return null;
        }
        if (!r.modalities().contains(modality)) {
            return null;
        }
        ModalityPlugin p = r.plugin(modality);
        return p instanceof ContinuousModalityPlugin c && !c.fileExtensions().isEmpty() ? c : null;
    }

    /**
     * Reads {@code d}'s bytes with {@code plugin}, as a file of extension {@code extension}.
     *
     * @throws InvalidInputException naming {@code field.data} when the plugin cannot read them
     */
    Part read(ContinuousModalityPlugin plugin, ModalityData d, String extension, String field) {
        Path file = null;
        try {
            file = Files.createTempFile("transfusion-part-", "." + extension);
            try (var out = Files.newOutputStream(file)) {
                d.getData().writeTo(out);
            }
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException("cannot stage " + field + ".data in a temporary file", e);
        }
        try {
            return plugin.readFile(file);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            why = why.replace(file.toString(), field + ".data");   // the plugin names its file: name the field
            throw new InvalidInputException(field + ".data cannot be decoded as " + mime(d, extension) + ": " + why,
                    e);
        } finally {
            delete(file);
        }
    }

    /**
     * {@code part} encoded by its plugin ({@code audio/wav}), or raw values and shape when {@code raw} is asked
     * for, the server has no writer for its modality or the writer fails: a generated part is never dropped.
     */
    ModalityData encode(ModalityPart part, boolean raw) {
        ContinuousModalityPlugin plugin = raw ? null : filePlugin(part.modality());
        if (plugin == null) {
            return ModalityDataCodec.raw(part);
        }
        String extension = plugin.fileExtensions().get(0);
        Path file = null;
        try {
            file = Files.createTempFile("transfusion-part-", "." + extension);
            plugin.writeFile(file, part);
            return ModalityDataCodec.encoded(part.modality(), Files.readAllBytes(file),
                    ModalityDataCodec.mimeOf(extension));
        } catch (IOException | RuntimeException e) {
            LOG.debug("the '{}' plugin could not write {}; sent as raw values", part.modality(), part, e);
            return ModalityDataCodec.raw(part);
        } finally {
            delete(file);
        }
    }

    private static String mime(ModalityData d, String extension) {
        return d.getMimeType().isEmpty() ? ModalityDataCodec.mimeOf(extension) : d.getMimeType();
    }

    private static void delete(@Nullable Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("cannot delete {}", file, e);
            }
        }
    }
}
