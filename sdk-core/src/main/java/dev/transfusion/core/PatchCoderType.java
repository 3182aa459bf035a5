package dev.transfusion.core;

import dev.transfusion.api.InvalidInputException;
import java.util.Arrays;

/** Which patch encoder/decoder a model has ({@code patch_coder} in its configuration). */
public enum PatchCoderType {
    /** The reference's: one linear layer in, one out. */
    LINEAR("linear"),
    /** The paper's U-Net down and up blocks around the transformer. */
    UNET("unet");

    private final String configName;

    PatchCoderType(String configName) {
        this.configName = configName;
    }

    /** The name in {@code config.json}. */
    public String configName() {
        return configName;
    }

    /** Whether {@code name} names a type. */
    public static boolean isName(String name) {
        return Arrays.stream(values()).anyMatch(t -> t.configName.equals(name));
    }

    /** The type named {@code name} in a configuration; the error lists the names. */
    public static PatchCoderType of(String name) {
        for (PatchCoderType t : values()) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        throw new InvalidInputException("patch_coder must be one of " + Arrays.stream(values())
                .map(t -> "\"" + t.configName + "\"").toList() + ", got " + name);
    }
}
