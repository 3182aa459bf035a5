package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.core.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during {@code train}, then {@code train --resume}: the checkpoint on disk is valid, and the resumed
 * run starts at the step after it (losing only the steps since) and finishes the model. The first run is a child
 * JVM so that it can be killed without warning; the tiny preset on eight short texts keeps it to seconds.
 */
class KillResumeTest {
    private static final int STEPS = 24;
    private static final int EVERY = 3;
    private static final Pattern FIRST_STEP = Pattern.compile("train (\\d+)/" + STEPS + " ");

    @TempDir
    Path dir;

    private List<String> trainArgs(Path run) {
        return List.of("train", "--data", dir.resolve("texts").toString(), "--out", run.toString(), "--preset", "tiny",
                "--steps", String.valueOf(STEPS), "--batch", "2", "--warmup", "1",
                "--checkpoint-every", String.valueOf(EVERY));
    }

    @Test
    void aKilledRunResumesFromItsLastCheckpoint() throws Exception {
        Path texts = Files.createDirectories(dir.resolve("texts"));
        String[] colours = {"red", "green", "blue", "yellow"};
        for (int i = 0; i < 8; i++) {
            Files.writeString(texts.resolve(i + ".txt"), "a " + colours[i % 4] + " circle above a square");
        }
        Path run = dir.resolve("run");
        Path checkpoint = run.resolve("checkpoint");
        Path log = dir.resolve("first-run.log");

        Process first = new ProcessBuilder(command(trainArgs(run))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (savedStep(checkpoint) < EVERY) {
                if (!first.isAlive()) {
                    fail("training ended before its first checkpoint (exit " + first.exitValue() + "):\n"
                            + Files.readString(log));
                }
                if (System.nanoTime() > end) {
                    fail("no checkpoint after 180 s:\n" + Files.readString(log));
                }
                Thread.sleep(20);
            }
        } finally {
            first.destroyForcibly();   // SIGKILL: no shutdown hook, no last checkpoint
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the killed run is gone");
        }
        assertFalse(Files.exists(run.resolve("model/manifest.json")), "killed before the end:\n" + Files.readString(log));

        // what kill -9 left must load as it is: every file checked against the manifest
        long saved = Checkpoint.read(checkpoint).state().step();
        assertTrue(saved >= EVERY && saved % EVERY == 0 && saved < STEPS, "checkpointed step " + saved);

        List<String> resume = new ArrayList<>(trainArgs(run));
        resume.add("--resume");
        var r = TransfusionCliTest.run("", resume.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Matcher m = FIRST_STEP.matcher(r.err());
        assertTrue(m.find(), r.err());
        assertEquals(saved + 1, Long.parseLong(m.group(1)), "the resumed run's first step follows the checkpoint:\n"
                + r.err());
        assertTrue(r.err().contains("train " + STEPS + "/" + STEPS + " "), r.err());
        assertEquals(STEPS, Checkpoint.read(checkpoint).state().step());
        assertTrue(Files.exists(run.resolve("model/manifest.json")), "the resumed run wrote the model");
    }

    /**
     * The step of the checkpoint on disk, or -1 while there is none; cheap (one small JSON file), so that the
     * poll keeps up with the child. A directory holding manifest.json is complete: it is renamed into place whole.
     */
    private static long savedStep(Path checkpoint) {
        try {
            if (!Files.exists(checkpoint.resolve("manifest.json"))) {
                return -1;
            }
            return new ObjectMapper().readTree(checkpoint.resolve("training-state.json").toFile()).path("step").asLong(-1);
        } catch (IOException e) {
            return -1;   // caught between the two renames of a write: look again
        }
    }

    /** The command line in a child JVM with this JVM's class path and native-library settings. */
    static List<String> command(List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.add("-Xmx1g");
        for (String p : List.of("org.bytedeco.javacpp.platform.extension", "org.bytedeco.javacpp.maxbytes",
                "org.slf4j.simpleLogger.defaultLogLevel")) {
            String v = System.getProperty(p);
            if (v != null) {
                c.add("-D" + p + "=" + v);
            }
        }
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), TransfusionCli.class.getName()));
        c.addAll(args);
        return c;
    }
}
