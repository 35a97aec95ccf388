package app.noom.cluster;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.TwoNodeCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, items 1, 2, 7 and I4: two nodes with two event loops each (sessions and the Redis connections on
 * different threads), one Redis, rate limits off — concurrent traffic, checked from the clients' transcripts.
 */
@ExtendWith(VertxExtension.class)
class ConcurrencyRegressionTest {
    @RegisterExtension
    static final TwoNodeCluster cluster = TwoNodeCluster.startingNodes(ConcurrencyRegressionTest::twoLoopNode);

    /** A fixed free port: several HTTP instances share one port only when it is given (port 0 means one instance). */
    private static NoomNode twoLoopNode(String redisUrl, String id) {
        return NoomNode.start(Map.of(
                "REDIS_URL",
                redisUrl,
                "NODE_ID",
                id,
                "PORT",
                String.valueOf(RedisServer.freePort()),
                "HTTP_INSTANCES",
                "2",
                "RATE_SIGNALS_PER_SECOND",
                "0",
                "RATE_CHAT_PER_SECOND",
                "0",
                "RATE_JOINS_PER_SECOND",
                "0"));
    }

    /** Item 1: 5,000 signals each way at once, ≤ 100 in flight per side: in seq order, none lost, none twice. */
    @Test
    void signalsBothWaysAtOnceArriveInSeqOrderExactlyOnce(Vertx vertx) throws Exception {
        String room = "both-ways-" + System.nanoTime();
        int count = 5_000;
        List<ProtocolClient> pair = cluster.meetInRoom(vertx, room, "A", "B");
        ProtocolClient a = pair.get(0);
        ProtocolClient b = pair.get(1);
        CompletableFuture<Void> aSends = CompletableFuture.runAsync(() -> flood(a, room, b.sessionId, count));
        CompletableFuture<Void> bSends = CompletableFuture.runAsync(() -> flood(b, room, a.sessionId, count));
        aSends.get(120, TimeUnit.SECONDS);
        bSends.get(120, TimeUnit.SECONDS);
        for (ProtocolClient receiver : List.of(a, b)) {
            awaitSeen(receiver, m -> "signal".equals(m.getString("type")), count);
            assertSeqConsecutive(receiver.seen());
            List<Integer> numbers = receiver.seen().stream()
                    .filter(m -> "signal".equals(m.getString("type")))
                    .map(m -> m.getJsonObject("payload").getInteger("n"))
                    .toList();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) expected.add(i);
            assertEquals(expected, numbers, "every signal once, in send order");
            assertEquals(
                    count,
                    receiver.seen().stream()
                            .filter(m -> "ack".equals(m.getString("type")))
                            .count());
        }
    }

    /** Sends {@code count} signals keeping at most 100 unanswered. */
    private static void flood(ProtocolClient from, String room, String to, int count) {
        for (int i = 0; i < count; i++) {
            if (i >= 100) awaitSeen(from, m -> "ack".equals(m.getString("type")), i - 99);
            from.send(msg("signal")
                    .put("id", "s" + i)
                    .put("room", room)
                    .put("to", to)
                    .put("kind", "candidate")
                    .put("payload", new JsonObject().put("n", i)));
        }
    }

    /** Item 2: 50 pairs join their rooms at the same moment, one member of each pair on each node. */
    @Test
    void membersJoiningAtTheSameMomentOnTwoNodesSeeEachOther(Vertx vertx) {
        int pairs = 50;
        String prefix = "together-" + System.nanoTime() + "-";
        List<ProtocolClient> onA = new ArrayList<>();
        List<ProtocolClient> onB = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            onA.add(cluster.client(vertx, cluster.a(), "a" + i));
            onB.add(cluster.client(vertx, cluster.b(), "b" + i));
        }
        for (int i = 0; i < pairs; i++) { // no waiting between the two joins of a pair
            onA.get(i).send(msg("join").put("id", "j").put("room", prefix + i));
            onB.get(i).send(msg("join").put("id", "j").put("room", prefix + i));
        }
        for (int i = 0; i < pairs; i++) {
            assertKnows(onA.get(i), onB.get(i).sessionId);
            assertKnows(onB.get(i), onA.get(i).sessionId);
        }
    }

    private static void assertKnows(ProtocolClient member, String partner) {
        JsonObject joined = member.nextOfType("joined");
        boolean listed =
                joined.getJsonArray("members").stream().anyMatch(m -> partner.equals(((JsonObject) m).getString("id")));
        if (!listed) {
            member.next(
                    m -> "member-joined".equals(m.getString("type"))
                            && partner.equals(m.getJsonObject("member").getString("id")),
                    Duration.ofSeconds(1));
        }
    }

    /** Item 7: a chat and a media update sent right behind a join are handled after it, answered in order. */
    @Test
    void requestsAreHandledAndAnsweredInTheOrderTheyWereSent(Vertx vertx) {
        String room = "in-order-" + System.nanoTime();
        ProtocolClient peer = cluster.client(vertx, cluster.b(), "Peer");
        peer.join(room);
        ProtocolClient ada = cluster.client(vertx, cluster.a(), "Ada");
        ada.send(msg("join").put("id", "j1").put("room", room));
        ada.send(msg("chat").put("id", "c1").put("room", room).put("text", "right behind the join"));
        ada.send(msg("media")
                .put("id", "m1")
                .put("room", room)
                .put("audioMuted", true)
                .put("videoOff", false)
                .put("screen", false));
        ada.send(msg("ping").put("id", "p1"));
        List<String> answers = new ArrayList<>();
        for (String re : List.of("j1", "c1", "m1", "p1")) {
            JsonObject answer = ada.next(m -> re.equals(m.getString("re")));
            assertNotEquals("error", answer.getString("type"), answer::encode);
        }
        ada.seen().stream().filter(m -> m.containsKey("re")).forEach(m -> answers.add(m.getString("re")));
        assertEquals(List.of("t1", "j1", "c1", "m1", "p1"), answers, "replies in request order (t1: hello)");
        assertEquals("right behind the join", peer.nextOfType("chat").getString("text"));
    }

    /** I4: four members on two nodes chat at once; every member sees the room's chats in one and the same order. */
    @Test
    void everyMemberSeesOneOrderOfTheRoomsChats(Vertx vertx) throws Exception {
        String room = "one-order-" + System.nanoTime();
        List<ProtocolClient> members = List.of(
                cluster.client(vertx, cluster.a(), "A1"),
                cluster.client(vertx, cluster.a(), "A2"),
                cluster.client(vertx, cluster.b(), "B1"),
                cluster.client(vertx, cluster.b(), "B2"));
        for (ProtocolClient m : members) m.join(room);
        for (ProtocolClient m : members)
            awaitSeen(
                    m,
                    x -> "member-joined".equals(x.getString("type")),
                    3
                            - (int) m.seen().stream()
                                    .filter(x -> "joined".equals(x.getString("type")))
                                    .mapToLong(x -> x.getJsonArray("members").size())
                                    .sum());
        int perMember = 200;
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (ProtocolClient m : members) {
            senders.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < perMember; i++)
                    m.send(msg("chat").put("room", room).put("text", m.sessionId + "#" + i));
            }));
        }
        for (CompletableFuture<Void> s : senders) s.get(60, TimeUnit.SECONDS);
        List<List<String>> orders = new ArrayList<>();
        for (ProtocolClient m : members) {
            awaitSeen(m, x -> "chat".equals(x.getString("type")), members.size() * perMember);
            orders.add(m.seen().stream()
                    .filter(x -> "chat".equals(x.getString("type")))
                    .map(x -> x.getString("text"))
                    .toList());
            assertSeqConsecutive(m.seen());
        }
        for (List<String> order : orders) assertEquals(orders.get(0), order, "one order per room");
    }

    static void assertSeqConsecutive(List<JsonObject> frames) {
        long expected = frames.get(0).getLong("seq");
        Set<Long> seen = new HashSet<>();
        for (JsonObject frame : frames) {
            assertTrue(seen.add(frame.getLong("seq")), () -> "seq repeated: " + frame);
            assertEquals(expected++, frame.getLong("seq"), () -> "seq out of order at " + frame);
        }
    }

    /** Polls the client's transcript until {@code n} frames match (deadline 60 s). */
    static void awaitSeen(ProtocolClient client, java.util.function.Predicate<JsonObject> filter, long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.seen().stream().filter(filter).count() < n) {
            if (System.nanoTime() > deadline)
                fail("only " + client.seen().stream().filter(filter).count() + " of " + n);
            try {
                Thread.sleep(1); // a poll interval, not a synchronisation: the condition above is what is waited for
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
