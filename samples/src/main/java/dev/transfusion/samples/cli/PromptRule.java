package dev.transfusion.samples.cli;

import dev.transfusion.api.InvalidInputException;

/** The server's rule for a prompt (grpc-server PromptChunks): an empty one is refused before any model loads. */
final class PromptRule {
    private PromptRule() {
    }

    /** Refuses an empty {@code prompt}, naming {@code flag}. */
    static void check(String flag, String prompt) {
        if (prompt.isEmpty()) {
            throw new InvalidInputException(flag + " is empty: give at least one character of text");
        }
    }
}
