package app.noom.relay.redis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rooms whose channels this node was not subscribed to for a while: from the moment a room channel's (or a member's
 * directed channel's) subscription was lost — the subscriber connection closed, or Redis Cluster pushed
 * {@code sunsubscribe} because the slot moved — until Redis confirmed it again. Pub/sub is at-most-once: what was
 * published in that window did not reach this node. When the last of a room's lost channels is confirmed again,
 * {@code regained} hears the room, once, so its sessions can be told (see {@code room-resync} in docs/PROTOCOL.md).
 * Used only on the connector's context.
 */
final class ShardGaps {
    private final Consumer<String> regained;
    /** Per room, its channels lost and not confirmed again yet. */
    private final Map<String, Set<String>> open = new HashMap<>();
    /** Rooms one of whose lost channels was confirmed again (the room is still wanted here). */
    private final Set<String> resubscribed = new HashSet<>();

    ShardGaps(Consumer<String> regained) {
        this.regained = regained;
    }

    /** The subscription of {@code channel} was lost. */
    void opened(String channel) {
        String room = RedisKeys.roomOfChannel(channel);
        if (room != null) open.computeIfAbsent(room, r -> new HashSet<>()).add(channel);
    }

    /** Redis confirmed {@code channel}'s subscription (again). */
    void closed(String channel) {
        String room = RedisKeys.roomOfChannel(channel);
        if (room != null && removed(room, channel)) resubscribed.add(room);
        settle(room);
    }

    /** This node no longer wants {@code channel}: its gap concerns nobody here any more. */
    void notWanted(String channel) {
        String room = RedisKeys.roomOfChannel(channel);
        if (room != null) removed(room, channel);
        settle(room);
    }

    private boolean removed(String room, String channel) {
        Set<String> channels = open.get(room);
        return channels != null && channels.remove(channel);
    }

    private void settle(String room) {
        if (room == null) return;
        Set<String> channels = open.get(room);
        if (channels == null || !channels.isEmpty()) return;
        open.remove(room);
        if (resubscribed.remove(room)) regained.accept(room);
    }
}
