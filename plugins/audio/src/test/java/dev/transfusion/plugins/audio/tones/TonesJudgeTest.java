package dev.transfusion.plugins.audio.tones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.plugins.audio.AudioClip;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TonesJudgeTest {
    static final int CLIPS = 300;

    @Test
    void readsTheRenderersHeldOutClipsRightInAllFiveAttributes() {
        ToneTally tally = new ToneTally();
        for (ToneSample s : TonesDataset.of(TonesDataset.Split.TEST).samples(0, CLIPS)) {
            tally.add(TonesJudge.judgeClip(s.clip(), s.attributes()));
        }
        System.out.println("TonesJudgeTest: renderer's test clips read right " + tally);
        assertTrue(tally.all() >= 0.99 && tally.worstAttribute() >= 0.99, tally.toString());
    }

    @Test
    void aClipRenderedWithAnotherAttributeReadsWrongInThatAttributeOnly() {
        List<ToneSample> samples = TonesDataset.of(TonesDataset.Split.TEST).samples(1000, 60);
        List<Function<ToneAttributes, ToneAttributes>> changes = List.of(
                a -> a.withPitch(TonePitch.values()[(a.pitch().ordinal() + 1) % 3]),
                a -> a.withContour(ToneContour.values()[(a.contour().ordinal() + 1) % 3]),
                a -> a.withRhythm(a.rhythm() == ToneRhythm.ONE ? ToneRhythm.THREE : ToneRhythm.ONE),
                a -> a.withTimbre(a.timbre() == ToneTimbre.PURE ? ToneTimbre.BUZZY : ToneTimbre.PURE),
                a -> a.withLoudness(a.loudness() == ToneLoudness.LOUD ? ToneLoudness.QUIET : ToneLoudness.LOUD));
        int flipped = 0, total = 0;
        for (ToneSample s : samples) {
            for (int attribute = 0; attribute < changes.size(); attribute++) {
                ToneAttributes other = changes.get(attribute).apply(s.attributes());
                // the jitters stay; the pitch and loudness jitter factors carry over to the new level
                double f0 = other.pitch().hz() * s.f0() / s.attributes().pitch().hz();
                double peak = other.loudness().peak() * s.peak() / s.attributes().loudness().peak();
                ToneVerdict v = TonesJudge.judgeClip(TonesDataset.render(other, f0, peak).clip(), s.attributes());
                boolean[] right = {v.pitch(), v.contour(), v.rhythm(), v.timbre(), v.loudness()};
                boolean expected = true;
                for (int j = 0; j < right.length; j++) {
                    expected &= right[j] == (j != attribute);
                }
                flipped += expected ? 1 : 0;
                total++;
            }
        }
        assertTrue(flipped >= 0.99 * total, "verdict flipped in exactly the changed attribute for " + flipped + "/" + total);
    }

    @Test
    void aClipIsJudgedAgainstItsCaptionText() {
        ToneSample s = TonesDataset.of(TonesDataset.Split.TEST).sample(7);
        assertTrue(TonesJudge.judgeClip(s.clip(), s.caption()).all());
        assertTrue(TonesJudge.judgeClip(s.clip(), s.caption().toUpperCase(java.util.Locale.ROOT)).all());
        ToneAttributes other = s.attributes().withTimbre(s.attributes().timbre() == ToneTimbre.PURE ? ToneTimbre.BUZZY : ToneTimbre.PURE);
        assertEquals(new ToneVerdict(true, true, true, false, true), TonesJudge.judgeClip(s.clip(), other.caption()));
        assertEquals(ToneVerdict.WRONG, TonesJudge.judgeClip(s.clip(), "a tone"));
    }

    @Test
    void aSilentClipIsWrongInPitchContourAndTimbre() {
        ToneReading r = TonesJudge.read(new AudioClip(new float[8000]));
        assertNull(r.pitch());
        assertNull(r.contour());
        assertNull(r.timbre());
        assertEquals(0, r.voicedFrames());
        ToneAttributes truth = ToneAttributes.ofIndex(0);
        ToneVerdict v = TonesJudge.judgeClip(new AudioClip(new float[8000]), truth);
        assertFalse(v.pitch() || v.contour() || v.timbre() || v.all());
    }

    @Test
    void theReadingsMeasurementsMatchTheSpecsNumbers() {
        ToneAttributes a = new ToneAttributes(TonePitch.MIDDLE, ToneContour.RISING, ToneRhythm.THREE, ToneTimbre.BUZZY,
                ToneLoudness.LOUD);
        ToneReading r = TonesJudge.read(TonesDataset.render(a, 440, 0.5).clip());
        // rising spans one octave over 0.9 s: 1.11 octaves a second
        assertEquals(1 / 0.9, r.slope(), 0.1);
        assertEquals(Math.log(440) / Math.log(2), r.medianLog2Hz(), 0.05);
        // the third harmonic has a third of the fundamental's amplitude
        assertEquals(1 / 3.0, r.timbreRatio(), 0.08);
        assertEquals(3, r.runs());
        assertTrue(r.percentile90() > 0.25 && r.percentile90() <= 0.5, "p90 " + r.percentile90());
    }

    @Test
    void aPeakAtTheEdgeOfThePitchRangeStaysAFrequencyInsideIt() {
        // 95 Hz sits just below the search range (bin 3.04): the largest bin inside is bin 4, its neighbour
        // outside is larger; the interpolated pitch must stay a real frequency near 125 Hz, not NaN or below 0
        float[] x = new float[8000];
        for (int n = 0; n < 8000; n++) {
            x[n] = (float) (0.5 * Math.sin(2 * Math.PI * 95 * n / 8000.0) + 0.02 * Math.sin(2 * Math.PI * 131.25 * n / 8000.0));
        }
        ToneReading r = TonesJudge.read(new AudioClip(x));
        assertTrue(Double.isFinite(r.medianLog2Hz()), "median " + r.medianLog2Hz());
        double hz = Math.pow(2, r.medianLog2Hz());
        assertTrue(hz >= 3.5 * 31.25 && hz <= 4.5 * 31.25, "tracked " + hz + " Hz");
        assertEquals(TonePitch.LOW, r.pitch());
    }

    @Test
    void percentileIsNearestRankAndMedianAveragesTheMiddleTwo() {
        float[] x = new float[10];
        for (int i = 0; i < 10; i++) {
            x[i] = -(i + 1) / 10f;   // |x| = 0.1 .. 1.0
        }
        assertEquals(0.9, TonesJudge.percentile90(x), 1e-6);   // rank ceil(9) = 9th smallest
        assertEquals(2.5, TonesJudge.median(new double[] {4, 1, 3, 2}), 1e-12);
        assertEquals(3, TonesJudge.median(new double[] {5, 1, 3}), 1e-12);
        assertEquals(2, TonesJudge.slope(new double[] {0, 1, 2}, new double[] {1, 3, 5}), 1e-12);
    }

    @Test
    void captionsAreJudgedByExactAttributeMatch() {
        ToneAttributes truth = new ToneAttributes(TonePitch.HIGH, ToneContour.FALLING, ToneRhythm.THREE, ToneTimbre.BUZZY,
                ToneLoudness.QUIET);
        assertEquals("a quiet buzzy high tone, falling, three notes", truth.caption());
        assertTrue(TonesJudge.judgeCaption(truth.caption(), truth).all());
        assertTrue(TonesJudge.judgeCaption("  A Quiet  buzzy high tone,   falling, three   notes ", truth).all());
        assertEquals(new ToneVerdict(false, true, true, true, true),
                TonesJudge.judgeCaption("a quiet buzzy low tone, falling, three notes", truth));
        assertEquals(new ToneVerdict(true, true, false, true, true),
                TonesJudge.judgeCaption("a quiet buzzy high tone, falling, one note", truth));
        assertEquals(ToneVerdict.WRONG, TonesJudge.judgeCaption("a quiet buzzy high tone falling three notes", truth));
        assertEquals(ToneVerdict.WRONG, TonesJudge.judgeCaption("a quiet buzzy high tone, falling, three notes.", truth));
        assertEquals(ToneVerdict.WRONG, TonesJudge.judgeCaption("", truth));
    }

    @Test
    void theTallyCountsEachAttribute() {
        ToneTally t = new ToneTally();
        assertEquals(0, t.all());
        t.add(new ToneVerdict(true, true, true, true, true));
        t.add(new ToneVerdict(true, false, true, true, false));
        assertEquals(2, t.count());
        assertEquals(0.5, t.all());
        assertEquals(1, t.pitch());
        assertEquals(0.5, t.contour());
        assertEquals(0.5, t.loudness());
        assertEquals(0.5, t.worstAttribute());
    }

    @Test
    void answersAreJudgedByExactMatch() {
        assertTrue(TonesJudge.judgeAnswer(" Three ", "three"));
        assertFalse(TonesJudge.judgeAnswer("three notes", "three"));
        assertFalse(TonesJudge.judgeAnswer("high.", "high"));
    }
}
