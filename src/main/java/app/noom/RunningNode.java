package app.noom;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** A started node, as tests and {@link Main} hold it. */
public record RunningNode(Vertx vertx, MainVerticle main, int port) {
  public Future<Void> close() {
    return vertx.close();
  }
}
