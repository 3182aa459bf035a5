package dev.transfusion.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.transfusion.api.Document;
import dev.transfusion.api.ImagePart;
import dev.transfusion.api.Part;
import dev.transfusion.api.TextPart;
import dev.transfusion.server.RequestImages;
import dev.transfusion.server.v1.ImageData;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A chat's {@code messages} as one Transfusion prompt: the messages' text and images in order, consecutive
 * texts joined by a newline. So an image alone is the caption layout ({@code [image]}), an image and a
 * question the answer layout ({@code [image, question]}), and text alone a text continuation: the layouts
 * {@code caption} and {@code answer} use. Images come as {@code image_url} parts with {@code data:} URLs
 * (the server fetches nothing), PNG or JPEG; they are decoded later, under the request budget.
 */
final class ChatPrompt {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/jpg");

    /** Text, or an image still to decode. */
    private sealed interface Piece permits Text, Image {
    }

    private record Text(String text) implements Piece {
    }

    private record Image(RequestImages.Named named) implements Piece {
    }

    private final List<Piece> pieces;

    private ChatPrompt(List<Piece> pieces) {
        this.pieces = pieces;
    }

    /** Reads {@code messages} from the body; every problem names its field ({@code messages[1].content}). */
    static ChatPrompt parse(JsonNode body) {
        JsonNode messages = JsonFields.field(body, "messages");
        if (messages == null) {
            throw OpenAiException.badRequest("'messages' is required: an array of {role, content}", "messages");
        }
        if (!messages.isArray()) {
            throw JsonFields.wrongType("messages", "an array", messages);
        }
        if (messages.isEmpty()) {
            throw OpenAiException.badRequest("'messages' is empty; give at least one message", "messages");
        }
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw JsonFields.wrongType(at, "an object {role, content}", m);
            }
            String role = JsonFields.requiredString(m, "role", at + ".role");
            if (!ROLES.contains(role)) {
                throw OpenAiException.badRequest("'" + at + ".role' is '" + role + "'; expected one of system, "
                        + "developer, user, assistant", at + ".role");
            }
            content(m, at + ".content", pieces);
        }
        if (pieces.isEmpty()) {
            throw OpenAiException.badRequest("the messages hold no text and no image", "messages");
        }
        return new ChatPrompt(pieces);
    }

    private static void content(JsonNode message, String at, List<Piece> pieces) {
        JsonNode c = JsonFields.field(message, "content");
        if (c == null) {
            return;   // an assistant turn may have no content
        }
        if (c.isTextual()) {
            text(c.textValue(), pieces);
            return;
        }
        if (!c.isArray()) {
            throw JsonFields.wrongType(at, "a string or an array of content parts", c);
        }
        for (int k = 0; k < c.size(); k++) {
            String partAt = at + "[" + k + "]";
            JsonNode part = c.get(k);
            if (!part.isObject()) {
                throw JsonFields.wrongType(partAt, "an object {type, ...}", part);
            }
            String type = JsonFields.requiredString(part, "type", partAt + ".type");
            switch (type) {
                case "text" -> text(JsonFields.requiredString(part, "text", partAt + ".text"), pieces);
                case "image_url" -> pieces.add(new Image(image(part, partAt + ".image_url")));
                default -> throw OpenAiException.badRequest("'" + partAt + ".type' is '" + type
                        + "'; this server reads 'text' and 'image_url' parts", partAt + ".type");
            }
        }
    }

    private static void text(String text, List<Piece> pieces) {
        if (text.isEmpty()) {
            return;
        }
        if (!pieces.isEmpty() && pieces.get(pieces.size() - 1) instanceof Text last) {
            pieces.set(pieces.size() - 1, new Text(last.text() + "\n" + text));
        } else {
            pieces.add(new Text(text));
        }
    }

    private static RequestImages.Named image(JsonNode part, String at) {
        JsonNode ref = JsonFields.field(part, "image_url");
        String url;
        if (ref != null && ref.isObject()) {
            url = JsonFields.requiredString(ref, "url", at + ".url");
        } else if (ref != null && ref.isTextual()) {
            url = ref.textValue();
        } else if (ref == null) {
            throw OpenAiException.badRequest("'" + at + "' is required: {\"url\": \"data:image/png;base64,...\"}", at);
        } else {
            throw JsonFields.wrongType(at, "an object {url}", ref);
        }
        return new RequestImages.Named(at, dataUrl(url, at + ".url"));
    }

    /** {@code data:image/png;base64,...} as image bytes, their mime type checked later with the bytes. */
    static ImageData dataUrl(String url, String param) {
        if (!url.regionMatches(true, 0, "data:", 0, 5)) {
            String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')) : "no scheme";
            throw OpenAiException.badRequest("'" + param + "' must be a data: URL (data:image/png;base64,...), got "
                    + scheme + "; this server fetches no URLs", param);
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw OpenAiException.badRequest("'" + param + "' is a data: URL without a ',' before its data", param);
        }
        String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!meta.endsWith(";base64")) {
            throw OpenAiException.badRequest("'" + param + "' must be base64 (data:image/png;base64,...)", param);
        }
        String mime = meta.substring(0, meta.length() - ";base64".length());
        if (!IMAGE_TYPES.contains(mime)) {
            throw OpenAiException.badRequest("'" + param + "' has media type '" + mime
                    + "'; send image/png or image/jpeg", param);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(url.substring(comma + 1).strip());
        } catch (IllegalArgumentException e) {
            throw OpenAiException.badRequest("'" + param + "' holds invalid base64: " + e.getMessage(), param);
        }
        return ImageData.newBuilder().setData(ByteString.copyFrom(bytes)).setMimeType(mime).build();
    }

    /** The images to check and decode, each named by its field. */
    List<RequestImages.Named> images() {
        return pieces.stream().filter(p -> p instanceof Image).map(p -> ((Image) p).named()).toList();
    }

    /** The prompt, its images decoded by {@code images}. */
    Document toDocument(RequestImages images) {
        List<Part> parts = new ArrayList<>();
        for (Piece p : pieces) {
            if (p instanceof Text t) {
                parts.add(new TextPart(t.text()));
            } else if (p instanceof Image i) {
                parts.add(new ImagePart(images.decode(i.named().data(), i.named().field())));
            }
        }
        return new Document(parts);
    }
}
