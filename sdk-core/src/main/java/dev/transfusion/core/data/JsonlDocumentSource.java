package dev.transfusion.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Interleaved documents, one JSON object a line:
 * {@code {"parts": [{"text": "a cat"}, {"image": "img/cat.png"}, {"modality": "audio", "file": "meow.wav"}]}}.
 * A part is text, an image file, or a file of any registered continuous modality, which that modality's plugin
 * reads ({@link ContinuousModalityPlugin#readFile}). Paths are relative to the file's folder and must stay
 * inside it; blank lines are skipped.
 *
 * <p>{@link #open} checks every line (valid JSON, a {@code parts} array whose items each hold exactly one
 * of a string {@code text}, {@code image}, or {@code modality} with {@code file}; modalities registered; files
 * present and inside the folder); {@link #get} reads the files. Errors are {@link InvalidInputException}s naming
 * the file and line.
 */
public final class JsonlDocumentSource implements DocumentSource {

    /** A part as listed: text, or a file of a modality (image or a plugin's) not yet read. */
    private record Listed(@Nullable String text, @Nullable Path file, @Nullable ContinuousModalityPlugin plugin) {
    }

    private record Line(List<Listed> parts, String where) {
    }

    private final Path file;
    private final List<Line> lines;

    private JsonlDocumentSource(Path file, List<Line> lines) {
        this.file = file;
        this.lines = List.copyOf(lines);
    }

    /**
     * Opens and checks a {@code .jsonl} file.
     *
     * @throws InvalidInputException naming the file and line of the first error
     */
    public static JsonlDocumentSource open(Path file) {
        return open(file, null);
    }

    /**
     * Opens and checks a {@code .jsonl} file whose {@code modality} parts name plugins of {@code registry}.
     *
     * @param registry the plugins that read {@code {"modality": ..., "file": ...}} parts; null to refuse them
     * @throws InvalidInputException naming the file and line of the first error
     */
    public static JsonlDocumentSource open(Path file, @Nullable ModalityRegistry registry) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("document file " + file + " does not exist");
        }
        Path folder = file.toAbsolutePath().getParent();
        List<String> text = ImageFolderSource.readLines(file);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (text.get(i).isBlank()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            JsonNode node = ImageFolderSource.parseObject(text.get(i), where);
            JsonNode parts = node.get("parts");
            if (parts == null || !parts.isArray()) {
                throw new InvalidInputException(where + ": missing field 'parts' (an array of {\"text\": ...} "
                        + "or {\"image\": ...} objects)");
            }
            List<Listed> listed = new ArrayList<>();
            for (int k = 0; k < parts.size(); k++) {
                JsonNode p = parts.get(k);
                String at = where + " part " + k;
                int kinds = (p.isObject() && p.has("text") ? 1 : 0) + (p.isObject() && p.has("image") ? 1 : 0)
                        + (p.isObject() && p.has("modality") ? 1 : 0);
                if (!p.isObject() || kinds != 1) {
                    throw new InvalidInputException(at + ": a part must be an object with exactly one of 'text', "
                            + "'image', or 'modality' (with 'file'), got " + p);
                }
                if (p.has("text")) {
                    listed.add(new Listed(ImageFolderSource.textField(p, "text", at), null, null));
                } else if (p.has("image")) {
                    String name = ImageFolderSource.textField(p, "image", at);
                    listed.add(new Listed(null, ImageFileReader.resolveInside(folder, name, at), null));
                } else {
                    listed.add(modalityPart(p, at, folder, registry));
                }
            }
            lines.add(new Line(listed, where));
        }
        return new JsonlDocumentSource(file, lines);
    }

    private static Listed modalityPart(JsonNode p, String at, Path folder, @Nullable ModalityRegistry registry) {
        String modality = ImageFolderSource.textField(p, "modality", at);
        if (!p.has("file")) {
            throw new InvalidInputException(at + ": a 'modality' part needs a 'file', got " + p);
        }
        String name = ImageFolderSource.textField(p, "file", at);
        if (registry == null || !registry.modalities().contains(modality)
                || !(registry.plugin(modality) instanceof ContinuousModalityPlugin plugin)) {
            throw new InvalidInputException(at + ": no continuous modality '" + modality + "' is registered; "
                    + (registry == null ? "this reader takes text and image parts only"
                    : "registered: " + new java.util.TreeSet<>(registry.modalities())
                    + " (a plugin jar on the class path or in --plugins DIR adds one)"));
        }
        Path file = ImageFileReader.resolveInside(folder, name, at);
        String lower = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        List<String> extensions = plugin.fileExtensions();
        if (!extensions.isEmpty() && extensions.stream().noneMatch(e -> lower.endsWith("." + e))) {
            throw new InvalidInputException(at + ": the '" + modality + "' plugin reads " + extensions.stream()
                    .map(e -> "." + e).toList() + " files, not " + file.getFileName());
        }
        return new Listed(null, file, plugin);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    @Override
    public int size() {
        return lines.size();
    }

    @Override
    public Document get(int index) {
        Line line = lines.get(index);
        List<Part> parts = new ArrayList<>();
        for (Listed p : line.parts()) {
            Path f = p.file();
            if (f == null) {
                parts.add(new TextPart(String.valueOf(p.text())));
            } else if (p.plugin() == null) {
                parts.add(new ImagePart(ImageFileReader.read(f, line.where())));
            } else {
                try {
                    parts.add(p.plugin().readFile(f));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException(line.where() + ": " + e.getMessage(), e);
                }
            }
        }
        return new Document(parts);
    }

    @Override
    public String describe(int index) {
        return lines.get(index).where();
    }
}
