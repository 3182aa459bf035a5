package dev.transfusion.plugins.text;

import dev.transfusion.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Learns byte-level BPE merges from texts. Ids {@code 0..k-1} are the special tokens, then the 256 byte tokens
 * (byte {@code b} at {@code k + b}), then one token per merge, until the vocabulary has the size asked for.
 *
 * <p>Texts are split into words as for encoding and only the distinct words are kept, with their frequencies.
 * Pair counts are updated incrementally after each merge, touching only the words that hold the merged pair,
 * and the next pair comes from a priority queue whose stale entries are refreshed when they surface. Ties in
 * frequency go to the pair with the lowest (left, right) ids, so training is deterministic.
 */
public final class BpeTrainer {

    private BpeTrainer() {}

    /**
     * Trains a tokenizer.
     *
     * @param texts the training texts, read once; special-token strings in them count as plain text
     * @param vocabSize the number of ids of the result: special tokens + 256 byte tokens + merges
     * @param specialTokens the first special tokens, ids 0, 1, ... in this order; any of
     *     {@link BpeTextPlugin#DEFAULT_SPECIAL_TOKENS} not among them follow, in their default order
     * @throws InvalidInputException when {@code vocabSize} is below 256 plus the special tokens, when the texts
     *     have too few distinct pairs to reach it, or when a special token is empty or repeated
     * @return the tokenizer, with exactly {@code vocabSize} ids
     */
    public static BpeTokenizer train(Iterable<String> texts, int vocabSize, List<String> specialTokens) {
        return train(texts, vocabSize, specialTokens, false);
    }

    /**
     * As {@link #train(Iterable, int, List)}; with {@code upTo}, texts with too few distinct pairs give a smaller
     * vocabulary (every word one token) instead of an error.
     */
    public static BpeTokenizer train(Iterable<String> texts, int vocabSize, List<String> specialTokens, boolean upTo) {
        List<String> specials = withDefaults(specialTokens);
        int k = specials.size();
        if (vocabSize < k + 256) {
            throw new InvalidInputException("vocabSize is " + vocabSize + "; expected at least " + (k + 256) + " (" + k
                    + " special tokens " + specials + " + 256 byte tokens)");
        }
        Map<String, long[]> counts = new HashMap<>();
        for (String text : texts) {
            PreTokenizer.split(text, w -> counts.computeIfAbsent(w, x -> new long[1])[0]++);
        }
        Run run = new Run(k, counts);
        run.mergeUntil(vocabSize, upTo);
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<BpeDefinition.AddedToken> added = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            added.add(new BpeDefinition.AddedToken(i, specials.get(i), true));
            // Hugging Face lists special tokens in model.vocab too; skipped where a merged token has that spelling
            if (!run.idOf.containsKey(specials.get(i))) {
                vocab.put(specials.get(i), i);
            }
        }
        vocab.putAll(run.idOf);
        return BpeTokenizer.create(new BpeDefinition(vocab, run.merges, added), "trained tokenizer");
    }

    /** The given special tokens, then the missing defaults. */
    static List<String> withDefaults(List<String> given) {
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String token = given.get(i);
            if (token.isEmpty()) {
                throw new InvalidInputException("specialTokens[" + i + "] is empty; expected a non-empty string");
            }
            if (!all.add(token)) {
                throw new InvalidInputException("specialTokens[" + i + "] '" + token + "' is listed twice; expected "
                        + "distinct special tokens");
            }
        }
        all.addAll(BpeTextPlugin.DEFAULT_SPECIAL_TOKENS);
        return List.copyOf(all);
    }

    /** A candidate pair as queued; its count may be stale. */
    private record Candidate(long count, int left, int right) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            int c = Long.compare(o.count, count);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(left, o.left);
            return c != 0 ? c : Integer.compare(right, o.right);
        }
    }

    /** The current count of a pair and the words that may hold it (some no longer do; none is missing). */
    private static final class PairStat {
        long count;
        int[] words = new int[4];
        int size;

        void addWord(int w) {
            if (size > 0 && words[size - 1] == w) {
                return;
            }
            if (size == words.length) {
                words = Arrays.copyOf(words, size * 2);
            }
            words[size++] = w;
        }
    }

    /** The state of one training run. */
    private static final class Run {
        final int firstByteId;
        final int[][] symbols;
        final int[] lengths;
        final long[] frequency;
        final Map<Long, PairStat> pairs = new HashMap<>();
        final PriorityQueue<Candidate> queue = new PriorityQueue<>();
        /** Byte-level spelling of each non-special token, by id minus {@link #firstByteId}. */
        final List<String> spelling = new ArrayList<>();
        final Map<String, Integer> idOf = new LinkedHashMap<>();
        final List<BpeDefinition.Merge> merges = new ArrayList<>();
        final Set<Long> merged = new HashSet<>();
        /** The merge during which each word was last rewritten, so a word listed twice is rewritten once. */
        final int[] stamp;
        int step;

        Run(int firstByteId, Map<String, long[]> counts) {
            this.firstByteId = firstByteId;
            for (int b = 0; b < 256; b++) {
                String s = String.valueOf(ByteLevel.charOf(b));
                spelling.add(s);
                idOf.put(s, firstByteId + b);
            }
            int n = counts.size();
            symbols = new int[n][];
            lengths = new int[n];
            frequency = new long[n];
            stamp = new int[n];
            Arrays.fill(stamp, -1);
            int w = 0;
            for (Map.Entry<String, long[]> e : counts.entrySet()) {
                byte[] bytes = ByteLevel.utf8(e.getKey(), 0, e.getKey().length());
                int[] s = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    s[i] = firstByteId + (bytes[i] & 0xFF);
                }
                symbols[w] = s;
                lengths[w] = s.length;
                frequency[w] = e.getValue()[0];
                for (int i = 0; i + 1 < s.length; i++) {
                    PairStat st = pairs.computeIfAbsent(PairMap.key(s[i], s[i + 1]), x -> new PairStat());
                    st.count += frequency[w];
                    st.addWord(w);
                }
                w++;
            }
            pairs.forEach((key, st) -> queue.add(new Candidate(st.count, left(key), right(key))));
        }

        void mergeUntil(int vocabSize, boolean upTo) {
            int nextId = firstByteId + 256;
            while (nextId < vocabSize) {
                Candidate top = queue.poll();
                if (top == null && upTo) {
                    return;
                }
                if (top == null) {
                    throw new InvalidInputException("vocabSize is " + vocabSize + " but the texts only support "
                            + nextId + " tokens: every word is already one token; expected more (or more varied) "
                            + "texts, or a vocabSize of at most " + nextId);
                }
                long key = PairMap.key(top.left, top.right);
                PairStat st = pairs.get(key);
                if (st == null || st.count != top.count) {
                    if (st != null && st.count > 0) {
                        queue.add(new Candidate(st.count, top.left, top.right)); // counts only fall: re-rank it
                    }
                    continue;
                }
                String spelled = spell(top.left) + spell(top.right);
                Integer existing = idOf.get(spelled);
                int id = existing != null ? existing : nextId;
                if (existing == null) {
                    spelling.add(spelled);
                    idOf.put(spelled, id);
                    nextId++;
                }
                // a pair can resurface when a merge respells an existing token; encoding already merges it
                if (merged.add(key)) {
                    merges.add(new BpeDefinition.Merge(spell(top.left), spell(top.right)));
                }
                apply(st, top.left, top.right, id, step++);
            }
        }

        /** Rewrites every word holding {@code (left, right)} and updates the pair counts by the difference. */
        private void apply(PairStat st, int left, int right, int id, int mergeStamp) {
            pairs.remove(PairMap.key(left, right));
            Set<Long> grown = new LinkedHashSet<>();
            int[] words = st.words;
            for (int j = 0; j < st.size; j++) {
                int w = words[j];
                if (stamp[w] == mergeStamp) {
                    continue;
                }
                stamp[w] = mergeStamp;
                int[] s = symbols[w];
                int n = lengths[w];
                long[] before = pairKeys(s, n);
                int m = 0;
                for (int i = 0; i < n; ) {
                    if (i + 1 < n && s[i] == left && s[i + 1] == right) {
                        s[m++] = id;
                        i += 2;
                    } else {
                        s[m++] = s[i++];
                    }
                }
                if (m == n) {
                    continue; // listed, but the pair left this word in an earlier merge
                }
                lengths[w] = m;
                long[] after = pairKeys(s, m);
                diff(before, after, w, grown);
            }
            for (long key : grown) {
                PairStat p = pairs.get(key);
                if (p != null && p.count > 0) {
                    queue.add(new Candidate(p.count, left(key), right(key)));
                }
            }
        }

        /** Applies {@code after - before} (sorted pair multisets of word {@code w}) to the counts. */
        private void diff(long[] before, long[] after, int w, Set<Long> grown) {
            long f = frequency[w];
            int i = 0;
            int j = 0;
            while (i < before.length || j < after.length) {
                long key;
                long delta = 0;
                if (j >= after.length || (i < before.length && before[i] < after[j])) {
                    key = before[i++];
                    delta = -f;
                } else if (i >= before.length || after[j] < before[i]) {
                    key = after[j++];
                    delta = f;
                } else {
                    key = before[i++];
                    j++;
                }
                if (delta < 0) {
                    PairStat p = pairs.get(key);
                    if (p != null && (p.count += delta) <= 0) {
                        pairs.remove(key);
                    }
                } else if (delta > 0) {
                    PairStat p = pairs.computeIfAbsent(key, x -> new PairStat());
                    p.count += delta;
                    p.addWord(w);
                    grown.add(key);
                }
            }
        }

        private String spell(int id) {
            return spelling.get(id - firstByteId);
        }

        private static long[] pairKeys(int[] s, int n) {
            long[] keys = new long[Math.max(0, n - 1)];
            for (int i = 0; i + 1 < n; i++) {
                keys[i] = PairMap.key(s[i], s[i + 1]);
            }
            Arrays.sort(keys);
            return keys;
        }

        private static int left(long key) {
            return (int) (key >>> 32);
        }

        private static int right(long key) {
            return (int) key;
        }
    }
}
