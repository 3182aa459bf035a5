package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Admission: running slots, then queue places, then RESOURCE_EXHAUSTED; withdrawn and finished work frees places. */
class ConcurrencyLimiterTest {

    @Test
    void admitsUpToTheLimitsAndFreesPlaces() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2, 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        Runnable blocking = () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.incrementAndGet();
        };
        limiter.admit(blocking);
        limiter.admit(blocking);
        Await.until(() -> limiter.running() == 2, Duration.ofSeconds(5), "two running");
        Runnable queued = limiter.admit(blocking);
        assertEquals(1, limiter.queued());
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, () -> limiter.admit(blocking));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getStatus().getCode());
        assertEquals("server busy: 2 call(s) running and 1 waiting (limits: 2 concurrent, 1 queued); retry later",
                full.getStatus().getDescription());

        assertTrue(limiter.withdraw(queued));
        assertFalse(limiter.withdraw(queued), "only once");
        limiter.admit(blocking);   // the withdrawn call's place is free again
        release.countDown();
        Await.until(() -> done.get() == 3 && limiter.running() == 0, Duration.ofSeconds(5), "all done");
        for (int i = 0; i < 3; i++) {
            limiter.admit(() -> done.incrementAndGet());   // every place came back
        }
        Await.until(() -> done.get() == 6, Duration.ofSeconds(5), "the next three");

        limiter.shutdown();
        assertTrue(limiter.awaitTermination(Duration.ofSeconds(5)));
        assertEquals(Status.Code.UNAVAILABLE, assertThrows(StatusRuntimeException.class,
                () -> limiter.admit(() -> { })).getStatus().getCode());
    }

    @Test
    void theReplyStepRunsAfterTheSlotIsFree() throws Exception {
        // one slot, no queue: a client that has its answer must be able to call again at once
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 0);
        java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
        limiter.admitThen(() -> () -> {
            try {
                limiter.admit(() -> { });
                seen.complete("running " + limiter.running() + ", next call admitted");
            } catch (StatusRuntimeException e) {
                seen.complete("refused: " + e.getStatus());
            }
        });
        assertEquals("running 0, next call admitted", seen.get(5, java.util.concurrent.TimeUnit.SECONDS));
        limiter.shutdown();
        assertTrue(limiter.awaitTermination(Duration.ofSeconds(5)));
    }
}
