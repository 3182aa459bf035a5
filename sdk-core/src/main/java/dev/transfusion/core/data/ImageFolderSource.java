package dev.transfusion.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captioned images in a folder, described by a Hugging Face "imagefolder" {@code metadata.jsonl}: one
 * JSON object a line, {@code {"file_name": "img/0001.png", "text": "a red circle"}} (other fields are
 * ignored, blank lines skipped), or by a {@code manifest.tsv}: {@code file<TAB>text} a line (further columns,
 * such as generate's perplexity, are ignored). Each line is the document {@code [text, image]}: a caption followed by its image.
 *
 * <p>{@link #open} checks every line: valid JSON, both fields present and strings, the file name
 * relative and inside the folder (no {@code ../}, no absolute paths, no links leading out), the file
 * present. Images are decoded by {@link #get} (PNG, JPEG; greyscale and transparency become RGB over
 * white), their size checked against {@link RgbImage#MAX_PIXELS} before decoding. Every error is an
 * {@link InvalidInputException} naming the listing, its line and the file.
 */
public final class ImageFolderSource implements DocumentSource {
    /** The Hugging Face imagefolder listing. */
    public static final String METADATA_JSONL = "metadata.jsonl";
    /** The tab-separated listing. */
    public static final String MANIFEST_TSV = "manifest.tsv";

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One listed image.
     *
     * @param image   the image file, inside the folder
     * @param caption its caption
     * @param where   the listing and line it came from
     */
    public record Entry(Path image, String caption, String where) {
    }

    private final Path listing;
    private final List<Entry> entries;

    private ImageFolderSource(Path listing, List<Entry> entries) {
        this.listing = listing;
        this.entries = List.copyOf(entries);
    }

    /** Opens a folder holding {@code metadata.jsonl} (preferred) or {@code manifest.tsv}. */
    public static ImageFolderSource open(Path folder) {
        return open(folder, "text");
    }

    /**
     * Opens a folder; {@code textField} names the caption field of {@code metadata.jsonl} lines.
     *
     * @throws InvalidInputException when the folder has no listing or a line is wrong, naming the line
     */
    public static ImageFolderSource open(Path folder, String textField) {
        if (!Files.isDirectory(folder)) {
            throw new InvalidInputException("image folder " + folder + " is not a directory");
        }
        Path jsonl = folder.resolve(METADATA_JSONL), tsv = folder.resolve(MANIFEST_TSV);
        boolean isJsonl = Files.isRegularFile(jsonl);
        if (!isJsonl && !Files.isRegularFile(tsv)) {
            throw new InvalidInputException("image folder " + folder + " has neither " + METADATA_JSONL
                    + " nor " + MANIFEST_TSV);
        }
        Path listing = isJsonl ? jsonl : tsv;
        List<String> lines = readLines(listing);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = listing + " line " + (i + 1);
            String name, text;
            if (isJsonl) {
                JsonNode node = parseObject(line, where);
                name = textField(node, "file_name", where);
                text = textField(node, textField, where);
            } else {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    throw new InvalidInputException(where + ": expected 'file<TAB>text', found no tab");
                }
                name = line.substring(0, tab);
                int end = line.indexOf('\t', tab + 1);   // further columns (generate's perplexity) are not text
                text = end < 0 ? line.substring(tab + 1) : line.substring(tab + 1, end);
            }
            entries.add(new Entry(ImageFileReader.resolveInside(folder, name, where), text, where));
        }
        return new ImageFolderSource(listing, entries);
    }

    /** The listing file read. */
    public Path listing() {
        return listing;
    }

    /** The listed images and captions, without decoding anything. */
    public List<Entry> entries() {
        return entries;
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** The document {@code [caption, image]} of line {@code index}; decodes the image. */
    @Override
    public Document get(int index) {
        Entry e = entries.get(index);
        return Document.of(new TextPart(e.caption()), new ImagePart(image(index)));
    }

    /** The decoded image of entry {@code index}. */
    public RgbImage image(int index) {
        Entry e = entries.get(index);
        return ImageFileReader.read(e.image(), e.where());
    }

    @Override
    public String describe(int index) {
        return entries.get(index).where();
    }

    static List<String> readLines(Path file) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file));   // strict UTF-8
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1));
            }
            return lines;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + " (it must be UTF-8 text): " + e, e);
        }
    }

    static JsonNode parseObject(String line, String where) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(where + ": expected a JSON object, got " + line.strip());
        }
        return node;
    }

    static String textField(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new InvalidInputException(where + ": missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new InvalidInputException(where + ": field '" + field + "' must be a string, got " + v);
        }
        return v.asText();
    }
}
