package dev.transfusion.plugins.audio.tones;

/**
 * A second renderer of the tones-v1 spec, written apart from {@link ToneRenderer} and as plainly as possible:
 * the phase is summed sample by sample (midpoint rule, in cycles), the notes are a list of sample ranges, and
 * the harmonics are switched per sample. It shares nothing with the generator but the attribute enums.
 */
final class SimpleToneSynth {
    private SimpleToneSynth() {
    }

    static float[] render(String contour, int notes, boolean buzzy, double f0, double peak) {
        double rate = 8000;
        double[][] spans = notes == 1 ? new double[][] {{0.05, 0.95}} : new double[][] {{0.05, 0.25}, {0.40, 0.60}, {0.75, 0.95}};
        double exponent = switch (contour) {
            case "rising" -> 1;
            case "falling" -> -1;
            default -> 0;
        };
        double[] out = new double[8000];
        double cycles = 0, loudest = 0;
        for (int n = 0; n < 8000; n++) {
            double time = n / rate;
            double gain = 0;
            for (double[] span : spans) {
                double in = (time - span[0]) / 0.01, outOf = (span[1] - time) / 0.01;
                gain = Math.max(gain, Math.max(0, Math.min(1, Math.min(in, outOf))));
            }
            double hz = f0 * Math.pow(2, exponent * ((time - 0.05) / 0.9 - 0.5));
            double value = 0;
            for (int h = 1; h <= (buzzy ? 7 : 1); h += 2) {
                if (h * hz < 3900) {
                    value += Math.sin(2 * Math.PI * h * cycles) / h;
                }
            }
            out[n] = gain * value;
            loudest = Math.max(loudest, Math.abs(out[n]));
            double mid = (n + 0.5) / rate;
            cycles += f0 * Math.pow(2, exponent * ((mid - 0.05) / 0.9 - 0.5)) / rate;
        }
        float[] clip = new float[8000];
        for (int n = 0; n < 8000; n++) {
            clip[n] = (float) (out[n] * (buzzy ? peak / loudest : peak));
        }
        return clip;
    }
}
