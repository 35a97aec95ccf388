package app.noom.integration.support;

import app.noom.Main;
import app.noom.RunningNode;
import app.noom.logscan.LogCapture;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real node started in-process on a free port, with the given environment overrides. */
public final class NoomNode implements AutoCloseable {
    private final RunningNode node;

    private NoomNode(RunningNode node) {
        this.node = node;
    }

    public static NoomNode start(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "STUN_URLS", ""));
        env.putAll(overrides);
        LogCapture.fromEnvironment(env); // configured secrets must never show up in the logs
        try {
            return new NoomNode(
                    Main.start(env).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("node did not start", e);
        }
    }

    public int port() {
        return node.port();
    }

    /** The METRICS_PORT listener's port, or -1. */
    public int metricsPort() {
        return node.metricsPort();
    }

    public Vertx vertx() {
        return node.vertx();
    }

    @Override
    public void close() throws Exception {
        node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
