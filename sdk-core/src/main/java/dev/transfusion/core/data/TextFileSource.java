package dev.transfusion.core.data;

import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Text-only documents from plain UTF-8 {@code .txt} files: one file, or every {@code .txt} file under a
 * folder (recursively, in path order). {@link Split#FILE} (the default) makes each file one document;
 * {@link Split#PARAGRAPH} makes each paragraph one, paragraphs being separated by blank (or
 * whitespace-only) lines. Documents are trimmed of surrounding whitespace; empty ones are skipped. The
 * text is read when the source is opened.
 */
public final class TextFileSource implements DocumentSource {
    /** What one document is. */
    public enum Split {
        /** A whole file. */
        FILE,
        /** A paragraph: lines up to the next blank line. */
        PARAGRAPH
    }

    private final List<String> texts;
    private final List<String> origins;

    private TextFileSource(List<String> texts, List<String> origins) {
        this.texts = List.copyOf(texts);
        this.origins = List.copyOf(origins);
    }

    /** One document per file. */
    public static TextFileSource open(Path fileOrFolder) {
        return open(fileOrFolder, Split.FILE);
    }

    /**
     * Reads a {@code .txt} file or the {@code .txt} files under a folder.
     *
     * @throws InvalidInputException when the path is missing, or a file is unreadable or not UTF-8, naming it
     */
    public static TextFileSource open(Path fileOrFolder, Split split) {
        List<Path> files;
        if (Files.isRegularFile(fileOrFolder)) {
            files = List.of(fileOrFolder);
        } else if (Files.isDirectory(fileOrFolder)) {
            try (Stream<Path> walk = Files.walk(fileOrFolder)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".txt"))
                        .sorted().toList();
            } catch (IOException e) {
                throw new InvalidInputException("cannot list text files under " + fileOrFolder + ": " + e, e);
            }
        } else {
            throw new InvalidInputException("text source " + fileOrFolder + " does not exist");
        }
        List<String> texts = new ArrayList<>(), origins = new ArrayList<>();
        for (Path f : files) {
            String content = read(f);
            if (split == Split.FILE) {
                add(texts, origins, content, f.toString());
                continue;
            }
            String[] lines = content.split("\r?\n", -1);
            StringBuilder para = new StringBuilder();
            int first = 0;
            for (int i = 0; i <= lines.length; i++) {
                boolean blank = i == lines.length || lines[i].isBlank();
                if (blank) {
                    add(texts, origins, para.toString(), f + " line " + (first + 1));
                    para.setLength(0);
                } else {
                    if (para.length() == 0) {
                        first = i;
                    } else {
                        para.append('\n');
                    }
                    para.append(lines[i]);
                }
            }
        }
        return new TextFileSource(texts, origins);
    }

    private static void add(List<String> texts, List<String> origins, String text, String origin) {
        String t = text.strip();
        if (!t.isEmpty()) {
            texts.add(t);
            origins.add(origin);
        }
    }

    private static String read(Path f) {
        try {
            byte[] bytes = Files.readAllBytes(f);
            String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return s.startsWith("\uFEFF") ? s.substring(1) : s;
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("text file " + f + " is not valid UTF-8: " + e, e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read text file " + f + ": " + e, e);
        }
    }

    /** The texts, in order. */
    public List<String> texts() {
        return texts;
    }

    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public Document get(int index) {
        return Document.text(texts.get(index));
    }

    @Override
    public String describe(int index) {
        return origins.get(index);
    }
}
