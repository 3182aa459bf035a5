package dev.transfusion.samples.cli;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TrainingExample;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingStep;
import dev.transfusion.api.spi.CodecTraining;
import dev.transfusion.api.spi.ContinuousModalityPlugin;
import dev.transfusion.api.spi.ModalityRegistry;
import dev.transfusion.core.plugin.DataSetRegistry;
import dev.transfusion.core.runtime.TrainingCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion train-codec --modality NAME}: trains (or, for a frozen codec, writes) a continuous modality's
 * codec through its plugin ({@link ContinuousModalityPlugin#trainCodec}), so that any plugin's codec, the audio
 * one or a third party's, is made the same way; {@code train --codec NAME=DIR} then uses it.
 */
@Command(name = "train-codec", description = {"Train (or, for a frozen codec, write) the codec of a continuous "
        + "modality through its plugin.", "train --codec NAME=DIR then uses it; train-vae remains the image VAE's "
        + "own command with all its settings."})
public final class TrainCodecCommand implements Callable<Integer> {

    @Option(names = "--modality", required = true, paramLabel = "NAME", description = "The modality, e.g. audio.")
    String modality;

    @Option(names = "--data", paramLabel = "NAME|PATH[,...]",
            description = "Training data holding parts of the modality (a data set name, a .jsonl file, ...); a frozen "
                    + "codec needs none.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The codec directory to write (new).")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: the plugin's).")
    int steps;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: the engine's).")
    int threads;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the plugin's own (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public TrainCodecCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ContinuousModalityPlugin plugin = ModalityFiles.plugin(modality);
        refuseExisting(out);
        List<Part> parts = data == null ? List.of() : parts(data, seed, modality, Transfusion.registry());
        ProgressBar bar = new ProgressBar(terminal, "train-codec " + modality, Math.max(1, steps)).showingFirstUpdate();
        plugin.trainCodec(parts, out, new CodecTraining(steps, seed, threads, settings), new TrainingListener() {
            @Override
            public void onStep(TrainingStep s) {
                bar.update(s.step(), String.format("loss %.4f,", s.totalLoss()));
            }

            @Override
            public void onNote(String note) {
                terminal.err().println("note: " + note);
            }
        });
        terminal.err().println("codec of '" + modality + "' in " + out + " (train --codec " + modality + "=" + out + ")");
        return 0;
    }

    /** The parts of {@code modality} in the training data. */
    static List<Part> parts(String data, long seed, String modality, ModalityRegistry registry) {
        List<Part> out = new ArrayList<>();
        for (TrainingExample e : TrainingCorpus.read(data, seed, DataSetRegistry.fromClassPath(), registry)) {
            List<Part> each = e instanceof TrainingExample.Pair p ? List.of(p.part())
                    : e instanceof TrainingExample.QuestionAnswer q ? List.of(q.part())
                    : ((TrainingExample.Doc) e).document().parts();
            each.stream().filter(p -> !(p instanceof TextPart) && p.modality().equals(modality)).forEach(out::add);
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("training data '" + data + "' holds no '" + modality + "' parts");
        }
        return out;
    }

    private static void refuseExisting(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new InvalidInputException("--out " + dir + " is not empty; train-codec writes a new codec "
                        + "directory, so that nothing is overwritten");
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot list --out " + dir + ": " + e.getMessage(), e);
        }
    }
}
