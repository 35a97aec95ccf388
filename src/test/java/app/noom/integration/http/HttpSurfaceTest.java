package app.noom.integration.http;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

/**
 * What the public port answers besides the protocol: the site's security headers on every response (SockJS and errors
 * included), no third-party script pages under /sockjs, and — with METRICS_PORT — no metrics or admin at all.
 */
class HttpSurfaceTest {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final String ADMIN_TOKEN = "adm-" + UUID.randomUUID();
    private static NoomNode node;
    private static NoomNode split;

    @BeforeAll
    static void start() {
        node = NoomNode.start(Map.of());
        split = NoomNode.start(Map.of("METRICS_PORT", "0", "ADMIN_TOKEN", ADMIN_TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        split.close();
    }

    static HttpResponse<String> get(int port, String rawPath, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + rawPath, e);
        }
    }

    /**
     * Each POST on its own client, hence its own connection: Vert.x's xhr poll closes its connection right after
     * answering without saying `Connection: close`, so a pooled connection may already be dead when reused.
     */
    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        HttpClient fresh = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return fresh.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSiteHeaders(HttpResponse<String> response, String what) {
        assertEquals(
                "nosniff",
                response.headers().firstValue("X-Content-Type-Options").orElse(""),
                what);
        assertTrue(
                response.headers()
                        .firstValue("Content-Security-Policy")
                        .orElse("")
                        .contains("frame-ancestors 'none'"),
                what);
    }

    @Test
    void everyKindOfResponseCarriesNosniffAndTheSitePolicy() throws Exception {
        for (String path : List.of(
                "/health",
                "/ready",
                "/metrics",
                "/api/ice-servers",
                "/signal",
                "/sockjs/info",
                "/sockjs",
                "/sockjs/000/nosession/xhr_send",
                "/",
                "/no-such-file")) {
            assertSiteHeaders(get(node.port(), path, Map.of()), "GET " + path);
        }
        String session = "/sockjs/000/" + UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> open = post(node.port(), session + "/xhr", "");
        assertEquals(200, open.statusCode());
        assertSiteHeaders(open, "xhr open");
        assertSiteHeaders(post(node.port(), session + "/xhr_send", "[\"x\"]"), "xhr_send");
    }

    @Test
    void sockJsServesNoScriptPagesOfItsOwn() {
        for (String page : List.of(
                "/sockjs/iframe.html",
                "/sockjs/iframe-abc.html",
                "/sockjs/000/" + UUID.randomUUID().toString().replace("-", "") + "/htmlfile?c=callback",
                "/sockjs/000/" + UUID.randomUUID().toString().replace("-", "") + "/jsonp?c=callback")) {
            HttpResponse<String> response = get(node.port(), page, Map.of());
            assertEquals(404, response.statusCode(), page + ": " + response.body());
            assertFalse(response.body().contains("<script"), page);
        }
    }

    @Test
    void withMetricsPortThePublicPortHasNoMetricsNorAdminUnderAnySpelling() {
        for (String path : List.of(
                "/metrics",
                "//metrics",
                "/./metrics",
                "/%6detrics",
                "/x/../metrics",
                "/metrics/",
                "/METRICS",
                "/admin/",
                "/admin/api/overview",
                "//admin/api/overview",
                "/%61dmin/api/overview")) {
            HttpResponse<String> response = get(split.port(), path, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
            assertNotEquals(200, response.statusCode(), path + " on the public port: " + response.body());
            assertFalse(response.body().contains("# TYPE"), path);
            assertFalse(response.body().contains("\"nodes\""), path);
        }
        int internal = split.metricsPort();
        assertTrue(internal > 0);
        HttpResponse<String> metrics = get(internal, "/metrics", Map.of());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE noom_sessions"), "scraped from the internal port");
        assertEquals(
                200,
                get(internal, "/admin/api/overview", Map.of("Authorization", "Bearer " + ADMIN_TOKEN))
                        .statusCode());
        assertEquals(200, get(internal, "/admin/", Map.of()).statusCode());
        assertTrue(get(internal, "/admin/", Map.of()).body().contains("admin.js"));
        assertEquals(200, get(internal, "/ready", Map.of()).statusCode());
        assertEquals(404, get(internal, "/", Map.of()).statusCode(), "no web client, no protocol on the internal port");
        assertEquals(200, get(split.port(), "/health", Map.of()).statusCode(), "probes still work on the public port");
    }

    @Test
    void bindHostLimitsWhereTheNodeListens() throws Exception {
        try (NoomNode bound = NoomNode.start(Map.of("BIND_HOST", "127.0.0.2"))) {
            try (Socket ok = new Socket()) {
                ok.connect(new InetSocketAddress("127.0.0.2", bound.port()), 2_000);
            }
            try (Socket refused = new Socket()) {
                assertThrows(
                        ConnectException.class,
                        () -> refused.connect(new InetSocketAddress("127.0.0.1", bound.port()), 2_000),
                        "BIND_HOST=127.0.0.2: nothing listens on 127.0.0.1");
            }
        }
    }
}
