package dev.transfusion.plugins.audio.tones;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses captions of the form {@code a {loudness} {timbre} {pitch} tone, {contour}, {rhythm}}. */
public final class ToneCaption {
    private static final Pattern TEMPLATE = Pattern.compile(
            "a (loud|quiet) (pure|buzzy) (low|middle|high) tone, (steady|rising|falling), (one note|three notes)");

    private ToneCaption() {
    }

    /** Lower-cases, trims and collapses runs of whitespace to one space: the spec's comparison form. */
    public static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }

    /** The attributes a caption names, or null when it does not follow the template (after normalising). */
    public static @Nullable ToneAttributes parse(String caption) {
        Matcher m = TEMPLATE.matcher(normalize(caption));
        if (!m.matches()) {
            return null;
        }
        return new ToneAttributes(TonePitch.valueOf(upper(m.group(3))), ToneContour.valueOf(upper(m.group(4))),
                m.group(5).equals("one note") ? ToneRhythm.ONE : ToneRhythm.THREE,
                ToneTimbre.valueOf(upper(m.group(2))), ToneLoudness.valueOf(upper(m.group(1))));
    }

    private static String upper(String word) {
        return word.toUpperCase(Locale.ROOT);
    }
}
