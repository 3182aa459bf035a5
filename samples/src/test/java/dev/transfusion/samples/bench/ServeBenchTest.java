package dev.transfusion.samples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.testing.TinyModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench serve} end to end on the tiny model, through the server's default limits: concurrent requests
 * are batched (the server's /metrics shows passes of more than one request), none is refused, and each gives
 * the image or text it gives alone. No time is asserted.
 */
class ServeBenchTest {

    @Test
    void concurrentRequestsAreBatchedAndGiveTheResultsOfSequentialOnes(@TempDir Path dir) throws Exception {
        ServeBench b = ServeBench.run(TinyModel.write(dir), 4, 24, 10, 1, 1);
        for (ServeBench.Phase p : java.util.List.of(b.images(), b.texts())) {
            assertEquals(4, p.identical(), p.toString());
            assertEquals(0, p.differingBytes(), p.toString());
            assertTrue(p.maxBatch() > 1, "no forward pass ran two requests: " + p);
            assertTrue(p.meanBatch() >= 1, p.toString());
        }
        assertTrue(b.texts().tokens() > 0, b.texts().toString());
        assertTrue(b.report().contains("identical 4/4"), b.report());
    }
}
