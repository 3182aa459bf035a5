package dev.transfusion.plugins.audio;

import java.util.SplittableRandom;

/**
 * Phase recovery from magnitudes: Griffin and Lim's alternating projections with the momentum of Perraudin
 * et al.'s fast Griffin-Lim (as torchaudio's {@code GriffinLim(momentum=0.99)}), from random phases drawn
 * with a fixed seed so that a latent always decodes to the same clip.
 */
public final class GriffinLim {
    /** The seed of the initial phases. */
    public static final long SEED = 20261201L;

    private final Stft stft;
    private final int iterations;
    private final double momentum;

    public GriffinLim(Stft stft, int iterations, double momentum) {
        if (iterations < 0 || !(momentum >= 0) || momentum >= 1) {
            throw new IllegalArgumentException("Griffin-Lim needs iterations >= 0 and momentum in [0, 1), got "
                    + iterations + ", " + momentum);
        }
        this.stft = stft;
        this.iterations = iterations;
        this.momentum = momentum;
    }

    /** A signal of {@code length} samples whose STFT magnitudes approach {@code magnitude} [frames, bins]. */
    public float[] reconstruct(double[] magnitude, int frames, int length) {
        int n = frames * stft.bins();
        if (magnitude.length != n) {
            throw new IllegalArgumentException("magnitude has " + magnitude.length + " values, expected " + n);
        }
        double[] phaseRe = new double[n], phaseIm = new double[n];   // unit phasors
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * random.nextDouble();
            phaseRe[i] = Math.cos(a);
            phaseIm[i] = Math.sin(a);
        }
        double[] prevRe = new double[n], prevIm = new double[n];
        double carry = momentum / (1 + momentum);
        for (int it = 0; it < iterations; it++) {
            ComplexSpectrogram rebuilt = stft.forward(stft.inverse(withPhase(magnitude, phaseRe, phaseIm, frames), length));
            double[] re = rebuilt.re(), im = rebuilt.im();
            for (int i = 0; i < n; i++) {
                double ar = re[i] - carry * prevRe[i], ai = im[i] - carry * prevIm[i];
                double norm = Math.sqrt(ar * ar + ai * ai) + 1e-16;
                phaseRe[i] = ar / norm;
                phaseIm[i] = ai / norm;
            }
            System.arraycopy(re, 0, prevRe, 0, n);
            System.arraycopy(im, 0, prevIm, 0, n);
        }
        return stft.inverse(withPhase(magnitude, phaseRe, phaseIm, frames), length);
    }

    private ComplexSpectrogram withPhase(double[] magnitude, double[] phaseRe, double[] phaseIm, int frames) {
        ComplexSpectrogram s = ComplexSpectrogram.zeros(frames, stft.bins());
        for (int i = 0; i < magnitude.length; i++) {
            s.re()[i] = magnitude[i] * phaseRe[i];
            s.im()[i] = magnitude[i] * phaseIm[i];
        }
        return s;
    }
}
