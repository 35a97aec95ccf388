package app.noom.integration.admin;

import static app.noom.integration.admin.AdminHttp.*;
import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.config.EnvNames;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the admin overview shows, with real clients: one node on its own, and two nodes sharing a real Redis (where
 * either node answers for the whole cluster, private rooms included). Nothing secret ever appears in it: no resume
 * token, no room password or its hash, not the admin token.
 */
@ExtendWith(VertxExtension.class)
class AdminOverviewTest {
    private static final String TOKEN = "adm-" + java.util.UUID.randomUUID();
    private static final String PASSWORD = "correct horse " + System.nanoTime();
    /** A chat limit (default 5/s, burst 10) that a poll every 200 ms for 15 s cannot reach. */
    private static final Map<String, String> CHATTY =
            Map.of(EnvNames.RATE_CHAT_PER_SECOND, "50", EnvNames.RATE_CHAT_BURST, "100");

    private static RedisServer redis;
    private static NoomNode solo;
    private static NoomNode nodeA;
    private static NoomNode nodeB;
    private final List<ProtocolClient> clients = new ArrayList<>();
    private final List<String> resumeTokens = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        solo = NoomNode.start(env(Map.of(EnvNames.ADMIN_TOKEN, TOKEN, EnvNames.NODE_ID, "admin-solo")));
        nodeA = NoomNode.start(
                env(Map.of(EnvNames.ADMIN_TOKEN, TOKEN, EnvNames.REDIS_URL, redis.url(), EnvNames.NODE_ID, "admin-a")));
        nodeB = NoomNode.start(
                env(Map.of(EnvNames.ADMIN_TOKEN, TOKEN, EnvNames.REDIS_URL, redis.url(), EnvNames.NODE_ID, "admin-b")));
    }

    private static Map<String, String> env(Map<String, String> node) {
        Map<String, String> env = new HashMap<>(CHATTY);
        env.putAll(node);
        return env;
    }

    @AfterAll
    static void stop() throws Exception {
        solo.close();
        nodeA.close();
        nodeB.close();
        redis.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    private ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(client);
        String resumeToken = client.hello(nickname).getString("resumeToken");
        assertNotNull(resumeToken);
        resumeTokens.add(resumeToken);
        return client;
    }

    /** Who is where: a public room and a private, password-protected one, each with members on both given nodes. */
    private record Scene(
            String town,
            String hideout,
            ProtocolClient alice,
            ProtocolClient bob,
            ProtocolClient carol,
            ProtocolClient dave) {}

    private Scene populate(Vertx vertx, NoomNode first, NoomNode second) {
        String town = "town <" + System.nanoTime() + ">";
        String hideout = "hideout-" + System.nanoTime();
        ProtocolClient alice = client(vertx, first, "Alice <b>");
        ProtocolClient bob = client(vertx, second, "Bob");
        ProtocolClient carol = client(vertx, first, "Carol");
        ProtocolClient dave = client(vertx, second, "Dave");
        alice.join(town);
        bob.join(town);
        JsonObject created = carol.request(
                msg("join").put("room", hideout).put("password", PASSWORD).put("private", true));
        assertEquals("joined", created.getString("type"), created::encode);
        JsonObject joined = dave.request(msg("join").put("room", hideout).put("password", PASSWORD));
        assertEquals("joined", joined.getString("type"), joined::encode);
        return new Scene(town, hideout, alice, bob, carol, dave);
    }

    @Test
    void singleNodeShowsItsRoomsMembersAndRates(Vertx vertx) {
        Scene scene = populate(vertx, solo, solo);
        JsonObject overview = awaitOverview(
                solo.port(),
                TOKEN,
                o -> node(o, "admin-solo")
                        .map(n -> n.getLong("sessions") != null && n.getLong("sessions") >= 4)
                        .orElse(false));
        assertFalse(overview.getBoolean("clustered"));
        assertEquals(1, overview.getJsonArray("nodes").size());
        JsonObject self = node(overview, "admin-solo").orElseThrow();
        assertTrue(self.getBoolean("alive"));
        assertEquals(2, self.getInteger("rooms"));
        assertRooms(overview, scene, "admin-solo", "admin-solo");
        assertRatesShowTraffic(solo, "admin-solo", "admin-solo", scene);
        assertNothingSecret(solo.port(), Optional.empty(), scene);
    }

    @Test
    void eitherClusterNodeShowsTheWholeCluster(Vertx vertx) throws Exception {
        Scene scene = populate(vertx, nodeA, nodeB);
        for (NoomNode asked : List.of(nodeA, nodeB)) {
            JsonObject overview = awaitOverview(
                    asked.port(),
                    TOKEN,
                    o -> List.of("admin-a", "admin-b").stream()
                            .allMatch(id -> node(o, id)
                                    .map(n -> n.getBoolean("alive")
                                            && n.getLong("sessions") != null
                                            && n.getLong("sessions") >= 2)
                                    .orElse(false)));
            assertTrue(overview.getBoolean("clustered"));
            assertEquals(asked == nodeA ? "admin-a" : "admin-b", overview.getString("node"));
            for (String id : List.of("admin-a", "admin-b")) {
                JsonObject node = node(overview, id).orElseThrow();
                assertEquals(2, node.getInteger("rooms"), node::encode);
                assertEquals(2, node.getInteger("members"), node::encode);
            }
            assertEquals(2, overview.getJsonObject("totals").getInteger("aliveNodes"));
            assertRooms(overview, scene, "admin-a", "admin-b");
        }
        String hash = storedPasswordHash(scene.hideout());
        assertTrue(hash.startsWith("pbkdf2$"), "the room really has a stored hash to leak");
        assertRatesShowTraffic(nodeA, "admin-a", "admin-b", scene);
        assertNothingSecret(nodeA.port(), Optional.of(hash), scene);
        assertNothingSecret(nodeB.port(), Optional.of(hash), scene);
    }

    private static void assertRooms(JsonObject overview, Scene scene, String firstNode, String secondNode) {
        JsonObject town = room(overview, scene.town()).orElseThrow(() -> new AssertionError("no town in " + overview));
        assertEquals(2, town.getInteger("count"));
        assertFalse(town.getBoolean("private"));
        assertFalse(town.getBoolean("passwordProtected"));
        assertFalse(town.getBoolean("locked"));
        assertEquals(scene.alice().sessionId, town.getString("host"));
        assertMember(town, scene.alice(), "Alice <b>", firstNode);
        assertMember(town, scene.bob(), "Bob", secondNode);

        JsonObject hideout = room(overview, scene.hideout())
                .orElseThrow(() -> new AssertionError("private room missing from " + overview));
        assertEquals(2, hideout.getInteger("count"));
        assertTrue(hideout.getBoolean("private"));
        assertTrue(hideout.getBoolean("passwordProtected"));
        assertEquals(scene.carol().sessionId, hideout.getString("host"));
        assertMember(hideout, scene.carol(), "Carol", firstNode);
        assertMember(hideout, scene.dave(), "Dave", secondNode);
        JsonObject totals = overview.getJsonObject("totals");
        assertTrue(totals.getInteger("privateRooms") >= 1);
        assertTrue(totals.getInteger("members") >= 4);
    }

    private static void assertMember(JsonObject room, ProtocolClient client, String nickname, String node) {
        JsonObject member = member(room, client.sessionId)
                .orElseThrow(() -> new AssertionError(client.sessionId + " missing from " + room));
        assertEquals(nickname, member.getString("nickname"));
        assertEquals(node, member.getString("node"));
        assertFalse(member.getJsonObject("media").getBoolean("audioMuted"));
    }

    /**
     * Chat from the first node's member until a stats sample counts it: its node's in-rate and the receiving node's
     * out-rate rise above zero. A rate covers one sampling interval, so one more chat goes with every poll (the nodes'
     * chat limit is raised for this: {@link #CHATTY}).
     */
    private static void assertRatesShowTraffic(NoomNode asked, String senderNode, String receiverNode, Scene scene) {
        int[] sent = {0};
        JsonObject overview = awaitOverview(asked.port(), TOKEN, o -> {
            scene.alice().send(msg("chat").put("room", scene.town()).put("text", "hi " + sent[0]++));
            double in = node(o, senderNode)
                    .map(n -> n.getDouble("messagesInPerSecond", 0.0))
                    .orElse(0.0);
            double out = node(o, receiverNode)
                    .map(n -> n.getDouble("messagesOutPerSecond", 0.0))
                    .orElse(0.0);
            return in > 0 && out > 0;
        });
        assertTrue(overview.getJsonObject("totals").getDouble("messagesInPerSecond") > 0);
    }

    private void assertNothingSecret(int port, Optional<String> passwordHash, Scene scene) {
        HttpResponse<String> response = overview(port, TOKEN);
        assertEquals(200, response.statusCode());
        String body = response.body();
        assertTrue(body.contains(scene.hideout()), "the audited body does list the private room");
        assertEquals(4, resumeTokens.size());
        for (String resumeToken : resumeTokens) assertFalse(body.contains(resumeToken), "a resume token leaked");
        assertFalse(body.contains(PASSWORD), "the room password leaked");
        assertFalse(body.contains("pbkdf2"), "a password hash leaked");
        passwordHash.ifPresent(hash -> {
            assertFalse(body.contains(hash), "the stored password hash leaked");
            for (String part : hash.split("\\$")) {
                if (part.length() > 8) assertFalse(body.contains(part), "part of the password hash leaked");
            }
        });
        assertFalse(body.contains(TOKEN), "the admin token leaked");
        assertNoSecretKeys(new JsonObject(body));
    }

    /** What Redis really holds for the private room's password: the hash the overview must not show. */
    private static String storedPasswordHash(String room) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Redis client = Redis.createClient(vertx, redis.url());
            Response hash = client.send(Request.cmd(Command.HGET)
                            .arg("noom:{room:" + room + "}:policy")
                            .arg("password"))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertNotNull(hash, "no password in the room's policy hash");
            return hash.toString();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
