package dev.transfusion.api;

/** What a generation may produce. */
public enum Mode {
    /** The model decides: text, and an image whenever it emits the begin-of-image token. */
    AUTO,
    /** Text only: the begin-of-image token is never sampled. */
    TEXT,
    /** One image right after the prompt (begin-of-image is forced); generation ends with it. */
    IMAGE
}
