package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.Document;
import dev.transfusion.api.FinishReason;
import dev.transfusion.api.GenerationListener;
import dev.transfusion.api.GenerationOptions;
import dev.transfusion.api.GenerationResult;
import dev.transfusion.api.Mode;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.Usage;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/chat/completions}: the messages become one prompt ({@link ChatPrompt}), which the model
 * continues with text, as its caption and answer paths do. With {@code stream: true} the reply is server-sent
 * events in OpenAI's chunk format, a chunk per token as the model writes it, then the finish reason, the usage
 * (with {@code stream_options.include_usage}) and {@code data: [DONE]}. One choice per request ({@code n} = 1).
 */
final class ChatEndpoint {
    static final String ROUTE = "/v1/chat/completions";

    private final ModelGate gate;
    private final ServerMetrics metrics;

    ChatEndpoint(ModelGate gate, ServerMetrics metrics) {
        this.gate = gate;
        this.metrics = metrics;
    }

    void handle(Exchange ex, byte[] bodyBytes) {
        JsonNode body = JsonFields.parseObject(bodyBytes);
        ModelInfo info = gate.model().info();
        ModelsEndpoint.check(body, info);
        Integer n = JsonFields.integer(body, "n");
        if (n != null && n != 1) {
            throw OpenAiException.badRequest("'n' must be 1: this server returns one choice per request, got " + n,
                    "n");
        }
        boolean stream = JsonFields.bool(body, "stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = JsonFields.field(body, "stream_options");
        if (streamOptions != null) {
            if (!streamOptions.isObject()) {
                throw JsonFields.wrongType("stream_options", "an object", streamOptions);
            }
            includeUsage = JsonFields.bool(streamOptions, "include_usage", false);
        }
        GenerationOptions options = SamplingFields.options(body, Mode.TEXT);
        ChatPrompt prompt = ChatPrompt.parse(body);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        boolean usageChunk = includeUsage;
        gate.submit(ex, ROUTE, prompt.images(), images -> {
            Document doc = prompt.toDocument(images);
            return (model, cancel) -> {
                if (!stream) {
                    GenerationResult r = model.generate(doc, options, metrics.counting(GenerationListener.NONE), cancel);
                    if (r.finishReason() == FinishReason.CANCELLED) {
                        return null;
                    }
                    return () -> ex.json(HttpResponseStatus.OK, completion(id, created, info, r));
                }
                ex.startEvents();
                ex.event(chunk(id, created, info, delta("role", "assistant").put("content", ""), null));
                Deltas deltas = new Deltas(ex, id, created, info);
                GenerationResult r = model.generate(doc, options, metrics.counting(deltas), cancel);
                if (r.finishReason() == FinishReason.CANCELLED) {
                    return null;
                }
                return () -> {
                    ex.event(chunk(id, created, info, JsonNodeFactory.instance.objectNode(), finishReason(r)));
                    if (usageChunk) {
                        ObjectNode u = chunk(id, created, info, null, null);
                        u.set("usage", usage(r.usage()));
                        ex.event(u);
                    }
                    ex.endEvents();
                };
            };
        });
    }

    /** Streams each token's text as a content delta; leading whitespace is dropped, as the unary reply trims. */
    private static final class Deltas implements GenerationListener {
        private final Exchange ex;
        private final String id;
        private final long created;
        private final ModelInfo info;
        private boolean started;

        Deltas(Exchange ex, String id, long created, ModelInfo info) {
            this.ex = ex;
            this.id = id;
            this.created = created;
            this.info = info;
        }

        @Override
        public void onToken(int tokenId, String text) {
            String t = started ? text : text.stripLeading();
            if (t.isEmpty()) {
                return;
            }
            started = true;
            ex.event(chunk(id, created, info, delta("content", t), null));
        }
    }

    private static ObjectNode delta(String key, String value) {
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put(key, value);
        return d;
    }

    /** One {@code chat.completion.chunk}; a null delta makes the usage chunk, whose choices are empty. */
    private static ObjectNode chunk(String id, long created, ModelInfo info, @Nullable ObjectNode delta,
                                    @Nullable String finish) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", info.name());
        var choices = c.putArray("choices");
        if (delta != null) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.put("finish_reason", finish);
        }
        return c;
    }

    private static ObjectNode completion(String id, long created, ModelInfo info, GenerationResult r) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("id", id);
        c.put("object", "chat.completion");
        c.put("created", created);
        c.put("model", info.name());
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", r.text().trim());
        choice.put("finish_reason", finishReason(r));
        c.set("usage", usage(r.usage()));
        return c;
    }

    private static ObjectNode usage(Usage u) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("prompt_tokens", u.promptTokens());
        o.put("completion_tokens", u.generatedTokens());
        o.put("total_tokens", u.promptTokens() + u.generatedTokens());
        return o;
    }

    /** OpenAI's spelling: a token or position limit is "length", every other ending "stop". */
    static String finishReason(GenerationResult r) {
        return r.finishReason() == FinishReason.MAX_TOKENS || r.finishReason() == FinishReason.MAX_LENGTH ? "length"
                : "stop";
    }
}
