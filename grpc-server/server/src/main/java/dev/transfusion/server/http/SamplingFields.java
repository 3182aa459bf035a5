package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's sampling fields as {@link GenerationOptions}: {@code max_tokens} (or {@code max_completion_tokens}),
 * {@code temperature}, {@code top_p}, {@code seed}, {@code stop}. A field left out takes the SDK's default (greedy,
 * 256 tokens), not OpenAI's; out-of-range values are refused with the SDK's range, under the OpenAI name.
 */
final class SamplingFields {
    private SamplingFields() {
    }

    static GenerationOptions options(JsonNode body, Mode mode) {
        GenerationOptions.Builder b = GenerationOptions.builder().mode(mode);
        Integer max = JsonFields.integer(body, "max_completion_tokens");
        String maxName = "max_completion_tokens";
        if (max == null) {
            max = JsonFields.integer(body, "max_tokens");
            maxName = "max_tokens";
        }
        if (max != null) {
            int v = max;
            set(maxName, b, () -> b.maxTokens(v));
        }
        Double temperature = JsonFields.number(body, "temperature");
        if (temperature != null) {
            set("temperature", b, () -> b.temperature(temperature));
        }
        Double topP = JsonFields.number(body, "top_p");
        if (topP != null) {
            set("top_p", b, () -> b.topP(topP));
        }
        Long seed = JsonFields.int64(body, "seed");
        if (seed != null) {
            b.seed(seed);
        }
        List<String> stop = stop(body);
        set("stop", b, () -> b.stop(stop));
        try {
            return b.build();
        } catch (InvalidInputException e) {
            throw OpenAiException.badRequest(String.valueOf(e.getMessage()), null);
        }
    }

    private static List<String> stop(JsonNode body) {
        JsonNode v = JsonFields.field(body, "stop");
        if (v == null) {
            return List.of();
        }
        if (v.isTextual()) {
            return List.of(v.textValue());
        }
        if (!v.isArray()) {
            throw JsonFields.wrongType("stop", "a string or an array of strings", v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw JsonFields.wrongType("stop[" + i + "]", "a string", v.get(i));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    /**
     * Runs one setter and checks the options so far (the builder checks at build): a range error is reported
     * under the OpenAI field name.
     */
    static void set(String param, GenerationOptions.Builder b, Runnable setter) {
        try {
            setter.run();
            b.build();
        } catch (InvalidInputException e) {
            String m = String.valueOf(e.getMessage()).replaceFirst("^GenerationOptions\\.\\w+ ", "");
            throw OpenAiException.badRequest("'" + param + "' " + m, param);
        }
    }
}
