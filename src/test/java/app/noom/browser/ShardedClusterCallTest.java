package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.cluster.shards.LocalRedisCluster;
import app.noom.cluster.shards.SlotOf;
import app.noom.integration.support.NoomNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Browser calls across nodes on a real Redis Cluster (3 masters, 3 replicas): three nodes configured with
 * {@code REDIS_CLUSTER} only. Ada and Grace call in a room whose channel one master owns, from nodes A and B; then in a
 * room a second master owns, from nodes C and A. In each call the video flows both ways and a chat crosses nodes, and
 * the room's channel is subscribed on its owning master and on no other (sharded pub/sub, not a broadcast to all).
 */
class ShardedClusterCallTest {
    private static final String TAG = "[ShardedClusterCallTest] ";

    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void callsInRoomsOwnedByDifferentShardsConnectBrowsersOnDifferentNodes() throws Exception {
        long started = System.nanoTime();
        String suffix = Long.toString(System.nanoTime(), 36);
        // Browsers start while the cluster does: both take seconds, and neither needs the other yet.
        CompletableFuture<List<CallPage>> launching =
                CompletableFuture.supplyAsync(() -> browsers.launch("Ada", "Grace"));
        try (LocalRedisCluster redis = LocalRedisCluster.start(3);
                NoomNode a = node(redis, "sharded-call-a-" + suffix);
                NoomNode b = node(redis, "sharded-call-b-" + suffix);
                NoomNode c = node(redis, "sharded-call-c-" + suffix)) {
            List<Integer> masters = redis.masters();
            assertEquals(3, masters.size(), "three masters own the slots");
            String firstRoom = roomOwnedBy(redis, masters.get(0), "shard-call-1-" + suffix);
            String secondRoom = roomOwnedBy(redis, masters.get(1), "shard-call-2-" + suffix);
            System.out.printf(TAG + "cluster and nodes up after %.1f s%n", seconds(started));
            List<CallPage> pages = launching.join();
            CallPage ada = pages.get(0);
            CallPage grace = pages.get(1);

            call(redis, firstRoom, ada, a, grace, b);
            System.out.printf(TAG + "call on master %d (A-B) up after %.1f s%n", masters.get(0), seconds(started));
            call(redis, secondRoom, ada, c, grace, a);
            System.out.printf(TAG + "call on master %d (C-A) up after %.1f s%n", masters.get(1), seconds(started));
        } finally {
            launching.exceptionally(failed -> null).join(); // whatever started is registered, so afterEach quits it
            System.out.printf(TAG + "took %.1f s%n", seconds(started));
        }
    }

    /** Ada joins on one node, Grace on another: video both ways, a chat each way, the room on its master only. */
    private static void call(
            LocalRedisCluster redis, String room, CallPage ada, NoomNode adasNode, CallPage grace, NoomNode gracesNode)
            throws Exception {
        ada.join(url(adasNode), room);
        grace.join(url(gracesNode), room);
        ada.assertDecodesVideoFrom(grace);
        grace.assertDecodesVideoFrom(ada);
        chat(grace, ada, "Grace to Ada in " + room);
        chat(ada, grace, "Ada to Grace in " + room);
        assertOnlyItsMasterCarries(redis, room);
    }

    private static void chat(CallPage from, CallPage to, String text) {
        from.element("#chat-input").sendKeys(text);
        from.element("#chat-send").click();
        Eventually.until(
                to.nickname() + " gets the chat from " + from.nickname() + " on another node",
                () -> to.driver().findElements(By.cssSelector("#chat-log .chat-text")).stream()
                        .map(WebElement::getText)
                        .anyMatch(text::equals));
    }

    /** The room's channel is among the owning master's shard channels and no other master's. */
    private static void assertOnlyItsMasterCarries(LocalRedisCluster redis, String room) throws Exception {
        String channel = roomChannel(room);
        int owner = redis.masterOf(SlotOf.key(channel));
        for (int master : redis.masters()) {
            Set<String> channels = redis.cli(master, "PUBSUB", "SHARDCHANNELS", "noom:{room:*")
                    .lines()
                    .map(String::trim)
                    .collect(Collectors.toSet());
            assertEquals(
                    master == owner,
                    channels.contains(channel),
                    "master " + master + " (owner " + owner + ") and " + channel + ": " + channels);
        }
        assertTrue(spublishCalls(redis, owner) > 0, "the owning master " + owner + " published the room's messages");
    }

    private static long spublishCalls(LocalRedisCluster redis, int master) throws Exception {
        var calls = java.util.regex.Pattern.compile("cmdstat_spublish:calls=(\\d+)")
                .matcher(redis.cli(master, "INFO", "commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    /** The first name {@code prefix-N} whose room channel lives in a slot {@code master} owns. */
    private static String roomOwnedBy(LocalRedisCluster redis, int master, String prefix) throws Exception {
        for (int i = 0; i < 10_000; i++) {
            String room = prefix + "-" + i;
            if (redis.masterOf(SlotOf.key(roomChannel(room))) == master) return room;
        }
        throw new AssertionError("no room name " + prefix + "-N hashes to master " + master);
    }

    /** The room's sharded channel, as relay/redis names it (hash tag {room:NAME}: keys and channel share a slot). */
    private static String roomChannel(String room) {
        return "noom:{room:" + room + "}:ch";
    }

    private static NoomNode node(LocalRedisCluster redis, String id) {
        return NoomNode.start(Map.of("REDIS_CLUSTER", redis.seeds(), "NODE_ID", id));
    }

    private static String url(NoomNode node) {
        return "http://127.0.0.1:" + node.port();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
