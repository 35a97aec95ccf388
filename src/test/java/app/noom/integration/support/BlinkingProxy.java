package app.noom.integration.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of a node whose connections the test can cut abruptly, as a network blink would: no close
 * frame, just gone (the server sees 1006).
 */
public final class BlinkingProxy implements AutoCloseable {
    private final Vertx vertx;
    private final NetServer server;
    private final List<NetSocket> sockets = new CopyOnWriteArrayList<>();

    private BlinkingProxy(Vertx vertx, int targetPort) throws Exception {
        this.vertx = vertx;
        this.server = vertx.createNetServer().connectHandler(front -> {
            front.pause();
            vertx.createNetClient()
                    .connect(targetPort, "127.0.0.1")
                    .onSuccess(back -> {
                        sockets.add(front);
                        sockets.add(back);
                        front.handler(back::write);
                        back.handler(front::write);
                        front.closeHandler(v -> back.close());
                        back.closeHandler(v -> front.close());
                        front.resume();
                    })
                    .onFailure(e -> front.close());
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public static BlinkingProxy to(Vertx vertx, int targetPort) {
        try {
            return new BlinkingProxy(vertx, targetPort);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    /** Drops every proxied connection at once, both directions, without any WebSocket close handshake. */
    public void cutAll() {
        sockets.forEach(NetSocket::close);
        sockets.clear();
    }

    @Override
    public void close() {
        cutAll();
        server.close();
    }
}
