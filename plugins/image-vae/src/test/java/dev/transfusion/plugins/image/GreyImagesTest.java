package dev.transfusion.plugins.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.spi.Latent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-channel images end to end through the image plugin: files, fitting, both codecs, sheets. */
class GreyImagesTest {
    @TempDir
    Path tmp;

    /** A 28x28 grey gradient with a bright square, like a Fashion-MNIST item. */
    private static RgbImage item() {
        byte[] levels = new byte[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                levels[y * 28 + x] = (byte) (x >= 8 && x < 20 && y >= 8 && y < 20 ? 230 : x * 4);
            }
        }
        return RgbImage.grey(28, 28, levels);
    }

    @Test
    void aGreyImageSurvivesFileThenPixelCodecThenFile() throws IOException {
        Path in = tmp.resolve("item.png");
        ImageFiles.writePng(item(), in);
        assertEquals(1, ImageCodecs.header(Files.readAllBytes(in), "item.png").channels());
        RgbImage read = ImageFiles.read(in);
        assertEquals(item(), read);

        PixelCodec codec = new PixelCodec(28, 2, 1);
        Latent z = codec.encode(new ImagePart(read));
        assertEquals(1, z.channels(), "one latent channel: the grey levels");
        RgbImage decoded = ((ImagePart) codec.decode(z)).image();
        assertEquals(read, decoded, "grey in, the same grey out");

        Path out = tmp.resolve("decoded.png");
        ImageFiles.writePng(decoded, out);
        assertEquals(1, ImageCodecs.header(Files.readAllBytes(out), "decoded.png").channels(),
                "written as a greyscale PNG, not RGB");
        assertArrayEquals(item().greyLevels(), ImageFiles.read(out).greyLevels());
    }

    @Test
    void fittingKeepsAnImageGrey() {
        RgbImage fitted = ImageFiles.fit(item(), 32);
        assertTrue(fitted.isGrey(), "resized: " + fitted);
        assertEquals(32, fitted.width());
        assertTrue(ImageFiles.fit(item(), 28).isGrey());
    }

    @Test
    void aGreyVaeReadsOneChannelAndDecodesGreyImages() {
        VaeConfig c = TinyVae.config4x().withImageChannels(1);
        assertEquals(1, VaeNetwork.parameterShapes(c).get("enc.stem.w")[2], "the stem reads one channel");
        assertEquals(1, VaeNetwork.parameterShapes(c).get("dec.out.b")[0], "the decoder writes one channel");
        VaeCodec codec = TinyVae.codec(c);
        List<RgbImage> back = codec.reconstruct(List.of(item(), RgbImage.fromPackedRgb(1, 1, new int[] {0xff0000})));
        assertTrue(back.get(0).isGrey(), back.get(0).toString());
        assertTrue(back.get(1).isGrey(), "a colour image is read by its luma and comes back grey");
        assertEquals(32, back.get(0).width());
        // an RGB VAE keeps drawing RGB
        assertEquals(3, TinyVae.codec(TinyVae.config4x()).reconstruct(List.of(item())).get(0).channels());
    }

    @Test
    void aGreyCodecDirectoryLoadsAsGreyAndOldConfigsAsRgb() throws IOException {
        VaeConfig grey = TinyVae.config4x().withImageChannels(1);
        TinyVae.save(grey, tmp.resolve("grey"));
        VaeCodec loaded = (VaeCodec) new ImageVaePlugin().loadCodec(tmp.resolve("grey"));
        assertEquals(1, loaded.config().imageChannels());
        assertTrue(grey.toJson().contains("\"image_channels\" : 1"), grey.toJson());
        String old = TinyVae.config4x().toJson().replaceAll(",\\s*\"image_channels\" : 3", "");
        assertTrue(!old.contains("image_channels"), old);
        assertEquals(3, VaeConfig.fromJson(old, tmp.resolve("config.json")).imageChannels());

        new PixelCodec(28, 2, 1).save(tmp.resolve("px"));
        assertEquals(new PixelCodec(28, 2, 1), new ImageVaePlugin().loadCodec(tmp.resolve("px")));
    }

    @Test
    void aSheetOfGreyImagesIsGrey() {
        assertTrue(ReconstructionGrid.compose(List.of(item()), List.of(item()), 1).isGrey());
        RgbImage colour = RgbImage.fromPackedRgb(28, 28, new int[28 * 28]);
        assertEquals(3, ReconstructionGrid.compose(List.of(item()), List.of(colour), 1).channels());
    }
}
