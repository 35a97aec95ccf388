package app.noom.relay.redis;

import app.noom.metrics.NoomMetrics;
import app.noom.protocol.RoomCount;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's room list ({@code noom:rooms}: room → {@code version|count|locked|written at}). A room's scripts run
 * in the room's slot and cannot write this key (another slot in a Redis Cluster): they number each change of the
 * room's count or lock and return it, and the node writes it here after them ({@code room-list.lua} keeps only the
 * newest, so two nodes' writes may arrive in either order). Live changes still reach every node in the room's order:
 * the scripts publish them on the head-count channel themselves.
 */
final class RoomList {
    private static final Logger LOG = LoggerFactory.getLogger(RoomList.class);
    private final RedisConnector redis;
    private final NoomMetrics metrics;
    private final List<Consumer<RoomCount>> listeners = new CopyOnWriteArrayList<>();
    /** Last head-count seen per room, for the relay's "is everyone local?" check while Redis is down. */
    private final Map<String, Integer> knownCounts = new ConcurrentHashMap<>();

    RoomList(RedisConnector redis, NoomMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    /** Writes the entry a room script returned ({@code version|count|locked}; empty: the list did not change). */
    void write(String room, Response listing) {
        String entry = listing == null ? "" : listing.toString();
        if (entry.isEmpty()) return;
        String[] parts = entry.split("\\|", 3);
        redis.eval(
                        LuaScripts.ROOM_LIST,
                        List.of(RedisKeys.ROOM_COUNTS),
                        List.of(room, parts[0], parts[1], parts[2], String.valueOf(System.currentTimeMillis())))
                .onFailure(e -> {
                    // live subscribers heard the change; only a new subscriber's first snapshot shows the room as it
                    // was
                    metrics.redisFailure("room-list");
                    LOG.warn("room list entry of '{}' not written: {}", room, e.getMessage());
                });
    }

    Map<String, Integer> knownCounts() {
        return knownCounts;
    }

    void listen(Consumer<RoomCount> listener) {
        listeners.add(listener);
    }

    /** A head-count or lock change published by any node's script: {@code count|locked(1/0)|room}. */
    void onCountMessage(String payload) {
        int bar = payload.indexOf('|');
        RoomCount change = new RoomCount(
                payload.substring(bar + 3), Integer.parseInt(payload, 0, bar, 10), payload.charAt(bar + 1) == '1');
        if (change.count() == 0) knownCounts.remove(change.room());
        else knownCounts.put(change.room(), change.count());
        listeners.forEach(l -> l.accept(change));
    }

    Future<List<RoomCount>> read() {
        return redis.eval(
                        LuaScripts.ROOMS,
                        List.of(RedisKeys.ROOM_COUNTS),
                        List.of(String.valueOf(System.currentTimeMillis())))
                .map(flat -> {
                    List<RoomCount> rooms = new ArrayList<>();
                    for (int i = 0; i + 2 < flat.size(); i += 3) {
                        rooms.add(new RoomCount(
                                flat.get(i).toString(),
                                flat.get(i + 1).toInteger(),
                                flat.get(i + 2).toInteger() == 1));
                    }
                    return rooms;
                });
    }
}
