package dev.transfusion.core.generate;

/**
 * The eager forward's elementwise functions, SiLU and the attention softmax, built on one clamped rational tanh
 * (the minimax one Eigen uses for float): {@code sigmoid(x) = (1 + tanh(x / 2)) / 2} and, for the softmax's
 * {@code x <= 0}, {@code e^x = ((1 + tanh(x / 4)) / (1 - tanh(x / 4)))^2}. SiLU is within 3e-6 of the exact
 * one and e^x within 1e-6 (absolutely), far inside the cached forward's tolerance against the graph.
 *
 * <p>Why: a denoising step computes ~10^5-10^6 of each, and an exponential per element (a 2^k e^r polynomial
 * with its exponent bits) ran at 10-16 ns; loops of multiplies, adds, divides and a clamp are what the JIT turns
 * into vector instructions: ~1.3 ns an element on this machine.
 */
final class Activations {
    private static final float CLAMP = 7.90531110763549805f;   // tanh is +-1 to float precision beyond

    private Activations() {
    }

    /** v[from..to] = silu(v) in place. */
    static void silu(float[] v, int from, int to) {
        for (int j = from; j < to; j++) {
            v[j] = v[j] * (0.5f + 0.5f * tanh(v[j] * 0.5f));
        }
    }

    /** gate[from..to] = silu(gate) * up, the SwiGLU product. */
    static void gated(float[] gate, float[] up, int from, int to) {
        for (int j = from; j < to; j++) {
            gate[j] = gate[j] * (0.5f + 0.5f * tanh(gate[j] * 0.5f)) * up[j];
        }
    }

    /**
     * Softmax in place of each of the {@code len} score rows [len, t] of batch row {@code r}, over the positions
     * its query may attend to ({@code allowed} [B, len, t]); the others get 0, and a row with none allowed is 0.
     */
    static void softmaxRows(float[] scores, boolean[] allowed, int r, int len, int t) {
        boolean anyEmpty = false;
        for (int i = 0; i < len; i++) {
            int off = i * t;
            float max = maxAllowed(scores, off, allowed, (r * len + i) * t, t);
            anyEmpty |= max == Float.NEGATIVE_INFINITY;
            if (max != Float.NEGATIVE_INFINITY) {
                for (int j = off; j < off + t; j++) {
                    scores[j] -= max;
                }
            }
        }
        // every row at once: one long loop vectorises, where a row of a few dozen scores ran mostly in its scalar tail
        for (int j = 0; j < len * t; j++) {
            scores[j] = expOfNonPositive(scores[j]);
        }
        for (int i = 0; i < len; i++) {
            int off = i * t, mask = (r * len + i) * t;
            if (anyEmpty && maxAllowed(scores, off, allowed, mask, t) == Float.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(scores, off, off + t, 0f);
                continue;
            }
            float sum = 0;
            for (int j = 0; j < t; j++) {
                float e = allowed[mask + j] ? scores[off + j] : 0f;
                scores[off + j] = e;
                sum += e;
            }
            for (int j = off; j < off + t; j++) {
                scores[j] /= sum;
            }
        }
    }

    /**
     * The largest of v[off..off+n] where {@code allowed[mask..]} is true, -inf when none is: four running maxima
     * (a maximum is the same in any order) rather than one chain of dependent comparisons.
     */
    static float maxAllowed(float[] v, int off, boolean[] allowed, int mask, int n) {
        float ninf = Float.NEGATIVE_INFINITY, m0 = ninf, m1 = ninf, m2 = ninf, m3 = ninf;
        int j = 0;
        for (; j + 4 <= n; j += 4) {
            m0 = Math.max(m0, allowed[mask + j] ? v[off + j] : ninf);
            m1 = Math.max(m1, allowed[mask + j + 1] ? v[off + j + 1] : ninf);
            m2 = Math.max(m2, allowed[mask + j + 2] ? v[off + j + 2] : ninf);
            m3 = Math.max(m3, allowed[mask + j + 3] ? v[off + j + 3] : ninf);
        }
        for (; j < n; j++) {
            m0 = Math.max(m0, allowed[mask + j] ? v[off + j] : ninf);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /**
     * The sum of v[off..off+n]^2 in eight running sums, added pairwise: eight independent chains of adds where
     * one chain waited on each add in turn (the RMSNorm of a pass's rows). Rounds differently from one running
     * sum, by about a float's last bit; the same rows always give the same bits.
     */
    static float sumOfSquares(float[] v, int off, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            int b = off + j;
            s0 += v[b] * v[b];
            s1 += v[b + 1] * v[b + 1];
            s2 += v[b + 2] * v[b + 2];
            s3 += v[b + 3] * v[b + 3];
            s4 += v[b + 4] * v[b + 4];
            s5 += v[b + 5] * v[b + 5];
            s6 += v[b + 6] * v[b + 6];
            s7 += v[b + 7] * v[b + 7];
        }
        for (; j < n; j++) {
            s0 += v[off + j] * v[off + j];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** e^x for x &lt;= 0 (larger x give finite values the softmax then masks), ~0 below -31. */
    static float expOfNonPositive(float x) {
        float th = tanh(x * 0.25f), e = (1f + th) / (1f - th);
        return e * e;
    }

    private static float tanh(float v) {
        float x = Math.max(-CLAMP, Math.min(CLAMP, v)), x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;      // odd numerator
        p = p * x2 + -8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;       // even denominator
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        return p * x / q;
    }
}
