package dev.transfusion.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A configuration with some fields replaced by a JSON object of the reference's field names, as the
 * reference's {@code bench [STEPS] [CONFIG_JSON]} takes them: {@code {"dim": 512, "heads": 8}}. The bench's
 * {@code --config}, {@code train --config} and {@link dev.transfusion.api.TrainingOptions#configOverrides()}
 * all come here.
 */
public final class ConfigOverrides {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigOverrides() {
    }

    /**
     * {@code base} with the fields of {@code json} replaced; an unknown field or bad value is an error naming it,
     * starting with {@code source}, the user's name for where the JSON came from (a flag, an option).
     */
    public static TransfusionConfig apply(TransfusionConfig base, String json, String source) {
        JsonNode overrides;
        try {
            overrides = JSON.readTree(json);
        } catch (IOException e) {
            throw new InvalidInputException(source + " is not JSON: " + e.getMessage().lines().findFirst().orElse("") + " in " + json, e);
        }
        if (overrides == null || !overrides.isObject()) {
            throw new InvalidInputException(source + " must be a JSON object such as {\"dim\": 512}, got " + json);
        }
        ObjectNode merged;
        try {
            merged = (ObjectNode) JSON.readTree(base.toJson());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String> known = new ArrayList<>();
        merged.fieldNames().forEachRemaining(known::add);
        for (Iterator<String> it = overrides.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!merged.has(field)) {
                throw new InvalidInputException(source + ": unknown field '" + field + "'; known: " + known);
            }
            merged.set(field, overrides.get(field));
        }
        return TransfusionConfig.fromJson(merged.toString());
    }
}
