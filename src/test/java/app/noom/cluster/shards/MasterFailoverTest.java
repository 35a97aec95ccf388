package app.noom.cluster.shards;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void aKilledMasterIsReplacedAndTheRoomCarriesOn(Vertx vertx) throws Exception {
    try (LocalRedisCluster redis = LocalRedisCluster.start(3);
        NoomNode a = node(redis, "fail-a");
        NoomNode b = node(redis, "fail-b")) {
      String room = "failover-room";
      int slot = Integer.parseInt(redis.cli(redis.masters().get(0), "CLUSTER", "KEYSLOT", "noom:{room:" + room + "}:ch")
          .trim());
      int dead = redis.masterOf(slot);
      ProtocolClient alice = client(vertx, a, "Alice");
      ProtocolClient bob = client(vertx, b, "Bob");
      alice.join(room);
      bob.join(room);
      alice.nextOfType("member-joined");
      assertEquals("ack", chat(alice, room, "before").getString("type"));
      assertEquals("before", bob.nextOfType("chat").getString("text"));

      redis.kill(dead);
      Set<String> refusedOutright = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        JsonObject reply = chat(alice, room, "during-" + i);
        if ("error".equals(reply.getString("type"))) {
          assertTrue(Set.of("relay_unavailable", "relay_interrupted").contains(reply.getString("code")), reply::encode);
          if ("relay_unavailable".equals(reply.getString("code"))) refusedOutright.add("during-" + i);
        } else {
          assertEquals("ack", reply.getString("type"), reply::encode);
        }
        Thread.sleep(100); // paces the traffic over the failover; nothing waits on this
      }
      redis.awaitNewMasterOf(slot, dead, Duration.ofSeconds(30));
      String through = chatUntilAcked(alice, room, Duration.ofSeconds(60));

      List<String> received = new ArrayList<>();
      while (true) {
        String text = bob.nextOfType("chat").getString("text");
        if (text.equals(through)) break;
        received.add(text);
      }
      List<String> during = received.stream().filter(t -> t.startsWith("during-")).toList();
      assertEquals(during.stream().distinct().toList(), during, "at most once");
      assertEquals(during.stream().sorted((x, y) -> Integer.compare(n(x), n(y))).toList(), during, "in order");
      assertTrue(during.stream().noneMatch(refusedOutright::contains), "a chat refused as unavailable reached nobody");

      ProtocolClient carol = client(vertx, a, "Carol");
      Set<String> members = carol.join(room).getJsonArray("members").stream()
          .map(m -> ((JsonObject) m).getString("id")).collect(Collectors.toSet());
      assertEquals(Set.of(alice.sessionId, bob.sessionId), members, "membership survived the failover");
      assertEquals("ack", chat(bob, room, "after").getString("type"));
      assertEquals("after", carol.nextOfType("chat").getString("text"));
      assertTrue(counter(a, "noom_redis_reconnects_total") > 0, "the reconnection is counted");
      List.of(alice, bob, carol).forEach(ProtocolClient::close);
    }
  }

  private static int n(String during) {
    return Integer.parseInt(during.substring("during-".length()));
  }

  private static NoomNode node(LocalRedisCluster redis, String id) {
    return NoomNode.start(Map.of("REDIS_CLUSTER", redis.seeds(), "NODE_ID", id, "RATE_CHAT_PER_SECOND", "0"));
  }

  private static ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
    ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
    client.hello(nickname);
    return client;
  }

  private static JsonObject chat(ProtocolClient client, String room, String text) {
    return client.request(new JsonObject().put("type", "chat").put("room", room).put("text", text));
  }

  private static String chatUntilAcked(ProtocolClient client, String room, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int k = 0; System.nanoTime() < deadline; k++) {
      if ("ack".equals(chat(client, room, "probe-" + k).getString("type"))) return "probe-" + k;
      Thread.sleep(200); // polling the cluster's recovery, which sends no event to the client
    }
    throw new AssertionError("the room did not work again within " + timeout);
  }

  private static double counter(NoomNode node, String name) throws Exception {
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+]+)").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(2)) : 0;
  }
}
