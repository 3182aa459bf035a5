package dev.transfusion.plugins.audio.tones;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.plugins.audio.AudioClip;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A renderer written apart from the generator ({@link SimpleToneSynth}) agrees with the judge and the generator. */
class IndependentRendererTest {
    @Test
    void theJudgeReadsTheSecondRenderersClipsRight() {
        SplittableRandom random = new SplittableRandom(20261201);
        ToneTally tally = new ToneTally();
        for (int i = 0; i < 200; i++) {
            ToneAttributes a = ToneAttributes.ofIndex(random.nextInt(72));
            double f0 = a.pitch().hz() * Math.pow(2, (2 * random.nextDouble() - 1) / 24);
            double peak = a.loudness().peak() * Math.pow(2, (2 * random.nextDouble() - 1) / 4);
            tally.add(TonesJudge.judgeClip(new AudioClip(synth(a, f0, peak)), a));
        }
        System.out.println("IndependentRendererTest: second renderer's clips read right " + tally);
        assertTrue(tally.all() >= 0.99 && tally.worstAttribute() >= 0.99, tally.toString());
    }

    @Test
    void theTwoRenderersProduceTheSameSamples() {
        double worst = 0;
        for (int i = 0; i < 72; i++) {
            ToneAttributes a = ToneAttributes.ofIndex(i);
            double f0 = a.pitch().hz() * 1.01, peak = a.loudness().peak() * 0.9;
            float[] ours = ToneRenderer.render(a, f0, peak), theirs = synth(a, f0, peak);
            for (int n = 0; n < ours.length; n++) {
                worst = Math.max(worst, Math.abs(ours[n] - theirs[n]) / peak);
            }
        }
        // the midpoint sum of the phase drifts from the exact integral by well under a thousandth of a cycle
        assertTrue(worst < 1e-3, "largest difference " + worst + " of the peak");
    }

    private static float[] synth(ToneAttributes a, double f0, double peak) {
        return SimpleToneSynth.render(a.contour().word(), a.rhythm().count(),
                a.timbre() == ToneTimbre.BUZZY, f0, peak);
    }
}
