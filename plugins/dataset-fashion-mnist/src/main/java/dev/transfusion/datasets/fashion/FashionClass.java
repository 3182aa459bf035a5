package dev.transfusion.datasets.fashion;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The ten Fashion-MNIST classes in label order (0..9), with the lower-case names the captions and answers use.
 */
public enum FashionClass {
    T_SHIRT_TOP("t-shirt/top"),
    TROUSER("trouser"),
    PULLOVER("pullover"),
    DRESS("dress"),
    COAT("coat"),
    SANDAL("sandal"),
    SHIRT("shirt"),
    SNEAKER("sneaker"),
    BAG("bag"),
    ANKLE_BOOT("ankle boot");

    /** The question every image is asked; its answer is {@link #label()}. */
    public static final String QUESTION = "what is this?";

    private final String label;

    FashionClass(String label) {
        this.label = label;
    }

    /** The class of label {@code id} (0..9). */
    public static FashionClass of(int id) {
        return values()[id];
    }

    /** The class named in {@code text} as a caption or an answer names it, or null. */
    public static @Nullable FashionClass named(String text) {
        String t = text.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
        for (FashionClass c : values()) {
            if (t.equals(c.label) || t.equals(c.caption())) {
                return c;
            }
        }
        return null;
    }

    /** The class's name, lower case: {@code t-shirt/top}, {@code ankle boot}. */
    public String label() {
        return label;
    }

    /** {@code a photo of a {name}}, with {@code an} before a vowel ({@code an ankle boot}). */
    public String caption() {
        return "a photo of " + ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
    }
}
