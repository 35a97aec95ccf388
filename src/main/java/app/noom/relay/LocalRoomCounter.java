package app.noom.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How many of this node's sessions are in each room (node-wide, any event loop); what relays subscribe by. */
public final class LocalRoomCounter {
  private final Map<String, AtomicInteger> members = new ConcurrentHashMap<>();

  /** @return true if this is the room's first local member */
  public boolean added(String room) {
    return members.computeIfAbsent(room, r -> new AtomicInteger()).incrementAndGet() == 1;
  }

  /** @return true if that was the room's last local member */
  public boolean removed(String room) {
    AtomicInteger count = members.get(room);
    if (count != null && count.decrementAndGet() <= 0) {
      members.remove(room, count);
      return true;
    }
    return false;
  }

  public int membersIn(String room) {
    AtomicInteger count = members.get(room);
    return count == null ? 0 : count.get();
  }

  public int rooms() {
    return members.size();
  }
}
