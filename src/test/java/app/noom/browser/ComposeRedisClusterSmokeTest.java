package app.noom.browser;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.integration.support.WebSocketTestClient;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The compose stack in its "redis-cluster" profile (deploy/redis-cluster/compose.env appended to .env), running for
 * real (started by {@code deploy/ci/compose-smoke.sh --redis-cluster}): six Redis nodes form one healthy cluster of
 * three masters, both Noom nodes turn ready on it, and two WebSocket clients on different nodes chat through the load
 * balancer — through the cluster's sharded channels, not through the single {@code redis} service, which stays empty.
 * Skipped unless {@code -Dnoom.stack.url} is set.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeRedisClusterSmokeTest {
    private static final List<String> NODES = List.of("noom1", "noom2");
    private static final List<String> REDIS_NODES =
            IntStream.rangeClosed(1, 6).mapToObj(i -> "redis-node-" + i).toList();
    private static final Duration STACK_TIMEOUT = Duration.ofSeconds(90);

    private static ComposeStack stack;
    private static Vertx vertx;

    @BeforeAll
    static void requireStack() {
        Assumptions.assumeTrue(
                ComposeStack.configured(), "no compose stack given (-D" + ComposeStack.URL_PROPERTY + ")");
        stack = ComposeStack.fromProperties();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        if (vertx != null) vertx.close();
    }

    @Test
    @Order(1)
    void sixRedisNodesFormOneHealthyClusterOfThreeMasters() {
        for (String node : REDIS_NODES) {
            String info = Eventually.until(node + " reports cluster_state:ok", STACK_TIMEOUT, () -> {
                String answer = redis(node, "CLUSTER", "INFO");
                return answer.contains("cluster_state:ok") ? answer : null;
            });
            assertTrue(info.contains("cluster_known_nodes:6"), node + " knows all six nodes:\n" + info);
            assertTrue(info.contains("cluster_size:3"), node + ": three masters own the slots:\n" + info);
            assertTrue(info.contains("cluster_slots_ok:16384"), node + ": every slot served:\n" + info);
        }
    }

    @Test
    @Order(2)
    void everyNodeIsReadyOnTheCluster() {
        for (String node : NODES) {
            Eventually.until(
                    node + " answers 200 on /ready",
                    STACK_TIMEOUT,
                    () -> stack.getInside(node, "/ready").matches("(?s)HTTP/1\\.[01] 200.*"));
        }
    }

    @Test
    @Order(3)
    void clientsOnDifferentNodesChatThroughTheClustersShardedChannels() {
        List<WebSocketTestClient> open = new ArrayList<>();
        try {
            WebSocketTestClient ada = connect(open);
            WebSocketTestClient grace = null;
            // leastconn sends the next connection to the other node; a few tries cover a node that just turned ready
            for (int i = 0; i < 6 && grace == null; i++) {
                WebSocketTestClient candidate = connect(open);
                if (!candidate.handshakeHeader("X-Noom-Node").equals(ada.handshakeHeader("X-Noom-Node")))
                    grace = candidate;
            }
            assertTrue(grace != null, "no connection through the load balancer reached a second node");
            String room = "cluster-stack-" + System.nanoTime();
            ada.hello("Ada");
            grace.hello("Grace");
            ada.join(room);
            grace.join(room);
            assertEquals(
                    grace.sessionId,
                    ada.nextOfType("member-joined").getJsonObject("member").getString("id"));
            String text = "hello across nodes through the Redis Cluster";
            grace.request(msg("chat").put("room", room).put("text", text));
            assertEquals(text, ada.nextOfType("chat").getString("text"), "the chat crossed to Ada's node");

            String channel = "noom:{room:" + room + "}:ch";
            List<String> carriers = REDIS_NODES.stream()
                    .filter(node ->
                            redis(node, "PUBSUB", "SHARDCHANNELS", channel).contains(channel))
                    .toList();
            assertEquals(
                    1,
                    carriers.size(),
                    "exactly one Redis node (the room's master) carries the room's channel: " + carriers);
            assertEquals("0", redis("redis", "DBSIZE").trim(), "the single redis service is unused in this profile");
        } finally {
            open.forEach(WebSocketTestClient::close);
        }
    }

    private static String redis(String service, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", "-T", service, "redis-cli"));
        args.addAll(List.of(command));
        return stack.compose(args.toArray(String[]::new));
    }

    private static WebSocketTestClient connect(List<WebSocketTestClient> open) {
        WebSocketTestClient client =
                WebSocketTestClient.connectTrustingAnyCertificate(vertx, stack.https.getHost(), stack.https.getPort());
        open.add(client);
        assertNotEquals(null, client.handshakeHeader("X-Noom-Node"), "the load balancer names the node");
        return client;
    }
}
