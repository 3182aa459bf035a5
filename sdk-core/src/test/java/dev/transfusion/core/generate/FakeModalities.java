package dev.transfusion.core.generate;

import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Part;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import dev.transfusion.api.spi.LatentCodec;
import dev.transfusion.api.spi.PatchGeometry;
import dev.transfusion.api.spi.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Minimal plugins for engine tests: letters as tokens, and 8x8 images as 4-channel latents. */
final class FakeModalities {
    private FakeModalities() {
    }

    /** 'a'..'z' and ' ' map to ids 5..31; specials 0..4 are bos, eos, boi, eoi, pad. */
    static final Tokenizer LETTERS = new Tokenizer() {
        @Override
        public int[] encode(String text) {
            return text.chars().map(ch -> ch == ' ' ? 31 : 5 + (ch - 'a')).toArray();
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder b = new StringBuilder();
            for (int id : ids) {
                b.append(id == 31 ? ' ' : id >= 5 && id < 31 ? (char) ('a' + id - 5) : '?');
            }
            return b.toString();
        }

        @Override
        public int vocabSize() {
            return 64;
        }

        @Override
        public int maxTokenBytes() {
            return 1;   // one letter a token
        }

        @Override
        public List<String> specialTokens() {
            return List.of("<bos>", "<eos>", "<boi>", "<eoi>", "<pad>");
        }

        @Override
        public @Nullable Integer specialTokenId(String token) {
            int i = specialTokens().indexOf(token);
            return i < 0 ? null : i;
        }

        @Override
        public void save(Path directory) {
            throw new UnsupportedOperationException();
        }
    };

    /** RGB in [-1, 1] as channels 0..2, channel 3 zero; 8x8 pixels. */
    static final LatentCodec PIXELS = new LatentCodec() {
        @Override
        public Latent encode(Part part) {
            RgbImage img = ((ImagePart) part).image();
            float[] v = new float[4 * 64];
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        v[(ch * 8 + y) * 8 + x] = img.channel(x, y, ch) / 127.5f - 1;
                    }
                }
            }
            return new Latent(4, 8, 8, v);
        }

        @Override
        public Part decode(Latent latent) {
            int[] px = new int[64];
            for (int i = 0; i < 64; i++) {
                int rgb = 0;
                for (int ch = 0; ch < 3; ch++) {
                    int b = Math.max(0, Math.min(255, Math.round((latent.values()[ch * 64 + i] + 1) * 127.5f)));
                    rgb = rgb << 8 | b;
                }
                px[i] = rgb;
            }
            return new ImagePart(RgbImage.fromPackedRgb(8, 8, px));
        }

        @Override
        public int latentChannels() {
            return 4;
        }

        @Override
        public PatchGeometry geometry() {
            return new PatchGeometry(2);
        }
    };
}
