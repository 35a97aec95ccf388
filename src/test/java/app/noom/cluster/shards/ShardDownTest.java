package app.noom.cluster.shards;

import static app.noom.cluster.shards.RoomTraffic.*;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One master stops answering (SIGSTOP) and no replica takes over: the nodes stay ready for the rooms of the other
 * shards, say in {@code /ready} and {@code /metrics} which shard is down, keep those rooms chatting, refuse a join into a
 * room of the dead shard with {@code relay_unavailable} within a bounded time instead of hanging, and are clean again
 * once the master is back.
 */
@ExtendWith(VertxExtension.class)
class ShardDownTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDeadShardTakesOutItsRoomsNotTheNode(Vertx vertx) throws Exception {
        try (LocalRedisCluster redis = LocalRedisCluster.start(3)) {
            // the shard that dies holds none of the cluster-wide keys, nor the nodes' liveness keys
            List<Integer> masters = redis.masters();
            int dead = masters.stream()
                    .filter(m -> !owns(redis, m, "noom:nodes") && !owns(redis, m, "noom:rooms"))
                    .findFirst()
                    .orElseThrow();
            int live = masters.stream().filter(m -> m != dead).findFirst().orElseThrow();
            redis.allowPartialOutageOf(dead);
            String nodeA = named(redis, "sd-a", "noom:{node:%s}:alive", m -> m != dead);
            String nodeB = named(redis, "sd-b", "noom:{node:%s}:alive", m -> m != dead);
            String liveRoom = named(redis, "live", "noom:{room:%s}:ch", m -> m == live);
            String deadRoom = named(redis, "dead", "noom:{room:%s}:ch", m -> m == dead);
            try (NoomNode a = node(redis, nodeA);
                    NoomNode b = node(redis, nodeB)) {
                ProtocolClient alice = client(vertx, a, "Alice");
                ProtocolClient bob = client(vertx, b, "Bob");
                ProtocolClient carol = client(vertx, a, "Carol");
                alice.join(liveRoom);
                bob.join(liveRoom);
                alice.nextOfType("member-joined");
                awaitReadiness(a, body -> !body.containsKey("shardsDown"), "all shards up at first");

                redis.freeze(dead, true);
                String shard = "127.0.0.1:" + dead;
                for (NoomNode node : List.of(a, b)) {
                    JsonObject ready =
                            awaitReadiness(node, body -> body.containsKey("shardsDown"), "the dead shard named");
                    assertEquals("ready", ready.getString("status"), "the node stays ready for the other shards");
                    assertEquals(1, ready.getJsonArray("shardsDown").size(), ready::encode);
                    assertTrue(
                            ready.getJsonArray("shardsDown").getString(0).startsWith(shard + " slots "), ready::encode);
                }
                assertEquals(0, gauge(a, "noom_redis_shard_up{shard=\"" + shard + "\"}"));
                assertEquals(1, gauge(a, "noom_redis_shard_up{shard=\"127.0.0.1:" + live + "\"}"));

                assertEquals("ack", chat(alice, liveRoom, "still here").getString("type"));
                assertEquals("still here", bob.nextOfType("chat").getString("text"));
                long asked = System.nanoTime();
                JsonObject refused =
                        carol.request(new JsonObject().put("type", "join").put("room", deadRoom));
                assertEquals("relay_unavailable", refused.getString("code"), refused::encode);
                assertTrue(
                        Duration.ofNanos(System.nanoTime() - asked).compareTo(Duration.ofSeconds(5)) < 0,
                        "refused at once, not after a wait");

                redis.freeze(dead, false);
                for (NoomNode node : List.of(a, b)) {
                    awaitReadiness(node, body -> !body.containsKey("shardsDown"), "clean again");
                }
                assertEquals(1, gauge(a, "noom_redis_shard_up{shard=\"" + shard + "\"}"));
                assertEquals(
                        "joined",
                        carol.request(new JsonObject().put("type", "join").put("room", deadRoom))
                                .getString("type"));
                assertEquals("ack", chat(bob, liveRoom, "after").getString("type"));
                alice.next(m -> "chat".equals(m.getString("type")) && "after".equals(m.getString("text")));
                List.of(alice, bob, carol).forEach(ProtocolClient::close);
            }
        }
    }

    private static NoomNode node(LocalRedisCluster redis, String id) {
        return NoomNode.start(Map.of("REDIS_CLUSTER", redis.seeds(), "NODE_ID", id, "RATE_CHAT_PER_SECOND", "0"));
    }

    private static boolean owns(LocalRedisCluster redis, int master, String key) {
        try {
            return redis.masterOf(SlotOf.key(key)) == master;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code prefix-<n>}, the first whose key (pattern with the name) lives on a master {@code where} accepts. */
    private static String named(LocalRedisCluster redis, String prefix, String pattern, Predicate<Integer> where)
            throws Exception {
        for (int i = 0; ; i++) {
            String name = prefix + "-" + i;
            if (where.test(redis.masterOf(SlotOf.key(String.format(pattern, name))))) return name;
        }
    }

    private static double gauge(NoomNode node, String series) throws Exception {
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + " in /metrics"));
    }
}
