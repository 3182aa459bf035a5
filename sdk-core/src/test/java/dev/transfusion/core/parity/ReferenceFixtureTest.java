package dev.transfusion.core.parity;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the reference's fixture directories (the parity run itself is samples' ParityTest). */
class ReferenceFixtureTest {

    static Path tinyFixture() throws Exception {
        return Path.of(ReferenceFixtureTest.class.getResource("/fixtures/tiny/config.json").toURI()).getParent();
    }

    @Test
    void aFixtureWithAWrongShapeIsRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        Path src = tinyFixture();
        try (var files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
        }
        // claim a wider model than the arrays hold
        String cfg = Files.readString(tmp.resolve("config.json")).replace("\"dim\": 32", "\"dim\": 48");
        Files.writeString(tmp.resolve("config.json"), cfg);
        var e = assertThrows(InvalidInputException.class, () -> ReferenceFixture.read(tmp));
        assertTrue(e.getMessage().contains("param.tok_embeddings.weight.npy"), e.getMessage());
        assertTrue(e.getMessage().contains("[64, 48]"), e.getMessage());
    }
}
