package app.noom.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one writer of JSON answers over HTTP (health, readiness, ICE servers, refusals, the admin API): never cached,
 * never sniffed as another type, never framed, no referrer. A response the client already gave up on is left alone.
 */
public final class JsonResponses {
    private static final String NOTHING_ACTIVE = "default-src 'none'; frame-ancestors 'none'";

    private JsonResponses() {}

    public static void write(HttpServerResponse response, int status, JsonObject body) {
        if (response.ended() || response.closed()) return;
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", NOTHING_ACTIVE)
                .putHeader("Referrer-Policy", "no-referrer")
                .end(body.encode());
    }
}
