package dev.transfusion.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.transfusion.api.ImageCodecs;
import dev.transfusion.api.ModelInfo;
import dev.transfusion.api.RgbImage;
import dev.transfusion.server.HttpApiTest.Reply;
import dev.transfusion.testing.StubModel;
import dev.transfusion.testing.TinyModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP port over the real engine (a tiny untrained model directory): the image size it checks is the one the
 * engine draws, and chat reaches its text path with an image. Outputs are noise; shapes and sizes are checked.
 */
class HttpRealModelTest {

    @Test
    void imagesAndChatReachTheEngine(@TempDir Path dir) throws Exception {
        Path modelDir = TinyModel.write(dir);
        TransfusionServer server = ServerLauncher.forModelDirectory(modelDir).host("127.0.0.1").port(0).httpPort(0)
                .shutdownTimings(Duration.ZERO, Duration.ofSeconds(10)).build().start();
        try {
            server.awaitReady();
            int port = server.httpPort();
            Reply img = HttpApiTest.call(port, "POST", "/v1/images/generations",
                    "{\"model\":\"model\",\"prompt\":\"a red circle\",\"size\":\"4x4\",\"seed\":3,\"steps\":2,"
                            + "\"max_tokens\":2}", null);
            assertEquals(200, img.status(), img.body());
            RgbImage drawn = ImageCodecs.decode(Base64.getDecoder().decode(img.json().at("/data/0/b64_json").asText()),
                    "b64_json");
            assertEquals(4, drawn.width());
            assertEquals(4, drawn.height());
            Reply chat = HttpApiTest.call(port, "POST", "/v1/chat/completions", "{\"max_tokens\":3,\"messages\":[{"
                    + "\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                    + HttpApiTest.png(4, 4, 0xff0000) + "\"}},{\"type\":\"text\",\"text\":\"what colour?\"}]}]}", null);
            assertEquals(200, chat.status(), chat.body());
            JsonNode usage = chat.json().get("usage");
            assertTrue(usage.get("completion_tokens").asInt() <= 3, chat.body());
            assertTrue(usage.get("prompt_tokens").asInt() > 0, chat.body());
        } finally {
            server.shutdown();
        }
    }

    @Test
    void aTextOnlyModelRefusesImages() throws Exception {
        StubModel textOnly = new StubModel() {
            @Override
            public ModelInfo info() {
                return new ModelInfo("words", 10, 100, Map.of("text", "1"), Map.of("image_size", "0"));
            }
        };
        try (TransfusionServer server = TransfusionServer.builder().model(textOnly).host("127.0.0.1").port(0)
                .httpPort(0).shutdownTimings(Duration.ZERO, Duration.ofSeconds(5)).build().start()) {
            server.awaitReady();
            Reply r = HttpApiTest.call(server.httpPort(), "POST", "/v1/images/generations", "{\"prompt\":\"x\"}", null);
            assertEquals(400, r.status(), r.body());
            assertEquals("model", r.error().get("param").asText());
            assertTrue(r.error().get("message").asText().contains("'words' draws no images"), r.body());
        }
    }
}
