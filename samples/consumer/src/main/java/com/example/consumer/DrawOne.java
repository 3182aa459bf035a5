package com.example.consumer;

import dev.transfusion.api.Document;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.Transfusion;
import dev.transfusion.api.TransfusionModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Draws one image from a caption through the API alone: {@code DrawOne MODEL_DIR OUT.png}. */
public final class DrawOne {
    private DrawOne() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]), out = Path.of(args[1]);
        try (TransfusionModel m = Transfusion.load(model)) {
            GenerationOptions options = GenerationOptions.builder().mode(Mode.IMAGE).diffusionSteps(5).seed(7L).build();
            GenerationResult result = m.generate(Document.text("a red circle"), options);
            RgbImage image = result.images().get(0);
            BufferedImage png = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
            png.setRGB(0, 0, image.width(), image.height(), image.toPackedRgb(), 0, image.width());
            ImageIO.write(png, "png", out.toFile());
            System.out.println("consumer: drew " + image.width() + "x" + image.height() + " to " + out);
        }
        // what the engine set for itself; read by reflection, as this program compiles against sdk-api alone
        Object environment = Class.forName("org.nd4j.linalg.factory.Nd4j").getMethod("getEnvironment").invoke(null);
        Object threads = environment.getClass().getMethod("maxMasterThreads").invoke(environment);
        System.out.println("consumer: engine settings: platform extension "
                + System.getProperty("org.bytedeco.javacpp.platform.extension") + ", log level "
                + System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") + ", threads " + threads);
    }
}
