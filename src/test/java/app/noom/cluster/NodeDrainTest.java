package app.noom.cluster;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NodeProcess;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM: the node tells its clients to go, they carry on through another node, and it exits within its grace. */
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
      onDraining.hello("Mover");
      onSurvivor.hello("Stayer");
      onSurvivor.join(room);
      onDraining.join(room);
      onSurvivor.nextOfType("member-joined");

      assertTrue(draining.terminate(20), "the node exits within its grace period");
      assertEquals("draining", onDraining.nextOfType("goaway").getString("reason"));
      assertEquals(1012, onDraining.awaitClosed());
      assertEquals(onDraining.sessionId, onSurvivor.nextOfType("member-left").getString("memberId"));

      ProtocolClient moved = Transport.WEBSOCKET.connect(vertx, survivor.port());
      moved.hello("Mover");
      assertEquals(1, moved.join(room).getJsonArray("members").size());
      assertEquals("Mover", onSurvivor.nextOfType("member-joined").getJsonObject("member").getString("nickname"));
      moved.close();
      onSurvivor.close();
    }
  }
}
