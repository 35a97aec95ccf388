package app.noom.relay.redis;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directed channels this node listens to: one per room and member hosted here ({@link RedisKeys#directChannel}).
 * A member's channel in a room is subscribed, confirmed, before {@code join.lua} admits it (or before a hand-over
 * claims it), so no signal sent to it after its admission can miss this node; it is dropped when the member leaves the
 * room or its session leaves the node. All bookkeeping runs on the connector's context, in the order the calls reach
 * it, so a leave's drop and a rejoin's listen cannot swap.
 */
final class DirectChannels {
    private final RedisConnector redis;
    private final Map<String, Set<String>> roomsByMember = new HashMap<>(); // on the connector's context

    DirectChannels(RedisConnector redis) {
        this.redis = redis;
    }

    /** Completes when Redis confirmed the subscription (at once while Redis is down: it is made on reconnect). */
    Future<Void> listen(String room, String memberId) {
        return redis.run(() -> {
            roomsByMember.computeIfAbsent(memberId, m -> new HashSet<>()).add(room);
            return redis.subscribe(RedisKeys.directChannel(room, memberId));
        });
    }

    Future<Void> listenAll(List<String> rooms, String memberId) {
        List<Future<Void>> all = new ArrayList<>();
        rooms.forEach(room -> all.add(listen(room, memberId)));
        return Future.all(all).mapEmpty();
    }

    Future<Void> stop(String room, String memberId) {
        return redis.run(() -> {
            Set<String> rooms = roomsByMember.get(memberId);
            if (rooms == null || !rooms.remove(room)) return Future.succeededFuture();
            if (rooms.isEmpty()) roomsByMember.remove(memberId);
            return redis.unsubscribe(RedisKeys.directChannel(room, memberId));
        });
    }

    /** The member's session left this node: none of its channels is wanted here any more. */
    Future<Void> stopAll(String memberId) {
        return redis.run(() -> {
            Set<String> rooms = roomsByMember.remove(memberId);
            if (rooms == null) return Future.succeededFuture();
            List<Future<Void>> all = new ArrayList<>();
            rooms.forEach(room -> all.add(redis.unsubscribe(RedisKeys.directChannel(room, memberId))));
            return Future.all(all).mapEmpty();
        });
    }
}
