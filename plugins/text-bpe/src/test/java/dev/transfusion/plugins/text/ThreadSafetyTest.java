package dev.transfusion.plugins.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.transfusion.api.spi.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One tokenizer, with its shared word cache, gives every thread the ids a single thread gets. */
class ThreadSafetyTest {

    @Test
    void concurrentEncodingMatchesSequentialEncoding() throws Exception {
        Tokenizer t = new BpeTextPlugin().loadTokenizer(TestData.gpt2Dir());
        List<String> texts = new ArrayList<>(TestData.corpus(21, 40_000));
        texts.addAll(TestData.randomStrings(22, 500, 40)); // many distinct words
        texts.addAll(TestData.gpt2Texts());
        BpeTokenizer fresh = (BpeTokenizer) new BpeTextPlugin().loadTokenizer(TestData.gpt2Dir());
        List<int[]> expected = texts.stream().map(fresh::encode).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int offset = thread * 37;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < texts.size(); i++) {
                        int j = (i + offset) % texts.size();
                        assertArrayEquals(expected.get(j), t.encode(texts.get(j)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
