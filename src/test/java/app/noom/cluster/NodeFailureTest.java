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
      assertEquals(onVictim.sessionId, onSurvivor.nextOfType("member-joined").getJsonObject("member").getString("id"));

      long killedAt = System.nanoTime();
      victim.kill();
      JsonObject left = onSurvivor.next(m -> "member-left".equals(m.getString("type")), Duration.ofSeconds(10));
      assertEquals(onVictim.sessionId, left.getString("memberId"));
      assertTrue(System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos());
      JsonObject count = watcher.next(m -> "room-changed".equals(m.getString("type")) && room.equals(m.getString("room"))
          && m.getInteger("count") == 1, Duration.ofSeconds(10));
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
}
