package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.plugins.audio.tones.ToneSample;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import dev.transfusion.plugins.audio.tones.TonesJudge;
import dev.transfusion.plugins.audio.tones.ToneTally;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LogMelCodecTest {
    /** Held-out clips in the round trip; the report's figure is over 200. */
    static final int CLIPS = Integer.getInteger("audio.roundtrip.clips", 200);
    final LogMelCodec codec = new LogMelCodec();
    final LogMelCodec fine = new LogMelCodec(LogMelGrid.FINE);

    @ParameterizedTest
    @EnumSource(Grid.class)
    void theRoundTripKeepsAllFiveAttributesOfHeldOutClips(Grid grid) {
        LogMelCodec codec = new LogMelCodec(grid.grid);
        List<ToneSample> samples = TonesDataset.of(TonesDataset.Split.TEST).samples(0, CLIPS);
        ToneTally tally = new ToneTally();
        for (ToneSample s : samples) {
            Part decoded = codec.decode(codec.encode(s.clip().toPart()));
            tally.add(TonesJudge.judgeClip(AudioClip.of(decoded), s.attributes()));
        }
        System.out.println("LogMelCodecTest: held-out clips after the " + grid.grid.name()
                + " codec's round trip read right " + tally);
        assertTrue(tally.all() >= 0.99 && tally.worstAttribute() >= 0.99, tally.toString());
    }

    enum Grid {
        COARSE(LogMelGrid.COARSE), FINE(LogMelGrid.FINE);

        final LogMelGrid grid;

        Grid(LogMelGrid grid) {
            this.grid = grid;
        }
    }

    @Test
    void aClipEncodesOnTheCoarseGridToTheMeanEnergyOfEightFramesAColumn() {
        ToneSample s = TonesDataset.of(TonesDataset.Split.TEST).sample(0);
        Latent z = codec.encode(s.clip()), z1 = fine.encode(s.clip());
        assertArrayEquals(new int[] {1, 32, 8}, new int[] {z.channels(), z.height(), z.width()});
        for (int m = 0; m < 32; m++) {
            for (int c = 0; c < 8; c++) {
                double sum = 0;   // the fine grid's columns are single frames; the last coarse column has 7 (of 63)
                int frames = Math.min(63, 8 * c + 8) - 8 * c;
                for (int f = 8 * c; f < 8 * c + frames; f++) {
                    sum += Math.max(0, Math.exp(z1.get(0, m, f) * 2.148 - 3.327) - 0.01);
                }
                assertEquals((Math.log(sum / frames + 0.01) + 3.01) / 2.18, z.get(0, m, c), 2e-4, "mel " + m + ", column " + c);
            }
        }
    }

    @Test
    void aClipEncodesToThirtyTwoMelsBySixtyFourFramesWithASilentLastFrame() {
        LogMelCodec codec = fine;
        ToneSample s = TonesDataset.of(TonesDataset.Split.TEST).sample(0);
        Latent z = codec.encode(s.clip());
        assertEquals(1, z.channels());
        assertEquals(32, z.height());
        assertEquals(64, z.width());
        assertArrayEquals(new int[] {1, 32, 64}, codec.latentShape());
        float silent = (float) ((Math.log(0.01) + 3.327) / 2.148);   // -0.595, the data's floor
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int m = 0; m < 32; m++) {
            assertEquals(silent, z.get(0, m, 63), 1e-6);
            for (int f = 0; f < 64; f++) {
                min = Math.min(min, z.get(0, m, f));
                max = Math.max(max, z.get(0, m, f));
            }
        }
        assertEquals(silent, min, 1e-3, "silence (before 0.05 s) is the floor");
        assertTrue(max > 1 && max < 3.6, "loudest value " + max + " is inside the calibrated range");
        // the band holding f0 is the brightest in the middle of the note
        int brightest = 0;
        for (int m = 1; m < 32; m++) {
            if (z.get(0, m, 32) > z.get(0, brightest, 32)) {
                brightest = m;
            }
        }
        double f0 = s.f0() * Math.pow(2, s.attributes().contour().direction() * ((32 * 128 / 8000.0 - 0.05) / 0.9 - 0.5));
        assertTrue(Math.abs(centre(brightest) - f0) < Math.abs(centre(brightest) - centre(brightest + 1)) * 1.5,
                "band " + brightest + " (" + centre(brightest) + " Hz) holds f0 " + f0);
    }

    @Test
    void theSameLatentAlwaysDecodesToTheSameClip() {
        Latent z = codec.encode(TonesDataset.of(TonesDataset.Split.TEST).sample(3).clip());
        assertEquals(codec.decode(z), new LogMelCodec().decode(z));
    }

    @ParameterizedTest
    @EnumSource(Grid.class)
    void decodingClampsHugeValuesAndStaysInFullScale(Grid grid) {
        int[] shape = grid.grid.latentShape();
        float[] v = new float[shape[1] * shape[2]];
        Arrays.fill(v, 1e6f);   // a diverged sampler's output
        AudioClip clip = new LogMelCodec(grid.grid).decodeClip(new Latent(1, shape[1], shape[2], v));
        for (float x : clip.samples()) {
            assertTrue(Float.isFinite(x) && Math.abs(x) <= 1, "sample " + x);
        }
    }

    @Test
    void badInputIsRefusedNamingWhatWasExpected() {
        var shortClip = assertThrows(InvalidInputException.class, () -> codec.encode(new AudioClip(new float[4000])));
        assertEquals("the audio codec reads clips of exactly 8000 samples (1 s at 8000 Hz), got 4000", shortClip.getMessage());
        var text = assertThrows(InvalidInputException.class, () -> codec.encode(new TextPart("hello")));
        assertEquals("expected an 'audio' part, got a 'text' part", text.getMessage());
        var shape = assertThrows(InvalidInputException.class,
                () -> codec.encode(new ModalityPart("audio", new int[] {2, 4000}, new float[8000])));
        assertEquals("an 'audio' part has shape [samples], got [2, 4000]", shape.getMessage());
        var latent = assertThrows(InvalidInputException.class, () -> codec.decode(new Latent(4, 8, 8, new float[256])));
        assertEquals("the audio codec decodes latents [1, 32, 8], got [4, 8, 8]", latent.getMessage());
        var fineLatent = assertThrows(InvalidInputException.class, () -> codec.decode(new Latent(1, 32, 64, new float[2048])));
        assertEquals("the audio codec decodes latents [1, 32, 8], got [1, 32, 64]", fineLatent.getMessage());
        float[] nan = new float[32 * 8];
        nan[5 * 8 + 7] = Float.NaN;
        var nanLatent = assertThrows(InvalidInputException.class, () -> codec.decode(new Latent(1, 32, 8, nan)));
        assertEquals("the audio latent is NaN at mel 5, column 7", nanLatent.getMessage());
    }

    private static double centre(int band) {
        double lo = MelFilterBank.hzToMel(80), hi = MelFilterBank.hzToMel(4000);
        return MelFilterBank.melToHz(lo + (hi - lo) * (band + 1) / 33);
    }
}
