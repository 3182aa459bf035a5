package dev.transfusion.plugins.text;

import dev.transfusion.api.InvalidInputException;
import dev.transfusion.api.PluginException;
import dev.transfusion.api.spi.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A byte-level BPE tokenizer, GPT-2 style: text is split into words by GPT-2's pattern, each word's UTF-8
 * bytes become byte tokens, and adjacent tokens are merged by rank, the lowest-ranked pair first, until no
 * merge applies. Every string therefore encodes, and {@code decode(encode(s))} gives {@code s} back (a lone
 * surrogate, which has no UTF-8 form, comes back as U+FFFD).
 *
 * <p>Special tokens (and other added tokens) are never produced by {@link #encode}: their text is encoded
 * like any other text. {@link #decode} writes a special token as its literal content.
 *
 * <p>Immutable and thread-safe; a bounded cache of recently encoded words is shared between threads.
 */
public final class BpeTokenizer implements Tokenizer {
    /** Ids at or above this are refused: real vocabularies are far smaller, and ids size arrays here. */
    private static final int MAX_ID = 1 << 24;
    private static final int CACHE_ENTRIES = 100_000;
    /** Longer words are rare and would make the cache's memory unbounded; they are encoded every time. */
    private static final int CACHE_WORD_CHARS = 100;

    private final BpeDefinition definition;
    private final String source;
    private final int vocabSize;
    private final byte[][] tokenBytes;
    private final int maxTokenBytes;
    private final int[] byteIds = new int[256];
    private final MergeRules merges;
    private final List<String> specialTokens;
    private final Map<String, Integer> specialIds;
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeTokenizer(BpeDefinition definition, String source) {
        this.source = source;
        this.definition = definition;
        int maxId = -1;
        for (Map.Entry<String, Integer> e : definition.vocab().entrySet()) {
            maxId = Math.max(maxId, checkId(e.getValue(), "model.vocab token '" + e.getKey() + "'", source));
        }
        for (BpeDefinition.AddedToken t : definition.addedTokens()) {
            maxId = Math.max(maxId, checkId(t.id(), "added token '" + t.content() + "'", source));
        }
        vocabSize = maxId + 1;
        tokenBytes = new byte[vocabSize][];
        String[] vocabToken = new String[vocabSize];
        for (Map.Entry<String, Integer> e : definition.vocab().entrySet()) {
            int id = e.getValue();
            if (vocabToken[id] != null) {
                throw fail(source, "model.vocab gives id " + id + " to both '" + vocabToken[id] + "' and '"
                        + e.getKey() + "'; expected one token per id");
            }
            vocabToken[id] = e.getKey();
            tokenBytes[id] = ByteLevel.toBytes(e.getKey());
        }
        List<String> specials = new ArrayList<>();
        Map<String, Integer> specialMap = new HashMap<>();
        boolean[] added = new boolean[vocabSize];
        for (BpeDefinition.AddedToken t : definition.addedTokens()) {
            if (added[t.id()]) {
                throw fail(source, "added_tokens lists id " + t.id() + " twice; expected one token per id");
            }
            added[t.id()] = true;
            // an added token stands for its literal text, even where model.vocab spells it byte-level too
            tokenBytes[t.id()] = t.content().getBytes(StandardCharsets.UTF_8);
            if (t.special()) {
                if (specialMap.putIfAbsent(t.content(), t.id()) != null) {
                    throw fail(source, "special token '" + t.content() + "' appears twice in added_tokens");
                }
                specials.add(t.content());
            }
        }
        for (int id = 0; id < vocabSize; id++) {
            if (vocabToken[id] != null && tokenBytes[id] == null) {
                throw fail(source, "model.vocab token '" + vocabToken[id] + "' (id " + id + ") has characters "
                        + "outside GPT-2's byte-level alphabet; expected a byte-level BPE vocabulary");
            }
        }
        int longest = 1;
        for (byte[] t : tokenBytes) {
            longest = t == null ? longest : Math.max(longest, t.length);
        }
        this.maxTokenBytes = longest;
        for (int b = 0; b < 256; b++) {
            Integer id = definition.vocab().get(String.valueOf(ByteLevel.charOf(b)));
            if (id == null) {
                throw fail(source, String.format("model.vocab lacks the byte token '%c' for byte 0x%02X; expected "
                        + "a byte-level BPE vocabulary with all 256 byte tokens", ByteLevel.charOf(b), b));
            }
            byteIds[b] = id;
        }
        List<BpeDefinition.Merge> rules = definition.merges();
        int[] left = new int[rules.size()];
        int[] right = new int[rules.size()];
        int[] result = new int[rules.size()];
        for (int rank = 0; rank < rules.size(); rank++) {
            BpeDefinition.Merge m = rules.get(rank);
            left[rank] = vocabId(m.left(), rank, m, source);
            right[rank] = vocabId(m.right(), rank, m, source);
            result[rank] = vocabId(m.left() + m.right(), rank, m, source);
        }
        this.merges = new MergeRules(left, right, result);
        this.specialTokens = List.copyOf(specials);
        this.specialIds = Map.copyOf(specialMap);
    }

    /**
     * Checks a vocabulary and builds its tokenizer.
     *
     * @param source what the definition came from (a file path), named in every error message
     * @throws PluginException when the definition is not a complete, consistent byte-level BPE vocabulary
     */
    static BpeTokenizer create(BpeDefinition definition, String source) {
        return new BpeTokenizer(definition, source);
    }

    @Override
    public Tokenizer withSpecialTokens(List<String> tokens) {
        BpeDefinition more = definition.withSpecials(tokens);
        return more == definition ? this : new BpeTokenizer(more, source + " with " + tokens);
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[Math.max(16, text.length() / 3)];
        int n = 0;
        List<String> words = new ArrayList<>();
        PreTokenizer.split(text, words::add);
        for (String word : words) {
            int[] ids = cache.get(word);
            if (ids == null) {
                ids = bpe(word);
                if (word.length() <= CACHE_WORD_CHARS) {
                    if (cache.size() >= CACHE_ENTRIES) {
                        cache.clear(); // crude but bounded; the words of the current texts refill it at once
                    }
                    cache.put(word, ids);
                }
            }
            if (n + ids.length > out.length) {
                out = Arrays.copyOf(out, Math.max(2 * out.length, n + ids.length));
            }
            System.arraycopy(ids, 0, out, n, ids.length);
            n += ids.length;
        }
        return Arrays.copyOf(out, n);
    }

    /** The ids of one word: its UTF-8 bytes as byte tokens, merged by rank. */
    private int[] bpe(String word) {
        byte[] bytes = ByteLevel.utf8(word, 0, word.length());
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = byteIds[bytes[i] & 0xFF];
        }
        return merges.apply(symbols);
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidInputException for an id outside the vocabulary
     */
    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            byte[] token = id >= 0 && id < vocabSize ? tokenBytes[id] : null;
            if (token == null) {
                throw new InvalidInputException("ids[" + i + "] = " + id + " is not a token of this vocabulary; "
                        + "expected an id in 0.." + (vocabSize - 1) + " that the vocabulary assigns");
            }
            bytes.writeBytes(token);
        }
        // String's decoder replaces each malformed UTF-8 sequence with U+FFFD
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The bytes of an ordinary token, a copy; null for a special token or an id outside the vocabulary. */
    @Override
    public byte @Nullable [] tokenBytes(int id) {
        if (id < 0 || id >= vocabSize || tokenBytes[id] == null || specialIds.containsValue(id)) {
            return null;
        }
        return tokenBytes[id].clone();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /** The longest token's bytes: a token never stands for more. */
    @Override
    public int maxTokenBytes() {
        return maxTokenBytes;
    }

    @Override
    public List<String> specialTokens() {
        return specialTokens;
    }

    @Override
    public @Nullable Integer specialTokenId(String token) {
        return specialIds.get(token);
    }

    /**
     * Writes {@code directory/tokenizer.json} in the Hugging Face layout, which {@link BpeTextPlugin#loadTokenizer}
     * and Hugging Face {@code tokenizers} read.
     *
     * @throws PluginException when the file cannot be written
     */
    @Override
    public void save(Path directory) {
        TokenizerJson.write(definition, directory.resolve(TokenizerJson.FILE_NAME));
    }

    /**
     * The number of merge rules.
     *
     * @return how many merges the vocabulary lists; for a trained one normally vocabSize - specials - 256
     */
    public int mergeCount() {
        return merges.size();
    }

    @Override
    public String toString() {
        return "BpeTokenizer[vocabSize=" + vocabSize + ", merges=" + merges.size() + ", special=" + specialTokens
                + "]";
    }

    private int vocabId(String token, int rank, BpeDefinition.Merge merge, String source) {
        Integer id = definition.vocab().get(token);
        if (id == null) {
            throw fail(source, "model.merges[" + rank + "] '" + merge.left() + " " + merge.right() + "': token '"
                    + token + "' is not in model.vocab; expected every merge part and result in the vocabulary");
        }
        return id;
    }

    private static int checkId(int id, String what, String source) {
        if (id < 0 || id >= MAX_ID) {
            throw fail(source, what + " has id " + id + "; expected 0.." + (MAX_ID - 1));
        }
        return id;
    }

    private static PluginException fail(String source, String message) {
        return new PluginException(source + ": " + message);
    }
}
