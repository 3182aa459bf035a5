package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.testing.TinyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line prints and leaves behind on good input: outputs, flags per command, seeds. */
class CliOutputTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() {
        model = TinyModel.write(dir.resolve("tiny"));
    }

    @Test
    void generatingAgainRemovesTheImagesOfTheEarlierRunOnly() throws IOException {
        Path out = dir.resolve("again");
        var first = TransfusionCliTest.run("", "generate", "--model", model.toString(), "--out", out.toString(),
                "--steps", "2", "--prompt", "a circle", "--prompt", "a square", "--prompt", "a triangle");
        assertEquals(0, first.exit(), first.err());
        Files.writeString(out.resolve("notes.txt"), "mine");
        Files.writeString(out.resolve("0007.png"), "not listed, not ours to remove");
        var second = TransfusionCliTest.run("", "generate", "--model", model.toString(), "--out", out.toString(),
                "--steps", "2", "--prompt", "a circle");
        assertEquals(0, second.exit(), second.err());
        assertEquals(List.of("0000.png\ta circle"), Files.readAllLines(out.resolve("manifest.tsv")).stream()
                .map(l -> l.substring(0, l.lastIndexOf('\t'))).toList());   // less the perplexity column
        assertTrue(Files.exists(out.resolve("0000.png")));
        assertFalse(Files.exists(out.resolve("0001.png")), "stale image of the first run");
        assertFalse(Files.exists(out.resolve("0002.png")), "stale image of the first run");
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertTrue(Files.exists(out.resolve("0007.png")), "a file the manifest did not list stays");
    }

    @Test
    void completeEndsItsTextWhereTheModelWouldBeginAnImage() {
        Path eager = TinyModel.write(dir.resolve("image-first"), true);
        var r = TransfusionCliTest.run("", "complete", "--model", eager.toString(), "--prompt", "a red circle",
                "--max-tokens", "8");
        assertEquals(0, r.exit(), r.err());
        assertEquals("\n", r.out(), "no text: the model's first token begins an image");
        // text-only mode banned that token: the model went on writing the next caption into this one
        assertTrue(r.err().contains("finished: end of text (the model began an image, which complete does not "
                + "draw), 1 tokens"), r.err());
    }

    @Test
    void eachCommandListsOnlyTheSamplingFlagsItUses() {
        for (String command : List.of("complete", "caption", "answer")) {
            String help = TransfusionCliTest.run("", command, "--help").out();
            assertTrue(help.contains("--temperature"), command + ": " + help);
            for (String flag : List.of("--steps", "--sampler", "--guidance")) {
                assertFalse(help.contains(flag), command + " draws no image but lists " + flag + ": " + help);
            }
        }
        String generate = TransfusionCliTest.run("", "generate", "--help").out();
        assertTrue(generate.contains("--sampler") && generate.contains("--seed"), generate);
        assertFalse(generate.contains("--temperature") || generate.contains("--top-p"), generate);
        // eval reads greedily and seeds sample i with i: only the image flags change what it does
        String eval = TransfusionCliTest.run("", "eval", "--help").out();
        assertTrue(eval.contains("--sampler") && eval.contains("--guidance"), eval);
        assertFalse(eval.contains("--temperature") || eval.contains("--seed"), eval);
    }

    @Test
    void aSeedPrintsUnsignedAsTheProtoDeclaresIt() {
        var r = TransfusionCliTest.run("", "complete", "--model", model.toString(), "--prompt", "a red",
                "--max-tokens", "1", "--seed", "18446744073709551615");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("seed 18446744073709551615"), r.err());
    }

    @Test
    void evalWritesBesideTheModelIntoANewFolderNotOverTheDemosReport() throws IOException {
        Path parent = Files.createDirectories(dir.resolve("evals"));
        var now = java.time.LocalDateTime.of(2026, 12, 1, 9, 45, 3);
        Path first = EvalCommand.freshFolder(parent, now);
        assertEquals(parent.resolve("eval-20261201-094503"), first);
        Files.createDirectories(first);
        assertEquals(parent.resolve("eval-20261201-094503-2"), EvalCommand.freshFolder(parent, now));
        String help = TransfusionCliTest.run("", "eval", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("default: a new folder eval-YYYYMMDD-HHMMSS beside the model"), help);
    }
}
