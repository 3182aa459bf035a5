package dev.transfusion.plugins.audio.tones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.plugins.audio.AudioClip;
import dev.transfusion.plugins.audio.WavFile;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TonesDatasetTest {
    @Test
    void aSampleIsAPureFunctionOfTheSeedAndIndex() {
        TonesDataset train = TonesDataset.of(TonesDataset.Split.TRAIN);
        ToneDraw d = train.draw(17);
        assertEquals(TonesDataset.render(d.attributes(), d.f0(), d.peak()), train.sample(17));
        assertEquals(train.sample(17), new TonesDataset(TonesDataset.TRAIN_SEED).sample(17));
        assertEquals(train.samples(10, 5).get(2), train.sample(12));
        assertNotEquals(train.sample(17).clip(), TonesDataset.of(TonesDataset.Split.TEST).sample(17).clip());
        assertNotEquals(train.sample(17).clip(), train.sample(18).clip());
    }

    @Test
    void theSplitsDrawEveryCombinationAboutEquallyWithJitterInTheSpecsBounds() {
        int[] counts = new int[72];
        TonesDataset train = TonesDataset.of(TonesDataset.Split.TRAIN);
        for (int i = 0; i < 7200; i++) {
            ToneDraw s = train.draw(i);
            counts[s.attributes().index()]++;
            double quarterTone = Math.pow(2, 1 / 24.0), jitter = Math.pow(2, 1 / 4.0);
            double f0 = s.attributes().pitch().hz(), peak = s.attributes().loudness().peak();
            assertTrue(s.f0() >= f0 / quarterTone && s.f0() <= f0 * quarterTone, "f0 " + s.f0());
            assertTrue(s.peak() >= peak / jitter && s.peak() <= peak * jitter, "peak " + s.peak());
        }
        for (int i = 0; i < 72; i++) {
            assertTrue(counts[i] > 60 && counts[i] < 140, "combination " + i + " drawn " + counts[i] + " times of 7200");
        }
    }

    @Test
    void combinationsIndexCaptionsAndQuestionsFollowTheSpec() {
        Set<String> captions = new HashSet<>();
        for (int i = 0; i < 72; i++) {
            ToneAttributes a = ToneAttributes.ofIndex(i);
            assertEquals(i, a.index());
            assertEquals(a, ToneCaption.parse(a.caption()));
            captions.add(a.caption());
        }
        assertEquals(72, captions.size());
        ToneAttributes a = new ToneAttributes(TonePitch.LOW, ToneContour.STEADY, ToneRhythm.ONE, ToneTimbre.PURE, ToneLoudness.LOUD);
        assertEquals("a loud pure low tone, steady, one note", a.caption());
        assertEquals(List.of(new ToneQuestion("how high is the tone?", "low"), new ToneQuestion("does it rise or fall?", "steady"),
                new ToneQuestion("how many notes?", "one"), new ToneQuestion("is it pure or buzzy?", "pure"),
                new ToneQuestion("is it loud or quiet?", "loud")), a.questions());
        assertEquals(ToneQuestion.QUESTIONS, a.questions().stream().map(ToneQuestion::question).toList());
    }

    @Test
    void aClipIsOneSecondSilentOutsideItsNotesAndPeaksAtItsLoudness() {
        ToneAttributes a = new ToneAttributes(TonePitch.MIDDLE, ToneContour.FALLING, ToneRhythm.THREE, ToneTimbre.BUZZY,
                ToneLoudness.LOUD);
        ToneSample s = TonesDataset.render(a, 450, 0.45);
        float[] x = s.clip().samples();
        assertEquals(8000, x.length);
        double peak = 0;
        for (int n = 0; n < 8000; n++) {
            double t = n / 8000.0;
            boolean sounding = t > 0.05 && t < 0.25 || t > 0.40 && t < 0.60 || t > 0.75 && t < 0.95;
            if (!sounding) {
                assertEquals(0, x[n], 0, "silent at sample " + n);
            }
            peak = Math.max(peak, Math.abs(x[n]));
        }
        assertEquals(0.45, peak, 1.0 / 32768, "a buzzy clip is normalised to its peak");
        // the 10 ms fade-in: 5 ms into the first note the gain is one half
        assertTrue(Math.abs(x[440]) <= 0.5 * 0.45 + 1e-4, "sample 440 " + x[440]);
    }

    @Test
    void clipsAreOnTheSixteenBitGridSoTheirWavFilesHoldThemExactly(@TempDir Path dir) {
        ToneSample s = TonesDataset.of(TonesDataset.Split.VALIDATION).sample(5);
        for (float v : s.clip().samples()) {
            assertEquals(v, Math.round(v * 32768) / 32768f, 0);
        }
        WavFile.write(dir.resolve("s.wav"), s.clip());
        AudioClip back = WavFile.read(dir.resolve("s.wav"));
        assertEquals(s.clip(), back);
        assertTrue(TonesJudge.judgeClip(back, s.attributes()).all());
    }
}
