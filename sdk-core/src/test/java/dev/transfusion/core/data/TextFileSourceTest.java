package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain-text documents: per file or per paragraph. */
class TextFileSourceTest {
    @TempDir
    Path dir;

    @Test
    void oneDocumentPerFileInPathOrder() throws IOException {
        Files.writeString(dir.resolve("b.txt"), "second file\n\nstill second\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/c.txt"), "third");
        Files.writeString(dir.resolve("a.txt"), "\uFEFFfirst file\n");
        Files.writeString(dir.resolve("empty.txt"), "  \n");
        Files.writeString(dir.resolve("notes.md"), "ignored");
        TextFileSource src = TextFileSource.open(dir);
        assertEquals(List.of("first file", "second file\n\nstill second", "third"), src.texts());
        assertEquals(Document.text("third"), src.get(2));
    }

    @Test
    void oneDocumentPerParagraph() throws IOException {
        Path f = dir.resolve("p.txt");
        Files.writeString(f, "one\nline two of one\n\n  \ntwo\r\n\r\nthree\n");
        TextFileSource src = TextFileSource.open(f, TextFileSource.Split.PARAGRAPH);
        assertEquals(List.of("one\nline two of one", "two", "three"), src.texts());
        assertTrue(src.describe(1).endsWith("p.txt line 5"), src.describe(1));
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path bad = dir.resolve("latin1.txt");
        Files.write(bad, new byte[] {'c', 'a', 'f', (byte) 0xE9});
        var e = assertThrows(InvalidInputException.class, () -> TextFileSource.open(bad));
        assertTrue(e.getMessage().contains("latin1.txt") && e.getMessage().contains("UTF-8"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> TextFileSource.open(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
