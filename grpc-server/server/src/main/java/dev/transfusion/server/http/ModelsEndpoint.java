package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.transfusion.api.ModelInfo;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one model this server holds, named by its
 * {@link ModelInfo#name()}, which is also the only {@code model} the other endpoints accept.
 */
final class ModelsEndpoint {
    private ModelsEndpoint() {
    }

    static void list(Exchange ex, ModelInfo info) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        data.add(model(info));
        ex.json(HttpResponseStatus.OK, body);
    }

    static void one(Exchange ex, ModelInfo info, String id) {
        if (!id.equals(info.name())) {
            throw new OpenAiException(unknown(id, info, "model"));
        }
        ex.json(HttpResponseStatus.OK, model(info));
    }

    /** A request's {@code model}, when given, must be this server's. */
    static void check(JsonNode body, ModelInfo info) {
        String model = JsonFields.string(body, "model", "model");
        if (model != null && !model.equals(info.name())) {
            throw new OpenAiException(unknown(model, info, "model"));
        }
    }

    private static OpenAiError unknown(String id, ModelInfo info, String param) {
        return OpenAiError.notFound("the model '" + id + "' does not exist on this server; it serves '"
                + info.name() + "' (GET /v1/models)", param, "model_not_found");
    }

    private static ObjectNode model(ModelInfo info) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("id", info.name());
        m.put("object", "model");
        m.put("created", 0);
        m.put("owned_by", "transfusion");
        return m;
    }
}
