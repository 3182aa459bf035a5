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
import dev.transfusion.plugins.image.ImageFiles;
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

/** {@code transfusion generate}: draws one image per prompt into NNNN.png files with a manifest.tsv. */
@Command(name = "generate", description = {"Draw an image for each prompt.",
    "Writes OUT/0000.png, OUT/0001.png, ... and OUT/manifest.tsv (file TAB prompt TAB the prompt's perplexity under "
            + "the model, in prompt order).",
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

    @Mixin
    DiffusionSampling sampling;

    @Mixin
    SeedOption seed;

    /** Prompts drawn together: the engine's default batch. */
    private static final int CHUNK = 16;

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
        GenerationOptions base = SamplingOptions.of(null, sampling, seed).toBuilder().mode(Mode.IMAGE).maxTokens(1).build();
        List<String> manifest = new ArrayList<>();
        try (TransfusionModel m = Transfusion.load(model)) {
            Files.createDirectories(out);
            GeneratedFolder.clear(out);
            // prompts go to the model CHUNK at a time (generateAll: a batching engine draws them together);
            // the manifest is rewritten after every chunk, so an interrupted run leaves exactly what it drew
            for (int from = 0; from < list.size(); from += CHUNK) {
                int to = Math.min(list.size(), from + CHUNK);
                List<String> columns = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    PromptFamiliarity familiarity = PromptFamiliarity.of(m, list.get(i));
                    String warning = familiarity.warning(i + 1, list.get(i));
                    if (warning != null) {
                        terminal.err().println(warning);
                    }
                    columns.add(familiarity.column());
                }
                GenerationOptions o = base.seed() == null ? base : base.toBuilder().seed(base.seed() + from).build();
                List<GenerationResult> drawn;
                if (to - from == 1) {
                    ProgressBar bar = new ProgressBar(terminal, "image " + to + "/" + list.size(), base.diffusionSteps());
                    drawn = List.of(m.generate(Document.text(list.get(from)), o,
                            GenerationListener.ofDiffusion(s -> bar.update(s.step(), "")), new Cancellation()));
                } else {
                    drawn = m.generateAll(list.subList(from, to).stream().map(Document::text).toList(), o);
                }
                for (int i = from; i < to; i++) {
                    GenerationResult r = drawn.get(i - from);
                    String prompt = list.get(i);
                    if (r.images().isEmpty()) {
                        throw new InvalidInputException("the model drew no image for prompt " + (i + 1) + ": " + prompt);
                    }
                    String name = String.format("%04d.png", i);
                    ImageFiles.writePng(r.images().get(0), out.resolve(name));
                    manifest.add(name + "\t" + prompt + "\t" + columns.get(i - from));
                    terminal.out().println(out.resolve(name) + "\t" + prompt);
                }
                Files.write(out.resolve(GeneratedFolder.MANIFEST), manifest);
            }
        }
        return 0;
    }

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
