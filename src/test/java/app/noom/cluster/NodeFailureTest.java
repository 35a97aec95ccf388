package app.noom.cluster;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NodeProcess;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A node killed the hard way leaves no ghosts behind: its members vanish from the survivors' views within 10 s. */
@ExtendWith(VertxExtension.class)
class NodeFailureTest {

    @Test
    void killedNodesMembersVanishFromOtherNodesWithinTenSeconds(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode survivor = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "survivor"));
                NodeProcess victim = NodeProcess.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "victim"))) {
            String room = "doomed-" + System.nanoTime();
            ProtocolClient onVictim = Transport.WEBSOCKET.connect(vertx, victim.port());
            ProtocolClient onSurvivor = Transport.WEBSOCKET.connect(vertx, survivor.port());
            ProtocolClient watcher = Transport.WEBSOCKET.connect(vertx, survivor.port());
            onVictim.hello("Victim");
            onSurvivor.hello("Survivor");
            watcher.hello("Watcher");
            watcher.request(msg("rooms-subscribe"));
            onSurvivor.join(room);
            onVictim.join(room);
            assertEquals(
                    onVictim.sessionId,
                    onSurvivor
                            .nextOfType("member-joined")
                            .getJsonObject("member")
                            .getString("id"));

            long killedAt = System.nanoTime();
            victim.kill();
            JsonObject left = onSurvivor.next(m -> "member-left".equals(m.getString("type")), Duration.ofSeconds(10));
            assertEquals(onVictim.sessionId, left.getString("memberId"));
            assertTrue(System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos());
            JsonObject count = watcher.next(
                    m -> "room-changed".equals(m.getString("type"))
                            && room.equals(m.getString("room"))
                            && m.getInteger("count") == 1,
                    Duration.ofSeconds(10));
            assertEquals(1, count.getInteger("count"));

            // the survivor's view is consistent: a newcomer sees only the survivor
            ProtocolClient newcomer = Transport.WEBSOCKET.connect(vertx, survivor.port());
            newcomer.hello("Newcomer");
            assertEquals(1, newcomer.join(room).getJsonArray("members").size());
            onSurvivor.close();
            watcher.close();
            newcomer.close();
            onVictim.close();
        }
    }

    @Test
    void clientOfAKilledNodeResumesOnASurvivorWithItsIdAndRooms(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode survivor = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "survivor2"));
                NodeProcess victim = NodeProcess.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "victim2"))) {
            String room = "phoenix-" + System.nanoTime();
            ProtocolClient onVictim = Transport.WEBSOCKET.connect(vertx, victim.port());
            ProtocolClient onSurvivor = Transport.WEBSOCKET.connect(vertx, survivor.port());
            String token = onVictim.hello("Phoenix").getString("resumeToken");
            onSurvivor.hello("Survivor");
            onSurvivor.join(room);
            onVictim.join(room);
            onSurvivor.nextOfType("member-joined");
            long lastSeq = onVictim.seen().get(onVictim.seen().size() - 1).getLong("seq");

            victim.kill();
            onVictim.awaitClosed();
            assertEquals(
                    "ack",
                    onSurvivor
                            .request(msg("signal")
                                    .put("room", room)
                                    .put("to", onVictim.sessionId)
                                    .put("kind", "candidate")
                                    .put("payload", new JsonObject().put("candidate", "sent into the gap")))
                            .getString("type"));
            ProtocolClient back = Transport.WEBSOCKET.connect(vertx, survivor.port());
            JsonObject welcome = back.request(msg("hello")
                    .put("version", 1)
                    .put("nickname", "Phoenix")
                    .put("resume", new JsonObject().put("token", token).put("lastSeq", lastSeq)));
            assertTrue(welcome.getBoolean("resumed"), welcome::encode);
            assertEquals(onVictim.sessionId, welcome.getString("sessionId"));
            assertFalse(
                    welcome.getBoolean("replayComplete"), "what was in flight on the dead node is lost, and said so");
            JsonObject gap = back.seen().get(0);
            assertEquals(
                    "sent into the gap",
                    gap.getJsonObject("payload").getString("candidate"),
                    "a signal sent while no node hosted the member is delivered after the resume");
            assertEquals(lastSeq + 1, gap.getLong("seq"));

            // still in the room, reachable, and not swept once the dead node's heartbeat lapses (≥ 7 s from now)
            onSurvivor.request(msg("signal")
                    .put("room", room)
                    .put("to", onVictim.sessionId)
                    .put("kind", "offer")
                    .put("payload", new JsonObject().put("sdp", "after the crash")));
            assertEquals(
                    onSurvivor.sessionId,
                    back.next(m -> "signal".equals(m.getString("type"))
                                    && "after the crash"
                                            .equals(m.getJsonObject("payload").getString("sdp")))
                            .getString("from"));
            ProtocolClient watcher = Transport.WEBSOCKET.connect(vertx, survivor.port());
            watcher.hello("Watcher");
            ProtocolClient late = Transport.WEBSOCKET.connect(vertx, survivor.port());
            late.hello("Late");
            awaitSweepOf("victim2", redis);
            assertEquals(2, late.join(room).getJsonArray("members").size(), "the resumed member survived the sweep");
            assertTrue(
                    onSurvivor.seen().stream().noneMatch(m -> "member-left".equals(m.getString("type"))),
                    () -> "the survivor saw a leave: " + onSurvivor.seen());
            for (ProtocolClient c : java.util.List.of(back, onSurvivor, watcher, late)) c.close();
        }
    }

    /** Polls Redis until the survivors have swept the dead node (it is gone from the node set). */
    private static void awaitSweepOf(String node, RedisServer redis) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Process check = new ProcessBuilder("redis-cli", "-u", redis.url(), "SISMEMBER", "noom:nodes", node).start();
            String answer = new String(check.getInputStream().readAllBytes()).trim();
            check.waitFor();
            if (answer.equals("0")) return;
            Thread.sleep(100); // poll interval of a poll-with-deadline
        }
        fail("node " + node + " was not swept within 15 s");
    }
}
