package dev.transfusion.samples.shapes;

import dev.transfusion.api.RgbImage;
import dev.transfusion.core.CpuBackend;
import dev.transfusion.datasets.shapes.ShapeAttributes;
import dev.transfusion.datasets.shapes.ShapesJudge;
import dev.transfusion.plugins.image.VaeCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: measures how many drawings of the independent renderer a trained shapes VAE keeps (all four
 * attributes read by the judge after the round trip), per drawing style. Arguments: CODEC_DIR [COUNT [SEED]].
 * Run on the samples test class path; one native thread.
 */
final class ShapesVaeProbe {
    public static void main(String[] args) {
        CpuBackend.limitThreads(1);
        VaeCodec codec = VaeCodec.load(Path.of(args[0]));
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 2026;
        SpecShapesRenderer renderer = new SpecShapesRenderer(codec.config().imageSize() / 32);
        for (boolean aa : new boolean[] {true, false}) {
            for (boolean sub : new boolean[] {true, false}) {
                SpecShapesRenderer.Style style = new SpecShapesRenderer.Style(aa, sub);
                List<RgbImage> images = new ArrayList<>();
                List<ShapeAttributes> truth = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    SpecShapesRenderer.Drawing d = renderer.draw(seed, i, style);
                    images.add(d.image());
                    truth.add(d.attributes());
                }
                List<RgbImage> back = codec.reconstruct(images);
                int readOriginal = 0, kept = 0, keptOfRead = 0;
                java.util.Map<String, Integer> lost = new java.util.TreeMap<>();
                for (int i = 0; i < n; i++) {
                    boolean orig = ShapesJudge.judgeImage(images.get(i), truth.get(i)).all();
                    boolean rec = ShapesJudge.judgeImage(back.get(i), truth.get(i)).all();
                    if (orig && !rec) {
                        var r = ShapesJudge.read(back.get(i));
                        ShapeAttributes t = truth.get(i);
                        String what = r == null ? "no ink" : t.size() + " " + t.kind() + " read as " + r.attributes().size()
                                + " " + r.attributes().kind() + (r.attributes().colour() != t.colour() ? " colour" : "")
                                + (r.attributes().position() != t.position() ? " position" : "");
                        lost.merge(what, 1, Integer::sum);
                    }
                    readOriginal += orig ? 1 : 0;
                    kept += rec ? 1 : 0;
                    keptOfRead += orig && rec ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "%-40s originals read %.4f, round trip kept %.4f (%d/%d), of those "
                        + "read %.4f%n", style, readOriginal / (double) n, kept / (double) n, kept, n,
                        keptOfRead / (double) readOriginal);
                if (!lost.isEmpty()) {
                    System.out.println("  lost: " + lost);
                }
            }
        }
    }
}
