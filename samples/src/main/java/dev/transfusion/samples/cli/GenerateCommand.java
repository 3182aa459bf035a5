package dev.transfusion.samples.cli;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Mode;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code transfusion generate}: draws one image (or one part of another continuous modality) per prompt into
 * NNNN.png (NNNN.wav, ...) files with a manifest.tsv.
 */
@Command(name = "generate", description = {"Draw an image (or, with --modality, a part of another modality) for each "
        + "prompt.",
    "Writes OUT/0000.png, OUT/0001.png, ... (0000.wav for audio) and OUT/manifest.tsv (file TAB prompt TAB the "
            + "prompt's perplexity under the model, in prompt order).",
    "A prompt far from the texts the model was trained on gets a warning line on stderr."})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompts prompts;

    /** One of the two ways to give prompts. */
    static final class Prompts {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "A prompt (repeatable).")
        List<String> text;

        @Option(names = "--prompt-file", paramLabel = "FILE", description = "A file of prompts, one per line.")
        Path file;
    }

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the images go.")
    Path out;

    @Option(names = "--modality", paramLabel = "NAME",
            description = "The continuous modality to draw, e.g. audio (default: image); its plugin writes the files.")
    String modality;

    @Mixin
    DiffusionSampling sampling;

    @Mixin
    SeedOption seed;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public GenerateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        List<String> list = prompts.text != null ? prompts.text : readPrompts(prompts.file);
        for (String p : list) {
            PromptRule.check("--prompt", p);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InvalidInputException("--out " + out + " is a file; expected a folder (new or from an earlier "
                    + "generate) for the images and manifest.tsv");
        }
        ModalityFiles files = ModalityFiles.of(modality);
        GenerationOptions base = SamplingOptions.of(null, sampling, seed).toBuilder().mode(Mode.IMAGE)
                .modality(files.modality()).maxTokens(1).build();
        List<String> manifest = new ArrayList<>();
        try (TransfusionModel m = Transfusion.load(model)) {
            Files.createDirectories(out);
            GeneratedFolder.clear(out);
            // several prompts at a time through generateAll: an engine that batches runs them together, the same
            // results a seed as one by one (prompt i gets seed + i either way)
            int chunk = list.size() == 1 ? 1 : CHUNK;
            ProgressBar bar = new ProgressBar(terminal, files.modality() + (chunk == 1 ? "" : "s"),
                    chunk == 1 ? base.diffusionSteps() : list.size());
            for (int from = 0; from < list.size(); from += chunk) {
                int to = Math.min(list.size(), from + chunk);
                List<PromptFamiliarity> familiarity = new ArrayList<>();
                List<Document> prompts = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    PromptFamiliarity f = PromptFamiliarity.of(m, list.get(i));
                    String warning = f.warning(i + 1, list.get(i));
                    if (warning != null) {
                        terminal.err().println(warning);
                    }
                    familiarity.add(f);
                    prompts.add(Document.text(list.get(i)));
                }
                GenerationOptions o = GenerationOptions.forPrompt(base, from);
                List<GenerationResult> results = chunk == 1
                        ? List.of(m.generate(prompts.get(0), o, GenerationListener.ofDiffusion(s -> bar.update(s.step(), "")),
                                new Cancellation()))
                        : m.generateAll(prompts, o);
                for (int i = from; i < to; i++) {
                    GenerationResult r = results.get(i - from);
                    if (r.parts(files.modality()).isEmpty()) {
                        throw new InvalidInputException("the model drew no " + files.modality() + " for prompt "
                                + (i + 1) + ": " + list.get(i));
                    }
                    String name = String.format("%04d.%s", i, files.extension());
                    files.write(r.parts(files.modality()).get(0), out.resolve(name));
                    manifest.add(name + "\t" + list.get(i) + "\t" + familiarity.get(i - from).column());
                    terminal.out().println(out.resolve(name) + "\t" + list.get(i));
                }
                // rewritten after every chunk: an interrupted run leaves a manifest of exactly what it drew
                Files.write(out.resolve(GeneratedFolder.MANIFEST), manifest);
                if (chunk > 1) {
                    bar.update(to, "");
                }
            }
        }
        return 0;
    }

    /** Prompts sent together: the server's default batch. */
    static final int CHUNK = 16;

    private static List<String> readPrompts(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (lines.isEmpty()) {
                throw new InvalidInputException("--prompt-file " + file + " holds no prompts");
            }
            return lines;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read --prompt-file " + file + ": " + e.getMessage(), e);
        }
    }
}
