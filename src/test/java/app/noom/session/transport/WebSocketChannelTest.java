package app.noom.session.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.session.ClientChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The WebSocket adapter against a real Vert.x server and client. */
class WebSocketChannelTest {
    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Signals already queued for a session can reach its outbox after the client closed but before the close handler
     * ran; asking whether the queue is full then must not throw (it did: Vert.x's "WebSocket is closed").
     */
    @Test
    void aClosedConnectionIsNotFullAndSendingToItHarmsNothing() throws Exception {
        CompletableFuture<ClientChannel> closedChannel = new CompletableFuture<>();
        HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
            ClientChannel[] channel = new ClientChannel[1];
            WebSocketChannel.attach(ws, "127.0.0.1", 1 << 16, 1 << 16, c -> {
                channel[0] = c;
                return new ClientChannel.Listener() {
                    @Override
                    public void onText(String frame) {}

                    @Override
                    public void onBinary() {}

                    @Override
                    public void onClosed(boolean deliberate) {
                        closedChannel.complete(channel[0]);
                    }
                };
            });
        });
        int port = server.listen(0)
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
        WebSocketClient client = vertx.createWebSocketClient();
        client.connect(port, "127.0.0.1", "/")
                .compose(ws -> ws.close())
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);

        ClientChannel channel = closedChannel.get(10, TimeUnit.SECONDS);
        CompletableFuture<Boolean> full = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                channel.send("{\"type\":\"late\"}");
                full.complete(channel.writeQueueFull());
            } catch (RuntimeException e) {
                full.completeExceptionally(e);
            }
        });
        assertFalse(full.get(10, TimeUnit.SECONDS));
        assertTrue(closedChannel.isDone());
    }
}
