package app.noom.integration.support;

import io.vertx.core.Vertx;

/** The two ways a client reaches a node; integration tests run their scenarios over both. */
public enum Transport {
    WEBSOCKET,
    SOCKJS;

    public ProtocolClient connect(Vertx vertx, int port) {
        return this == WEBSOCKET ? WebSocketTestClient.connect(vertx, port) : SockJsTestClient.connect(vertx, port);
    }
}
