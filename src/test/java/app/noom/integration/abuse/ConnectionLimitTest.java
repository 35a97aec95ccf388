package app.noom.integration.abuse;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RawWebSocket;
import app.noom.integration.support.SockJsTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code MAX_CONNECTIONS_PER_IP}: one address holds at most that many WebSocket + SockJS connections on a node,
 * counted across event loops (the node runs two HTTP verticles here), given back when a connection ends.
 */
@ExtendWith(VertxExtension.class)
class ConnectionLimitTest {
    private static final int LIMIT = 4;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) c.close();
        open.clear();
    }

    private static NoomNode twoLoopNode() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // a fixed port: with PORT=0 the node runs a single HTTP verticle
        }
        return NoomNode.start(Map.of(
                "PORT", String.valueOf(port), "HTTP_INSTANCES", "2", "MAX_CONNECTIONS_PER_IP", String.valueOf(LIMIT)));
    }

    private RawWebSocket webSocket(NoomNode node) throws IOException {
        RawWebSocket ws = RawWebSocket.connect(node.port());
        open.add(ws);
        return ws;
    }

    private static void hello(RawWebSocket ws) throws IOException {
        ws.sendText("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Ada\"}");
        assertEquals("welcome", new JsonObject(ws.readText()).getString("type"));
    }

    @Test
    void extraWebSocketsAreRefusedWith429AndSlotsComeBack() throws Exception {
        try (NoomNode node = twoLoopNode()) {
            List<RawWebSocket> admitted = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) {
                RawWebSocket ws = webSocket(node);
                assertEquals(101, ws.status(), "connection " + (i + 1) + " of " + LIMIT);
                hello(ws);
                admitted.add(ws);
            }
            for (int i = 0; i < 3; i++) {
                RawWebSocket refused = webSocket(node);
                assertEquals(429, refused.status(), "refused before the upgrade");
                assertEquals("too_many_connections", new JsonObject(refused.responseBody()).getString("code"));
            }
            assertEquals(3.0, AbuseMetrics.value(node.port(), "noom_refused_total{reason=\"too_many_connections\"}"));

            admitted.get(0).close(); // the server notices the drop and gives the slot back
            RawWebSocket again = awaitAdmitted(node);
            hello(again);
            for (RawWebSocket ws : admitted.subList(1, LIMIT)) { // the others were never disturbed
                ws.sendText("{\"type\":\"ping\",\"id\":2}");
                assertEquals("pong", new JsonObject(ws.readText()).getString("type"));
            }
            closeAll(); // before the node: a node closing waits for WebSocket clients to answer its close
        }
    }

    @Test
    void sockJsCountsTooAndAnExtraSessionGetsTheErrorAndIsClosed(Vertx vertx) throws Exception {
        try (NoomNode node = twoLoopNode()) {
            for (int i = 0; i < LIMIT - 1; i++)
                assertEquals(101, webSocket(node).status());
            ProtocolClient lastSlot = SockJsTestClient.connect(vertx, node.port());
            open.add(lastSlot::close);
            lastSlot.hello("Grace");
            assertEquals(429, webSocket(node).status(), "the SockJS session took the last slot");

            ProtocolClient extra = SockJsTestClient.connect(vertx, node.port());
            open.add(extra::close);
            JsonObject error = extra.nextOfType("error");
            assertEquals("too_many_connections", error.getString("code"));
            Integer code =
                    extra.awaitClosed(); // SockJS's xhr transports turn every server close into their generic 3000
            assertTrue(code == null || code == 4029 || code == 3000, "close code " + code);
            assertEquals("pong", lastSlot.request(ProtocolClient.msg("ping")).getString("type"));
            closeAll();
        }
    }

    @Test
    void zeroMeansNoLimit() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of("MAX_CONNECTIONS_PER_IP", "0"))) {
            for (int i = 0; i < 3 * LIMIT; i++)
                assertEquals(101, webSocket(node).status());
            closeAll();
        }
    }

    /** The slot is released on the server's close handler, a moment after the client's close: poll for it. */
    private RawWebSocket awaitAdmitted(NoomNode node) throws Exception {
        long deadline = System.nanoTime() + ProtocolClient.TIMEOUT.toNanos();
        while (true) {
            RawWebSocket ws = webSocket(node);
            if (ws.status() == 101) return ws;
            assertEquals(429, ws.status());
            assertTrue(System.nanoTime() < deadline, "the slot of a closed connection never came back");
            Thread.sleep(20);
        }
    }
}
