package app.noom.session;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Per-session request order, part of the protocol: a session's requests take effect in the order it sent them, and
 * their replies leave in that order. A request that must wait for the cluster before later ones may run (a
 * <em>barrier</em>: hello, join, host controls, …) holds back the frames after it; quick requests (signal, chat,
 * media, …) are pipelined — their effects are issued in order at once, and only their replies wait for the ones
 * before them. Lives on the session's event loop.
 */
final class RequestOrder {
    /** Frames a client may send while a barrier is pending; past it the connection is closed (4008). */
    static final int MAX_WAITING = 1_024;

    /**
     * What handling one frame started: {@code reply} completes with the frame to send (an error frame included) or null
     * when there is none; {@code afterReply} runs once that reply has been sent (e.g. close after {@code bye}).
     */
    record Step(Future<JsonObject> reply, boolean barrier, Runnable afterReply) {
        static Step of(JsonObject reply) {
            return new Step(Future.succeededFuture(reply), false, null);
        }
    }

    private static final class Slot {
        boolean done;
        JsonObject reply;
        Runnable afterReply;
    }

    private final Consumer<JsonObject> sink;
    private final Runnable overflow;
    // both small at first: an idle session keeps these for its whole life, and most requests are answered at once
    private final ArrayDeque<Supplier<Step>> waiting = new ArrayDeque<>(1);
    private final ArrayDeque<Slot> replies = new ArrayDeque<>(1);
    private boolean barrierPending;

    RequestOrder(Consumer<JsonObject> sink, Runnable overflow) {
        this.sink = sink;
        this.overflow = overflow;
    }

    /** {@code request} handles one incoming frame when its turn comes. */
    void offer(Supplier<Step> request) {
        if (!barrierPending && waiting.isEmpty()) {
            start(request);
        } else if (waiting.size() < MAX_WAITING) {
            waiting.add(request);
        } else {
            waiting.clear();
            overflow.run();
        }
    }

    private void start(Supplier<Step> request) {
        Step step = request.get();
        Slot slot = new Slot();
        slot.afterReply = step.afterReply();
        replies.add(slot);
        if (step.barrier()) barrierPending = true;
        step.reply().onComplete(result -> {
            slot.done = true;
            slot.reply =
                    result.result(); // handlers turn failures into error frames: a failure here has nothing to send
            flushReplies();
            if (step.barrier()) {
                barrierPending = false;
                startWaiting();
            }
        });
    }

    private void flushReplies() {
        while (!replies.isEmpty() && replies.peek().done) {
            Slot slot = replies.poll();
            if (slot.reply != null) sink.accept(slot.reply);
            if (slot.afterReply != null) slot.afterReply.run();
        }
    }

    private void startWaiting() {
        while (!barrierPending && !waiting.isEmpty()) start(waiting.poll());
    }
}
