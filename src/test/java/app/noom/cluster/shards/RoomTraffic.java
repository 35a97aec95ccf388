package app.noom.cluster.shards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What the shard-fault tests share: nodes on the cluster, clients, chats and a node's counters. */
final class RoomTraffic {
    private RoomTraffic() {}

    static NoomNode node(LocalRedisCluster redis, String id) {
        return NoomNode.start(Map.of("REDIS_CLUSTER", redis.seeds(), "NODE_ID", id, "RATE_CHAT_PER_SECOND", "0"));
    }

    static ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        client.hello(nickname);
        return client;
    }

    static JsonObject chat(ProtocolClient client, String room, String text) {
        return client.request(
                new JsonObject().put("type", "chat").put("room", room).put("text", text));
    }

    /** Chats until one is acked and heard by {@code receiver}: the room works again across the two nodes. */
    static void chatUntilReceived(ProtocolClient sender, ProtocolClient receiver, String room, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int k = 0; System.nanoTime() < deadline; k++) {
            String text = "probe-" + k;
            if ("ack".equals(chat(sender, room, text).getString("type"))) {
                try {
                    receiver.next(
                            m -> "chat".equals(m.getString("type")) && text.equals(m.getString("text")),
                            Duration.ofSeconds(2));
                    return;
                } catch (AssertionError notHeard) {
                    // acked but not heard: the receiver's node has not subscribed again yet
                }
            }
            Thread.sleep(200); // polling the nodes' recovery, which sends no event to the client
        }
        throw new AssertionError("the room did not work again within " + timeout);
    }

    /** The {@code room-resync} {@code client} gets for {@code room} once its node is subscribed again. */
    static JsonObject awaitResync(ProtocolClient client, String room, Duration timeout) {
        return client.next(m -> "room-resync".equals(m.getString("type")) && room.equals(m.getString("room")), timeout);
    }

    /** The member ids a {@code room-resync} (or {@code joined}) lists. */
    static Set<String> memberIds(JsonObject message) {
        return message.getJsonArray("members").stream()
                .map(m -> ((JsonObject) m).getString("id"))
                .collect(Collectors.toSet());
    }

    /** Whether {@code client} was ever sent a {@code room-resync}. */
    static boolean sawResync(ProtocolClient client) {
        return client.seen().stream().anyMatch(m -> "room-resync".equals(m.getString("type")));
    }

    static int during(String text) {
        return Integer.parseInt(text.substring("during-".length()));
    }

    /**
     * Reads {@code receiver}'s chats up to {@code through} and returns the {@code during-<n>} ones among them, after
     * checking that none came twice and that they came in the order they were sent.
     */
    static List<String> duringChatsAtMostOnceInOrder(ProtocolClient receiver, String through) {
        List<String> meanwhile = new ArrayList<>();
        for (String text = receiver.nextOfType("chat").getString("text");
                !text.equals(through);
                text = receiver.nextOfType("chat").getString("text")) {
            if (text.startsWith("during-")) meanwhile.add(text);
        }
        assertEquals(meanwhile.stream().distinct().toList(), meanwhile, "at most once");
        assertEquals(
                meanwhile.stream()
                        .sorted(Comparator.comparingInt(RoomTraffic::during))
                        .toList(),
                meanwhile,
                "in order");
        return meanwhile;
    }

    static double counter(NoomNode node, String name) throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m =
                Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }

    /** Polls /ready (200 expected) until its body satisfies {@code condition}: readiness changes send no event. */
    static JsonObject awaitReadiness(NoomNode node, Predicate<JsonObject> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonObject body = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            body = new JsonObject(response.body());
            if (response.statusCode() == 200 && condition.test(body)) return body;
            Thread.sleep(200);
        }
        throw new AssertionError(what + ": never; last /ready " + body);
    }
}
