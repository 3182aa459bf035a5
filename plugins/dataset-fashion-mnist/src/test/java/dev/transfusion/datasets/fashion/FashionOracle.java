package dev.transfusion.datasets.fashion;

import dev.transfusion.api.Cancellation;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TextPart;
import dev.transfusion.api.Usage;
import dev.transfusion.testing.StubModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in model: when {@code right}, it draws a real test image of the class its caption names (from the last
 * part of the test split, which the judge does not compare against) and captions and answers from the labels;
 * otherwise it draws black and says "a photo".
 */
record FashionOracle(FashionMnist test, boolean right, Map<RgbImage, FashionClass> labels) implements StubModel {
    FashionOracle(FashionMnist test, boolean right) {
        this(test, right, index(test));
    }

    private static Map<RgbImage, FashionClass> index(FashionMnist test) {
        Map<RgbImage, FashionClass> m = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            m.put(test.image(i), test.label(i));
        }
        return m;
    }

    @Override
    public GenerationResult generate(Document prompt, GenerationOptions options, GenerationListener listener,
                                     Cancellation cancellation) {
        String caption = ((TextPart) prompt.parts().get(0)).text();
        RgbImage image = new RgbImage(28, 28, new byte[28 * 28 * 3]);
        if (right) {
            for (int i = test.size() - 1; i >= 0; i--) {
                if (test.label(i) == FashionClass.named(caption) && (i + options.seed()) % 7 == 0) {
                    image = test.image(i);
                    break;
                }
            }
        }
        return new GenerationResult(List.of(new ImagePart(image)), FinishReason.END_OF_SEQUENCE,
                new Usage(0, 0, 1, options.seed()));
    }

    @Override
    public String caption(RgbImage image, GenerationOptions options) {
        return right ? labels.get(image).caption() : "a photo";
    }

    @Override
    public String answer(RgbImage image, String question, GenerationOptions options) {
        return right ? labels.get(image).label() : "a photo";
    }
}
