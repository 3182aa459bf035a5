package dev.transfusion.plugins.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.PluginException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's GPT-2 files: {@code encoder.json} (token to id) and {@code vocab.bpe} (a {@code #version} line,
 * then one merge {@code "left right"} per line, highest priority first).
 */
final class Gpt2Files {
    static final String ENCODER = "encoder.json";
    static final String MERGES = "vocab.bpe";

    private Gpt2Files() {}

    /**
     * Reads the pair. Entries of {@code encoder.json} that are neither byte tokens nor made by a merge (GPT-2's
     * {@code <|endoftext|>}) are special tokens.
     *
     * @throws PluginException naming the file that is missing, unreadable or malformed
     */
    static BpeDefinition read(Path encoderJson, Path vocabBpe) {
        JsonNode root = Json.readTree(encoderJson);
        if (!root.isObject()) {
            throw new PluginException(encoderJson + ": expected a JSON object of token to id");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!e.getValue().isIntegralNumber() || !e.getValue().canConvertToInt()) {
                throw new PluginException(encoderJson + ": the id of '" + e.getKey() + "' is " + e.getValue()
                        + "; expected an integer");
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        List<BpeDefinition.Merge> merges = readMerges(vocabBpe);
        Set<String> made = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            made.add(String.valueOf(ByteLevel.charOf(b)));
        }
        for (BpeDefinition.Merge m : merges) {
            made.add(m.left() + m.right());
        }
        List<BpeDefinition.AddedToken> special = new ArrayList<>();
        vocab.forEach((token, id) -> {
            if (!made.contains(token)) {
                special.add(new BpeDefinition.AddedToken(id, token, true));
            }
        });
        return new BpeDefinition(vocab, merges, special);
    }

    private static List<BpeDefinition.Merge> readMerges(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PluginException("cannot read " + file + " (GPT-2 merges, vocab.bpe): " + e.getMessage(), e);
        }
        List<BpeDefinition.Merge> merges = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if ((i == 0 && line.startsWith("#version")) || line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new PluginException(file + ": line " + (i + 1) + " is '" + line + "'; expected a merge of two "
                        + "tokens separated by one space");
            }
            merges.add(new BpeDefinition.Merge(parts[0], parts[1]));
        }
        return merges;
    }
}
