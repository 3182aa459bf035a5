package dev.transfusion.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request body's JSON fields by type, so that a wrong type is a 400 naming the field, the type expected
 * and the one sent ({@code "'n' must be an integer, got string \"2\""}) rather than a crash or a silent default.
 * An absent field and an explicit {@code null} both read as null: the endpoint's default applies.
 */
final class JsonFields {
    static final ObjectMapper JSON = new ObjectMapper();

    private JsonFields() {
    }

    /** The body as a JSON object. */
    static JsonNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw OpenAiException.badRequest("the request body is empty; send a JSON object", null);
        }
        @Nullable JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            // Jackson names the source "REDACTED" inside its message: keep only the line and column
            String why = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; (line: \\d+, column: \\d+)\\]", "[$1]");
            throw OpenAiException.badRequest("the request body is not valid JSON" + where + ": " + why, null);
        } catch (IOException e) {
            throw OpenAiException.badRequest("the request body cannot be read: " + e.getMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw OpenAiException.badRequest("the request body must be a JSON object, got "
                    + (root == null ? "nothing" : kind(root)), null);
        }
        return root;
    }

    static @Nullable JsonNode field(JsonNode object, String name) {
        JsonNode v = object.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static @Nullable String string(JsonNode object, String name, String param) {
        JsonNode v = field(object, name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(param, "a string", v);
        }
        return v.textValue();
    }

    static String requiredString(JsonNode object, String name, String param) {
        String v = string(object, name, param);
        if (v == null) {
            throw OpenAiException.badRequest("'" + param + "' is required", param);
        }
        return v;
    }

    static @Nullable Integer integer(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw wrongType(name, "an integer", v);
        }
        return v.intValue();
    }

    static @Nullable Long int64(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw wrongType(name, "an integer (64-bit)", v);
        }
        return v.longValue();
    }

    static @Nullable Double number(JsonNode object, String name) {
        JsonNode v = field(object, name);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(name, "a number", v);
        }
        return v.doubleValue();
    }

    static boolean bool(JsonNode object, String name, boolean absent) {
        JsonNode v = field(object, name);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw wrongType(name, "true or false", v);
        }
        return v.booleanValue();
    }

    static OpenAiException wrongType(String param, String expected, JsonNode got) {
        String shown = got.isContainerNode() ? "" : " " + abbreviate(got.toString());
        return OpenAiException.badRequest("'" + param + "' must be " + expected + ", got " + kind(got) + shown, param);
    }

    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "string";
            case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
