package app.noom.relay;

import java.util.concurrent.ConcurrentHashMap;

/** How many of this node's sessions are in each room (node-wide, any event loop); what relays subscribe by. */
public final class LocalRoomCounter {
    private final ConcurrentHashMap<String, Integer> members = new ConcurrentHashMap<>();

    /** Counts one more local member; true if it is the room's first. */
    public boolean added(String room) {
        return members.merge(room, 1, Integer::sum) == 1;
    }

    /**
     * Counts one local member fewer; true if it was the room's last. Decrement and removal are one atomic step per room:
     * apart, a first member added in between was counted on the entry about to be removed, and lost with it.
     */
    public boolean removed(String room) {
        boolean[] last = {false};
        members.computeIfPresent(room, (r, count) -> {
            if (count > 1) return count - 1;
            last[0] = true;
            return null;
        });
        return last[0];
    }

    public int membersIn(String room) {
        return members.getOrDefault(room, 0);
    }

    public int rooms() {
        return members.size();
    }
}
