package app.noom.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Liveness, readiness and the Prometheus scrape, shared by every HTTP verticle of the node. */
public final class NodeStatus {
    private final String nodeId;
    private final BooleanSupplier relayHealthy;
    private final Supplier<List<String>> relayPartsDown;
    private final PrometheusMeterRegistry registry;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger port = new AtomicInteger();
    private final AtomicInteger internalPort = new AtomicInteger(-1);

    /** {@code relayReady}: the broker works for this node; {@code relayPartsDown}: what of it is down meanwhile. */
    public NodeStatus(
            String nodeId,
            BooleanSupplier relayReady,
            Supplier<List<String>> relayPartsDown,
            PrometheusMeterRegistry registry) {
        this.nodeId = nodeId;
        this.relayHealthy = relayReady;
        this.relayPartsDown = relayPartsDown;
        this.registry = registry;
    }

    void listeningOn(int actualPort) {
        port.set(actualPort);
    }

    public int port() {
        return port.get();
    }

    void internalListeningOn(int actualPort) {
        internalPort.set(actualPort);
    }

    /** The {@code METRICS_PORT} listener's port, or -1 when metrics are served on the public port. */
    public int internalPort() {
        return internalPort.get();
    }

    public void markStarted() {
        started.set(true);
    }

    public void markDraining() {
        draining.set(true);
    }

    public boolean draining() {
        return draining.get();
    }

    public boolean ready() {
        return started.get() && !draining.get() && relayHealthy.getAsBoolean();
    }

    void writeHealth(HttpServerResponse response) {
        JsonResponses.write(response, 200, new JsonObject().put("status", "up").put("node", nodeId));
    }

    void writeReadiness(HttpServerResponse response) {
        boolean ready = ready();
        JsonObject body = new JsonObject()
                .put("status", ready ? "ready" : "not-ready")
                .put("node", nodeId)
                .put("relay", relayHealthy.getAsBoolean() ? "up" : "down")
                .put("draining", draining.get());
        List<String> partsDown = relayPartsDown.get();
        if (!partsDown.isEmpty()) body.put("shardsDown", new JsonArray(partsDown)); // rooms there: relay_unavailable
        JsonResponses.write(response, ready ? 200 : 503, body);
    }

    /** Fresh on every scrape; no-store keeps intermediaries from holding a copy. */
    void writeMetrics(HttpServerResponse response) {
        response.putHeader("Cache-Control", "no-store");
        response.putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }
}
