package dev.transfusion.samples.cli;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.core.CpuBackend;
import dev.transfusion.plugins.image.ImageFiles;
import dev.transfusion.plugins.image.ReconstructionQuality;
import dev.transfusion.plugins.image.VaeCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code transfusion vae-roundtrip}: encodes and decodes every image of a folder through a codec and writes
 * the reconstructions under the same names (so a {@code manifest.tsv} or {@code metadata.jsonl}, copied
 * along, still describes them), then prints the mean PSNR against the originals fitted to the codec's size.
 */
@Command(
        name = "vae-roundtrip",
        description = {
            "Encode and decode every image of a folder through an image codec and print the mean PSNR.",
            "Writes the reconstructions under the same names and copies manifest.tsv / metadata.jsonl along."
        })
public final class VaeRoundtripCommand implements Callable<Integer> {
    private static final List<String> LISTINGS = List.of("manifest.tsv", "metadata.jsonl");

    @Option(names = "--vae", required = true, paramLabel = "DIR", description = "A codec directory (from train-vae).")
    Path vae;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "A folder of .png/.jpg images.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the reconstructions go.")
    Path out;

    private final Terminal terminal;

    /** The command, writing through {@code terminal}. */
    public VaeRoundtripCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        List<Path> files = ImageFiles.list(images);
        if (images.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new InvalidInputException("--out must differ from --images: the reconstructions would overwrite "
                    + "the originals");
        }
        CpuBackend.preferOneDnn();
        CpuBackend.limitThreads(1);
        LatentCodec codec = Transfusion.registry().continuous(ImagePart.MODALITY).loadCodec(vae);
        double psnr = 0;
        ProgressBar bar = new ProgressBar(terminal, "vae-roundtrip", files.size());
        for (int from = 0; from < files.size(); from += 64) {
            List<Path> chunk = files.subList(from, Math.min(files.size(), from + 64));
            List<RgbImage> originals = new ArrayList<>();
            for (Path f : chunk) {
                originals.add(ImageFiles.read(f));
            }
            List<RgbImage> rebuilt = reconstruct(codec, originals);
            for (int i = 0; i < chunk.size(); i++) {
                RgbImage r = rebuilt.get(i);
                psnr += ReconstructionQuality.psnr(ImageFiles.fit(originals.get(i), r.width()), r);
                ImageFiles.write(r, out.resolve(chunk.get(i).getFileName().toString()));
            }
            bar.update(Math.min(files.size(), from + 64), "images");
        }
        for (String listing : LISTINGS) {
            copyIfPresent(images.resolve(listing), out.resolve(listing));
        }
        terminal.out().printf(Locale.ROOT, "mean PSNR %.2f dB over %d images; reconstructions in %s%n",
                psnr / files.size(), files.size(), out);
        terminal.out().flush();
        return 0;
    }

    private static List<RgbImage> reconstruct(LatentCodec codec, List<RgbImage> originals) {
        if (codec instanceof VaeCodec vaeCodec) {
            return vaeCodec.reconstruct(originals);    // batched: one graph call for the chunk
        }
        List<RgbImage> out = new ArrayList<>();
        for (RgbImage img : originals) {
            out.add(((ImagePart) codec.decode(codec.encode(new ImagePart(img)))).image());
        }
        return out;
    }

    private static void copyIfPresent(Path from, Path to) {
        if (Files.isRegularFile(from)) {
            try {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
            }
        }
    }
}
