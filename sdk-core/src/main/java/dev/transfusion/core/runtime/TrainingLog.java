package dev.transfusion.core.runtime;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.TrainingListener;
import dev.transfusion.api.TrainingStep;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code OUT/training-log.tsv}: one line per optimizer step (step, losses, gradient norm, learning rate, tokens,
 * milliseconds), so that a report can draw the training curve and sum the training time. A resumed run keeps the
 * lines up to its checkpoint and drops those a killed run wrote after it, so each step appears once.
 */
public final class TrainingLog implements AutoCloseable {
    /** The file name inside the training output directory. */
    public static final String FILE = "training-log.tsv";
    static final String HEADER = "step\ttotal_loss\tlm_loss\tddpm_loss\tgrad_norm\tlearning_rate\ttokens\tmillis"
            + "\tddpm_by_modality";

    private final BufferedWriter out;

    private TrainingLog(BufferedWriter out) {
        this.out = out;
    }

    /** A log in {@code dir}: new, or on resume the existing one cut after {@code resumedStep}. */
    static TrainingLog open(Path dir, long resumedStep) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            List<String> kept = new ArrayList<>(List.of(HEADER));
            if (resumedStep > 0 && Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int tab = line.indexOf('\t');
                    if (tab > 0 && Character.isDigit(line.charAt(0)) && Long.parseLong(line.substring(0, tab)) <= resumedStep) {
                        kept.add(line);
                    }
                }
            }
            Files.write(file, kept, StandardCharsets.UTF_8);
            return new TrainingLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
        } catch (IOException | NumberFormatException e) {
            throw new InvalidInputException("cannot write the training log " + file + ": " + e, e);
        }
    }

    /** {@code listener}, with each step also written here. */
    TrainingListener around(TrainingListener listener) {
        return new TrainingListener() {
            @Override
            public void onStep(TrainingStep s) {
                write(s);
                listener.onStep(s);
            }

            @Override
            public void onNote(String note) {
                listener.onNote(note);
            }
        };
    }

    private void write(TrainingStep s) {
        try {
            StringBuilder each = new StringBuilder();   // "audio=0.0456,image=0.0123": each modality's DDPM loss
            new java.util.TreeMap<>(s.ddpmLosses()).forEach((name, v) -> each.append(each.length() == 0 ? "" : ",")
                    .append(name).append('=').append(String.format(Locale.ROOT, "%.6f", v)));
            out.write(String.format(Locale.ROOT, "%d\t%.6f\t%.6f\t%.6f\t%.4f\t%.6g\t%d\t%.1f\t%s%n", s.step(),
                    s.totalLoss(), s.lmLoss(), s.ddpmLoss(), s.gradNorm(), s.learningRate(), s.tokens(), s.millis(), each));
            out.flush();   // a killed run keeps what it logged
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the training log: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the training log: " + e.getMessage(), e);
        }
    }
}
