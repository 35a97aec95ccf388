package app.noom.room;

import app.noom.protocol.RoomCount;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Room-list pushes, coalesced per room: a change (head-count or lock) is published at once if the room's last push is at
 * least an interval old; otherwise it waits for the end of that interval, and whatever changes arrive meanwhile collapse
 * into one push with the latest state. Without this every join and leave of every public room reached every room-list
 * subscriber — a few churning sessions multiplied into tens of thousands of frames a second. Now a subscriber gets at
 * most two {@code room-changed} per room per interval, and always the room's final count and lock.
 */
public final class RoomListCoalescer {
    public static final long INTERVAL_MILLIS = 250;
    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);

    private static final class Slot {
        long lastPublishedNanos;
        RoomCount pending; // a state waiting for the end of the interval
    }

    private final Vertx vertx;
    private final Consumer<RoomCount> publish;
    private final Map<String, Slot> slots = new HashMap<>(); // guarded by this

    public RoomListCoalescer(Vertx vertx, Consumer<RoomCount> publish) {
        this.vertx = vertx;
        this.publish = publish;
    }

    /** Any thread: the room's head-count and lock are now {@code change}'s. */
    public synchronized void changed(RoomCount change) {
        String room = change.room();
        long now = System.nanoTime();
        Slot slot = slots.get(room);
        if (slot == null || now - slot.lastPublishedNanos >= INTERVAL_NANOS) {
            if (slot == null) slots.put(room, slot = new Slot());
            if (slot.pending == null) {
                publishNow(slot, change, now);
                return;
            }
        }
        boolean armed = slot.pending != null;
        slot.pending = change;
        if (!armed) {
            long waitNanos = Math.max(0, INTERVAL_NANOS - (now - slot.lastPublishedNanos));
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), id -> flush(room));
        }
    }

    private synchronized void flush(String room) {
        Slot slot = slots.get(room);
        if (slot == null || slot.pending == null) return;
        RoomCount change = slot.pending;
        slot.pending = null;
        publishNow(slot, change, System.nanoTime());
    }

    private void publishNow(Slot slot, RoomCount change, long now) {
        slot.lastPublishedNanos = now;
        if (change.count() == 0)
            slots.remove(change.room()); // gone: keep no state (its next change is published at once)
        publish.accept(change);
    }
}
