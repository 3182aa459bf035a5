package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.InvalidInputException;
import dev.transfusion.server.ExceptionStatus;
import io.grpc.Status;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;

/**
 * An error as OpenAI's API writes it, {@code {"error":{"message","type","param","code"}}}, with its HTTP
 * status, so that OpenAI client libraries raise their usual exception (BadRequestError, AuthenticationError,
 * RateLimitError...) with the server's message.
 *
 * @param status  the HTTP status
 * @param message what is wrong, naming the field and what was expected
 * @param type    OpenAI's error type ({@code invalid_request_error}, {@code server_error}, ...)
 * @param param   the request field at fault, or null
 * @param code    a machine-readable code ({@code model_not_found}, ...), or null
 */
public record OpenAiError(HttpResponseStatus status, String message, String type, @Nullable String param,
                          @Nullable String code) {
    static final String INVALID_REQUEST = "invalid_request_error";

    /** 400: the request itself is wrong. */
    static OpenAiError badRequest(String message, @Nullable String param) {
        return new OpenAiError(HttpResponseStatus.BAD_REQUEST, message, INVALID_REQUEST, param, null);
    }

    /** 404 with a code ({@code model_not_found}, {@code unknown_url}). */
    static OpenAiError notFound(String message, @Nullable String param, String code) {
        return new OpenAiError(HttpResponseStatus.NOT_FOUND, message, INVALID_REQUEST, param, code);
    }

    /** 413: the request is larger than the server accepts. */
    static OpenAiError tooLarge(String message) {
        return new OpenAiError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, message, INVALID_REQUEST, null,
                "request_too_large");
    }

    /** 401: no or a wrong bearer token. */
    static OpenAiError unauthorized(String message) {
        return new OpenAiError(HttpResponseStatus.UNAUTHORIZED, message, INVALID_REQUEST, null, "invalid_api_key");
    }

    /**
     * The error {@code e} becomes: the SDK's InvalidInputException is a 400 with its message (which names the
     * field); the gRPC statuses the shared request checks and the limiter raise map onto their HTTP
     * counterparts (RESOURCE_EXHAUSTED: 429, UNAVAILABLE: 503); anything else is a 500 without internals,
     * logged by {@link ExceptionStatus}.
     */
    static OpenAiError of(Throwable e, String route) {
        if (e instanceof OpenAiException o) {
            return o.error();
        }
        if (e instanceof InvalidInputException) {
            return badRequest(String.valueOf(e.getMessage()), null);
        }
        if (e instanceof CancellationException) {
            return new OpenAiError(HttpResponseStatus.valueOf(499, "Client Closed Request"), route + " was cancelled",
                    "cancelled", null, null);
        }
        Status s = ExceptionStatus.of(e, route);   // logs what is unexpected
        String message = s.getDescription() == null ? s.getCode().name() : s.getDescription();
        return switch (s.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> badRequest(message, null);
            case RESOURCE_EXHAUSTED -> new OpenAiError(HttpResponseStatus.TOO_MANY_REQUESTS, message,
                    "rate_limit_error", null, "server_busy");
            case UNAVAILABLE -> new OpenAiError(HttpResponseStatus.SERVICE_UNAVAILABLE, message, "server_error", null,
                    "unavailable");
            case UNAUTHENTICATED -> unauthorized(message);
            case NOT_FOUND -> notFound(message, null, "not_found");
            case DEADLINE_EXCEEDED -> new OpenAiError(HttpResponseStatus.GATEWAY_TIMEOUT, message, "server_error",
                    null, "timeout");
            default -> new OpenAiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, message, "server_error", null,
                    null);
        };
    }

    /** The same error with {@code p} as its param. */
    OpenAiError withParam(@Nullable String p) {
        return new OpenAiError(status, message, type, p, code);
    }

    /** The JSON body. */
    ObjectNode toJson() {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("error", error);
        return body;
    }
}
