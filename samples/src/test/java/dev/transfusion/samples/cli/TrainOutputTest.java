package dev.transfusion.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.core.io.RunLock;
import dev.transfusion.samples.cli.TransfusionCliTest.Result;
import dev.transfusion.testing.TinyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} never replaces a finished run by mistake, and two runs never share an output directory. */
class TrainOutputTest {

    @Test
    void trainIntoADirectoryHoldingARunIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Path model = TinyModel.write(out);   // out/model: a finished run's model
        byte[] before = Files.readAllBytes(model.resolve("manifest.json"));
        Result r = TransfusionCliTest.run("", "train", "--data", "shapes", "--out", out.toString(), "--steps", "1");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(out + " already holds a training run (model/); continue it with --resume, "
                + "replace it with --overwrite"), r.err());
        assertEquals(new String(before), Files.readString(model.resolve("manifest.json")), "the model is untouched");
    }

    @Test
    void aSecondConcurrentRunIsKeptOut(@TempDir Path dir) {
        Path out = dir.resolve("run");
        try (RunLock held = RunLock.acquire(out, "training run")) {   // as a first `train` holds it
            Result r = TransfusionCliTest.run("", "train", "--data", "shapes", "--out", out.toString(), "--steps", "1");
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains(out + " is in use by another training run (PID "
                    + ProcessHandle.current().pid()), r.err());
        }
    }
}
