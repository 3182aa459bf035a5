package dev.transfusion.plugins.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A byte-level BPE vocabulary as its files state it, before {@link BpeTokenizer#create} checks it: the
 * {@code model.vocab}, {@code model.merges} and {@code added_tokens} of a Hugging Face {@code tokenizer.json}.
 *
 * @param vocab byte-level token strings to ids, in id order
 * @param merges the merge rules, highest priority first
 * @param addedTokens tokens that stand for their literal content rather than byte-level symbols, in id order
 */
record BpeDefinition(Map<String, Integer> vocab, List<Merge> merges, List<AddedToken> addedTokens) {

    /** A merge rule: two adjacent tokens become the token spelled by both. */
    record Merge(String left, String right) {}

    /** A token outside the BPE model; a special one is never produced by {@link BpeTokenizer#encode}. */
    record AddedToken(int id, String content, boolean special) {}

    /** Copies the parts, sorting the vocabulary and added tokens by id so files list them in order. */
    BpeDefinition {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(vocab.entrySet());
        entries.sort(Map.Entry.comparingByValue());
        Map<String, Integer> sorted = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : entries) {
            sorted.put(e.getKey(), e.getValue());
        }
        vocab = Collections.unmodifiableMap(sorted);
        merges = List.copyOf(merges);
        List<AddedToken> added = new ArrayList<>(addedTokens);
        added.sort(Comparator.comparingInt(AddedToken::id));
        addedTokens = List.copyOf(added);
    }

    /**
     * This definition with each of {@link BpeTextPlugin#DEFAULT_SPECIAL_TOKENS} it lacks as a special token
     * appended after its highest id, so the engine finds {@code <bos>}, {@code <eos>}, ... in any vocabulary
     * (for GPT-2: ids 50257..50261, after {@code <|endoftext|>}).
     */
    BpeDefinition withDefaultSpecials() {
        return withSpecials(BpeTextPlugin.DEFAULT_SPECIAL_TOKENS);
    }

    /** This definition with each of {@code tokens} it lacks as a special token appended after its highest id. */
    BpeDefinition withSpecials(List<String> tokens) {
        Set<String> present = new HashSet<>();
        int next = 0;
        for (AddedToken t : addedTokens) {
            if (t.special()) {
                present.add(t.content());
            }
            next = Math.max(next, t.id() + 1);
        }
        for (int id : vocab.values()) {
            next = Math.max(next, id + 1);
        }
        List<AddedToken> added = new ArrayList<>(addedTokens);
        for (String token : tokens) {
            if (present.add(token)) {
                added.add(new AddedToken(next++, token, true));
            }
        }
        return added.size() == addedTokens.size() ? this : new BpeDefinition(vocab, merges, added);
    }
}
