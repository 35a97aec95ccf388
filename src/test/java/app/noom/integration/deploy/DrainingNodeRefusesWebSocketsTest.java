package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.noom.integration.support.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A node told to stop (SIGTERM) refuses new WebSockets with 503 while it drains: a client that reconnects at once after
 * {@code goaway} is then retried on another node by the load balancer (HAProxy {@code retry-on 503}), instead of
 * resuming on the node that is about to close it again.
 */
class DrainingNodeRefusesWebSocketsTest {

    @Test
    void aDrainingNodeAnswers503ToAWebSocketUpgrade() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (NodeProcess node = NodeProcess.start(Map.of("STUN_URLS", ""))) {
            URI signal = URI.create("ws://127.0.0.1:" + node.port() + "/signal");
            http.newWebSocketBuilder()
                    .buildAsync(signal, new WebSocket.Listener() {})
                    .join()
                    .sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .join(); // accepted before the drain

            node.signalTerminate();
            URI ready = URI.create("http://127.0.0.1:" + node.port() + "/ready");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    != 503) {
                if (System.nanoTime() > deadline) fail("/ready never turned 503 after SIGTERM");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // poll interval inside the deadline loop
            }
            try {
                http.newWebSocketBuilder()
                        .buildAsync(signal, new WebSocket.Listener() {})
                        .join();
                fail("a draining node accepted a new WebSocket");
            } catch (CompletionException e) {
                assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
                assertEquals(
                        503,
                        ((WebSocketHandshakeException) e.getCause())
                                .getResponse()
                                .statusCode());
            }
            assertTrue(node.awaitExit(20), "the node still exits within its grace period");
        }
    }
}
