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
        for (int f = 0; f < frames; f++) {
            for (int j = 0; j < frameSize; j++) {
                re[j] = signal[reflect(f * hop + j - pad, signal.length)] * window[j];
                im[j] = 0;
            }
            fft.forward(re, im);
            System.arraycopy(re, 0, out.re(), f * bins, bins);
            System.arraycopy(im, 0, out.im(), f * bins, bins);
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
        for (int f = 0; f < spectrum.frames(); f++) {
            for (int k = 0; k < bins; k++) {
                re[k] = spectrum.re()[f * bins + k];
                im[k] = spectrum.im()[f * bins + k];
            }
            // a real signal's spectrum is Hermitian: fill the negative frequencies from the positive ones
            for (int k = bins; k < frameSize; k++) {
                re[k] = re[frameSize - k];
                im[k] = -im[frameSize - k];
            }
            im[0] = 0;
            im[frameSize / 2] = 0;
            fft.inverse(re, im);
            for (int j = 0; j < frameSize; j++) {
                sum[f * hop + j] += re[j] * window[j];
                weight[f * hop + j] += window[j] * window[j];
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
