package dev.transfusion.samples.bench;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.ServerLauncher;
import dev.transfusion.server.TransfusionClient;
import dev.transfusion.server.TransfusionServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench serve}: a server in this process on a model directory, with {@code serve}'s default limits and
 * the HTTP port on; {@code clients} gRPC clients (a connection each) ask at the same time for one image each,
 * then the same requests (same prompts, same seeds) go one after another; likewise text completions. Prints
 * the wall time of each, their ratio, whether the results are identical, and the batch sizes from
 * {@code /metrics}. A benchmark, not a test: the figures depend on the machine and its load.
 *
 * @param images the image requests
 * @param texts  the text completions
 */
public record ServeBench(Phase images, Phase texts) {
    private static final String[] PROMPTS = {"a red circle", "a blue square", "a green triangle", "a yellow circle",
        "a small red square", "a big blue circle", "a green square", "a yellow triangle"};

    /**
     * One kind of request, both ways.
     *
     * @param what            "image" or "text (N tokens)"
     * @param requests        how many
     * @param concurrentS     wall time of all of them at once
     * @param sequentialS     wall time of them one after another
     * @param identical       requests whose result was the same both ways (pixels, text)
     * @param differingBytes  image bytes (of all images) that differ between the two ways
     * @param tokens          text tokens generated in the concurrent run
     * @param meanBatch       requests per forward pass during the concurrent run, from /metrics (NaN: not read)
     * @param maxBatch        the largest pass recently, from /metrics (NaN: not read)
     * @param rounds          measured rounds the times are the medians of
     * @param lowest          the lowest ratio of one round
     * @param highest         the highest ratio of one round
     */
    public record Phase(String what, int requests, double concurrentS, double sequentialS, int identical,
                        long differingBytes, long tokens, double meanBatch, double maxBatch, int rounds, double lowest,
                        double highest) {

        /** Sequential over concurrent time. */
        public double speedup() {
            return sequentialS / concurrentS;
        }

        /**
         * Rounds of one kind as one figure: median times (their ratio is the phase's), the rounds' range of
         * ratios, the results that were identical in every round, the batch sizes over all rounds.
         */
        static Phase of(List<Phase> rounds) {
            Phase first = rounds.get(0);
            double[] ratios = rounds.stream().mapToDouble(Phase::speedup).sorted().toArray();
            return new Phase(first.what, first.requests, median(rounds.stream().mapToDouble(Phase::concurrentS)),
                    median(rounds.stream().mapToDouble(Phase::sequentialS)),
                    rounds.stream().mapToInt(Phase::identical).min().orElseThrow(),
                    rounds.stream().mapToLong(Phase::differingBytes).max().orElseThrow(), first.tokens,
                    rounds.stream().mapToDouble(Phase::meanBatch).average().orElseThrow(),
                    rounds.stream().mapToDouble(Phase::maxBatch).max().orElseThrow(), rounds.size(), ratios[0],
                    ratios[ratios.length - 1]);
        }

        private static double median(java.util.stream.DoubleStream values) {
            double[] v = values.sorted().toArray();
            return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        String report() {
            return String.format(Locale.ROOT, "%-18s %2d at once: %7.2f s   one by one: %7.2f s   ratio %.2fx%s   "
                            + "identical %d/%d%s   batch mean %.1f max %.0f%s", what, requests, concurrentS, sequentialS,
                    speedup(), rounds > 1 ? String.format(Locale.ROOT, " (rounds %.2f-%.2f)", lowest, highest) : "",
                    identical, requests, differingBytes > 0 ? " (" + differingBytes + " bytes differ)" : "",
                    meanBatch, maxBatch, tokens > 0 ? "   tokens " + tokens : "");
        }
    }

    /**
     * Runs the benchmark on {@code modelDir}: {@code clients} requests of each kind, texts of {@code tokens}
     * tokens; {@code warmup} unmeasured rounds of both kinds at full size, then {@code rounds} measured ones,
     * reported as medians.
     *
     * <p>Why full-size warm-up rounds: the JIT compiles for some 20 s after start-up (the gRPC, Netty and
     * generation paths); until then the compiler thread takes one of two cores from whichever phase runs,
     * which made one-round figures swing by up to 2x.
     */
    public static ServeBench run(Path modelDir, int clients, int tokens, int diffusionSteps, int warmup, int rounds)
            throws Exception {
        if (warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("warm-up rounds must be at least 0 and rounds at least 1, got "
                    + warmup + " and " + rounds);
        }
        TransfusionServer server = ServerLauncher.forModelDirectory(modelDir).host("127.0.0.1").port(0).httpPort(0)
                .build().start();
        try {
            server.awaitReady();
            List<TransfusionClient> connections = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                connections.add(TransfusionClient.connect("127.0.0.1", server.port()));
            }
            try {
                GenerationOptions image = GenerationOptions.builder().mode(Mode.IMAGE).maxTokens(1)
                        .diffusionSteps(diffusionSteps).build();
                GenerationOptions text = GenerationOptions.builder().mode(Mode.TEXT).maxTokens(tokens)
                        .temperature(0.8).build();
                // warm-up, unmeasured: the JIT, and each model thread's first codec call (a SameDiff session)
                phase("warm-up", connections, server, i -> image.toBuilder().seed(0L).diffusionSteps(2).build());
                phase("warm-up", connections, server, i -> text.toBuilder().seed(0L).maxTokens(4).build());
                List<Phase> images = new ArrayList<>(), texts = new ArrayList<>();
                for (int round = -warmup; round < rounds; round++) {
                    Phase im = phase("image", connections, server, i -> image.toBuilder().seed(100L + i).build());
                    Phase tx = phase("text (" + tokens + " tokens)", connections, server,
                            i -> text.toBuilder().seed(200L + i).build());
                    if (round >= 0) {
                        images.add(im);
                        texts.add(tx);
                    }
                }
                return new ServeBench(Phase.of(images), Phase.of(texts));
            } finally {
                connections.forEach(TransfusionClient::close);
            }
        } finally {
            server.shutdown();
        }
    }

    private static Phase phase(String what, List<TransfusionClient> clients, TransfusionServer server,
                               IntFunction<GenerationOptions> options) throws Exception {
        int n = clients.size();
        double[] before = batchRows(server);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<GenerationResult> together = new ArrayList<>();
        long t0;
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GenerationResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return clients.get(k).generate(Document.text(PROMPTS[k % PROMPTS.length]), options.apply(k));
                }));
            }
            t0 = System.nanoTime();
            start.countDown();
            for (Future<GenerationResult> f : futures) {
                together.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double concurrent = (System.nanoTime() - t0) / 1e9;
        double[] after = batchRows(server);
        long t1 = System.nanoTime();
        List<GenerationResult> alone = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alone.add(clients.get(0).generate(Document.text(PROMPTS[i % PROMPTS.length]), options.apply(i)));
        }
        double sequential = (System.nanoTime() - t1) / 1e9;
        int identical = 0;
        long bytes = 0, tokens = 0;
        for (int i = 0; i < n; i++) {
            GenerationResult a = together.get(i), b = alone.get(i);
            identical += a.parts().equals(b.parts()) ? 1 : 0;
            tokens += what.startsWith("text") ? a.usage().generatedTokens() : 0;
            for (int j = 0; j < Math.min(a.images().size(), b.images().size()); j++) {
                bytes += differing(a.images().get(j), b.images().get(j));
            }
        }
        double mean = after[0] > before[0] ? (after[1] - before[1]) / (after[0] - before[0]) : Double.NaN;
        return new Phase(what, n, concurrent, sequential, identical, bytes, tokens, mean, after[2], 1, concurrent > 0
                ? sequential / concurrent : Double.NaN, concurrent > 0 ? sequential / concurrent : Double.NaN);
    }

    private static long differing(RgbImage a, RgbImage b) {
        if (a.rgb().length != b.rgb().length) {
            return Math.max(a.rgb().length, b.rgb().length);
        }
        long d = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            d += a.rgb()[i] != b.rgb()[i] ? 1 : 0;
        }
        return d;
    }

    /** {@code transfusion_batch_rows} count, sum and max from the server's /metrics (NaN when unreadable). */
    static double[] batchRows(TransfusionServer server) {
        try {
            String m = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new double[] {sample(m, "transfusion_batch_rows_count"), sample(m, "transfusion_batch_rows_sum"),
                sample(m, "transfusion_batch_rows_max")};
        } catch (IOException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    private static double sample(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** The figures, one line a kind. */
    public String report() {
        return "bench serve (" + images.requests() + " gRPC clients, serve's default limits, "
                + dev.transfusion.core.EngineSettings.generationThreads() + " generation threads; wall times on this "
                + "machine, which may be shared)\n" + images.report() + "\n" + texts.report();
    }
}
