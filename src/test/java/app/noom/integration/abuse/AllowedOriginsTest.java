package app.noom.integration.abuse;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RawWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ALLOWED_ORIGINS}: a page from another origin can neither open {@code /signal} nor use any SockJS transport —
 * in particular the xhr ones, which Vert.x's own SockJS origin option does not cover — while the allowed origin and
 * clients without an {@code Origin} header work. Plain HTTP and raw sockets, so the exact headers are ours.
 */
class AllowedOriginsTest {
    private static final String GOOD = "https://noom.example.org";
    private static final String EVIL = "https://evil.example.com";
    private static NoomNode node;

    @BeforeAll
    static void start() {
        node = NoomNode.start(Map.of("ALLOWED_ORIGINS", GOOD + ", https://other.example.org"));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    // ---- /signal ----

    @Test
    void foreignOriginCannotOpenSignal() throws IOException {
        try (RawWebSocket ws = RawWebSocket.connect(node.port(), "/signal", Map.of("Origin", EVIL), 0)) {
            assertEquals(403, ws.status(), "refused before the upgrade");
            JsonObject body = new JsonObject(ws.responseBody());
            assertEquals("error", body.getString("type"));
            assertEquals("origin_not_allowed", body.getString("code"));
        }
        assertTrue(refusedCount("origin_not_allowed") >= 1);
    }

    @Test
    void allowedOriginAndOriginlessClientsSpeakOnSignal() throws IOException {
        for (Map<String, String> headers : List.of(Map.of("Origin", GOOD), Map.<String, String>of())) {
            try (RawWebSocket ws = RawWebSocket.connect(node.port(), "/signal", headers, 0)) {
                assertEquals(101, ws.status(), ws.responseHead());
                ws.sendText("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Ada\"}");
                assertEquals("welcome", new JsonObject(ws.readText()).getString("type"));
            }
        }
    }

    @Test
    void foreignOriginOfAnOlderHandshakeVersionCannotOpenSignal() throws IOException {
        // hybi-08/07 clients send Sec-WebSocket-Origin instead of Origin; the upgrade must not slip past the check
        for (String version : List.of("8", "7")) {
            try (RawWebSocket ws = RawWebSocket.connect(
                    node.port(),
                    "/signal",
                    Map.of("Sec-WebSocket-Version", version, "Sec-WebSocket-Origin", EVIL),
                    0)) {
                assertEquals(403, ws.status(), "version " + version + ": " + ws.responseHead());
                assertEquals("origin_not_allowed", new JsonObject(ws.responseBody()).getString("code"));
                assertTrue(
                        ws.responseHead().toLowerCase().contains("x-content-type-options: nosniff"), ws.responseHead());
            }
        }
    }

    @Test
    void originMustMatchExactly() throws IOException {
        for (String near :
                List.of(GOOD + ".evil.com", GOOD + "/", "http://noom.example.org", GOOD.toUpperCase(), "null")) {
            try (RawWebSocket ws = RawWebSocket.connect(node.port(), "/signal", Map.of("Origin", near), 0)) {
                assertEquals(403, ws.status(), near);
            }
        }
    }

    // ---- SockJS ----

    /** Every transport URL, and a preflight, from a foreign page: 403 with the typed error, before SockJS sees it. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "POST xhr",
                "POST xhr_send",
                "POST xhr_streaming",
                "GET eventsource",
                "GET htmlfile?c=cb",
                "GET jsonp?c=cb",
                "POST jsonp_send",
                "GET /sockjs/info",
                "GET /sockjs/iframe.html",
                "OPTIONS xhr",
                "OPTIONS xhr_send"
            })
    void foreignOriginIsRefusedOnEverySockJsTransport(String call) throws Exception {
        String[] parts = call.split(" ");
        String path = parts[1].startsWith("/") ? parts[1] : session() + parts[1];
        HttpResponse<InputStream> response = send(parts[0], path, EVIL, "[\"{}\"]");
        try (InputStream body = response.body()) {
            assertEquals(403, response.statusCode(), call);
            assertEquals("origin_not_allowed", new JsonObject(new String(body.readAllBytes())).getString("code"), call);
            assertTrue(
                    response.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                    "no CORS grant for " + call);
        }
    }

    @Test
    void foreignOriginCannotUpgradeSockJsWebSockets() throws IOException {
        for (String path : List.of(session() + "websocket", "/sockjs/websocket")) {
            try (RawWebSocket ws = RawWebSocket.connect(node.port(), path, Map.of("Origin", EVIL), 0)) {
                assertEquals(403, ws.status(), path);
            }
        }
    }

    /**
     * The allowed origin opens a session over xhr and talks; a foreign page that learnt the session's URL cannot inject
     * a frame into it with xhr_send (the frame never reaches the session: the next poll brings only the real answer).
     */
    @Test
    void allowedOriginWorksOverXhrAndForeignXhrSendCannotInject() throws Exception {
        String session = session();
        HttpResponse<String> open = sendString("POST", session + "xhr", GOOD, "");
        assertEquals(200, open.statusCode());
        assertEquals("o", open.body().trim());
        assertEquals(
                GOOD,
                open.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "CORS for the allowed origin");
        assertEquals(
                "true",
                open.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));

        String injected = new JsonArray()
                .add("{\"type\":\"hello\",\"id\":\"evil\",\"version\":1,\"nickname\":\"Mallory\"}")
                .encode();
        assertEquals(
                403, sendString("POST", session + "xhr_send", EVIL, injected).statusCode());
        String hello = new JsonArray()
                .add("{\"type\":\"hello\",\"id\":\"good\",\"version\":1,\"nickname\":\"Ada\"}")
                .encode();
        assertEquals(204, sendString("POST", session + "xhr_send", GOOD, hello).statusCode());

        String poll = sendString("POST", session + "xhr", GOOD, "").body().trim();
        assertTrue(poll.startsWith("a"), poll);
        JsonArray frames = new JsonArray(poll.substring(1));
        assertEquals(1, frames.size(), "only the allowed origin's hello was answered: " + poll);
        JsonObject welcome = new JsonObject(frames.getString(0));
        assertEquals("welcome", welcome.getString("type"));
        assertEquals("good", welcome.getString("re"));
    }

    @Test
    void preflightFromTheAllowedOriginIsAnswered() throws Exception {
        HttpResponse<String> preflight = http().send(
                        HttpRequest.newBuilder(uri(session() + "xhr_send"))
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .header("Origin", GOOD)
                                .header("Access-Control-Request-Method", "POST")
                                .header("Access-Control-Request-Headers", "content-type")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.statusCode() / 100 == 2, "preflight status " + preflight.statusCode());
        assertEquals(
                GOOD,
                preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    /** Unset, nothing changes: any origin may connect (the default keeps working for every deployment as before). */
    @Test
    void unsetMeansAnyOrigin() throws Exception {
        try (NoomNode open = NoomNode.start(Map.of());
                RawWebSocket ws = RawWebSocket.connect(open.port(), "/signal", Map.of("Origin", EVIL), 0)) {
            assertEquals(101, ws.status());
            HttpResponse<String> xhr = http().send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + session() + "xhr"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .header("Origin", EVIL)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, xhr.statusCode());
        }
    }

    // ---- helpers ----

    /**
     * A client, hence a connection, per request: Vert.x's xhr poll closes its connection right after answering without
     * saying `Connection: close`, so a pooled connection may already be dead when the next request reuses it.
     */
    private static HttpClient http() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static String session() {
        return "/sockjs/000/" + UUID.randomUUID().toString().replace("-", "") + "/";
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    private static HttpResponse<InputStream> send(String method, String path, String origin, String body)
            throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher =
                method.equals("POST") ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody();
        return http().send(
                        HttpRequest.newBuilder(uri(path))
                                .method(method, publisher)
                                .header("Origin", origin)
                                .header("Content-Type", "text/plain")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpResponse<String> sendString(String method, String path, String origin, String body)
            throws IOException, InterruptedException {
        return http().send(
                        HttpRequest.newBuilder(uri(path))
                                .method(method, HttpRequest.BodyPublishers.ofString(body))
                                .header("Origin", origin)
                                .header("Content-Type", "text/plain")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    static double refusedCount(String reason) {
        return AbuseMetrics.value(node.port(), "noom_refused_total{reason=\"" + reason + "\"}");
    }
}
