package dev.transfusion.samples.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training curve from the trainer's {@code training-log.tsv} (one line per step): the losses by step as an
 * inline SVG with a logarithmic loss axis, and the training time the steps took.
 */
public final class TrainingCurve {
    private static final int W = 640, H = 260, LEFT = 56, RIGHT = 16, TOP = 14, BOTTOM = 34;

    /** One logged step. */
    record Point(long step, double total, double lm, double ddpm, double millis) {
    }

    private TrainingCurve() {
    }

    /** The logged steps; empty when there is no log or it cannot be read. */
    static List<Point> read(Path tsv) {
        List<Point> out = new ArrayList<>();
        if (!Files.isRegularFile(tsv)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(tsv)) {
                String[] f = line.split("\t");
                if (f.length < 8 || !Character.isDigit(f[0].charAt(0))) {
                    continue;   // the header
                }
                out.add(new Point(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[7])));
            }
        } catch (IOException | RuntimeException e) {
            return List.of();   // a damaged log leaves the curve out, not the report
        }
        return out;
    }

    /**
     * The mean DDPM loss over the last quarter of the steps logged in {@code tsv} (a quarter, so that the noise of
     * single steps averages out), or NaN when there is no readable log.
     */
    public static double lastQuarterDdpmLoss(Path tsv) {
        List<Point> points = read(tsv);
        int from = Math.max(0, points.size() - Math.max(1, points.size() / 4));
        return points.subList(from, points.size()).stream().mapToDouble(Point::ddpm).average().orElse(Double.NaN);
    }

    /** Minutes the logged steps took. */
    static double minutes(List<Point> points) {
        return points.stream().mapToDouble(Point::millis).sum() / 60_000;
    }

    /** Total, LM and DDPM loss by step; each series averaged over windows so that about 200 points are drawn. */
    static String svg(List<Point> points) {
        long first = points.get(0).step(), last = points.get(points.size() - 1).step();
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        List<Point> drawn = smooth(points, Math.max(1, points.size() / 200));
        for (Point p : drawn) {
            for (double v : new double[] {p.total(), p.lm(), p.ddpm()}) {
                if (v > 0) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double logLo = Math.floor(Math.log10(lo)), logHi = Math.ceil(Math.log10(hi));
        if (logHi <= logLo) {
            logHi = logLo + 1;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\" "
                        + "font-family=\"sans-serif\">", W, H));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#999\"/>", LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM));
        for (double e = logLo; e <= logHi; e++) {
            double y = y(e, logLo, logHi);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, W - RIGHT, y, y, LEFT - 4, y + 4,
                    tick(Math.pow(10, e))));
        }
        for (int k = 0; k <= 4; k++) {
            long step = first + (last - first) * k / 4;
            double x = x(step, first, last);
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>", x,
                    H - BOTTOM + 14, step));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">optimizer step</text>",
                (LEFT + W - RIGHT) / 2, H - 4));
        String[][] series = {{"total", "#222"}, {"lm", "#1f6fd1"}, {"ddpm", "#d1491f"}};
        for (int k = 0; k < series.length; k++) {
            s.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"").append(series[k][1]).append("\" points=\"");
            for (Point p : drawn) {
                double v = k == 0 ? p.total() : k == 1 ? p.lm() : p.ddpm();
                if (v > 0) {
                    s.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.step(), first, last),
                            y(Math.log10(v), logLo, logHi)));
                }
            }
            s.append("\"/>").append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s loss</text>",
                    W - RIGHT - 90, TOP + 16 + 14 * k, series[k][1], series[k][0]));
        }
        return s.append("</svg>").toString();
    }

    /** Means over consecutive windows of {@code w} steps, each at its last step. */
    private static List<Point> smooth(List<Point> points, int w) {
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i += w) {
            int end = Math.min(points.size(), i + w);
            double t = 0, l = 0, d = 0;
            for (int j = i; j < end; j++) {
                t += points.get(j).total();
                l += points.get(j).lm();
                d += points.get(j).ddpm();
            }
            int n = end - i;
            out.add(new Point(points.get(end - 1).step(), t / n, l / n, d / n, 0));
        }
        return out;
    }

    private static double x(long step, long first, long last) {
        return LEFT + (W - LEFT - RIGHT) * (last == first ? 0.5 : (double) (step - first) / (last - first));
    }

    private static double y(double log, double logLo, double logHi) {
        return TOP + (H - TOP - BOTTOM) * (logHi - log) / (logHi - logLo);
    }

    private static String tick(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
