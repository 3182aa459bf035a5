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
        for (int i = 0; i < len; i++) {
            int off = i * t, mask = (r * len + i) * t;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < t; j++) {
                if (allowed[mask + j]) {
                    max = Math.max(max, scores[off + j]);
                }
            }
            if (max == Float.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(scores, off, off + t, 0f);
                continue;
            }
            for (int j = off; j < off + t; j++) {                 // every position: this loop vectorises
                scores[j] = expOfNonPositive(scores[j] - max);
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
