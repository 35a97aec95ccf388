package app.noom.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The property the hand-over relies on (I2): whatever the node handed a listener before it queued a task on the
 * listener's context is handled before that task — across threads, every time. (Vert.x's event bus broke it: it
 * queues twice, and a hand-over queued in between left envelopes behind.)
 */
class NodeInboxesTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void aTaskQueuedAfterDeliveriesRunsAfterTheListenerHandledThemAll() throws Exception {
        NodeInboxes inboxes = new NodeInboxes();
        Context listenerContext = vertx.getOrCreateContext();
        Context senderContext = vertx.getOrCreateContext();
        for (int round = 0; round < 200; round++) {
            List<Integer> handled = new ArrayList<>(); // only touched on the listener's context
            CompletableFuture<NodeInboxes.Listening> registered = new CompletableFuture<>();
            listenerContext.runOnContext(v ->
                    registered.complete(inboxes.listen("a", e -> handled.add(Integer.parseInt(e.memberId())))));
            NodeInboxes.Listening listening = registered.get(5, TimeUnit.SECONDS);
            int count = 1 + round * 5;
            CompletableFuture<Integer> seenByTask = new CompletableFuture<>();
            senderContext.runOnContext(v -> {
                for (int i = 0; i < count; i++) inboxes.deliver("a", envelope(i));
                listenerContext.runOnContext(x -> seenByTask.complete(handled.size()));
            });
            assertEquals(count, seenByTask.get(5, TimeUnit.SECONDS), "round " + round);
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            listenerContext.runOnContext(v -> {
                listening.cancel();
                cancelled.complete(null);
            });
            cancelled.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyListenerOfAnAddressGetsEachEnvelopeInOrderAndACancelledOneNothingMore() throws Exception {
        NodeInboxes inboxes = new NodeInboxes();
        List<Integer> first = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Integer> second = new java.util.concurrent.CopyOnWriteArrayList<>();
        Context one = vertx.getOrCreateContext();
        Context two = vertx.getOrCreateContext();
        CompletableFuture<NodeInboxes.Listening> a = new CompletableFuture<>();
        CompletableFuture<NodeInboxes.Listening> b = new CompletableFuture<>();
        one.runOnContext(v -> a.complete(inboxes.listen("room", e -> first.add(Integer.parseInt(e.memberId())))));
        two.runOnContext(v -> b.complete(inboxes.listen("room", e -> second.add(Integer.parseInt(e.memberId())))));
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS).cancel();
        for (int i = 0; i < 100; i++) assertTrue(inboxes.deliver("room", envelope(i)));
        CompletableFuture<Void> drained = new CompletableFuture<>();
        one.runOnContext(v -> drained.complete(null));
        drained.get(5, TimeUnit.SECONDS);
        assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), first);
        assertTrue(second.isEmpty(), "a cancelled listener gets nothing");
        assertFalse(inboxes.deliver("nobody-here", envelope(0)));
    }

    private static Envelope envelope(int n) {
        return new Envelope(Envelope.Kind.CHAT, "room", String.valueOf(n), "{}");
    }
}
