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
            for (int i = 0; i < list.size(); i++) {
                String prompt = list.get(i);
                PromptFamiliarity familiarity = PromptFamiliarity.of(m, prompt);
                String warning = familiarity.warning(i + 1, prompt);
                if (warning != null) {
                    terminal.err().println(warning);
                }
                ProgressBar bar = new ProgressBar(terminal, "image " + (i + 1) + "/" + list.size(), base.diffusionSteps());
                GenerationOptions o = base.seed() == null ? base : base.toBuilder().seed(base.seed() + i).build();
                GenerationResult r = m.generate(Document.text(prompt), o,
                        GenerationListener.ofDiffusion(s -> bar.update(s.step(), "")), new Cancellation());
                if (r.images().isEmpty()) {
                    throw new InvalidInputException("the model drew no image for prompt " + (i + 1) + ": " + prompt);
                }
                String name = String.format("%04d.png", i);
                ImageFiles.writePng(r.images().get(0), out.resolve(name));
                manifest.add(name + "\t" + prompt + "\t" + familiarity.column());
                // rewritten after every image: an interrupted run leaves a manifest of exactly what it drew
                Files.write(out.resolve(GeneratedFolder.MANIFEST), manifest);
                terminal.out().println(out.resolve(name) + "\t" + prompt);
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
