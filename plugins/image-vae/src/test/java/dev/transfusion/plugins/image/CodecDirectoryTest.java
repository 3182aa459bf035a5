package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged codec directories are refused, and the message names the file that is wrong. */
class CodecDirectoryTest {
    @TempDir
    Path tmp;
    Path dir;
    final ImageVaePlugin plugin = new ImageVaePlugin();

    @BeforeEach
    void save() {
        dir = tmp.resolve("vae");
        TinyVae.save(TinyVae.config4x(), dir);
        plugin.loadCodec(dir);   // intact, it loads
    }

    private void refused(String expectedInMessage) {
        PluginException e = assertThrows(PluginException.class, () -> plugin.loadCodec(dir));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void truncatedWeightFile() throws IOException {
        Path f = dir.resolve("weights/dec.out.w.npy");
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 7));
        refused(f.toString());
    }

    @Test
    void editedConfig() throws IOException {
        Path f = dir.resolve("config.json");
        Files.writeString(f, Files.readString(f).replace("\"silu\"", "\"leaky_relu\""));
        refused(f.toString());
    }

    @Test
    void wrongFormatVersion() throws IOException {
        Path f = dir.resolve("manifest.json");
        Files.writeString(f, Files.readString(f).replace("\"version\" : 1", "\"version\" : 2"));
        refused(f.toString());
        refused("version 2");
    }

    @Test
    void missingManifest() throws IOException {
        Files.delete(dir.resolve("manifest.json"));
        refused(dir.resolve("manifest.json").toString());
    }

    @Test
    void missingWeightFile() throws IOException {
        Path f = dir.resolve("weights/enc.stem.b.npy");
        Files.delete(f);
        refused(f.toString());
    }

    @Test
    void unlistedWeightFile() throws IOException {
        // rewrite the manifest without one weight's checksum: the file can no longer be trusted
        Path m = dir.resolve("manifest.json");
        String text = Files.readString(m).replaceAll("\\s*\"weights/enc\\.mid\\.b\\.npy\" : \"[0-9a-f]+\",", "");
        Files.writeString(m, text);
        refused(dir.resolve("weights/enc.mid.b.npy").toString());
    }

    @Test
    void notADirectory() {
        dir = tmp.resolve("nothing-here");
        refused(dir.toString());
    }

    @Test
    void unknownCodecKind() throws IOException {
        Path p = tmp.resolve("px");
        new PixelCodec(32, 4).save(p);
        assertInstanceOf(PixelCodec.class, plugin.loadCodec(p));
        Files.writeString(p.resolve("config.json"), "{\"codec\": \"jpeg\"}", StandardOpenOption.TRUNCATE_EXISTING);
        dir = p;
        refused(p.resolve("config.json").toString());   // the checksum no longer matches
    }
}
