package dev.transfusion.plugins.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.transfusion.api.PluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads JSON files and fields, failing with messages that name the file and the field. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /**
     * The JSON tree of a file.
     *
     * @throws PluginException naming the file when it cannot be read or is not valid JSON
     */
    static JsonNode readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PluginException(file + " is not a readable file");
        }
        try {
            JsonNode root = MAPPER.readTree(file.toFile());
            if (root == null || root.isMissingNode()) {
                throw new PluginException(file + " is empty; expected JSON");
            }
            return root;
        } catch (JacksonException e) {
            throw new PluginException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PluginException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The object at {@code field} of {@code parent}; {@code where} names the field in the message. */
    static JsonNode object(JsonNode parent, String field, String where) {
        JsonNode n = parent.path(field);
        if (!n.isObject()) {
            throw new PluginException(where + " is " + describe(n) + "; expected a JSON object");
        }
        return n;
    }

    /** The array at {@code field} of {@code parent}. */
    static JsonNode array(JsonNode parent, String field, String where) {
        JsonNode n = parent.path(field);
        if (!n.isArray()) {
            throw new PluginException(where + " is " + describe(n) + "; expected a JSON array");
        }
        return n;
    }

    /** The int at {@code field} of {@code parent}. */
    static int integer(JsonNode parent, String field, String where) {
        JsonNode n = parent.path(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new PluginException(where + "." + field + " is " + describe(n) + "; expected an integer");
        }
        return n.intValue();
    }

    /** The string at {@code field} of {@code parent}. */
    static String string(JsonNode parent, String field, String where) {
        JsonNode n = parent.path(field);
        if (!n.isTextual()) {
            throw new PluginException(where + "." + field + " is " + describe(n) + "; expected a string");
        }
        return n.textValue();
    }

    private static String describe(JsonNode n) {
        return n.isMissingNode() ? "missing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
