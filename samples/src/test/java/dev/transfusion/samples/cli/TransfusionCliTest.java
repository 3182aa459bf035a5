package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line run in-process with captured streams: exit codes, usage, errors and tokenize. */
class TransfusionCliTest {

    @TempDir
    static Path dir;

    /** A tokenizer trained through the API and saved, as a user would have one. */
    static Path tokenizerDir;

    @BeforeAll
    static void saveTokenizer() {
        Tokenizer tokenizer = Transfusion.registry().discrete("text").trainTokenizer(List.of(
                "the quick brown fox jumps over the lazy dog",
                "a lazy dog sleeps; the brown fox runs",
                "Grüße aus Köln, 世界 🌍"), 300, List.of());
        tokenizerDir = dir.resolve("tokenizer");
        tokenizer.save(tokenizerDir);
    }

    /** What one run of the command line did. */
    record Result(int exit, String out, String err) {
    }

    static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TransfusionCli.run(Terminal.of(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheCommandsOnStdout() {
        Result r = run("", "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Usage: transfusion"), r.out());
        assertTrue(r.out().contains("tokenize"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void versionNamesTheBuildAndTheEngine() {
        Result r = run("", "--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("transfusion " + VersionInfo.buildVersion()), r.out());
        assertFalse(r.out().contains("unknown"), "version.properties is filtered at build time: " + r.out());
        assertTrue(r.out().contains("engine: sdk-core"), r.out());
    }

    @Test
    void everyCommandHasHelp() {
        CommandLine cli = TransfusionCli.commandLine(Terminal.of(InputStream.nullInputStream(), System.out, System.err));
        for (String name : cli.getSubcommands().keySet()) {
            Result r = run("", name, "--help");
            assertEquals(0, r.exit(), name + " --help: " + r.err());
            assertTrue(r.out().contains("Usage: transfusion " + name), name + " --help: " + r.out());
        }
    }

    @Test
    void pluginsListsEveryModalityWithItsKindTokensAndJar() {
        Result r = run("", "plugins");
        assertEquals(0, r.exit(), r.err());
        java.util.List<String> lines = r.out().lines().toList();
        assertEquals("modality\tkind\tversion\ttokens\tloaded from", lines.get(0));
        java.util.Map<String, String[]> rows = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            rows.put(f[0], f);
        }
        assertEquals(java.util.Set.of("audio", "image", "text"), rows.keySet(), r.out());
        assertEquals("continuous", rows.get("audio")[1]);
        assertEquals("<boa> <eoa>", rows.get("audio")[3]);
        assertEquals("discrete", rows.get("text")[1]);
        assertTrue(rows.get("audio")[4].contains("audio"), "where the audio plugin came from: " + rows.get("audio")[4]);
    }

    @Test
    void aPluginDirectoryThatDoesNotExistIsOneErrorLine() {
        try {
            Result r = run("", "--plugins", "/nonexistent-plugins", "plugins");
            assertEquals(1, r.exit());
            assertEquals("error: plugin directory /nonexistent-plugins (from --plugins, -Dtransfusion.plugins or "
                    + "TRANSFUSION_PLUGINS) does not exist or is not a directory", r.err().strip());
        } finally {
            System.clearProperty(dev.transfusion.core.plugin.PluginDiscovery.PROPERTY);
        }
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = run("", "frobnicate");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("frobnicate"), r.err());
        assertTrue(r.err().contains("Usage: transfusion"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        Result r = run("");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Usage: transfusion"), r.err());
    }

    @Test
    void badFlagIsAUsageError() {
        Result r = run("", "tokenize", "--tokenizer", tokenizerDir.toString(), "--no-such-flag");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--no-such-flag"), r.err());
        assertTrue(r.err().contains("Usage: transfusion tokenize"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Result r = run("hello", "tokenize");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--tokenizer"), r.err());
    }

    @Test
    void tokenizeThenDecodeGivesBackTheInput() {
        String text = "the lazy fox sleeps over Köln 🌍\nand a second line\n";
        Result encoded = run(text, "tokenize", "--tokenizer", tokenizerDir.toString());
        assertEquals(0, encoded.exit(), encoded.err());
        assertTrue(encoded.out().matches("\\d+( \\d+)*\n"), "ids separated by spaces: " + encoded.out());

        Result decoded = run(encoded.out(), "tokenize", "--tokenizer", tokenizerDir.toString(), "--decode");
        assertEquals(0, decoded.exit(), decoded.err());
        assertEquals(text, decoded.out());
        assertEquals("", decoded.err());
    }

    @Test
    void tokenizeReadsTheTokenizerFileToo() {
        Path file = tokenizerDir.resolve("tokenizer.json");
        Result fromFile = run("the brown dog", "tokenize", "--tokenizer", file.toString());
        Result fromDir = run("the brown dog", "tokenize", "--tokenizer", tokenizerDir.toString());
        assertEquals(0, fromFile.exit(), fromFile.err());
        assertEquals(fromDir.out(), fromFile.out());
    }

    @Test
    void missingTokenizerIsOneErrorLineNamingThePath() {
        Path missing = dir.resolve("no-such-tokenizer");
        Result r = run("hello", "tokenize", "--tokenizer", missing.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void verboseAddsTheStackTraceBeforeOrAfterTheCommand() {
        Path missing = dir.resolve("no-such-tokenizer");
        Result after = run("", "tokenize", "--tokenizer", missing.toString(), "--verbose");
        Result before = run("", "--verbose", "tokenize", "--tokenizer", missing.toString());
        for (Result r : List.of(after, before)) {
            assertEquals(1, r.exit());
            assertTrue(r.err().startsWith("error: "), r.err());
            assertTrue(r.err().contains("\tat dev.transfusion."), r.err());
        }
    }

    @Test
    void decodeRejectsWordsThatAreNotIds() {
        Result r = run("12 7 seven", "tokenize", "--tokenizer", tokenizerDir.toString(), "--decode");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: --decode reads token ids"), r.err());
        assertTrue(r.err().contains("'seven'"), r.err());
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        Result r = run("1 99999", "tokenize", "--tokenizer", tokenizerDir.toString(), "--decode");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("99999"), r.err());
    }

    @Test
    void idsMayComeAsAList() {
        assertArrayEquals(new int[] {1, 2, 3}, TokenizeCommand.parseIds("[1, 2,3]\n"));
        assertArrayEquals(new int[] {4, 5}, TokenizeCommand.parseIds("  4\n5  "));
        assertArrayEquals(new int[0], TokenizeCommand.parseIds(" \n"));
        assertThrows(InvalidInputException.class, () -> TokenizeCommand.parseIds("1 2.5"));
    }
}
