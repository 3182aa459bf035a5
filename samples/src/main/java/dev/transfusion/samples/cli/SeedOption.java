package dev.transfusion.samples.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code --seed}, a picocli mixin. Seeds are unsigned 64-bit numbers (the proto's uint64): the flag takes
 * 0..18446744073709551615 and {@link #print} shows a seed the same way, never negative.
 */
public final class SeedOption {
    @Option(names = "--seed", paramLabel = "N", converter = Unsigned.class,
            description = "Random seed (0 to 2^64-1), for reproducible output.")
    Long seed;

    /** A seed as the user typed it: unsigned decimal. */
    static String print(long seed) {
        return Long.toUnsignedString(seed);
    }

    /** Reads an unsigned 64-bit decimal; a negative number is refused. */
    static final class Unsigned implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseUnsignedLong(value.strip());
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a seed: expected a whole number 0..18446744073709551615");
            }
        }
    }
}
