package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TextPart;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interleaved documents from a JSON-lines file. */
class JsonlDocumentSourceTest {
    @TempDir
    Path dir;

    Path write(String... lines) throws IOException {
        Path f = dir.resolve("docs.jsonl");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void interleavedPartsLoadInOrder() throws IOException {
        ImageFolderSourceTest.png(dir.resolve("img/cat.png"), 2, 2, BufferedImage.TYPE_INT_RGB, 0x28AA46);
        Path f = write("{\"parts\": [{\"text\": \"a cat\"}, {\"image\": \"img/cat.png\"}, {\"text\": \"on a mat\"}]}",
                "{\"parts\": [{\"text\": \"just text\"}]}");
        JsonlDocumentSource src = JsonlDocumentSource.open(f);
        assertEquals(2, src.size());
        Document d = src.get(0);
        assertEquals(3, d.parts().size());
        assertEquals(new TextPart("a cat"), d.parts().get(0));
        assertEquals(0x28AA46, ((ImagePart) d.parts().get(1)).image().pixel(1, 1));
        assertEquals(new TextPart("on a mat"), d.parts().get(2));
        assertEquals(Document.text("just text"), src.get(1));
        assertTrue(src.describe(1).endsWith("docs.jsonl line 2"));
    }

    private void refused(String line, String... named) throws IOException {
        Path f = write("{\"parts\": []}", line);
        var e = assertThrows(InvalidInputException.class, () -> JsonlDocumentSource.open(f));
        assertTrue(e.getMessage().contains("docs.jsonl line 2"), e.getMessage());
        for (String n : named) {
            assertTrue(e.getMessage().contains(n), "'" + e.getMessage() + "' should name " + n);
        }
    }

    @Test
    void badLinesAreNamed() throws IOException {
        refused("{\"parts\": [", "not valid JSON");
        refused("{\"text\": \"x\"}", "missing field 'parts'");
        refused("{\"parts\": [{\"text\": \"x\", \"image\": \"y.png\"}]}", "part 0", "exactly one of");
        refused("{\"parts\": [{\"text\": \"x\"}, {\"audio\": \"y.wav\"}]}", "part 1", "exactly one of");
        refused("{\"parts\": [{\"image\": \"../secret.png\"}]}", "'../secret.png'", "escapes the folder");
        refused("{\"parts\": [{\"image\": \"/etc/passwd\"}]}", "escapes the folder");
        refused("{\"parts\": [{\"image\": \"absent.png\"}]}", "absent.png", "does not exist");
    }
}
