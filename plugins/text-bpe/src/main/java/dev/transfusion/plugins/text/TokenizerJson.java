package dev.transfusion.plugins.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.PluginException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face {@code tokenizer.json} layout, restricted to what {@link BpeTokenizer} does: a BPE model
 * with GPT-2's byte-level pre-tokenization, no normalizer, and added tokens. Files asking for anything else
 * (another model type, a normalizer, a prefix space, ...) are refused rather than encoded differently from
 * the library that wrote them.
 */
final class TokenizerJson {
    static final String FILE_NAME = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerJson() {}

    /**
     * Reads a {@code tokenizer.json}.
     *
     * @throws PluginException naming the file when it is unreadable, not JSON, or not a byte-level BPE tokenizer
     */
    static BpeDefinition read(Path file) {
        JsonNode root = Json.readTree(file);
        String at = file.toString();
        if (!root.isObject() || !root.path("model").isObject()) {
            throw new PluginException(at + ": expected a Hugging Face tokenizer.json, a JSON object with a "
                    + "\"model\" object");
        }
        JsonNode model = root.get("model");
        // files written by old tokenizers versions may omit the type; vocab plus merges means BPE
        String type = model.path("type").asText(model.has("merges") ? "BPE" : "");
        if (!type.equals("BPE")) {
            throw new PluginException(at + ": model.type is '" + type + "'; expected 'BPE' (a byte-level BPE "
                    + "tokenizer such as GPT-2's)");
        }
        checkNormalizer(root.path("normalizer"), at);
        checkPreTokenizer(root.path("pre_tokenizer"), at);
        requireAbsentOr(model, "continuing_subword_prefix", "", at);
        requireAbsentOr(model, "end_of_word_suffix", "", at);
        requireAbsentOr(model, "ignore_merges", "false", at);
        if (!model.path("dropout").isNull() && !model.path("dropout").isMissingNode()
                && model.path("dropout").asDouble() != 0) {
            throw new PluginException(at + ": model.dropout is " + model.get("dropout") + "; expected null, since "
                    + "BPE dropout makes encoding random");
        }
        Map<String, Integer> vocab = readVocab(Json.object(model, "vocab", at + ": model.vocab"), at);
        List<BpeDefinition.Merge> merges = readMerges(Json.array(model, "merges", at + ": model.merges"), at);
        List<BpeDefinition.AddedToken> added = new ArrayList<>();
        JsonNode addedNode = root.path("added_tokens");
        if (!addedNode.isMissingNode() && !addedNode.isNull()) {
            if (!addedNode.isArray()) {
                throw new PluginException(at + ": added_tokens is " + addedNode.getNodeType() + "; expected an array");
            }
            for (int i = 0; i < addedNode.size(); i++) {
                JsonNode t = addedNode.get(i);
                String where = at + ": added_tokens[" + i + "]";
                added.add(new BpeDefinition.AddedToken(Json.integer(t, "id", where),
                        Json.string(t, "content", where), t.path("special").asBoolean(false)));
            }
        }
        return new BpeDefinition(vocab, merges, added);
    }

    /**
     * Writes {@code definition} to {@code file}, replacing it: into a temporary file first, so a failed write
     * leaves no half file behind.
     *
     * @throws PluginException naming the file when it cannot be written
     */
    static void write(BpeDefinition definition, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (BpeDefinition.AddedToken t : definition.addedTokens()) {
            added.addObject().put("id", t.id()).put("content", t.content()).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", t.special());
        }
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false));
        root.putNull("post_processor");
        root.set("decoder", byteLevel(true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        definition.vocab().forEach(vocab::put);
        ArrayNode merges = model.putArray("merges");
        // "a b" strings, which every tokenizers version reads; byte-level tokens never hold a plain space
        definition.merges().forEach(m -> merges.add(m.left() + " " + m.right()));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PluginException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode byteLevel(boolean decoder) {
        // Hugging Face's GPT-2 file says add_prefix_space=true on the decoder, where it has no effect
        return JSON.createObjectNode().put("type", "ByteLevel").put("add_prefix_space", decoder)
                .put("trim_offsets", true).put("use_regex", true);
    }

    private static Map<String, Integer> readVocab(JsonNode node, String at) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().canConvertToInt() || !e.getValue().isIntegralNumber()) {
                throw new PluginException(at + ": model.vocab['" + e.getKey() + "'] is " + e.getValue()
                        + "; expected an integer id");
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        return vocab;
    }

    private static List<BpeDefinition.Merge> readMerges(JsonNode node, String at) {
        List<BpeDefinition.Merge> merges = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String[] parts = null;
            if (m.isTextual()) {
                parts = m.textValue().split(" ", -1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                parts = new String[] {m.get(0).textValue(), m.get(1).textValue()};
            }
            if (parts == null || parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new PluginException(at + ": model.merges[" + i + "] is " + m + "; expected \"left right\" "
                        + "or [\"left\", \"right\"]");
            }
            merges.add(new BpeDefinition.Merge(parts[0], parts[1]));
        }
        return merges;
    }

    private static void checkNormalizer(JsonNode normalizer, String at) {
        boolean none = normalizer.isMissingNode() || normalizer.isNull()
                || (normalizer.path("type").asText().equals("Sequence")
                        && normalizer.path("normalizers").isArray() && normalizer.path("normalizers").isEmpty());
        if (!none) {
            throw new PluginException(at + ": normalizer is " + normalizer.path("type").asText(normalizer.toString())
                    + "; expected null (byte-level BPE encodes the text unchanged)");
        }
    }

    private static void checkPreTokenizer(JsonNode pre, String at) {
        JsonNode byteLevel = pre;
        if (pre.path("type").asText().equals("Sequence") && pre.path("pretokenizers").size() == 1) {
            byteLevel = pre.path("pretokenizers").get(0);
        }
        if (!byteLevel.path("type").asText().equals("ByteLevel")) {
            String found = pre.isMissingNode() || pre.isNull() ? "null" : pre.path("type").asText(pre.toString());
            throw new PluginException(at + ": pre_tokenizer is " + found + "; expected ByteLevel (GPT-2's "
                    + "byte-level pre-tokenization)");
        }
        requireAbsentOr(byteLevel, "use_regex", "true", at);
        requireAbsentOr(byteLevel, "add_prefix_space", "false", at);
    }

    /** Refuses a field that is present, not null, and not {@code expected} (compared as text). */
    private static void requireAbsentOr(JsonNode parent, String field, String expected, String at) {
        JsonNode value = parent.path(field);
        if (!value.isMissingNode() && !value.isNull() && !value.asText().equals(expected)) {
            throw new PluginException(at + ": " + field + " is " + value + "; only " + expected + " (or null) is "
                    + "supported by this byte-level BPE tokenizer");
        }
    }
}
