package app.noom.relay.redis;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The rooms whose channels this node was not subscribed to for a while: from the moment a room channel's (or a member's
 * directed channel's) subscription was lost — the subscriber connection closed, or Redis Cluster pushed
 * {@code sunsubscribe} because the slot moved — until Redis confirmed it again. Pub/sub is at-most-once: what was
 * published in that window did not reach this node. When the last of a room's lost channels is confirmed again,
 * {@code regained} hears the room, once, so its sessions can be told (see {@code room-resync} in docs/PROTOCOL.md), and
 * whether the gap came from a lost connection (then Redis may have lost presence too, and every node is republishing
 * its members) rather than from a slot moving.
 * Used only on the connector's context.
 */
final class ShardGaps {
    private final BiConsumer<String, Boolean> regained;
    /** Per room, its channels lost and not confirmed again yet. */
    private final Map<String, Set<String>> open = new HashMap<>();
    /** Rooms one of whose lost channels was confirmed again (the room is still wanted here). */
    private final Set<String> resubscribed = new HashSet<>();
    /** Rooms whose gap includes a lost connection. */
    private final Set<String> connectionLost = new HashSet<>();

    ShardGaps(BiConsumer<String, Boolean> regained) {
        this.regained = regained;
    }

    /** The subscription of {@code channel} was lost: its slot moved, or ({@code withConnection}) the connection closed. */
    void opened(String channel, boolean withConnection) {
        String room = RedisKeys.roomOfChannel(channel);
        if (room == null) return;
        open.computeIfAbsent(room, r -> new HashSet<>()).add(channel);
        if (withConnection) connectionLost.add(room);
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
        boolean withConnection = connectionLost.remove(room);
        if (resubscribed.remove(room)) regained.accept(room, withConnection);
    }
}
