package dev.transfusion.plugins.audio;

/**
 * A short-time Fourier transform with a periodic Hann window ({@code 0.5 - 0.5 cos(2 pi n / N)}) and its
 * inverse by weighted overlap-add.
 *
 * <p>Centred (the codec's layout, as librosa and torch.stft with {@code center=True}): the signal is padded
 * by N/2 on each side by reflection (x[-1] = x[1]) and frame i starts at {@code i * hop} of the padded
 * signal, so a clip of L samples has {@code 1 + L / hop} frames (8,000 samples, hop 128: 63). Not centred
 * (the judge's layout): frames start at sample 0 with no padding, {@code 1 + (L - N) / hop} of them (61).
 */
public final class Stft {
    private final int frameSize;
    private final int hop;
    private final boolean centred;
    private final double[] window;   // [N]
    private final Fft fft;

    public Stft(int frameSize, int hop, boolean centred) {
        if (hop < 1 || hop > frameSize) {
            throw new IllegalArgumentException("hop must be 1.." + frameSize + ", got " + hop);
        }
        this.frameSize = frameSize;
        this.hop = hop;
        this.centred = centred;
        this.fft = new Fft(frameSize);
        this.window = periodicHann(frameSize);
    }

    /** The periodic Hann window of length n. */
    public static double[] periodicHann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        return w;
    }

    /** Bins per frame, N / 2 + 1. */
    public int bins() {
        return frameSize / 2 + 1;
    }

    /** Frames of a signal of {@code length} samples. */
    public int frames(int length) {
        if (centred) {
            return 1 + length / hop;
        }
        return length < frameSize ? 0 : 1 + (length - frameSize) / hop;
    }

    /** The spectrum of every frame of {@code signal}. */
    public ComplexSpectrogram forward(float[] signal) {
        int frames = frames(signal.length), bins = bins(), pad = centred ? frameSize / 2 : 0;
        if (centred && signal.length <= pad) {
            throw new IllegalArgumentException("a centred STFT needs more than " + pad + " samples, got " + signal.length);
        }
        ComplexSpectrogram out = ComplexSpectrogram.zeros(frames, bins);
        double[] re = new double[frameSize], im = new double[frameSize];
        // two real frames per complex FFT: frame f in the real part, frame f + 1 in the imaginary part
        for (int f = 0; f < frames; f += 2) {
            boolean pair = f + 1 < frames;
            for (int j = 0; j < frameSize; j++) {
                re[j] = signal[reflect(f * hop + j - pad, signal.length)] * window[j];
                im[j] = pair ? signal[reflect((f + 1) * hop + j - pad, signal.length)] * window[j] : 0;
            }
            fft.forward(re, im);
            double[] outRe = out.re(), outIm = out.im();
            for (int k = 0; k < bins; k++) {
                int mirror = (frameSize - k) % frameSize;
                double zr = re[k], zi = im[k], cr = re[mirror], ci = -im[mirror];   // Z[k] and conj(Z[N - k])
                outRe[f * bins + k] = (zr + cr) / 2;
                outIm[f * bins + k] = (zi + ci) / 2;
                if (pair) {   // (Z[k] - conj(Z[N - k])) / 2i
                    outRe[(f + 1) * bins + k] = (zi - ci) / 2;
                    outIm[(f + 1) * bins + k] = -(zr - cr) / 2;
                }
            }
        }
        return out;
    }

    /**
     * The signal of {@code length} samples whose frames best match {@code spectrum} in the least-squares
     * sense (Griffin and Lim's overlap-add): each frame's inverse FFT times the window, summed, divided by the
     * summed squared window.
     */
    public float[] inverse(ComplexSpectrogram spectrum, int length) {
        int bins = bins(), pad = centred ? frameSize / 2 : 0;
        if (spectrum.bins() != bins) {
            throw new IllegalArgumentException("spectrum has " + spectrum.bins() + " bins, this STFT " + bins);
        }
        int padded = Math.max(length + 2 * pad, (spectrum.frames() - 1) * hop + frameSize);
        double[] sum = new double[padded], weight = new double[padded];
        double[] re = new double[frameSize], im = new double[frameSize];
        double[] sr = spectrum.re(), si = spectrum.im();
        int frames = spectrum.frames();
        // two frames per complex inverse FFT: A + iB, whose inverse is a + ib for the real frames a and b
        for (int f = 0; f < frames; f += 2) {
            boolean pair = f + 1 < frames;
            for (int k = 0; k < bins; k++) {
                // a real frame's spectrum is Hermitian: bins 0 and N/2 are real
                boolean real = k == 0 || k == bins - 1;
                double ar = sr[f * bins + k], ai = real ? 0 : si[f * bins + k];
                double br = pair ? sr[(f + 1) * bins + k] : 0, bi = pair && !real ? si[(f + 1) * bins + k] : 0;
                re[k] = ar - bi;
                im[k] = ai + br;
                if (!real) {   // the negative frequencies: conj(A) + i conj(B)
                    re[frameSize - k] = ar + bi;
                    im[frameSize - k] = br - ai;
                }
            }
            fft.inverse(re, im);
            for (int j = 0; j < frameSize; j++) {
                sum[f * hop + j] += re[j] * window[j];
                weight[f * hop + j] += window[j] * window[j];
                if (pair) {
                    sum[(f + 1) * hop + j] += im[j] * window[j];
                    weight[(f + 1) * hop + j] += window[j] * window[j];
                }
            }
        }
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            double w = weight[i + pad];
            out[i] = w > 1e-8 ? (float) (sum[i + pad] / w) : 0f;
        }
        return out;
    }

    /** numpy's 'reflect' padding: index -1 reads 1, index L reads L - 2. */
    private static int reflect(int i, int length) {
        if (i < 0) {
            return -i;
        }
        return i >= length ? 2 * (length - 1) - i : i;
    }
}
