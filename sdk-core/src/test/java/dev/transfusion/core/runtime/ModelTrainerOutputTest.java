package dev.transfusion.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingOptions;
import dev.transfusion.core.io.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's output directory is neither replaced by mistake nor written by two runs at once. */
class ModelTrainerOutputTest {

    private static void train(TrainingOptions o) {
        // both refusals come before the data or any plugin is looked at: no registry needed
        new ModelTrainer(o, null, null).train(TrainingListener.NONE, new Cancellation());
    }

    @Test
    void aDirectoryHoldingARunIsRefusedWithoutResumeOrOverwrite(@TempDir Path out) throws Exception {
        Files.createDirectories(out.resolve("model"));
        Files.writeString(out.resolve("model/model.json"), "{}");
        var e = assertThrows(InvalidInputException.class, () -> train(TrainingOptions.builder("shapes", out).build()));
        assertEquals(out + " already holds a training run (model/); continue it with --resume, replace it with "
                + "--overwrite, or give another --out", e.getMessage());
        assertEquals("{}", Files.readString(out.resolve("model/model.json")), "nothing was touched");
        ModelTrainer.refuseExistingRun(TrainingOptions.builder("shapes", out).overwrite(true).build());
        ModelTrainer.refuseExistingRun(TrainingOptions.builder("shapes", out).resume(true).build());
        assertThrows(InvalidInputException.class,
                () -> TrainingOptions.builder("shapes", out).resume(true).overwrite(true).build());
    }

    @Test
    void aSecondRunIntoTheSameDirectoryIsKeptOut(@TempDir Path out) {
        try (RunLock first = RunLock.acquire(out, "training run")) {
            var e = assertThrows(InvalidInputException.class, () -> train(TrainingOptions.builder("shapes", out)
                    .build()));
            assertTrue(e.getMessage().startsWith(out + " is in use by another training run (PID "
                    + ProcessHandle.current().pid()), e.getMessage());
        }
    }
}
