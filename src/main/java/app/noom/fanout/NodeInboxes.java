package app.noom.fanout;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The fan-out inside a node: who listens to which address (a member's direct inbox, a room, the room list), and
 * handing every envelope to each listener on the listener's own context — one task per listener, queued in the order
 * the envelopes were handed out. So a task a node queues for a session after handing it envelopes (a hand-over to
 * another node, {@code ResumeRegistry}) runs after the session has taken them (I2).
 *
 * <p>Why not the Vert.x event bus: it queues a message twice on the consumer's context (a receive task, then a drain
 * task), so a task queued between the two overtakes it — a hand-over then left behind envelopes that had already
 * reached the node, and no other node had them.
 */
public final class NodeInboxes {
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

    /** A registration; cancelled, its listener gets nothing more, not even envelopes already queued for it. */
    public interface Listening {
        void cancel();
    }

    /** Listens on {@code address} from the calling context (where {@code handler} will run). */
    public Listening listen(String address, Consumer<Envelope> handler) {
        Context context = Vertx.currentContext();
        if (context == null) throw new IllegalStateException("listen from a Vert.x context");
        Listener listener = new Listener(address, context, handler);
        listeners.compute(address, (a, current) -> {
            List<Listener> next = current == null ? new ArrayList<>(1) : new ArrayList<>(current);
            next.add(listener);
            return List.copyOf(next);
        });
        return listener;
    }

    /** Hands {@code envelope} to everyone listening on {@code address}; false if nobody does. */
    public boolean deliver(String address, Envelope envelope) {
        List<Listener> targets = listeners.get(address);
        if (targets == null) return false;
        for (Listener listener : targets) listener.offer(envelope);
        return true;
    }

    private void remove(Listener listener) {
        listeners.computeIfPresent(listener.address, (a, current) -> {
            List<Listener> next = new ArrayList<>(current);
            next.remove(listener);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    private final class Listener implements Listening {
        private final String address;
        private final Context context;
        private final Consumer<Envelope> handler;
        private volatile boolean cancelled;

        Listener(String address, Context context, Consumer<Envelope> handler) {
            this.address = address;
            this.context = context;
            this.handler = handler;
        }

        void offer(Envelope envelope) {
            context.runOnContext(v -> {
                if (!cancelled) handler.accept(envelope);
            });
        }

        @Override
        public void cancel() {
            cancelled = true;
            remove(this);
        }
    }
}
