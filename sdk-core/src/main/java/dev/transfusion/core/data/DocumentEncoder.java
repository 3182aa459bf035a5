package dev.transfusion.core.data;

import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.ModalityPart;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.Tokenizer;
import dev.transfusion.core.TransfusionConfig;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The "plugin encode" step for interleaved documents: a {@link Document} to an {@link EncodedDocument}
 * {@code [BOS, text.., BOI] image [EOI, text.., BOI] image [EOI, .., EOS]}: text parts through the
 * tokenizer, image parts through the frozen codec, each image between BOI and EOI, the whole between BOS
 * and EOS. (Caption/image training pairs use {@link PairBuilder}, which also chooses their layout.)
 */
public final class DocumentEncoder {
    private final TransfusionConfig.SpecialTokens special;
    private final Tokenizer tokenizer;
    private final @Nullable LatentCodec images;

    /**
     * An encoder.
     *
     * @param images the image codec, or null when only text documents will be encoded
     */
    public DocumentEncoder(TransfusionConfig config, Tokenizer tokenizer, @Nullable LatentCodec images) {
        this.special = config.specialTokens();
        this.tokenizer = tokenizer;
        this.images = images;
    }

    /**
     * Encodes a document.
     *
     * @throws InvalidInputException for an image part without an image codec, or a part of another modality
     */
    public EncodedDocument encode(Document doc) {
        List<EncodedDocument.Segment> out = new ArrayList<>();
        IntRun run = new IntRun();
        run.add(special.bos());
        for (Part part : doc.parts()) {
            if (part instanceof TextPart t) {
                for (int id : tokenizer.encode(t.text())) {
                    run.add(id);
                }
            } else if (part instanceof ImagePart img) {
                if (images == null) {
                    throw new InvalidInputException("document has an image but no image codec was given");
                }
                run.add(special.boi());
                out.add(EncodedDocument.tokens(run.take()));
                out.add(EncodedDocument.image(images.encode(img)));
                run.add(special.eoi());
            } else if (part instanceof ModalityPart m) {
                throw new InvalidInputException("DocumentEncoder handles text and image parts, not '" + m.modality() + "'");
            }
        }
        run.add(special.eos());
        out.add(EncodedDocument.tokens(run.take()));
        return new EncodedDocument(out);
    }

    /** A growing run of token ids. */
    private static final class IntRun {
        private int[] ids = new int[16];
        private int n;

        void add(int id) {
            if (n == ids.length) {
                ids = java.util.Arrays.copyOf(ids, 2 * n);
            }
            ids[n++] = id;
        }

        int[] take() {
            int[] r = java.util.Arrays.copyOf(ids, n);
            n = 0;
            return r;
        }
    }
}
