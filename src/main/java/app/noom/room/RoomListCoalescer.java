package app.noom.room;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Room-list pushes, coalesced per room: a head-count change is published at once if the room's last push is at least
 * an interval old; otherwise it waits for the end of that interval, and whatever changes arrive meanwhile collapse into
 * one push with the latest count. Without this every join and leave of every public room reached every room-list
 * subscriber — a few churning sessions multiplied into tens of thousands of frames a second. Now a subscriber gets at
 * most two {@code room-changed} per room per interval, and always the room's final count.
 */
public final class RoomListCoalescer {
  public static final long INTERVAL_MILLIS = 250;
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);

  private static final class Slot {
    long lastPublishedNanos;
    Integer pending; // a count waiting for the end of the interval
  }

  private final Vertx vertx;
  private final BiConsumer<String, Integer> publish;
  private final Map<String, Slot> slots = new HashMap<>(); // guarded by this

  public RoomListCoalescer(Vertx vertx, BiConsumer<String, Integer> publish) {
    this.vertx = vertx;
    this.publish = publish;
  }

  /** Any thread: the room's head-count is now {@code count}. */
  public synchronized void changed(String room, int count) {
    long now = System.nanoTime();
    Slot slot = slots.get(room);
    if (slot == null || now - slot.lastPublishedNanos >= INTERVAL_NANOS) {
      if (slot == null) slots.put(room, slot = new Slot());
      if (slot.pending == null) {
        publishNow(room, slot, count, now);
        return;
      }
    }
    boolean armed = slot.pending != null;
    slot.pending = count;
    if (!armed) {
      long waitNanos = Math.max(0, INTERVAL_NANOS - (now - slot.lastPublishedNanos));
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)), id -> flush(room));
    }
  }

  private synchronized void flush(String room) {
    Slot slot = slots.get(room);
    if (slot == null || slot.pending == null) return;
    int count = slot.pending;
    slot.pending = null;
    publishNow(room, slot, count, System.nanoTime());
  }

  private void publishNow(String room, Slot slot, int count, long now) {
    slot.lastPublishedNanos = now;
    if (count == 0) slots.remove(room); // gone: keep no state for it (its next change is published at once)
    publish.accept(room, count);
  }
}
