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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM: the node tells its clients to go, they resume on another node, and it exits within its grace. */
@ExtendWith(VertxExtension.class)
class NodeDrainTest {

    @Test
    void terminatedNodeHandsItsClientsToAnotherNodeAndExits(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode survivor = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "stays"));
                NodeProcess draining = NodeProcess.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "drains"))) {
            String room = "drain-" + System.nanoTime();
            ProtocolClient onDraining = Transport.WEBSOCKET.connect(vertx, draining.port());
            ProtocolClient onSurvivor = Transport.WEBSOCKET.connect(vertx, survivor.port());
            String token = onDraining.hello("Mover").getString("resumeToken");
            onSurvivor.hello("Stayer");
            onSurvivor.join(room);
            onDraining.join(room);
            onSurvivor.nextOfType("member-joined");

            long terminated = System.nanoTime();
            draining.signalTerminate();
            assertEquals("draining", onDraining.nextOfType("goaway").getString("reason"));
            assertEquals(1012, onDraining.awaitClosed());
            long lastSeq = onDraining.seen().get(onDraining.seen().size() - 1).getLong("seq");

            ProtocolClient moved = Transport.WEBSOCKET.connect(vertx, survivor.port());
            JsonObject welcome = moved.request(msg("hello")
                    .put("version", 1)
                    .put("nickname", "Mover")
                    .put("resume", new JsonObject().put("token", token).put("lastSeq", lastSeq)));
            assertTrue(welcome.getBoolean("resumed"), "the client resumes on the other node: " + welcome.encode());
            assertEquals(onDraining.sessionId, welcome.getString("sessionId"));
            moved.request(msg("chat").put("room", room).put("text", "moved"));
            assertEquals("moved", onSurvivor.nextOfType("chat").getString("text"));
            assertTrue(draining.awaitExit(20), "the node exits within its grace period");
            assertTrue(System.nanoTime() - terminated
                    < java.time.Duration.ofSeconds(20).toNanos());
            assertTrue(
                    onSurvivor.seen().stream().noneMatch(m -> "member-left".equals(m.getString("type"))),
                    () -> "the survivor saw the mover leave: " + onSurvivor.seen());
            assertEquals(
                    1,
                    onSurvivor.seen().stream()
                            .filter(m -> "member-joined".equals(m.getString("type")))
                            .count(),
                    "the mover joined once, before the drain");
            moved.close();
            onSurvivor.close();
        }
    }
}
