package app.noom.integration.admin;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Plain HTTP against a node's admin endpoints, from the test thread; plus audits of what an overview contains. */
final class AdminHttp {
    static final String OVERVIEW = "/admin/api/overview";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AdminHttp() {}

    static HttpResponse<String> get(int port, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (authorization != null) request.header("Authorization", authorization);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + " failed", e);
        }
    }

    static HttpResponse<String> overview(int port, String token) {
        return get(port, OVERVIEW, "Bearer " + token);
    }

    /** Polls the overview until {@code ready} holds (nodes heartbeat every 2 s); fails with the last body otherwise. */
    static JsonObject awaitOverview(int port, String token, Predicate<JsonObject> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = overview(port, token);
            assertEquals(200, response.statusCode(), response::body);
            assertEquals(
                    "no-store", response.headers().firstValue("Cache-Control").orElse(""));
            last = response.body();
            JsonObject body = new JsonObject(last);
            if (ready.test(body)) return body;
            sleep(200);
        }
        return fail("overview never became as expected; last: " + last);
    }

    static Optional<JsonObject> room(JsonObject overview, String name) {
        return objects(overview.getJsonArray("rooms"))
                .filter(r -> name.equals(r.getString("name")))
                .findFirst();
    }

    static Optional<JsonObject> node(JsonObject overview, String id) {
        return objects(overview.getJsonArray("nodes"))
                .filter(n -> id.equals(n.getString("id")))
                .findFirst();
    }

    static Optional<JsonObject> member(JsonObject room, String id) {
        return objects(room.getJsonArray("members"))
                .filter(m -> id.equals(m.getString("id")))
                .findFirst();
    }

    static java.util.stream.Stream<JsonObject> objects(JsonArray array) {
        return array.stream().map(JsonObject.class::cast);
    }

    /** No key anywhere in the document is called like a secret. */
    static void assertNoSecretKeys(Object json) {
        if (json instanceof JsonObject object) {
            for (String key : object.fieldNames()) {
                String lower = key.toLowerCase(java.util.Locale.ROOT);
                assertFalse(
                        lower.equals("password")
                                || lower.contains("token")
                                || lower.contains("hash")
                                || lower.contains("resume")
                                || lower.contains("secret"),
                        "secret-looking key in overview: " + key);
                assertNoSecretKeys(object.getValue(key));
            }
        } else if (json instanceof JsonArray array) {
            array.forEach(AdminHttp::assertNoSecretKeys);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
