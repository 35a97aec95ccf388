package app.noom.integration.admin;

import static app.noom.integration.admin.AdminHttp.*;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.config.EnvNames;
import app.noom.config.NoomConfig;
import app.noom.integration.support.NoomNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin view is off without ADMIN_TOKEN, and with it answers only to the right Bearer token. */
class AdminAccessTest {
    private static final String TOKEN = "adm-" + java.util.UUID.randomUUID();
    private static NoomNode off;
    private static NoomNode on;

    @BeforeAll
    static void start() {
        off = NoomNode.start(Map.of());
        on = NoomNode.start(Map.of(EnvNames.ADMIN_TOKEN, TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        off.close();
        on.close();
    }

    @Test
    void withoutAdminTokenTheApiAndPageAre404() {
        assertEquals(404, get(off.port(), OVERVIEW, null).statusCode());
        assertEquals(404, get(off.port(), OVERVIEW, "Bearer " + TOKEN).statusCode());
        assertEquals(404, get(off.port(), "/admin/", null).statusCode());
        assertEquals(404, get(off.port(), "/admin", null).statusCode());
        assertEquals(404, get(off.port(), "/admin/index.html", null).statusCode());
        assertEquals(404, get(off.port(), "/admin/admin.js", null).statusCode());
        assertEquals(200, get(off.port(), "/", null).statusCode(), "the web client itself is unaffected");
    }

    @Test
    void missingOrWrongTokenIs401() {
        String[] refused = {
            null,
            "",
            "Bearer",
            "Bearer ",
            "Bearer wrong-token-of-some-length",
            "Bearer " + TOKEN + "x",
            "Bearer " + TOKEN.substring(1),
            "Basic " + TOKEN,
            TOKEN,
            "Bearer  " + TOKEN.toUpperCase()
        };
        for (String authorization : refused) {
            HttpResponse<String> response = get(on.port(), OVERVIEW, authorization);
            assertEquals(401, response.statusCode(), "Authorization: " + authorization);
            assertTrue(
                    response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
            assertEquals(
                    "no-store", response.headers().firstValue("Cache-Control").orElse(""));
            assertFalse(response.body().contains(TOKEN), "a refusal never echoes the token");
        }
    }

    @Test
    void rightTokenOpensTheApiAndThePageIsServed() {
        HttpResponse<String> ok = overview(on.port(), TOKEN);
        assertEquals(200, ok.statusCode(), ok::body);
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(ok.body().contains(TOKEN));
        assertEquals(200, get(on.port(), OVERVIEW, "bearer " + TOKEN).statusCode(), "the scheme is case-insensitive");

        HttpResponse<String> page = get(on.port(), "/admin/", null);
        assertEquals(200, page.statusCode(), "the page is static; only the data needs the token");
        assertTrue(page.body().contains("admin.js"));
        assertFalse(page.body().contains("<script>"), "no inline script");
        assertTrue(
                page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        HttpResponse<String> bare = get(on.port(), "/admin", null);
        assertEquals(302, bare.statusCode());
        assertEquals("/admin/", bare.headers().firstValue("Location").orElse(""));
        assertEquals(200, get(on.port(), "/admin/admin.js", null).statusCode());
        assertEquals(200, get(on.port(), "/admin/admin.css", null).statusCode());
        assertEquals(
                404, get(on.port(), "/admin/api/nothing", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void wrongTokenGuessingIsThrottledPerClientAddress() throws Exception {
        // behind a trusted proxy (here: loopback), each X-Forwarded-For address has its own allowance
        try (NoomNode proxied = NoomNode.start(Map.of(EnvNames.ADMIN_TOKEN, TOKEN, "TRUSTED_PROXIES", "127.0.0.1"))) {
            String guesser = "203.0.113.9";
            for (int i = 0; i < 20; i++) {
                assertEquals(
                        401,
                        getFrom(proxied.port(), guesser, "Bearer guess-" + i).statusCode(),
                        "guess " + i);
            }
            HttpResponse<String> throttled = getFrom(proxied.port(), guesser, "Bearer guess-20");
            assertEquals(429, throttled.statusCode(), throttled::body);
            assertTrue(Integer.parseInt(
                            throttled.headers().firstValue("Retry-After").orElse("0"))
                    > 0);
            assertEquals(
                    429,
                    getFrom(proxied.port(), guesser, "Bearer " + TOKEN).statusCode(),
                    "once throttled, even a right guess is not checked");
            assertEquals(
                    200,
                    getFrom(proxied.port(), "198.51.100.4", "Bearer " + TOKEN).statusCode(),
                    "the operator at another address is not locked out");
        }
    }

    private static HttpResponse<String> getFrom(int port, String forwardedFor, String authorization) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + OVERVIEW))
                .header("X-Forwarded-For", forwardedFor)
                .header("Authorization", authorization)
                .timeout(java.time.Duration.ofSeconds(10))
                .build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void configurationHidesTheTokenAndRefusesShortOnes() {
        NoomConfig config = NoomConfig.fromEnv(Map.of(EnvNames.ADMIN_TOKEN, TOKEN));
        assertEquals(TOKEN, config.adminToken().orElseThrow());
        assertFalse(config.toString().contains(TOKEN));
        assertTrue(config.toString().contains("adminToken=<set>"));
        assertTrue(NoomConfig.fromEnv(Map.of()).adminToken().isEmpty());
        IllegalArgumentException tooShort = assertThrows(
                IllegalArgumentException.class, () -> NoomConfig.fromEnv(Map.of(EnvNames.ADMIN_TOKEN, "short-secret")));
        assertFalse(tooShort.getMessage().contains("short-secret"));
    }
}
