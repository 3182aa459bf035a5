package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.ConfigOverrides;
import dev.transfusion.core.TransfusionConfig;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Packing and masks on small cases, every expected array written out by hand. */
class SequencePackerTest {
    static final int BOS = 0, EOS = 1, BOI = 2, EOI = 3, PAD = 4, X = -100;

    /** One latent channel, 2x2 patches: P = 4. */
    static final TransfusionConfig CONFIG = new TransfusionConfig(64, 32, 2, 2, 48, 1, 2, 32, 10000.0, 1e-5, 1000,
            5.0, TransfusionConfig.SpecialTokens.DEFAULT, "linear", 14, 0.2, 500, 0.1, null, null);
    final SequencePacker packer = new SequencePacker(CONFIG);

    /** [1, 4, 4] holding 0 .. 15 row-major: 2x2 = 4 patches. */
    static Latent latent16() {
        float[] v = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
        }
        return new Latent(1, 4, 4, v);
    }

    static EncodedDocument captionThenImage(EncodedDocument.Segment image) {
        return EncodedDocument.of(EncodedDocument.tokens(BOS, 10, 11, BOI), image, EncodedDocument.tokens(EOI, EOS));
    }

    static boolean[] mask(String... rows) {
        int n = rows.length;
        boolean[] m = new boolean[n * n];
        for (int i = 0; i < n; i++) {
            assertEquals(n, rows[i].length());
            for (int j = 0; j < n; j++) {
                m[i * n + j] = rows[i].charAt(j) == '1';
            }
        }
        return m;
    }

    static boolean[] bits(String s) {
        boolean[] b = new boolean[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = s.charAt(i) == '1';
        }
        return b;
    }

    @Test
    void causalSpanAttentionLetsEachPatchSeeOnlyThoseBeforeIt() {
        TransfusionConfig causal = ConfigOverrides.apply(CONFIG, "{\"span_attention\": \"causal\"}", "--config");
        EncodedDocument a = captionThenImage(EncodedDocument.imageAt(latent16(), 250, new float[16]));
        PackedBatch r = new SequencePacker(causal).packRow(List.of(a), 10, new SplittableRandom(1));
        assertArrayEquals(mask(
                "1000000000",
                "1100000000",
                "1110000000",
                "1111000000",
                "1111100000",   // the first patch sees the caption and itself, not the patches after it
                "1111110000",
                "1111111000",
                "1111111100",
                "1111111110",
                "1111111111"),
                r.rows().allowed());
    }

    @Test
    void captionImageDocumentThenTextDocumentThenPadding() {
        float[] ones = new float[16];
        Arrays.fill(ones, 1f);
        EncodedDocument a = captionThenImage(EncodedDocument.imageAt(latent16(), 250, ones));
        EncodedDocument b = EncodedDocument.of(EncodedDocument.tokens(BOS, 20, EOS));
        PackedBatch r = packer.packRow(List.of(a, b), 14, new SplittableRandom(1));
        assertEquals(1, r.batch());
        assertEquals(14, r.length());
        assertEquals(4, r.patchDim());
        //                               BOS 10  11 BOI  i   i   i   i  EOI EOS BOS 20 EOS PAD
        assertArrayEquals(new int[] {BOS, 10, 11, BOI, PAD, PAD, PAD, PAD, EOI, EOS, BOS, 20, EOS, PAD}, r.rows().tokens());
        assertArrayEquals(new int[] {10, 11, BOI, X, X, X, X, X, EOS, X, 20, EOS, X, X}, r.targets());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 0}, r.rows().positions());
        assertArrayEquals(bits("00001111000000"), r.rows().isImage());
        assertArrayEquals(new int[] {-1, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1}, r.imageId());
        assertArrayEquals(new int[] {0, 0, 0, 0, 250, 250, 250, 250, 0, 0, 0, 0, 0, 0}, r.rows().timesteps());
        assertArrayEquals(mask(
                "10000000000000",
                "11000000000000",
                "11100000000000",
                "11110000000000",
                "11111111000000",   // the image's patches see each other, and the caption
                "11111111000000",
                "11111111000000",
                "11111111000000",
                "11111111100000",
                "11111111110000",
                "00000000001000",   // the second document sees only itself
                "00000000001100",
                "00000000001110",
                "00000000000001"),  // padding: itself only
                r.rows().allowed());
        // x_t = sqrt(abar_250) x0 + sqrt(1 - abar_250) * 1, abar_250 = 0.8458879864968832:
        // sqrt = 0.91972169, sqrt(1 - abar) = 0.39257103; patches (c, py, px) row-major over the 2x2 grid
        float a250 = 0.91972169f, n250 = 0.39257103f;
        float[][] x0 = {{0, 1, 4, 5}, {2, 3, 6, 7}, {8, 9, 12, 13}, {10, 11, 14, 15}};
        float[] expected = new float[14 * 4];
        float[] noise = new float[14 * 4];
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 4; j++) {
                expected[(4 + k) * 4 + j] = a250 * x0[k][j] + n250;
                noise[(4 + k) * 4 + j] = 1f;
            }
        }
        assertArrayEquals(expected, r.rows().patches(), 1e-5f);
        assertArrayEquals(noise, r.noise());
    }

    @Test
    void imageFirstDocument() {
        EncodedDocument d = EncodedDocument.of(EncodedDocument.tokens(BOS, BOI), EncodedDocument.image(latent16(), 500),
                EncodedDocument.tokens(EOI, 30, 31, EOS));
        PackedBatch r = packer.packRow(List.of(d), 10, new SplittableRandom(7));
        assertArrayEquals(new int[] {BOS, BOI, PAD, PAD, PAD, PAD, EOI, 30, 31, EOS}, r.rows().tokens());
        assertArrayEquals(new int[] {BOI, X, X, X, X, X, 30, 31, EOS, X}, r.targets());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, r.rows().positions());
        assertArrayEquals(bits("0011110000"), r.rows().isImage());
        assertArrayEquals(new int[] {-1, -1, 0, 0, 0, 0, -1, -1, -1, -1}, r.imageId());
        assertArrayEquals(mask(
                "1000000000",
                "1100000000",
                "1111110000",
                "1111110000",
                "1111110000",
                "1111110000",
                "1111111000",
                "1111111100",
                "1111111110",
                "1111111111"), r.rows().allowed());
        int t = r.rows().timesteps()[2];
        assertTrue(t >= 0 && t < 500, "t " + t);
        // the drawn noise is recorded, and x_t is made from it
        float[] eps = Arrays.copyOfRange(r.noise(), 2 * 4, 6 * 4);
        float[] x0 = {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15};
        assertArrayEquals(packer.schedule().addNoise(x0, eps, t), Arrays.copyOfRange(r.rows().patches(), 8, 24));
    }

    @Test
    void stackedRowsGetBatchUniqueImageIds() {
        EncodedDocument two = EncodedDocument.of(EncodedDocument.tokens(BOS, BOI), EncodedDocument.image(latent16()),
                EncodedDocument.tokens(EOI, BOI), EncodedDocument.image(latent16()), EncodedDocument.tokens(EOI));
        EncodedDocument text = EncodedDocument.of(EncodedDocument.tokens(BOS, 5, 6, EOS));
        EncodedDocument one = EncodedDocument.of(EncodedDocument.tokens(BOI), EncodedDocument.image(latent16()),
                EncodedDocument.tokens(EOI));
        SplittableRandom rng = new SplittableRandom(3);
        PackedBatch r0 = packer.packRow(List.of(two), 13, rng);
        PackedBatch r1 = packer.packRow(List.of(text), 13, rng);
        PackedBatch r2 = packer.packRow(List.of(one), 13, rng);
        // [BOS BOI i i i i EOI BOI i i i i EOI] fills the row: the text document no longer fits
        var e = assertThrows(InvalidInputException.class, () -> packer.packRow(List.of(two, text), 13, rng));
        assertEquals("document 1 needs 4 positions but only 0 of the row's 13 are left", e.getMessage());
        assertArrayEquals(new int[] {-1, -1, 0, 0, 0, 0, -1, -1, 1, 1, 1, 1, -1}, r0.imageId());
        PackedBatch b = SequencePacker.stack(List.of(r0, r1, r2));
        assertEquals(3, b.batch());
        assertArrayEquals(new int[] {
            -1, -1, 0, 0, 0, 0, -1, -1, 1, 1, 1, 1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, 2, 2, 2, 2, -1, -1, -1, -1, -1, -1, -1, -1}, b.imageId());
        assertEquals(3, b.imageCount());
        // no target at either BOI, at the patches, or at the document's last position
        assertArrayEquals(new int[] {BOI, X, X, X, X, X, BOI, X, X, X, X, X, X}, Arrays.copyOf(b.targets(), 13));
        assertArrayEquals(mask(
                "1000000000000",
                "1100000000000",
                "1111110000000",
                "1111110000000",
                "1111110000000",
                "1111110000000",
                "1111111000000",
                "1111111100000",
                "1111111111110",   // the second image sees the first image and itself, all of it
                "1111111111110",
                "1111111111110",
                "1111111111110",
                "1111111111111"), Arrays.copyOf(b.rows().allowed(), 169));
        assertArrayEquals(r2.rows().patches(), Arrays.copyOfRange(b.rows().patches(), 2 * 13 * 4, 3 * 13 * 4));
        assertArrayEquals(r2.rows().allowed(), Arrays.copyOfRange(b.rows().allowed(), 2 * 169, 3 * 169));
        // stacking a stacked batch again keeps ids contiguous
        assertArrayEquals(b.imageId(), SequencePacker.stack(List.of(b)).imageId());
    }

    @Test
    void greedyPackingFillsRowsWithWholeDocumentsInOrder() {
        EncodedDocument ten = captionThenImage(EncodedDocument.image(latent16()));   // 10 positions
        EncodedDocument three = EncodedDocument.of(EncodedDocument.tokens(BOS, 20, EOS));
        EncodedDocument eight = EncodedDocument.of(EncodedDocument.tokens(BOS, 1, 2, 3, 4, 5, 6, EOS));
        EncodedDocument five = EncodedDocument.of(EncodedDocument.tokens(BOS, 7, 8, 9, EOS));
        List<EncodedDocument> docs = List.of(ten, three, eight, five, three);
        assertEquals(List.of(List.of(ten, three), List.of(eight, five), List.of(three)), packer.planRows(docs, 14));
        List<PackedBatch> batches = packer.pack(docs, 2, 14, new SplittableRandom(5));
        assertEquals(2, batches.size());
        assertEquals(2, batches.get(0).batch());
        assertEquals(1, batches.get(1).batch(), "the rows left over");
        assertArrayEquals(new int[] {BOS, 1, 2, 3, 4, 5, 6, EOS, BOS, 7, 8, 9, EOS, PAD},
                Arrays.copyOfRange(batches.get(0).rows().tokens(), 14, 28));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 0},
                Arrays.copyOfRange(batches.get(0).rows().positions(), 14, 28));
        // same seed, same batches
        assertArrayEquals(batches.get(0).rows().patches(), packer.pack(docs, 2, 14, new SplittableRandom(5)).get(0).rows().patches());

        EncodedDocument long15 = EncodedDocument.of(EncodedDocument.tokens(new int[15]));
        var e = assertThrows(InvalidInputException.class, () -> packer.pack(List.of(three, ten, long15), 2, 14,
                new SplittableRandom(1)));
        assertEquals("document 2 needs 15 positions, more than a row of 14", e.getMessage());
    }

    @Test
    void badInputsAreNamed() {
        var e = assertThrows(InvalidInputException.class, () -> packer.packRow(
                List.of(EncodedDocument.of(EncodedDocument.tokens(BOS, 64))), 14, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("token id 64"), e.getMessage());
        Latent threeChannels = new Latent(3, 2, 2, new float[12]);
        e = assertThrows(InvalidInputException.class, () -> packer.packRow(
                List.of(EncodedDocument.of(EncodedDocument.image(threeChannels))), 14, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> packer.packRow(
                List.of(EncodedDocument.of(EncodedDocument.imageAt(latent16(), 1000, null))), 14, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("step t 1000"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> packer.packRow(
                List.of(EncodedDocument.of(EncodedDocument.imageAt(latent16(), 3, new float[5]))), 14, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("fixed noise has 5 values"), e.getMessage());
    }
}
