package dev.transfusion.server.http;

import org.jspecify.annotations.Nullable;

/** Ends an HTTP request with {@link #error()}: thrown by the checks of the OpenAI-compatible endpoints. */
final class OpenAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient OpenAiError error;

    OpenAiException(OpenAiError error) {
        super(error.message(), null, false, false);   // an answer to the client, not a fault: no stack trace
        this.error = error;
    }

    OpenAiError error() {
        return error;
    }

    /** A 400 naming {@code param}. */
    static OpenAiException badRequest(String message, @Nullable String param) {
        return new OpenAiException(OpenAiError.badRequest(message, param));
    }
}
