package app.noom.logging;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A line names the node whose thread logs it; several nodes in one JVM (tests) never borrow each other's names. */
class NodeIdsTest {

    private static String currentOn(Vertx vertx) throws Exception {
        CompletableFuture<String> id = new CompletableFuture<>();
        vertx.runOnContext(v -> id.complete(String.valueOf(NodeIds.current())));
        return id.get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachNodesThreadsNameItAndOtherThreadsOnlyTheSoleNode() throws Exception {
        Vertx a = Vertx.vertx();
        Vertx b = Vertx.vertx();
        Vertx clients = Vertx.vertx(); // a test's own Vert.x, not a node
        try {
            NodeIds.register(a, "node-a");
            assertEquals("node-a", currentOn(a));
            assertEquals("null", currentOn(clients), "another Vert.x instance is not the node");
            NodeIds.register(b, "node-b");
            assertEquals("node-a", currentOn(a));
            assertEquals("node-b", currentOn(b));
            assertNull(NodeIds.current(), "with two nodes in the JVM, a thread of neither names none");
            // with one node, other threads' lines are that node's: NormalOperationLogsTest checks it on a real process
            // (the
            // start-up and shutdown lines); here other test classes of the JVM may still hold nodes
        } finally {
            NodeIds.unregister(a);
            NodeIds.unregister(b);
            for (Vertx v : new Vertx[] {a, b, clients}) {
                v.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
