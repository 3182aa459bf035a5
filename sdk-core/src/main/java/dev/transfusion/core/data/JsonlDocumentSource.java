package dev.transfusion.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Interleaved text-and-image documents, one JSON object a line:
 * {@code {"parts": [{"text": "a cat"}, {"image": "img/cat.png"}, {"text": "sits on a mat"}]}}. Image paths
 * are relative to the file's folder and must stay inside it; blank lines are skipped.
 *
 * <p>{@link #open} checks every line (valid JSON, a {@code parts} array whose items each hold exactly one
 * of a string {@code text} or {@code image}, images present and inside the folder); {@link #get} decodes
 * the images. Errors are {@link InvalidInputException}s naming the file and line.
 */
public final class JsonlDocumentSource implements DocumentSource {

    /** A part as listed: text, or an image file not yet decoded. */
    private record Listed(@Nullable String text, @Nullable Path image) {
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
                if (!p.isObject() || p.has("text") == p.has("image")) {
                    throw new InvalidInputException(at + ": a part must be an object with exactly one of 'text' "
                            + "or 'image', got " + p);
                }
                if (p.has("text")) {
                    listed.add(new Listed(ImageFolderSource.textField(p, "text", at), null));
                } else {
                    String name = ImageFolderSource.textField(p, "image", at);
                    listed.add(new Listed(null, ImageFileReader.resolveInside(folder, name, at)));
                }
            }
            lines.add(new Line(listed, where));
        }
        return new JsonlDocumentSource(file, lines);
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
            Path image = p.image();
            parts.add(image == null ? new TextPart(String.valueOf(p.text()))
                    : new ImagePart(ImageFileReader.read(image, line.where())));
        }
        return new Document(parts);
    }

    @Override
    public String describe(int index) {
        return lines.get(index).where();
    }
}
