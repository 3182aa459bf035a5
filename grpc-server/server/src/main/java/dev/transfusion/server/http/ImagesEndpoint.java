package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.api.TransfusionModel;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/images/generations}: {@code prompt}, {@code n} (1..10), {@code size} (must be the model's
 * "WxH"), {@code response_format} ({@code b64_json} only: the server keeps no files to link to) and, as an
 * extension, {@code seed} (image i is drawn with seed + i) and {@code steps} (denoising steps). The n images are
 * drawn one after another in one model slot.
 */
final class ImagesEndpoint {
    static final String ROUTE = "/v1/images/generations";
    static final int MAX_IMAGES = 10;   // OpenAI's own bound for n
    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    private final ModelGate gate;
    private final ServerMetrics metrics;

    ImagesEndpoint(ModelGate gate, ServerMetrics metrics) {
        this.gate = gate;
        this.metrics = metrics;
    }

    void handle(Exchange ex, byte[] bodyBytes) {
        JsonNode body = JsonFields.parseObject(bodyBytes);
        TransfusionModel m = gate.model();
        ModelInfo info = m.info();
        ModelsEndpoint.check(body, info);
        String prompt = JsonFields.requiredString(body, "prompt", "prompt");
        if (prompt.isBlank()) {
            throw OpenAiException.badRequest("'prompt' is empty; say what to draw", "prompt");
        }
        Integer n = JsonFields.integer(body, "n");
        int count = n == null ? 1 : n;
        if (count < 1 || count > MAX_IMAGES) {
            throw OpenAiException.badRequest("'n' must be 1.." + MAX_IMAGES + ", got " + count, "n");
        }
        if (imageSide(info) == 0) {   // a text-only model: refused here rather than failing after the slot
            throw OpenAiException.badRequest("the model '" + info.name() + "' draws no images (it has no image "
                    + "modality); use /v1/chat/completions", "model");
        }
        checkSize(JsonFields.string(body, "size", "size"), info);
        String format = JsonFields.string(body, "response_format", "response_format");
        if (format != null && !format.equals("b64_json")) {
            throw OpenAiException.badRequest("'response_format' '" + format + "' is not supported: this server "
                    + "keeps no files to link to; use b64_json (the default here)", "response_format");
        }
        GenerationOptions base = SamplingFields.options(body, Mode.IMAGE);
        Integer steps = JsonFields.integer(body, "steps");
        GenerationOptions.Builder b = base.toBuilder();
        if (steps != null) {
            SamplingFields.set("steps", b, () -> b.diffusionSteps(steps));
        }
        GenerationOptions options = b.build();
        Document doc = Document.text(prompt);
        gate.submit(ex, ROUTE, List.of(), images -> (model, cancel) -> {
            List<RgbImage> drawn = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                GenerationOptions o = options.seed() == null ? options
                        : options.toBuilder().seed(options.seed() + i).build();
                GenerationResult r = model.generate(doc, o, metrics.counting(GenerationListener.NONE), cancel);
                if (r.finishReason() == FinishReason.CANCELLED) {
                    return null;   // the client is gone
                }
                if (r.images().isEmpty()) {
                    throw new IllegalStateException("the model drew no image for image " + i + " (finish: "
                            + r.finishReason() + ")");
                }
                drawn.add(r.images().get(0));
            }
            return () -> ex.json(HttpResponseStatus.OK, response(drawn, prompt));
        });
    }

    /** {@code size}, when given, must be the model's image size. */
    static void checkSize(@Nullable String size, ModelInfo info) {
        if (size == null || size.equals("auto")) {
            return;
        }
        Matcher mt = SIZE.matcher(size);
        if (!mt.matches()) {
            throw OpenAiException.badRequest("'size' must be WIDTHxHEIGHT (such as 256x256), got '" + size + "'",
                    "size");
        }
        int side = imageSide(info);
        if ((Integer.parseInt(mt.group(1)) != side || Integer.parseInt(mt.group(2)) != side)) {
            throw OpenAiException.badRequest("'size' " + size + " is not one this model draws: '" + info.name()
                    + "' draws " + side + "x" + side + " images", "size");
        }
    }

    /** The side of the model's square images from its config, 0 when it does not say. */
    static int imageSide(ModelInfo info) {
        for (String key : new String[] {"image_size", "image_side"}) {
            String v = info.config().get(key);
            if (v != null) {
                try {
                    return Integer.parseInt(v.trim());
                } catch (NumberFormatException e) {
                    // not a number: try the next spelling
                }
            }
        }
        return 0;
    }

    private static ObjectNode response(List<RgbImage> images, String prompt) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = body.putArray("data");
        for (RgbImage image : images) {
            ObjectNode d = data.addObject();
            d.put("b64_json", Base64.getEncoder().encodeToString(ImageCodecs.encodePng(image)));
            d.put("revised_prompt", prompt);
        }
        body.put("output_format", "png");
        return body;
    }
}
