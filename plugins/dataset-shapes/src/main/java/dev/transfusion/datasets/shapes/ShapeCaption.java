package dev.transfusion.datasets.shapes;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Parses captions of the form {@code a {size} {colour} {shape} in the {position}}. */
public final class ShapeCaption {
    private static final Pattern TEMPLATE = Pattern.compile(
            "a (small|large) (red|orange|yellow|green|blue|purple) (circle|square|triangle) in the "
                    + "(top left|top right|bottom left|bottom right|center)");

    private ShapeCaption() {
    }

    /** Lower-cases, trims and collapses runs of whitespace to one space: the spec's comparison form. */
    public static String normalize(String text) {
        return text.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }

    /** The attributes a caption names, or null when it does not follow the template (after normalising). */
    public static @Nullable ShapeAttributes parse(String caption) {
        Matcher m = TEMPLATE.matcher(normalize(caption));
        if (!m.matches()) {
            return null;
        }
        return new ShapeAttributes(ShapeColour.valueOf(upper(m.group(2))), ShapeKind.valueOf(upper(m.group(3))),
                ShapeSize.valueOf(upper(m.group(1))), ShapePosition.valueOf(upper(m.group(4))));
    }

    private static String upper(String words) {
        return words.toUpperCase(Locale.ROOT).replace(' ', '_');
    }
}
