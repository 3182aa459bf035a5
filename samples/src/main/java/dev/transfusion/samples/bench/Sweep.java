package dev.transfusion.samples.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scaling sweep against the reference, in one run: for each round and each {@link SweepCell}, our
 * training bench and then the reference's, each in a process of its own (peak RSS is per process), so that
 * both sides see the same machine; then a table of the medians over rounds and the ratios.
 *
 * @param cells        what to measure
 * @param rounds       rounds (the medians are over these)
 * @param steps        measured steps a run (the reference warms up 5 steps; ours {@code warmup})
 * @param warmup       our unmeasured steps
 * @param replicas     our data-parallel replicas
 * @param python       the Python with torch, or null to measure our side only
 * @param reference    {@code transfusion_ref.py}
 * @param torchThreads the reference's THREADS
 */
public record Sweep(List<SweepCell> cells, int rounds, int steps, int warmup, int replicas, String python,
                    Path reference, int torchThreads) {
    private static final Pattern FIGURE = Pattern.compile("([a-z_]+) ([0-9.]+)");
    private static final String[] FIGURES = {"median_step_ms", "tokens_per_s", "peak_rss_mb"};

    /** Runs the sweep, printing each run's figures as they come and the table at the end. */
    public void run(PrintWriter out) {
        if (python != null && !Files.isRegularFile(reference)) {
            throw new IllegalArgumentException("the reference script " + reference + " does not exist; pass "
                    + "--reference PATH or --no-reference");
        }
        Map<String, List<Map<String, Double>>> ours = new HashMap<>(), torch = new HashMap<>();
        for (int r = 1; r <= rounds; r++) {
            for (SweepCell c : cells) {
                Map<String, Double> o = measure(ourCommand(c), Map.of());
                out.println("round " + r + " " + c.label() + " ours: " + o);
                out.flush();
                ours.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(o);
                if (python != null) {
                    Map<String, Double> t = measure(List.of(python, reference.toString(), "bench",
                            Integer.toString(steps), c.overrides(), Integer.toString(c.rows()), Integer.toString(c.length())),
                            Map.of("THREADS", Integer.toString(torchThreads)));
                    out.println("round " + r + " " + c.label() + " torch: " + t);
                    out.flush();
                    torch.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(t);
                }
            }
        }
        out.println();
        out.printf("%-11s %-22s %10s %10s %6s %10s %10s %9s %9s %6s%n", "axis", "cell", "ours ms", "torch ms",
                "ratio", "ours pos/s", "torch pos/s", "ours MB", "torch MB", "ratio");
        for (SweepCell c : cells) {
            double[] o = medians(ours.get(c.label())), t = medians(torch.getOrDefault(c.label(), List.of()));
            out.printf("%-11s %-22s %10s %10s %6s %10s %10s %9s %9s %6s%n", c.axis(), c.label(), num(o[0]), num(t[0]),
                    ratio(o[0], t[0]), num(o[1]), num(t[1]), num(o[2]), num(t[2]), ratio(o[2], t[2]));
        }
    }

    /** This JVM again, with its options and class path, running {@code bench train} on one cell. */
    private List<String> ourCommand(SweepCell c) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.transfusion.samples.cli.TransfusionCli",
                "bench", "train", "--config", c.overrides(), "--rows", Integer.toString(c.rows()),
                "--length", Integer.toString(c.length()), "--steps", Integer.toString(steps),
                "--warmup", Integer.toString(warmup), "--replicas", Integer.toString(replicas)));
        return cmd;
    }

    /** Runs one bench process; its figures by name (empty, with the reason printed, if it failed). */
    static Map<String, Double> measure(List<String> command, Map<String, String> env) {
        Map<String, Double> figures = new HashMap<>();
        try {
            Path log = Files.createTempFile("transfusion-sweep", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                int rc = p.waitFor();
                String text = Files.readString(log, StandardCharsets.UTF_8);
                Matcher m = FIGURE.matcher(text);
                while (m.find()) {
                    figures.put(m.group(1), Double.parseDouble(m.group(2)));
                }
                if (rc != 0 || !figures.containsKey("median_step_ms")) {
                    String[] lines = text.strip().split("\n");
                    System.err.println("failed (exit " + rc + "): " + String.join(" ", command.subList(0, Math.min(3,
                            command.size()))) + "...: " + lines[lines.length - 1]);
                    figures.clear();
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            System.err.println("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return figures;
    }

    private static double[] medians(List<Map<String, Double>> runs) {
        double[] m = new double[FIGURES.length];
        for (int i = 0; i < FIGURES.length; i++) {
            String f = FIGURES[i];
            double[] v = runs.stream().filter(r -> r.containsKey(f)).mapToDouble(r -> r.get(f)).sorted().toArray();
            m[i] = v.length == 0 ? Double.NaN : v[v.length / 2];
        }
        return m;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f", v);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format("%.2f", a / b);
    }
}
