package dev.transfusion.server;

/**
 * What the parts of other modalities ({@code ModalityData}) in one request may hold together, checked before
 * anything is decoded: encoded bytes go through a temporary file to their plugin, raw values straight to the
 * model, and either could otherwise take the memory and disk of a server for a request that fits the message
 * size limit many times over once decoded. Images keep their own limits ({@link RequestBudget}).
 *
 * @param maxBytes  encoded bytes of all the request's parts (those of images count as images)
 * @param maxValues raw float values of all the request's parts
 */
public record PayloadLimits(long maxBytes, long maxValues) {
    /** 8 MiB of encoded parts (the default message size) and 4 Mi values (16 MiB of float32). */
    public static final PayloadLimits DEFAULTS = new PayloadLimits(8L << 20, 4L << 20);

    public PayloadLimits {
        if (maxBytes < 1 || maxValues < 1) {
            throw new IllegalArgumentException("payload limits must be at least 1, got " + maxBytes + " bytes and "
                    + maxValues + " values");
        }
    }
}
