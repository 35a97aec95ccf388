package app.noom.logscan;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RawWebSocket;
import app.noom.integration.support.Transport;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The logs of the whole test run contain no token, password, resume token or TURN password.
 *
 * <p>How this is sound: {@link LogCapture} is installed before the first test class of the JVM and records everything
 * logged (SLF4J/Logback: Noom, Vert.x, Netty, Micrometer, Noom's loggers at every level; JUL), everything printed, and
 * the output of node processes. Every secret a test handles is collected as it passes through the test clients and
 * node starters. This class runs last ({@link LogScanRunsLast}), so its scan covers every class of the run; on its own
 * it covers its own scenario, which touches each kind of secret, including the paths where a careless implementation
 * logs one: a refused token, a wrong password, unknown and reused resume tokens, a dropped connection, fresh TURN
 * credentials, a wrong admin token — with Vert.x's own loggers also opened to DEBUG while it runs.
 *
 * <p>Exact values are searched, not shapes, except for JWTs, which are recognisable ({@code eyJ…}.{@code eyJ…}.): none
 * may appear at all. Values shorter than {@value LogCapture#MIN_SECRET_LENGTH} characters are not searched (they would
 * match ordinary words); all secrets below are long.
 */
@ExtendWith(VertxExtension.class)
class LogSecretsScanTest {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.eyJ[A-Za-z0-9_-]{4,}\\.");
    private static final Logger VERTX = (Logger) LoggerFactory.getLogger("io.vertx");

    @Test
    void noSecretAppearsInTheLogsOfTheRun(Vertx vertx) throws Exception {
        LogCapture.install(); // no-op after the first test class; needed when this class runs alone
        Level vertxLevel = VERTX.getLevel();
        VERTX.setLevel(Level.DEBUG);
        try {
            exerciseEverySecret(vertx);
        } finally {
            VERTX.setLevel(vertxLevel);
        }

        // records written now, below the console's level, must be in the capture: the capture is live at every level
        LoggerFactory.getLogger("app.noom.logscan").trace("log scan probe (SLF4J)");
        java.util.logging.Logger.getLogger("app.noom.logscan").fine("log scan probe (JUL)");
        String logs = Files.readString(LogCapture.file(), StandardCharsets.UTF_8);
        assertTrue(logs.contains("log scan probe (SLF4J)"), "the Logback capture is not working");
        assertTrue(logs.contains("log scan probe (JUL)"), "the JUL capture is not working");

        Map<String, String> secrets = LogCapture.secrets();
        List<String> leaks = new ArrayList<>();
        secrets.forEach((value, what) -> {
            int at = logs.indexOf(value);
            if (at >= 0) leaks.add(what + " at: …" + logs.substring(Math.max(0, at - 120), at) + "<SECRET>…");
        });
        Matcher jwt = JWT.matcher(logs);
        if (jwt.find())
            leaks.add("a JWT at: …" + logs.substring(Math.max(0, jwt.start() - 120), jwt.start()) + "<JWT>…");
        System.out.printf(
                "log scan: %d characters of logs from this run scanned for %d secrets (%s)%n",
                logs.length(),
                secrets.size(),
                secrets.values().stream().distinct().sorted().toList());
        assertTrue(leaks.isEmpty(), () -> leaks.size() + " secrets in the logs (" + LogCapture.file() + "): " + leaks);
    }

    private static void exerciseEverySecret(Vertx vertx) throws Exception {
        String turnSecret = random(30);
        String jwtSecret = random(48);
        String adminToken = random(32);
        try (NoomNode node = NoomNode.start(Map.of(
                "TURN_SECRET",
                turnSecret,
                "TURN_URLS",
                "turn:127.0.0.1:3478",
                "AUTH_JWT_ALGORITHM",
                "HS256",
                "AUTH_JWT_SECRET",
                jwtSecret,
                "ADMIN_TOKEN",
                adminToken))) {
            assertTrue(LogCapture.secrets().containsKey(turnSecret), "configured secrets are collected");
            long now = System.currentTimeMillis() / 1000;
            String token = hs256(
                    jwtSecret,
                    new JsonObject().put("sub", "ada").put("iat", now).put("exp", now + 600));
            String expired = hs256(
                    jwtSecret,
                    new JsonObject().put("sub", "ada").put("iat", now - 900).put("exp", now - 600));
            String forged =
                    hs256(random(48), new JsonObject().put("sub", "mallory").put("exp", now + 600));
            for (String t : List.of(token, expired, forged)) LogCapture.secret("join token", t);

            // refused tokens
            for (String bad :
                    List.of(expired, forged, token.substring(0, token.length() - 3) + "AAA", "not-a-jwt-but-long")) {
                ProtocolClient refused = Transport.WEBSOCKET.connect(vertx, node.port());
                assertEquals(
                        "error",
                        refused.request(msg("hello")
                                        .put("version", 1)
                                        .put("nickname", "Mallory")
                                        .put("token", bad))
                                .getString("type"));
                refused.close();
            }

            // a session with a password room; a wrong password; TURN credentials in welcome
            ProtocolClient ada = Transport.WEBSOCKET.connect(vertx, node.port());
            JsonObject welcome = ada.request(
                    msg("hello").put("version", 1).put("nickname", "Ada").put("token", token));
            assertEquals("welcome", welcome.getString("type"), welcome::encode);
            assertNotNull(welcome.getJsonArray("iceServers").getJsonObject(0).getString("credential"), "TURN minted");
            String room = "secret-room-" + System.nanoTime();
            String password = "correct horse battery " + random(8);
            assertEquals(
                    "joined",
                    ada.request(msg("join").put("room", room).put("password", password))
                            .getString("type"));
            ProtocolClient grace = Transport.SOCKJS.connect(vertx, node.port());
            grace.request(
                    msg("hello").put("version", 1).put("nickname", "Grace").put("token", token));
            for (int i = 0; i < 3; i++) {
                grace.expectError(
                        msg("join").put("room", room).put("password", "wrong horse " + random(12)), "bad_password");
            }
            assertEquals(
                    "joined",
                    grace.request(msg("join").put("room", room).put("password", password))
                            .getString("type"));

            // a dropped connection, resumed; then the used token again, and unknown ones
            RawWebSocket raw = RawWebSocket.connect(node.port());
            raw.sendText(JsonObject.of("type", "hello", "id", 1, "version", 1, "nickname", "Resumer", "token", token)
                    .encode());
            JsonObject first = new JsonObject(raw.readText());
            String resumeToken = first.getString("resumeToken");
            raw.close(); // no close frame: a drop, the session waits for a resume
            RawWebSocket back = RawWebSocket.connect(node.port());
            back.sendText(JsonObject.of(
                            "type",
                            "hello",
                            "id",
                            2,
                            "version",
                            1,
                            "nickname",
                            "Resumer",
                            "token",
                            token,
                            "resume",
                            JsonObject.of("token", resumeToken, "lastSeq", first.getLong("seq")))
                    .encode());
            JsonObject resumed = new JsonObject(back.readText());
            assertTrue(resumed.getBoolean("resumed"), resumed::encode);
            for (String unknown : List.of(resumeToken, random(43), random(43))) { // reused (single-use) and unknown
                ProtocolClient stranger = Transport.WEBSOCKET.connect(vertx, node.port());
                JsonObject answer = stranger.request(msg("hello")
                        .put("version", 1)
                        .put("nickname", "Stranger")
                        .put("token", token)
                        .put("resume", JsonObject.of("token", unknown, "lastSeq", 3)));
                assertFalse(answer.getBoolean("resumed", false), answer::encode);
                stranger.close();
            }
            back.close();

            // fresh TURN credentials over HTTP; the admin API with a wrong and the right token
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            JsonObject ice = new JsonObject(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/ice-servers"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            LogCapture.fromMessage(ice);
            String wrongAdmin = random(32);
            LogCapture.secret("wrong admin token", wrongAdmin);
            for (String bearer : List.of(wrongAdmin, adminToken)) {
                http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/admin/api/overview"))
                                .header("Authorization", "Bearer " + bearer)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            ada.request(msg("bye"));
            grace.close();
            ada.close();
        }
    }

    private static String hs256(String secret, JsonObject claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(new JsonObject()
                        .put("alg", "HS256")
                        .put("typ", "JWT")
                        .encode()
                        .getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String random(int chars) {
        byte[] bytes = new byte[chars];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, chars);
    }
}
