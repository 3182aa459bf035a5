package dev.transfusion.samples.cli;

import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfusion answer}: answers a question about one image, or about every image of a folder. */
@Command(name = "answer", description = {"Answer a question about an image (--image) or about each image of a folder "
        + "(--images; prints file TAB answer per image), or with --modality NAME --inputs DIR about each file of that "
        + "modality."})
public final class AnswerCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** One image or a folder. */
    static final class Source {
        @Option(names = "--image", paramLabel = "FILE", description = "One image.")
        Path image;

        @Option(names = "--images", paramLabel = "DIR", description = "A folder of images (manifest.tsv or every image).")
        Path folder;

        @Option(names = "--inputs", paramLabel = "DIR",
                description = "A folder of files of --modality (e.g. .wav for audio), read by its plugin.")
        Path inputs;
    }

    @Option(names = "--modality", paramLabel = "NAME", description = "The modality of --inputs (default: image).")
    String modality;

    @Option(names = "--question", required = true, paramLabel = "Q", description = "The question, e.g. 'what shape is it?'.")
    String question;

    @Mixin
    TextSampling sampling;

    @Mixin
    SeedOption seed;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public AnswerCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (question.isBlank()) {   // the server's rule (TransfusionService.answer)
            throw new InvalidInputException("--question is empty: give a question, e.g. 'what shape is it?'");
        }
        GenerationOptions options = SamplingOptions.of(sampling, null, seed);
        ModalityFiles kind = ModalityFiles.of(source.inputs != null ? modality : null);
        Path folder = source.inputs != null ? source.inputs : source.folder;
        List<Path> files = source.image != null ? List.of(source.image)
                : kind.list(folder, source.inputs != null ? "--inputs" : "--images");
        try (TransfusionModel m = Transfusion.load(model)) {
            int side = Integer.parseInt(m.info().config().getOrDefault("image_size", "32"));
            for (Path f : files) {
                String answer = m.answer(kind.read(f, side), question, options, new Cancellation());
                terminal.out().println(source.image != null ? answer : folder.relativize(f) + "\t" + answer);
                terminal.out().flush();
            }
        }
        return 0;
    }
}
