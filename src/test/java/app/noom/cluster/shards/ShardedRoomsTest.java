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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Noom on a real Redis Cluster (3 masters, 3 replicas, REDIS_CLUSTER): rooms chosen so that every master owns two,
 * three nodes with one member of each room apiece. Members across nodes see each other, chat and signals arrive in
 * order, and each master carries only its own rooms' channels (PUBSUB SHARDCHANNELS) and publishes (SPUBLISH counts).
 */
@ExtendWith(VertxExtension.class)
class ShardedRoomsTest {
    private static final int ROOMS_PER_MASTER = 2;
    private static final String TOKEN = "admin-" + java.util.UUID.randomUUID();

    @Test
    void roomsSpreadOverEveryShardAndWorkAcrossNodes(Vertx vertx) throws Exception {
        try (LocalRedisCluster redis = LocalRedisCluster.start(3);
                NoomNode a = NoomNode.start(
                        Map.of("REDIS_CLUSTER", redis.seeds(), "NODE_ID", "shard-a", "ADMIN_TOKEN", TOKEN));
                NoomNode b = node(redis, "shard-b");
                NoomNode c = node(redis, "shard-c")) {
            List<Integer> masters = redis.masters();
            assertEquals(3, masters.size(), "three masters own the slots");
            Map<Integer, List<String>> roomsByMaster = roomsOnEveryMaster(redis, masters);
            List<ProtocolClient> clients = new ArrayList<>();
            try {
                for (List<String> rooms : roomsByMaster.values()) {
                    for (String room : rooms) clients.addAll(meetInRoom(vertx, room, List.of(a, b, c)));
                }
                for (int master : masters) assertCarriesOnlyItsRooms(redis, master, roomsByMaster.get(master));
                assertEvenLoad(redis, masters);
                assertAdminViewListsEveryShardsRooms(a, roomsByMaster);
            } finally {
                clients.forEach(ProtocolClient::close);
            }
        }
    }

    /** The admin view scans every master, not just one: it lists all rooms, each with its three members. */
    private static void assertAdminViewListsEveryShardsRooms(NoomNode node, Map<Integer, List<String>> roomsByMaster)
            throws Exception {
        String body = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/admin/api/overview"))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, Integer> counts = new JsonObject(body)
                .getJsonArray("rooms").stream()
                        .map(JsonObject.class::cast)
                        .collect(Collectors.toMap(r -> r.getString("name"), r -> r.getInteger("count")));
        for (List<String> rooms : roomsByMaster.values()) {
            for (String room : rooms) assertEquals(3, counts.get(room), "admin view of " + room + " in " + body);
        }
    }

    private static NoomNode node(LocalRedisCluster redis, String id) {
        return NoomNode.start(Map.of("REDIS_CLUSTER", redis.seeds(), "NODE_ID", id));
    }

    /** Room names whose slot (of their hash tag) each master owns, ROOMS_PER_MASTER apiece. */
    private static Map<Integer, List<String>> roomsOnEveryMaster(LocalRedisCluster redis, List<Integer> masters)
            throws Exception {
        Map<Integer, List<String>> byMaster = new LinkedHashMap<>();
        masters.forEach(m -> byMaster.put(m, new ArrayList<>()));
        for (int i = 0; byMaster.values().stream().anyMatch(r -> r.size() < ROOMS_PER_MASTER); i++) {
            String room = "shard-room-" + i;
            int slot = Integer.parseInt(redis.cli(masters.get(0), "CLUSTER", "KEYSLOT", "noom:{room:" + room + "}:ch")
                    .trim());
            List<String> rooms = byMaster.get(redis.masterOf(slot));
            if (rooms.size() < ROOMS_PER_MASTER) rooms.add(room);
        }
        return byMaster;
    }

    /** One member per node joins {@code room}: each learns of the others, a chat and ordered signals get through. */
    private static List<ProtocolClient> meetInRoom(Vertx vertx, String room, List<NoomNode> nodes) {
        List<ProtocolClient> members = new ArrayList<>();
        for (NoomNode node : nodes) {
            ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
            members.add(client);
            client.hello("m" + members.size());
            Set<String> listed = client.join(room).getJsonArray("members").stream()
                    .map(m -> ((JsonObject) m).getString("id"))
                    .collect(Collectors.toSet());
            assertEquals(
                    members.stream()
                            .limit(members.size() - 1)
                            .map(m -> m.sessionId)
                            .collect(Collectors.toSet()),
                    listed,
                    "the joiner sees everyone already there, on every node");
            for (ProtocolClient earlier : members.subList(0, members.size() - 1)) {
                assertEquals(
                        client.sessionId,
                        earlier.next(m ->
                                        "member-joined".equals(m.getString("type")) && room.equals(m.getString("room")))
                                .getJsonObject("member")
                                .getString("id"),
                        "joins reach other nodes");
            }
        }
        ProtocolClient first = members.get(0);
        first.request(new JsonObject().put("type", "chat").put("room", room).put("text", "hello " + room));
        for (ProtocolClient member : members) {
            assertEquals("hello " + room, member.nextOfType("chat").getString("text"), "the chat reaches every node");
        }
        ProtocolClient sender = members.get(1);
        ProtocolClient receiver = members.get(2);
        for (int n = 0; n < 20; n++) {
            sender.send(new JsonObject()
                    .put("type", "signal")
                    .put("room", room)
                    .put("to", receiver.sessionId)
                    .put("kind", "candidate")
                    .put("payload", new JsonObject().put("n", n))
                    .put("id", "s" + n));
        }
        for (int n = 0; n < 20; n++) {
            assertEquals(
                    n, receiver.nextOfType("signal").getJsonObject("payload").getInteger("n"), "signals in order");
        }
        return members;
    }

    /**
     * Each master carries two rooms with the same traffic, so each publishes about as much (SPUBLISH, direct or from
     * relay.lua/kick.lua) and runs about as many scripts as the others; printed for docs/BENCHMARKS.md.
     */
    private static void assertEvenLoad(LocalRedisCluster redis, List<Integer> masters) throws Exception {
        Map<Integer, Long> spublish = new LinkedHashMap<>();
        for (int master : masters) {
            String stats = redis.cli(master, "INFO", "commandstats");
            spublish.put(master, calls(stats, "spublish"));
            System.out.println("per-shard load: master " + master + " spublish=" + calls(stats, "spublish")
                    + " evalsha=" + calls(stats, "evalsha") + " ssubscribe=" + calls(stats, "ssubscribe") + " publish="
                    + calls(stats, "publish"));
        }
        long most = spublish.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        spublish.forEach((master, count) -> assertTrue(
                count * 2 >= most,
                "master " + master + " published " + count + " of at most " + most + ": rooms spread evenly "
                        + spublish));
    }

    private static long calls(String commandStats, String command) {
        Matcher m = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(commandStats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Every room channel subscribed on a master is one of its rooms, and each of its rooms has its channel there. */
    private static void assertCarriesOnlyItsRooms(LocalRedisCluster redis, int master, List<String> rooms)
            throws Exception {
        Set<String> channels = redis.cli(master, "PUBSUB", "SHARDCHANNELS", "noom:{room:*")
                .lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toSet());
        for (String channel : channels) {
            String room = channel.substring("noom:{room:".length(), channel.indexOf('}'));
            assertTrue(
                    rooms.contains(room),
                    "master " + master + " carries " + channel + ", not one of its rooms " + rooms);
        }
        for (String room : rooms) {
            assertTrue(channels.contains("noom:{room:" + room + "}:ch"), "master " + master + " carries room " + room);
        }
        Matcher spublish =
                Pattern.compile("cmdstat_spublish:calls=(\\d+)").matcher(redis.cli(master, "INFO", "commandstats"));
        assertTrue(
                spublish.find() && Long.parseLong(spublish.group(1)) > 0, "master " + master + " published its rooms");
    }
}
