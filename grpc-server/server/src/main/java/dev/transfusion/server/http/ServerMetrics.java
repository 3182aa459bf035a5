package dev.transfusion.server.http;

import dev.transfusion.api.DiffusionStep;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.TransfusionModel;
import dev.transfusion.server.ConcurrencyLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the server counts, in one Prometheus registry per server (so that two servers in one JVM, as in the
 * tests, never mix their figures), scraped at {@code /metrics} on the HTTP port:
 *
 * <ul>
 *   <li>{@code transfusion_requests_seconds} (count, sum, buckets) by {@code transport} (grpc, http),
 *       {@code method} (the gRPC method's full name, or the HTTP route) and {@code status} (the gRPC code, or
 *       the HTTP status; 499 when the client left): requests and their latency in one histogram;</li>
 *   <li>{@code transfusion_queue_depth} and {@code transfusion_calls_running}: the model slots' queue;</li>
 *   <li>{@code transfusion_batch_rows}: requests per forward pass (a batching model reports its passes, see
 *       {@link #passesFrom}; otherwise one per token or denoising step);</li>
 *   <li>{@code transfusion_generated_tokens_total} and {@code transfusion_denoising_steps_total}: counters,
 *       whose {@code rate()} is tokens/s and steps/s.</li>
 * </ul>
 */
public final class ServerMetrics {
    // Fixed buckets rather than Micrometer's 70-odd: from a health check's milliseconds to a long image
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(25),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter tokens;
    private final Counter steps;
    private final DistributionSummary batchRows;
    private volatile boolean passesReported;   // the model records its passes itself

    /** A registry with the JVM's memory and thread figures and the counters above at zero. */
    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        tokens = Counter.builder("transfusion.generated.tokens").description("Text tokens generated")
                .register(registry);
        steps = Counter.builder("transfusion.denoising.steps").description("Denoising steps run")
                .register(registry);
        batchRows = DistributionSummary.builder("transfusion.batch.rows")
                .description("Rows (requests) in one forward pass of the model")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64).register(registry);
    }

    /** Publishes the limiter's queue depth and running calls, read at each scrape. */
    public void watch(ConcurrencyLimiter limiter) {
        Gauge.builder("transfusion.queue.depth", limiter, ConcurrencyLimiter::queued)
                .description("Model calls waiting for a slot").register(registry);
        Gauge.builder("transfusion.calls.running", limiter, ConcurrencyLimiter::running)
                .description("Model calls holding a slot").register(registry);
    }

    /** One finished request; {@code status} is the gRPC code name or the HTTP status number. */
    public void request(String transport, String method, String status, long nanos) {
        Timer.builder("transfusion.requests").description("Requests by transport, method and status")
                .tags("transport", transport, "method", method, "status", status)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Takes the batch sizes from {@code model} when it batches ({@link TransfusionModel#observeForwardPasses}):
     * then every pass is recorded once, by the model, and tokens and steps no longer count passes of one.
     */
    public void passesFrom(TransfusionModel model) {
        if (model.observeForwardPasses(this::forward)) {
            passesReported = true;
        }
    }

    /**
     * A forward pass over {@code rows} rows: the batcher's hook. Without batching every token and denoising step
     * is a pass of one row, which {@link #tokens} and {@link #step} record; a batcher that calls this for its
     * passes takes those two {@code forward(1)} calls out, so that no pass is counted twice.
     */
    public void forward(int rows) {
        batchRows.record(rows);
    }

    /** {@code n} tokens generated, each by a forward pass of one row. */
    public void tokens(int n) {
        if (n <= 0) {
            return;
        }
        tokens.increment(n);
        for (int i = 0; i < n && !passesReported; i++) {
            forward(1);
        }
    }

    /** One denoising step, a forward pass of one row. */
    public void step() {
        steps.increment();
        if (!passesReported) {
            forward(1);
        }
    }

    /** {@code inner}, counting its tokens and steps here as they happen. */
    public GenerationListener counting(GenerationListener inner) {
        return new GenerationListener() {
            @Override
            public void onToken(int tokenId, String text) {
                tokens(1);
                inner.onToken(tokenId, text);
            }

            @Override
            public void onDiffusionStep(DiffusionStep step) {
                step();
                inner.onDiffusionStep(step);
            }
        };
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
