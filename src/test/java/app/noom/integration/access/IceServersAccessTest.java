package app.noom.integration.access;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/ice-servers} mints TURN credentials: with join tokens required, only for a valid token or a live
 * session; one TURN username per session (the welcome's) or per address; and a bounded number of calls per address.
 */
class IceServersAccessTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String JWT_SECRET = "ice-" + UUID.randomUUID() + UUID.randomUUID();
    private static final Map<String, String> TURN =
            Map.of("TURN_SECRET", "turn-" + UUID.randomUUID(), "TURN_URLS", "turn:turn.example.org:3478");

    private static HttpResponse<String> get(int port, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/ice-servers"))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String turnUser(JsonArray iceServers) {
        for (int i = 0; i < iceServers.size(); i++) {
            String username = iceServers.getJsonObject(i).getString("username");
            if (username != null) return username.substring(username.indexOf(':') + 1); // "<expiry>:<user>"
        }
        return fail("no TURN entry in " + iceServers.encode());
    }

    private static String hs256(JsonObject claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void withJoinTokensRequiredOnlyATokenOrALiveSessionGetsCredentials() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(TURN);
        env.putAll(Map.of("AUTH_JWT_ALGORITHM", "HS256", "AUTH_JWT_SECRET", JWT_SECRET));
        try (NoomNode node = NoomNode.start(env)) {
            HttpResponse<String> anonymous = get(node.port(), null);
            assertEquals(401, anonymous.statusCode());
            assertEquals("auth_required", new JsonObject(anonymous.body()).getString("code"));
            assertFalse(anonymous.body().contains("credential"));
            HttpResponse<String> forged = get(node.port(), "Bearer " + hs256(new JsonObject().put("exp", 1)));
            assertEquals(401, forged.statusCode());
            assertEquals("bad_token", new JsonObject(forged.body()).getString("code"));

            String token = hs256(new JsonObject().put("sub", "u1").put("exp", System.currentTimeMillis() / 1000 + 600));
            HttpResponse<String> invited = get(node.port(), "Bearer " + token);
            assertEquals(200, invited.statusCode(), invited.body());
            assertEquals(
                    turnUser(new JsonObject(invited.body()).getJsonArray("iceServers")),
                    turnUser(new JsonObject(get(node.port(), "Bearer " + token).body()).getJsonArray("iceServers")),
                    "one TURN username per token, however often it asks");

            try (RawWebSocket ws = RawWebSocket.connect(node.port())) {
                ws.sendText(new JsonObject()
                        .put("type", "hello")
                        .put("id", 1)
                        .put("version", 1)
                        .put("nickname", "Live")
                        .put("token", token)
                        .encode());
                JsonObject welcome = new JsonObject(ws.readText());
                assertEquals("welcome", welcome.getString("type"), welcome::encode);
                HttpResponse<String> session = get(node.port(), "Bearer " + welcome.getString("resumeToken"));
                assertEquals(200, session.statusCode(), "a live session's resume token is proof enough");
                assertEquals(
                        turnUser(welcome.getJsonArray("iceServers")),
                        turnUser(new JsonObject(session.body()).getJsonArray("iceServers")),
                        "a refresh keeps the session's one TURN username");
            }
        }
    }

    @Test
    void openServerLimitsCallsAndUsernamesPerAddress() throws Exception {
        try (NoomNode node = NoomNode.start(TURN)) {
            String first = null;
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = get(node.port(), null);
                assertEquals(200, response.statusCode(), "call " + i);
                String user = turnUser(new JsonObject(response.body()).getJsonArray("iceServers"));
                if (first == null) first = user;
                assertEquals(first, user, "one TURN username per address, not one per call");
            }
            HttpResponse<String> limited = get(node.port(), null);
            assertEquals(429, limited.statusCode());
            assertEquals("rate_limited", new JsonObject(limited.body()).getString("code"));
            assertFalse(limited.body().contains("credential"));
        }
    }
}
