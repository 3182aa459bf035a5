package dev.transfusion.plugins.text;

import java.util.Arrays;

/**
 * Ranked merge rules and GPT-2's way of applying them to one word: find the lowest-ranked adjacent pair, merge
 * all its occurrences left to right, repeat until no pair has a rank.
 *
 * <p>Short words (nearly all of them) take the direct loop of OpenAI's {@code encoder.py}. That loop is
 * quadratic, so long words (a run of thousands of letters is one word) take a linked list with a heap of
 * (rank, position) that applies the same rule in O(n log n): it pops every occurrence of the lowest rank as one
 * batch, in position order, skipping those an earlier merge of the batch consumed, so it gives the same ids
 * even for merge lists whose ranks are not in training order.
 */
final class MergeRules {
    /** Up to this many symbols the direct loop is faster than the heap. */
    static final int SHORT_WORD = 48;

    private final PairMap ranks;
    private final int[] left;
    private final int[] right;
    private final int[] result;

    /** Rules from parallel arrays indexed by rank; a pair listed twice keeps its last rank. */
    MergeRules(int[] left, int[] right, int[] result) {
        this.left = left;
        this.right = right;
        this.result = result;
        this.ranks = new PairMap(left.length);
        for (int rank = 0; rank < left.length; rank++) {
            ranks.put(left[rank], right[rank], rank);
        }
    }

    /** The number of rules. */
    int size() {
        return result.length;
    }

    /** Merges {@code symbols} (overwritten) and returns the result. */
    int[] apply(int[] symbols) {
        return symbols.length <= SHORT_WORD ? applyDirect(symbols) : applyWithHeap(symbols);
    }

    /** The loop of {@code encoder.py}, on ids. */
    int[] applyDirect(int[] symbols) {
        int n = symbols.length;
        while (n > 1) {
            int best = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < n; i++) {
                int rank = ranks.get(symbols[i], symbols[i + 1]);
                if (rank >= 0 && rank < best) {
                    best = rank;
                }
            }
            if (best == Integer.MAX_VALUE) {
                break;
            }
            int w = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && symbols[i] == left[best] && symbols[i + 1] == right[best]) {
                    symbols[w++] = result[best];
                    i += 2;
                } else {
                    symbols[w++] = symbols[i++];
                }
            }
            n = w;
        }
        return Arrays.copyOf(symbols, n);
    }

    /** The same rule over a doubly linked list of symbols and a heap of candidate (rank, position) pairs. */
    int[] applyWithHeap(int[] symbols) {
        int n = symbols.length;
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            push(heap, symbols, i, i + 1);
        }
        long[] batch = new long[16];
        while (!heap.isEmpty()) {
            int rank = (int) (heap.peek() >>> 32);
            int size = 0;
            while (!heap.isEmpty() && (int) (heap.peek() >>> 32) == rank) {
                if (size == batch.length) {
                    batch = Arrays.copyOf(batch, size * 2);
                }
                batch[size++] = heap.pop();
            }
            // merge the whole batch before queuing the pairs it forms, as encoder.py finishes one rank first
            int formed = 0;
            int[] formedAt = new int[2 * size];
            for (int b = 0; b < size; b++) {
                int i = (int) batch[b];
                int j = symbols[i] < 0 ? -1 : next[i];
                if (j < 0 || symbols[i] != left[rank] || symbols[j] != right[rank]) {
                    continue; // consumed by an earlier merge
                }
                symbols[i] = result[rank];
                symbols[j] = -1;
                next[i] = next[j];
                if (next[j] >= 0) {
                    prev[next[j]] = i;
                }
                formedAt[formed++] = i;
            }
            for (int f = 0; f < formed; f++) {
                int i = formedAt[f];
                if (symbols[i] < 0) {
                    continue;
                }
                if (prev[i] >= 0) {
                    push(heap, symbols, prev[i], i);
                }
                if (next[i] >= 0) {
                    push(heap, symbols, i, next[i]);
                }
            }
        }
        int[] out = new int[n];
        int m = 0;
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            out[m++] = symbols[i];
        }
        return Arrays.copyOf(out, m);
    }

    private void push(LongHeap heap, int[] symbols, int i, int j) {
        int rank = ranks.get(symbols[i], symbols[j]);
        if (rank >= 0) {
            heap.push(((long) rank << 32) | i);
        }
    }
}
