package dev.transfusion.samples.cli;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfusion caption}: describes every image (or part of another continuous modality) of a folder. */
@Command(name = "caption", description = {"Caption every image of a folder (those its manifest.tsv lists, or every "
        + "PNG/JPEG).", "With --modality NAME --inputs DIR: every file of that modality (.wav for audio).",
        "Prints file TAB caption, one line per file."})
public final class CaptionCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    /** A folder of images or of another modality's files. */
    static final class Inputs {
        @Option(names = "--images", paramLabel = "DIR", description = "The folder of images.")
        Path images;

        @Option(names = "--inputs", paramLabel = "DIR",
                description = "A folder of files of --modality (e.g. .wav for audio), read by its plugin.")
        Path files;

        Path folder() {
            return images != null ? images : files;
        }
    }

    @Option(names = "--modality", paramLabel = "NAME", description = "The modality of --inputs (default: image).")
    String modality;

    @Mixin
    TextSampling sampling;

    @Mixin
    SeedOption seed;

    private final Terminal terminal;

    /** The command on {@code terminal}. */
    public CaptionCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        ModalityFiles kind = ModalityFiles.of(inputs.images != null ? null : modality);
        Path folder = inputs.folder();
        var files = kind.list(folder, inputs.images != null ? "--images" : "--inputs");
        try (TransfusionModel m = Transfusion.load(model)) {
            int side = Integer.parseInt(m.info().config().getOrDefault("image_size", "32"));
            for (Path f : files) {
                String caption = m.caption(kind.read(f, side), SamplingOptions.of(sampling, null, seed), new Cancellation());
                terminal.out().println(folder.relativize(f) + "\t" + caption);
                terminal.out().flush();
            }
        }
        return 0;
    }
}
