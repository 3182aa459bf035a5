package dev.transfusion.core.generate;

import java.util.SplittableRandom;

/**
 * A micro-benchmark, not a test: nucleus sampling's time a token at three vocabulary sizes (temperature 0.8,
 * top-p 0.95, Gaussian logits of standard deviation 3, best of 20 rounds of 50 draws), and the UTF-8 guard's. Run it on the test class
 * path after {@code mvn -pl sdk-core -am test-compile}:
 * {@code java -cp "sdk-core/target/test-classes:sdk-core/target/classes:samples/target/lib/*"
 * dev.transfusion.core.generate.SamplerProbe}.
 */
public final class SamplerProbe {
    private SamplerProbe() {
    }

    public static void main(String[] args) {
        for (int v : new int[] {320, 8192, 50257}) {
            float[] logits = new float[v];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < v; i++) {
                logits[i] = (float) (r.nextGaussian() * 3);
            }
            NucleusSampler sampler = new NucleusSampler(0.8, 0, 0.95);
            long best = Long.MAX_VALUE;
            int sink = 0;
            for (int round = 0; round < 20; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    sink += sampler.sample(logits, r);
                }
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("vocabulary %,d: %.1f us a token (%d)%n", v, best / 50 / 1e3, sink % 2);
            System.out.printf("vocabulary %,d: the UTF-8 guard %.1f us a token%n", v, guard(v) / 1e3);
        }
    }

    /** Best time of one {@link Utf8Guard#ban} between characters: the 256 single bytes, then 1-7 ASCII letters. */
    private static double guard(int v) {
        byte[][] table = new byte[v][];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < v; i++) {
            table[i] = new byte[i < 256 ? 1 : 1 + r.nextInt(7)];
            for (int j = 0; j < table[i].length; j++) {
                table[i][j] = (byte) (i < 256 ? i : 'a' + r.nextInt(26));
            }
        }
        Utf8Guard g = new Utf8Guard(table);
        float[] logits = new float[v];
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 30; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                g.ban(logits);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 50.0;
    }
}
