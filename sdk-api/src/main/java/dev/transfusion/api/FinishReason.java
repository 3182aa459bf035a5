package dev.transfusion.api;

/** Why a generation ended. */
public enum FinishReason {
    /** The model emitted end-of-sequence. */
    END_OF_SEQUENCE,
    /** The token limit was reached. */
    MAX_TOKENS,
    /** A stop string was produced. */
    STOP_STRING,
    /** The model's position limit was reached: it reads no longer sequence (the KV cache stays bounded). */
    MAX_LENGTH,
    /** A listener or the caller cancelled. */
    CANCELLED
}
