package app.noom.integration.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A protocol client speaking real SockJS over its xhr-polling transport (the fallback a browser without WebSocket
 * uses): {@code o} opens, {@code a[...]} carries messages, {@code h} is a heartbeat, {@code c[code,"reason"]} closes.
 */
public final class SockJsTestClient extends ProtocolClient {
    private final HttpClient http;
    private final int port;
    private final String base;
    private volatile boolean open = true;

    private SockJsTestClient(Vertx vertx, int port) {
        this.http = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
        this.port = port;
        this.base = "/sockjs/000/" + UUID.randomUUID().toString().replace("-", "") + "/";
    }

    /**
     * Opens a SockJS session. An opening poll that comes back empty (seen rarely on a loaded machine, with no server
     * error) is retried with a new session id, as the SockJS browser client would.
     */
    public static SockJsTestClient connect(Vertx vertx, int port) {
        String last = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            SockJsTestClient client = new SockJsTestClient(vertx, port);
            try {
                last = client.post("xhr", "")
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("cannot open SockJS session on port " + port, e);
            }
            if (last.startsWith("o")) {
                client.poll();
                return client;
            }
            client.http.close();
        }
        throw new AssertionError("SockJS did not open after 3 attempts: '" + last + "'");
    }

    private void poll() {
        if (!open) return;
        post("xhr", "")
                .onSuccess(body -> {
                    for (String frame : body.split("\n")) handleFrame(frame);
                    poll();
                })
                .onFailure(e -> closed(null));
    }

    private void handleFrame(String frame) {
        if (frame.startsWith("a")) {
            new JsonArray(frame.substring(1)).forEach(m -> received((String) m));
        } else if (frame.startsWith("c")) {
            open = false;
            closed(new JsonArray(frame.substring(1)).getInteger(0));
        }
    }

    @Override
    public void sendText(String frame) {
        String body = new JsonArray().add(frame).encode();
        try {
            post("xhr_send", body).toCompletionStage().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("SockJS send failed", e);
        }
    }

    private Future<String> post(String transport, String body) {
        return http.request(HttpMethod.POST, port, "127.0.0.1", base + transport)
                .compose(req -> req.putHeader("Content-Type", "text/plain").send(body))
                .compose(HttpClientResponse::body)
                .map(Object::toString);
    }

    /** SockJS cannot signal a deliberate close, so a well-behaved client says bye first. */
    @Override
    public void close() {
        if (open && sessionId != null) {
            try {
                sendText("{\"type\":\"bye\"}");
            } catch (AssertionError e) {
                // already gone
            }
        }
        open = false;
        http.close();
    }
}
