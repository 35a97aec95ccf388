package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.HaproxyProcess;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through a real haproxy running the shipped deploy/haproxy.cfg, against a node configured as the compose file
 * configures it (METRICS_PORT, TRUSTED_PROXIES = the proxy): no spelling of /metrics or /admin gets through, and
 * every per-address limit counts the client that haproxy forwards — not haproxy. Clients differ by their loopback
 * source address (127.0.0.2, 127.0.0.3, …).
 */
class ShippedHaproxyTest {
    private static final int MAX_PER_ADDRESS = 6;
    private static NoomNode node;
    private static HaproxyProcess haproxy;

    @BeforeAll
    static void start() throws Exception {
        node = NoomNode.start(Map.of(
                "METRICS_PORT",
                "0",
                "TRUSTED_PROXIES",
                "127.0.0.1",
                "ADMIN_TOKEN",
                "adm-" + java.util.UUID.randomUUID(),
                "MAX_CONNECTIONS_PER_IP",
                String.valueOf(MAX_PER_ADDRESS)));
        haproxy = HaproxyProcess.inFrontOf(node.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) haproxy.close();
        node.close();
    }

    @Test
    void noPathSpellingReachesMetricsOrAdmin() throws IOException {
        for (String path : List.of(
                "/metrics",
                "//metrics",
                "/./metrics",
                "/%6detrics",
                "/%6Detrics",
                "/x/../metrics",
                "/metrics/",
                "/%2fmetrics",
                "/admin/",
                "//admin/",
                "/%61dmin/",
                "/admin/api/overview")) {
            String response = HaproxyProcess.get(haproxy.port(), path);
            assertFalse(
                    response.startsWith("HTTP/1.1 200"),
                    path + " through haproxy: " + response.lines().findFirst());
            assertFalse(response.contains("# TYPE"), path + " leaked the Prometheus text");
            assertFalse(response.contains("admin.js"), path + " served the admin page");
        }
        assertTrue(HaproxyProcess.get(haproxy.port(), "/").startsWith("HTTP/1.1 200"), "the site itself is served");
    }

    @Test
    void wrongPasswordsFromOneClientDoNotThrottleAnotherBehindTheProxy() throws IOException {
        String room = "pw-" + System.nanoTime();
        try (RawWebSocket owner = open("127.0.0.4")) {
            hello(owner, "Owner");
            assertEquals("joined", request(owner, join(room, "correct horse")).getString("type"));
            // 5 sessions x 5 wrong passwords: past the attacker's per-session and per-address (4 x 5) allowance
            for (int s = 0; s < 5; s++) {
                try (RawWebSocket attacker = open("127.0.0.2")) {
                    hello(attacker, "Guesser");
                    for (int i = 0; i < 5; i++) request(attacker, join(room, "guess-" + s + "-" + i));
                }
            }
            try (RawWebSocket attacker = open("127.0.0.2")) {
                hello(attacker, "Guesser");
                assertEquals(
                        "password_throttled",
                        request(attacker, join(room, "correct horse")).getString("code"),
                        "the guesser's own address is throttled");
            }
            try (RawWebSocket victim = open("127.0.0.3")) {
                hello(victim, "Victim");
                JsonObject joined = request(victim, join(room, "correct horse"));
                assertEquals(
                        "joined", joined.getString("type"), "another client behind the same proxy: " + joined.encode());
            }
        }
    }

    @Test
    void connectionCapCountsEachClientBehindTheProxy() throws IOException {
        List<RawWebSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                RawWebSocket ws = open("127.0.0.5");
                held.add(ws);
                assertEquals(101, ws.status(), "connection " + i);
            }
            try (RawWebSocket over = RawWebSocket.connectFrom("127.0.0.5", haproxy.port(), "/signal", Map.of(), 0)) {
                assertEquals(429, over.status(), "one over the cap from the same client");
            }
            try (RawWebSocket other = RawWebSocket.connectFrom("127.0.0.6", haproxy.port(), "/signal", Map.of(), 0)) {
                assertEquals(101, other.status(), "another client behind the same proxy is not refused");
            }
        } finally {
            held.forEach(RawWebSocket::close);
        }
    }

    private static RawWebSocket open(String from) throws IOException {
        RawWebSocket ws = RawWebSocket.connectFrom(from, haproxy.port(), "/signal", Map.of(), 0);
        assertEquals(101, ws.status(), ws.responseHead());
        return ws;
    }

    private static int nextId = 1;

    private static JsonObject join(String room, String password) {
        return new JsonObject().put("type", "join").put("room", room).put("password", password);
    }

    private static void hello(RawWebSocket ws, String nickname) throws IOException {
        JsonObject welcome = request(
                ws, new JsonObject().put("type", "hello").put("version", 1).put("nickname", nickname));
        assertEquals("welcome", welcome.getString("type"), welcome::encode);
    }

    /** Sends {@code message} with a fresh id and returns the answer to it, skipping anything else. */
    private static synchronized JsonObject request(RawWebSocket ws, JsonObject message) throws IOException {
        int id = nextId++;
        ws.sendText(message.put("id", id).encode());
        while (true) {
            JsonObject answer = new JsonObject(ws.readText());
            if (Integer.valueOf(id).equals(answer.getValue("re"))) return answer;
        }
    }
}
