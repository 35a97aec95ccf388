package app.noom.integration.room;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * SockJS's own WebSocket transport ({@code /sockjs/<server>/<session>/websocket}) reaches the same protocol: the
 * {@code /signal} upgrade path must not swallow it. (A plain socket client, as a browser's SockJS would behave.)
 */
class SockJsWebSocketTransportTest {

    @Test
    void helloOverTheSockJsWebSocketTransportGetsWelcome() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of())) {
            String path = "/sockjs/000/" + UUID.randomUUID().toString().replace("-", "") + "/websocket";
            try (RawWebSocket socket = RawWebSocket.connect(node.port(), path, Map.of(), 65_536)) {
                assertEquals(101, socket.status(), socket::responseHead);
                socket.setReadTimeout(10_000);
                assertEquals("o", socket.readText(), "SockJS open frame");
                String hello = new JsonObject()
                        .put("type", "hello")
                        .put("id", 1)
                        .put("version", 1)
                        .put("nickname", "Sock")
                        .encode();
                socket.sendText(new JsonArray().add(hello).encode());
                String frame = socket.readText();
                while ("h".equals(frame)) frame = socket.readText(); // heartbeats
                assertTrue(frame.startsWith("a"), frame);
                JsonObject welcome = new JsonObject(new JsonArray(frame.substring(1)).getString(0));
                assertEquals("welcome", welcome.getString("type"));
                assertEquals(1, welcome.getInteger("re"));
            }
        }
    }
}
