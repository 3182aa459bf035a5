package dev.transfusion.samples.ablate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The ablation results as the tables {@code ablate} prints: every arm's figures, then each of the paper's claims
 * with the two arms it compares, the difference, and whether the direction is reproduced. A share's difference
 * counts only beyond two standard errors of the two samples (binomial, n each); within that it is noise.
 */
public final class AblationTable {
    /** The judge's figures kept in the table, by their {@code metrics.json} key prefix or name. */
    static final String GENERATION = "text_to_", FRECHET = "frechet", CAPTIONS = "caption_accuracy",
            ANSWERS = "answer_accuracy";
    /**
     * A trained arm's mean DDPM loss over the last quarter of its steps: how well it denoises, the quantity the
     * paper's likelihood-like figures follow, beside the judge's reading of finished samples. Comparable between
     * arms that noise the same documents alike (attention, coder), not for the noise-limit arm.
     */
    public static final String DDPM_LOSS = "ddpm_loss_last_quarter";

    /**
     * One claim of the paper: {@code better} should score above {@code worse} on {@code metric} (below, for a
     * distance).
     */
    record Claim(String claim, String paper, String better, String worse, String metric) {
    }

    /** The claims, in the order. */
    static final List<Claim> CLAIMS = List.of(
            new Claim("bidirectional attention inside an image beats causal", "the paper: bidirectional attention "
                    + "within an image improves FID markedly", AblationArm.BASELINE, "causal-spans", GENERATION),
            new Claim("bidirectional attention inside an image beats causal (distance)", "as above",
                    AblationArm.BASELINE, "causal-spans", FRECHET),
            new Claim("bidirectional attention inside an image beats causal (denoising loss)", "as above",
                    AblationArm.BASELINE, "causal-spans", DDPM_LOSS),
            new Claim("a U-Net patch coder beats a linear one at small scale", "the paper: U-Net up/down blocks beat "
                    + "linear patching, most for small models", "unet-coder", AblationArm.BASELINE, GENERATION),
            new Claim("a U-Net patch coder beats a linear one at small scale (captions)", "as above", "unet-coder",
                    AblationArm.BASELINE, CAPTIONS),
            new Claim("a U-Net patch coder beats a linear one at small scale (denoising loss)", "as above",
                    "unet-coder", AblationArm.BASELINE, DDPM_LOSS),
            new Claim("limiting image-first noise to t < 500 helps captioning", "the paper: capping t at 500 for "
                    + "image-then-caption data raises CIDEr", AblationArm.BASELINE, "no-noise-limit", CAPTIONS),
            new Claim("guidance 3 aligns images with their prompt better than none", "the paper draws with classifier-free "
                    + "guidance", AblationArm.BASELINE, "guidance-1", GENERATION),
            new Claim("guidance 5 aligns better than 3", "more guidance, more alignment (less diversity)", "guidance-5",
                    AblationArm.BASELINE, GENERATION),
            new Claim("DDPM with 250 steps draws better than DDIM with 25", "the paper draws with 250 diffusion steps",
                    "ddpm-250", AblationArm.BASELINE, GENERATION),
            new Claim("DDIM with 50 steps draws better than with 25", "more steps, a finer reverse process", "ddim-50",
                    AblationArm.BASELINE, GENERATION));

    private AblationTable() {
    }

    /** The figure of {@code metric} in one arm's results: the first key with that prefix, or null. */
    static @Nullable Double figure(Map<String, Double> results, String metric) {
        if (metric.equals(GENERATION)) {
            return results.entrySet().stream().filter(e -> e.getKey().startsWith(GENERATION)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
        return results.get(metric);
    }

    /** The headline generation figure's key in these results ("text_to_image_all", say), for the column title. */
    static String generationKey(Map<String, Map<String, Double>> results) {
        return results.values().stream().flatMap(r -> r.keySet().stream()).filter(k -> k.startsWith(GENERATION))
                .findFirst().orElse("text_to_*");
    }

    /** A claim's verdict on these results, or null when either arm is missing or lacks the metric. */
    static @Nullable Map<String, Object> judge(Claim c, Map<String, Map<String, Double>> results, int n) {
        Map<String, Double> better = results.get(c.better()), worse = results.get(c.worse());
        Double b = better == null ? null : figure(better, c.metric()), w = worse == null ? null : figure(worse, c.metric());
        if (b == null || w == null) {
            return null;
        }
        boolean distance = c.metric().equals(FRECHET) || c.metric().equals(DDPM_LOSS);   // lower is better
        double diff = distance ? w - b : b - w;               // > 0: the paper's direction
        String verdict;
        if (distance) {
            verdict = diff > 0 ? "reproduced" : "not reproduced";
        } else {
            double se = Math.sqrt(b * (1 - b) / n + w * (1 - w) / n);
            verdict = diff > 2 * se ? "reproduced" : diff < -2 * se ? "reversed" : "within noise (2 SE = "
                    + String.format(Locale.ROOT, "%.3f", 2 * se) + ")";
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("claim", c.claim());
        row.put("paper", c.paper());
        row.put("metric", c.metric().equals(GENERATION) ? generationKey(results) : c.metric());
        row.put("better_arm", c.better());
        row.put("better", b);
        row.put("worse_arm", c.worse());
        row.put("worse", w);
        row.put("difference", diff);
        row.put("verdict", verdict);
        return row;
    }

    /** Every claim both of whose arms have results. */
    public static List<Map<String, Object>> claims(Map<String, Map<String, Double>> results, int n) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Claim c : CLAIMS) {
            Map<String, Object> row = judge(c, results, n);
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** The two tables as markdown: the arms with their figures, then the claims. */
    public static String markdown(List<AblationArm> arms, Map<String, Map<String, Double>> results, int n, int steps) {
        StringBuilder md = new StringBuilder();
        String gen = generationKey(results);
        boolean frechet = results.values().stream().anyMatch(r -> r.containsKey(FRECHET));
        md.append("| arm | change | trained | sampler | ").append(gen).append(frechet ? " | frechet" : "")
                .append(" | captions | answers | ddpm loss, last quarter |\n|---|---|---|---|---:|")
                .append(frechet ? "---:|" : "").append("---:|---:|---:|\n");
        for (AblationArm a : arms) {
            Map<String, Double> r = results.get(a.name());
            if (r == null) {
                continue;
            }
            md.append("| ").append(a.name()).append(" | ").append(a.change()).append(" | ")
                    .append(a.trains() ? steps + " steps" : "baseline's model").append(" | ")
                    .append(a.sampler().name().toLowerCase(Locale.ROOT)).append('-').append(a.steps()).append(", g ")
                    .append(fmt(a.guidance())).append(" | ").append(fmt(figure(r, GENERATION)));
            if (frechet) {
                md.append(" | ").append(fmt(r.get(FRECHET)));
            }
            md.append(" | ").append(fmt(r.get(CAPTIONS))).append(" | ").append(fmt(r.get(ANSWERS))).append(" | ")
                    .append(r.containsKey(DDPM_LOSS) ? String.format(Locale.ROOT, "%.4f", r.get(DDPM_LOSS)) : "-")
                    .append(" |\n");
        }
        md.append("\n| paper's claim | what the paper reports | metric | arms | figures | verdict |\n")
                .append("|---|---|---|---|---:|---|\n");
        for (Map<String, Object> c : claims(results, n)) {
            md.append("| ").append(c.get("claim")).append(" | ").append(c.get("paper")).append(" | ")
                    .append(c.get("metric")).append(" | ").append(c.get("better_arm")).append(" vs ")
                    .append(c.get("worse_arm")).append(" | ").append(fmt((Double) c.get("better"))).append(" vs ")
                    .append(fmt((Double) c.get("worse"))).append(" | ").append(c.get("verdict")).append(" |\n");
        }
        return md.toString();
    }

    private static String fmt(@Nullable Double v) {
        return v == null ? "-" : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
