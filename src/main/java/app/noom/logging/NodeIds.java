package app.noom.logging;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which node a log line comes from. A node is one Vert.x instance: a line logged on one of its threads belongs to it.
 * Lines from other threads (start-up, shutdown) belong to the JVM's only node when it has one, as a deployed node has;
 * a JVM running several nodes (tests) leaves them unnamed rather than guess. Not thread-local state (MDC): an event
 * loop multiplexes many sessions, and the Vert.x instance it belongs to is the one thing it knows for sure.
 */
public final class NodeIds {
    private static final Map<Vertx, String> NODES = new WeakHashMap<>(); // a closed, dropped node disappears

    private NodeIds() {}

    public static synchronized void register(Vertx vertx, String nodeId) {
        NODES.put(vertx, nodeId);
    }

    public static synchronized void unregister(Vertx vertx) {
        NODES.remove(vertx);
    }

    /** The node the calling thread works for, or null when it cannot be told. */
    public static synchronized String current() {
        Context context = Vertx.currentContext();
        if (context != null) return NODES.get(context.owner()); // another Vert.x instance (a test's clients) is no node
        return NODES.size() == 1 ? NODES.values().iterator().next() : null;
    }
}
