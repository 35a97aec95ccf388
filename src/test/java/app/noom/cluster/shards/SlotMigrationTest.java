package app.noom.cluster.shards;

import static app.noom.cluster.shards.RoomTraffic.*;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A room's slot migrates to another master ({@code redis-cli --cluster reshard}) while its members chat across
 * nodes: every chat is answered, the nodes follow the slot (Redis tells subscribers with {@code sunsubscribe}; they
 * subscribe again on the new owner, counted in /metrics), the room works again on the new master, what the receiver
 * got came at most once and in order, and a newcomer sees both members.
 */
@ExtendWith(VertxExtension.class)
class SlotMigrationTest {

    @Test
    void aRoomFollowsItsSlotToAnotherMaster(Vertx vertx) throws Exception {
        try (LocalRedisCluster redis = LocalRedisCluster.start(3);
                NoomNode a = node(redis, "mig-a");
                NoomNode b = node(redis, "mig-b")) {
            List<Integer> masters = redis.masters();
            int from = masters.get(0);
            int to = masters.get(1);
            int slot = redis.lowestSlotOf(from);
            String room = roomIn(slot);
            assertEquals(
                    slot,
                    Integer.parseInt(redis.cli(from, "CLUSTER", "KEYSLOT", "noom:{room:" + room + "}:ch")
                            .trim()),
                    "the test's CRC16 agrees with Redis");
            String calm = roomIn(redis.lowestSlotOf(masters.get(2))); // on a shard the migration does not touch
            ProtocolClient alice = client(vertx, a, "Alice");
            ProtocolClient bob = client(vertx, b, "Bob");
            ProtocolClient dave = client(vertx, a, "Dave");
            ProtocolClient erin = client(vertx, b, "Erin");
            alice.join(room);
            bob.join(room);
            dave.join(calm);
            erin.join(calm);
            alice.nextOfType("member-joined");
            dave.nextOfType("member-joined");
            assertEquals("ack", chat(alice, room, "before").getString("type"));
            assertEquals("before", bob.nextOfType("chat").getString("text"));

            CompletableFuture<String> resharding = CompletableFuture.supplyAsync(() -> {
                try {
                    return redis.reshard(from, to, 1);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            for (int i = 0; !resharding.isDone() || i < 10; i++) {
                JsonObject reply = chat(alice, room, "during-" + i);
                assertTrue(
                        "ack".equals(reply.getString("type"))
                                || Set.of("relay_unavailable", "relay_interrupted")
                                        .contains(reply.getString("code")),
                        reply::encode);
                Thread.sleep(50); // paces the traffic over the migration; nothing waits on this
            }
            assertTrue(resharding.get().contains("Moving slot " + slot), resharding.get());
            assertEquals(to, redis.masterOf(slot), "the slot moved");
            // both nodes lost the room's channels for a while: each member is told, with the room as it is now
            for (ProtocolClient member : List.of(alice, bob)) {
                assertEquals(
                        Set.of(alice.sessionId, bob.sessionId),
                        memberIds(awaitResync(member, room, Duration.ofSeconds(60))),
                        "the resync lists the room's members");
            }
            chatUntilReceived(alice, bob, room, Duration.ofSeconds(60));
            String through = "after";
            assertEquals("ack", chat(alice, room, through).getString("type"));

            duringChatsAtMostOnceInOrder(bob, through);
            assertTrue(
                    redis.cli(to, "PUBSUB", "SHARDCHANNELS").contains("noom:{room:" + room + "}:ch"),
                    "the new master carries the room's channel");
            assertTrue(
                    counter(a, "noom_redis_resubscriptions_total")
                                    + counter(b, "noom_redis_resubscriptions_total")
                                    + counter(a, "noom_redis_reconnects_total")
                                    + counter(b, "noom_redis_reconnects_total")
                            > 0,
                    "following the slot is counted");

            assertEquals("ack", chat(dave, calm, "calm").getString("type"));
            assertEquals("calm", erin.nextOfType("chat").getString("text"));
            assertFalse(sawResync(dave) || sawResync(erin), "a room on an untouched shard lost nothing");

            ProtocolClient carol = client(vertx, a, "Carol");
            Set<String> members = carol.join(room).getJsonArray("members").stream()
                    .map(m -> ((JsonObject) m).getString("id"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(alice.sessionId, bob.sessionId), members, "membership moved with the slot");
            List.of(alice, bob, carol, dave, erin).forEach(ProtocolClient::close);
        }
    }

    /** A room name whose tag hashes to {@code slot}. */
    private static String roomIn(int slot) {
        for (int i = 0; ; i++) {
            if (SlotOf.key("noom:{room:mig-" + i + "}:ch") == slot) return "mig-" + i;
        }
    }
}
