package app.noom.relay.local;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Room messages are ordered on the relay's context (I4): a caller on another event loop hops there and back; a caller
 * on the same thread (another context of that loop) delivers at once — the same order, without the two tasks.
 */
class LocalRelayTest {
    private Vertx vertx;

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aCallerOnTheOrderingThreadDeliversAtOnce() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        NodeInboxes inboxes = new NodeInboxes();
        LocalRelay relay = on(newContext(), () -> new LocalRelay(inboxes));
        List<String> received = listen(inboxes, "r");
        Context session = newContext(); // another context, the one loop's thread
        boolean completeOnReturn =
                on(session, () -> relay.toRoom("r", chat("one")).isComplete());
        assertTrue(completeOnReturn, "delivered before toRoom returned");
        awaitReceived(received, List.of("one"));
    }

    @Test
    void aCallerOnAnotherLoopHopsToTheOrderingContextAndBack() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        NodeInboxes inboxes = new NodeInboxes();
        Context order = newContext();
        LocalRelay relay = on(order, () -> new LocalRelay(inboxes));
        Thread orderThread = on(order, Thread::currentThread);
        Context other = newContext();
        while (on(other, Thread::currentThread) == orderThread) other = newContext(); // contexts go round the loops
        List<String> received = listen(inboxes, "r");
        AtomicReference<Future<Void>> sent = new AtomicReference<>();
        boolean completeOnReturn = on(other, () -> {
            sent.set(relay.toRoom("r", chat("two")));
            return sent.get().isComplete();
        });
        assertFalse(completeOnReturn, "completed only by a task back on the caller's loop");
        sent.get().await(10, TimeUnit.SECONDS);
        awaitReceived(received, List.of("two"));
    }

    private Context newContext() {
        return ((VertxInternal) vertx).createEventLoopContext();
    }

    private static <T> T on(Context context, Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private List<String> listen(NodeInboxes inboxes, String room) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        on(newContext(), () -> inboxes.listen(Addresses.room(room), envelope -> received.add(envelope.json())));
        return received;
    }

    private static Envelope chat(String json) {
        return new Envelope(Envelope.Kind.CHAT, "r", "m-1", json);
    }

    private static void awaitReceived(List<String> received, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!received.equals(expected) && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(expected, received);
    }
}
