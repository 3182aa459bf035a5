package dev.transfusion.core.testing;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Random inputs for the fuzz tests of every module (sdk-core's file parsers, the server's request decoding),
 * and the loop that runs a property over them. Shared through sdk-core's test jar.
 *
 * <p>Plain loops over a {@link SplittableRandom} with a fixed seed, so that a CI run is bounded and
 * repeatable: a failure names the seed, the try and the input, and rerunning the test repeats it.
 */
public final class FuzzInputs {

    private FuzzInputs() {
    }

    /** A property of one input; any exception or failed assertion is a failure. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    /**
     * Runs {@code check} on {@code tries} inputs: the edge cases, then generated ones. Each try draws from its own
     * split of one generator seeded with {@code seed}, so try i gets the same input on every run.
     */
    public static <T> void forAll(int tries, long seed, List<T> edges, Function<SplittableRandom, T> generator,
                                  Function<T, String> describe, Check<T> check) {
        SplittableRandom root = new SplittableRandom(seed);
        for (int i = 0; i < tries; i++) {
            SplittableRandom r = root.split();
            T input = i < edges.size() ? edges.get(i) : generator.apply(r);
            try {
                check.accept(input);
            } catch (Throwable t) {   // a wrong exception or status, a failed assertion or a hang
                throw new AssertionError("seed " + seed + ", try " + i + " of " + tries
                        + (i < edges.size() ? " (edge case)" : "") + ", input " + describe.apply(input) + ": " + t, t);
            }
        }
    }

    /** A length up to max, half the time a short one (most bugs show on short inputs). */
    public static int size(SplittableRandom r, int max) {
        return r.nextBoolean() ? r.nextInt(Math.min(max, 8) + 1) : r.nextInt(max + 1);
    }

    /** Up to {@code maxLength} random bytes. */
    public static byte[] noise(SplittableRandom r, int maxLength) {
        byte[] b = new byte[size(r, maxLength)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /**
     * Printable ASCII mostly (one in ten from {@code punctuation}, when given: the syntax of the format under
     * test), but also controls, NUL, non-ASCII, lone surrogates and any other char.
     */
    public static String text(SplittableRandom r, int maxLength, String punctuation) {
        StringBuilder b = new StringBuilder();
        for (int n = size(r, maxLength); n > 0; n--) {
            int kind = r.nextInt(10);
            if (kind == 4 && !punctuation.isEmpty()) {
                b.append(punctuation.charAt(r.nextInt(punctuation.length())));
                continue;
            }
            b.append(switch (kind) {
                case 0, 1, 2, 3, 4 -> (char) r.nextInt(0x20, 0x7f);
                case 5 -> (char) r.nextInt(0x20);
                case 6, 7 -> (char) r.nextInt(0x80, 0xd800);
                case 8 -> (char) r.nextInt(0xd800, 0xe000);
                default -> (char) r.nextInt(0x10000);
            });
        }
        return b.toString();
    }

    /** One of {@code values}. */
    public static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** {@code n} bytes of {@code value}. */
    public static byte[] filled(int n, byte value) {
        byte[] b = new byte[n];
        Arrays.fill(b, value);
        return b;
    }

    /** The length and first 48 bytes in hex, for a failure message. */
    public static String describe(byte[] b) {
        StringBuilder s = new StringBuilder(b.length + " bytes:");
        for (int i = 0; i < Math.min(b.length, 48); i++) {
            s.append(String.format(" %02x", b[i]));
        }
        return s.append(b.length > 48 ? " ..." : "").toString();
    }
}
