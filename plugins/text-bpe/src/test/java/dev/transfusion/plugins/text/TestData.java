package dev.transfusion.plugins.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared test inputs: the GPT-2 files and reference ids, random Unicode strings, a synthetic corpus. */
final class TestData {
    /** Code point ranges to draw from: scripts, marks, symbols, emoji, controls, whitespace, astral planes. */
    private static final int[][] BLOCKS = {
        {0x0000, 0x001F}, {0x0020, 0x007E}, {0x007F, 0x00FF}, {0x0100, 0x024F}, {0x0300, 0x036F},
        {0x0370, 0x03FF}, {0x0400, 0x04FF}, {0x0590, 0x05FF}, {0x0600, 0x06FF}, {0x0900, 0x097F},
        {0x0E00, 0x0E7F}, {0x1100, 0x11FF}, {0x1680, 0x1680}, {0x2000, 0x206F}, {0x2190, 0x22FF},
        {0x3000, 0x303F}, {0x3040, 0x30FF}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xE000, 0xF8FF},
        {0xFB00, 0xFDFF}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFF0, 0xFFFF}, {0x10000, 0x1007F},
        {0x1D400, 0x1D7FF}, {0x1F1E6, 0x1F1FF}, {0x1F300, 0x1FAFF}, {0x20000, 0x2A6DF}, {0xE0000, 0xE007F},
        {0x10FF00, 0x10FFFF}, {0x0085, 0x0085}, {0x200B, 0x200D},
    };

    private static final String[] WORDS = ("the of and to in is was that for it with as his on be at by had are but "
            + "from or have an they which one you were her all she there would their we him been has when who will "
            + "more no if out so said what up its about into than them can only other new some could time these "
            + "two may then do first any my now such like our over man me even most made after also did many "
            + "before must through back years where much your way well down should because each just those people "
            + "hello transfusion tokenizer diffusion image latent don't I'll we're they've").split(" ");

    private TestData() {}

    /** The directory with GPT-2's encoder.json, vocab.bpe, texts.json and expected.json. */
    static Path gpt2Dir() {
        return resource("/gpt2");
    }

    static Path resource(String name) {
        URL url = TestData.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The texts of texts.json. */
    static List<String> gpt2Texts() {
        List<String> texts = new ArrayList<>();
        readJson(gpt2Dir().resolve("texts.json")).forEach(t -> texts.add(t.textValue()));
        return texts;
    }

    /** {@code count} strings of 0..maxLength random code points from {@link #BLOCKS}, fixed by {@code seed}. */
    static List<String> randomStrings(long seed, int count, int maxLength) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(maxLength + 1);
            for (int j = 0; j < length; j++) {
                int[] block = BLOCKS[random.nextInt(BLOCKS.length)];
                sb.appendCodePoint(block[0] + random.nextInt(block[1] - block[0] + 1));
            }
            out.add(sb.toString());
        }
        return out;
    }

    /**
     * About {@code chars} characters of lines of words with a skewed (roughly Zipf) frequency, with numbers and
     * punctuation mixed in; the same for the same seed.
     */
    static List<String> corpus(long seed, int chars) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        int total = 0;
        while (total < chars) {
            StringBuilder line = new StringBuilder();
            int words = 5 + random.nextInt(20);
            for (int w = 0; w < words; w++) {
                if (w > 0) {
                    line.append(' ');
                }
                double u = random.nextDouble();
                int index = (int) (WORDS.length * u * u * u);
                line.append(WORDS[index]);
                if (random.nextInt(12) == 0) {
                    line.append(random.nextBoolean() ? "," : " " + random.nextInt(2000));
                }
            }
            line.append(random.nextInt(5) == 0 ? "!\n" : ".\n");
            total += line.length();
            lines.add(line.toString());
        }
        return lines;
    }

    /** {@code text} with each lone surrogate replaced by U+FFFD: what a round trip gives back. */
    static String wellFormed(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
