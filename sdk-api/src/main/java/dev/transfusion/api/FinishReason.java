package dev.transfusion.api;

/** Why a generation ended. */
public enum FinishReason {
    /** The model emitted end-of-sequence. */
    END_OF_SEQUENCE,
    /** The token limit was reached. */
    MAX_TOKENS,
    /** A stop string was produced. */
    STOP_STRING,
    /** A listener or the caller cancelled. */
    CANCELLED
}
