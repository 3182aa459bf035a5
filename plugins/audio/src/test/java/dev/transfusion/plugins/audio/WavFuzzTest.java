package dev.transfusion.plugins.audio;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.plugins.audio.tones.TonesDataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Damaged WAV bytes decode to a clip or fail with {@link InvalidInputException}, never anything else: edge
 * cases first (empty, every cut of the header, one byte short), then 400 inputs drawn with seed 20261201.
 */
class WavFuzzTest {
    static final long SEED = 20261201L;

    @Test
    void damagedWavBytesDecodeOrAreRefusedCleanly() {
        byte[] valid = WavFile.encode(new AudioClip(Arrays.copyOf(TonesDataset.of(TonesDataset.Split.TEST).sample(0).clip().samples(), 64)));
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(new byte[0]);
        for (int cut = 1; cut <= 46; cut++) {
            inputs.add(Arrays.copyOf(valid, cut));
        }
        inputs.add(Arrays.copyOf(valid, valid.length - 1));
        for (int field : new int[] {4, 16, 40}) {   // the RIFF, fmt and data sizes at their extremes
            for (int value : new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1}) {
                byte[] b = valid.clone();
                b[field] = (byte) value;
                b[field + 1] = (byte) (value >> 8);
                b[field + 2] = (byte) (value >> 16);
                b[field + 3] = (byte) (value >> 24);
                inputs.add(b);
            }
        }
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 400; i++) {
            byte[] b;
            switch (i % 4) {
                case 0 -> b = Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                case 1 -> {
                    b = valid.clone();
                    for (int k = random.nextInt(1, 6); k > 0; k--) {
                        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> {   // the header then noise
                    b = Arrays.copyOf(valid, 12 + random.nextInt(200));
                    for (int k = 12; k < b.length; k++) {
                        b[k] = (byte) random.nextInt(256);
                    }
                }
                default -> {
                    b = new byte[random.nextInt(300)];
                    for (int k = 0; k < b.length; k++) {
                        b[k] = (byte) random.nextInt(256);
                    }
                }
            }
            inputs.add(b);
        }
        for (int t = 0; t < inputs.size(); t++) {
            byte[] b = inputs.get(t);
            try {
                AudioClip clip = WavFile.decode(b, "input");
                assertTrue(clip.length() >= 1 && 2L * clip.length() <= b.length, "try " + t);
            } catch (InvalidInputException expected) {
                assertTrue(expected.getMessage().startsWith("input"), "the message names the input: " + expected.getMessage());
            } catch (RuntimeException e) {
                fail("seed " + SEED + " try " + t + " input " + HexFormat.of().formatHex(b) + ": " + e, e);
            }
        }
    }
}
