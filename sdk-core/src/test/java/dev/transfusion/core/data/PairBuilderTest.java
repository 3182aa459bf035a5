package dev.transfusion.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.spi.Latent;
import dev.transfusion.core.TransfusionConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Caption/image pair layouts and their shares. */
class PairBuilderTest {
    static final int BOS = 0, EOS = 1, BOI = 2, EOI = 3;
    final TransfusionConfig config = TransfusionConfig.preset("tiny");   // shares 0.2 / 0.1, image-first t < 500
    final PairBuilder pairs = new PairBuilder(config);
    final Latent latent = new Latent(4, 4, 4, new float[64]);

    @Test
    void layoutsAreWrittenOut() {
        int[] caption = {7, 8, 9};
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, 7, 8, 9, BOI), EncodedDocument.image(latent),
                EncodedDocument.tokens(EOI, EOS)), pairs.build(caption, latent, PairBuilder.Layout.CAPTION_FIRST));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, BOI), EncodedDocument.image(latent, 500),
                EncodedDocument.tokens(EOI, 7, 8, 9, EOS)), pairs.build(caption, latent, PairBuilder.Layout.IMAGE_FIRST));
        assertEquals(EncodedDocument.of(EncodedDocument.tokens(BOS, BOI), EncodedDocument.image(latent),
                EncodedDocument.tokens(EOI, EOS)), pairs.build(caption, latent, PairBuilder.Layout.UNCONDITIONAL));
        assertEquals(5 + 4 + 2, pairs.build(caption, latent, PairBuilder.Layout.CAPTION_FIRST).length(TransfusionConfig.preset("tiny")));
    }

    @Test
    void sharesOverTenThousandDrawsAreTheConfigured() {
        SplittableRandom rng = new SplittableRandom(2024);
        Map<PairBuilder.Layout, Integer> count = new EnumMap<>(PairBuilder.Layout.class);
        for (int i = 0; i < 10_000; i++) {
            count.merge(pairs.draw(rng), 1, Integer::sum);
        }
        double imageFirst = count.get(PairBuilder.Layout.IMAGE_FIRST) / 10_000.0;
        int captionFirst = count.get(PairBuilder.Layout.CAPTION_FIRST), dropped = count.get(PairBuilder.Layout.UNCONDITIONAL);
        double dropout = dropped / (double) (captionFirst + dropped);
        // binomial standard errors: 0.004 and 0.0034; 4 of them allowed
        assertEquals(0.2, imageFirst, 0.016, "image-first share " + imageFirst);
        assertEquals(0.1, dropout, 0.014, "caption dropout " + dropout);
    }

    @Test
    void imageFirstImagesAreNoisedBelow500() {
        SequencePacker packer = new SequencePacker(config);
        SplittableRandom rng = new SplittableRandom(9);
        List<EncodedDocument> imageFirst = new ArrayList<>(), others = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            EncodedDocument d = pairs.build(new int[] {10, 11}, latent, rng);
            (((EncodedDocument.Tokens) d.segments().get(0)).ids().length == 2
                    && d.segments().get(2) instanceof EncodedDocument.Tokens end && end.ids().length > 2
                    ? imageFirst : others).add(d);
        }
        int maxImageFirst = maxT(packer, imageFirst, rng), maxOthers = maxT(packer, others, rng);
        assertTrue(maxImageFirst < 500, "image-first t reached " + maxImageFirst);
        assertTrue(maxOthers >= 900, "other pairs are noised over the whole schedule, max t " + maxOthers);
    }

    private static int maxT(SequencePacker packer, List<EncodedDocument> docs, SplittableRandom rng) {
        int max = -1;
        for (PackedBatch b : packer.pack(docs, 8, 40, rng)) {
            for (int i = 0; i < b.positionsCount(); i++) {
                if (b.rows().isImage()[i]) {
                    max = Math.max(max, b.rows().timesteps()[i]);
                }
            }
        }
        return max;
    }
}
