package app.noom;

import app.noom.logging.NodeIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A started node, as tests and {@link Main} hold it. */
public record RunningNode(Vertx vertx, MainVerticle main, int port) {
    /** The {@code METRICS_PORT} listener's actual port, or -1 when there is none. */
    public int metricsPort() {
        return main.status().internalPort();
    }

    public Future<Void> close() {
        return vertx.close().onComplete(done -> NodeIds.unregister(vertx));
    }
}
