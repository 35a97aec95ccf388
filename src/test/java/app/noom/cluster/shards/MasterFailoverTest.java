package app.noom.cluster.shards;

import static app.noom.cluster.shards.RoomTraffic.*;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SIGKILL of the master owning a room's slot while its members chat across nodes: every chat sent meanwhile is
 * answered (acked, or refused with a typed error — never silence), the replica takes over, the nodes reconnect and
 * re-subscribe, the room works again, what reached the receiver came at most once and in order, and a newcomer sees
 * both members (membership converged).
 */
@ExtendWith(VertxExtension.class)
class MasterFailoverTest {

    /** A room name whose tag hashes to a slot {@code master} owns. */
    static String roomOn(LocalRedisCluster redis, int master) throws Exception {
        for (int i = 0; ; i++) {
            if (redis.masterOf(SlotOf.key("noom:{room:calm-" + i + "}:ch")) == master) return "calm-" + i;
        }
    }

    @Test
    void aKilledMasterIsReplacedAndTheRoomCarriesOn(Vertx vertx) throws Exception {
        try (LocalRedisCluster redis = LocalRedisCluster.start(3);
                NoomNode a = node(redis, "fail-a");
                NoomNode b = node(redis, "fail-b")) {
            String room = "failover-room";
            int slot = Integer.parseInt(
                    redis.cli(redis.masters().get(0), "CLUSTER", "KEYSLOT", "noom:{room:" + room + "}:ch")
                            .trim());
            int dead = redis.masterOf(slot);
            String calm = roomOn(
                    redis,
                    redis.masters().stream().filter(m -> m != dead).findFirst().orElseThrow());
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

            redis.kill(dead);
            Set<String> refusedOutright = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                JsonObject reply = chat(alice, room, "during-" + i);
                if ("error".equals(reply.getString("type"))) {
                    assertTrue(
                            Set.of("relay_unavailable", "relay_interrupted").contains(reply.getString("code")),
                            reply::encode);
                    if ("relay_unavailable".equals(reply.getString("code"))) refusedOutright.add("during-" + i);
                } else {
                    assertEquals("ack", reply.getString("type"), reply::encode);
                }
                Thread.sleep(100); // paces the traffic over the failover; nothing waits on this
            }
            redis.awaitNewMasterOf(slot, dead, Duration.ofSeconds(90)); // a loaded machine slows the election
            // the nodes were not subscribed to the room for a while: each member is told, with the room as it is now
            for (ProtocolClient member : List.of(alice, bob)) {
                assertEquals(
                        Set.of(alice.sessionId, bob.sessionId),
                        memberIds(awaitResync(member, room, Duration.ofSeconds(60))),
                        "the resync lists the room's members");
            }
            // a master's death closes a node's whole subscriber connection (one multiplexed cluster connection), so the
            // rooms of the live shards had the same gap, and are told the same way
            for (ProtocolClient member : List.of(dave, erin)) {
                assertEquals(
                        Set.of(dave.sessionId, erin.sessionId),
                        memberIds(awaitResync(member, calm, Duration.ofSeconds(60))),
                        "a room on a live shard is resynced too after its node reconnected");
            }
            chatUntilReceived(alice, bob, room, Duration.ofSeconds(60));
            String through = "after-recovery";
            assertEquals("ack", chat(alice, room, through).getString("type"));

            List<String> meanwhile = duringChatsAtMostOnceInOrder(bob, through);
            assertTrue(
                    meanwhile.stream().noneMatch(refusedOutright::contains),
                    "a chat refused as unavailable reached nobody");

            ProtocolClient carol = client(vertx, a, "Carol");
            Set<String> members = carol.join(room).getJsonArray("members").stream()
                    .map(m -> ((JsonObject) m).getString("id"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(alice.sessionId, bob.sessionId), members, "membership survived the failover");
            assertEquals("ack", chat(bob, room, "after").getString("type"));
            assertEquals("after", carol.nextOfType("chat").getString("text"));
            assertTrue(counter(a, "noom_redis_reconnects_total") > 0, "the reconnection is counted");
            assertEquals("ack", chat(dave, calm, "calm").getString("type"));
            assertEquals("calm", erin.nextOfType("chat").getString("text"));
            assertTrue(counter(a, "noom_redis_room_resyncs_total") >= 2, "the resyncs are counted");
            awaitReadiness(a, body -> !body.containsKey("shardsDown"), "the replaced master is no shard any more");
            List.of(alice, bob, carol, dave, erin).forEach(ProtocolClient::close);
        }
    }
}
