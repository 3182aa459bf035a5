package dev.transfusion.samples.cli;

import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.plugins.image.ImageFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code transfusion caption}: describes every image of a folder. */
@Command(name = "caption", description = {"Caption every image of a folder (those its manifest.tsv lists, or every "
        + "PNG/JPEG).", "Prints file TAB caption, one line per image."})
public final class CaptionCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A trained model directory.")
    Path model;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "The folder of images.")
    Path images;

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
        var files = ImageListing.of(images);
        try (TransfusionModel m = Transfusion.load(model)) {
            int side = Integer.parseInt(m.info().config().getOrDefault("image_size", "32"));
            for (Path f : files) {
                String caption = m.caption(ImageFiles.read(f, side), SamplingOptions.of(sampling, null, seed));
                terminal.out().println(images.relativize(f) + "\t" + caption);
                terminal.out().flush();
            }
        }
        return 0;
    }
}
