package app.noom.integration.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.concurrent.TimeUnit;

/** A protocol client over a plain WebSocket to {@code /signal}. */
public final class WebSocketTestClient extends ProtocolClient {
    private final WebSocketClient client;
    private final WebSocket socket;

    private WebSocketTestClient(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(this::received);
        socket.closeHandler(v -> closed(socket.closeStatusCode() == null ? null : (int) socket.closeStatusCode()));
    }

    public static WebSocketTestClient connect(Vertx vertx, int port) {
        WebSocketClient client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
        try {
            WebSocket socket = client.connect(port, "127.0.0.1", "/signal")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new WebSocketTestClient(client, socket);
        } catch (Exception e) {
            throw new AssertionError("cannot connect to /signal on port " + port, e);
        }
    }

    /**
     * To {@code /signal} behind a TLS-terminating load balancer serving a self-signed certificate (the compose stack):
     * the certificate is not checked, this client tests the stack, not its PKI.
     */
    public static WebSocketTestClient connectTrustingAnyCertificate(Vertx vertx, String host, int port) {
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 20)
                .setSsl(true)
                .setTrustAll(true)
                .setVerifyHost(false));
        try {
            WebSocket socket = client.connect(new io.vertx.core.http.WebSocketConnectOptions()
                            .setHost(host)
                            .setPort(port)
                            .setURI("/signal")
                            .setSsl(true))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new WebSocketTestClient(client, socket);
        } catch (Exception e) {
            throw new AssertionError("cannot connect to wss://" + host + ":" + port + "/signal", e);
        }
    }

    /** A header of the server's handshake answer (e.g. the load balancer's X-Noom-Node), or null. */
    public String handshakeHeader(String name) {
        return socket.headers() == null ? null : socket.headers().get(name);
    }

    @Override
    public void sendText(String frame) {
        socket.writeTextMessage(frame);
    }

    public void sendBinary(byte[] bytes) {
        socket.writeBinaryMessage(Buffer.buffer(bytes));
    }

    @Override
    public void close() {
        socket.close();
        client.close();
    }
}
