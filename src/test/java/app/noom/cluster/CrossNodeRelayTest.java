package app.noom.cluster;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.TwoNodeCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes on one real Redis: members connected to different nodes must not notice. */
@ExtendWith(VertxExtension.class)
class CrossNodeRelayTest {
    // the 10k-message order test floods on purpose: no per-session signal rate limit here
    @RegisterExtension
    static final TwoNodeCluster cluster = TwoNodeCluster.withSettings(Map.of("RATE_SIGNALS_PER_SECOND", "0"));

    @Test
    void membersOnDifferentNodesExchangeOfferAnswerCandidatesAndChat(Vertx vertx) {
        String room = "cross-" + System.nanoTime();
        ProtocolClient ada = cluster.client(vertx, cluster.a(), "Ada");
        ProtocolClient grace = cluster.client(vertx, cluster.b(), "Grace");
        ada.join(room);
        JsonObject joined = grace.join(room);
        assertEquals(
                ada.sessionId, joined.getJsonArray("members").getJsonObject(0).getString("id"));
        assertEquals(
                grace.sessionId,
                ada.nextOfType("member-joined").getJsonObject("member").getString("id"));

        grace.request(signal(
                room,
                ada.sessionId,
                "offer",
                new JsonObject().put("type", "offer").put("sdp", "o")));
        JsonObject offer = ada.nextOfType("signal");
        assertEquals(grace.sessionId, offer.getString("from"));
        assertEquals("offer", offer.getString("kind"));
        ada.request(signal(
                room,
                grace.sessionId,
                "answer",
                new JsonObject().put("type", "answer").put("sdp", "a")));
        assertEquals("answer", grace.nextOfType("signal").getString("kind"));
        ada.request(signal(room, grace.sessionId, "candidate", new JsonObject().put("candidate", "c1")));
        assertEquals("c1", grace.nextOfType("signal").getJsonObject("payload").getString("candidate"));

        ada.request(msg("chat").put("room", room).put("text", "across nodes"));
        JsonObject chat = grace.nextOfType("chat");
        assertEquals("across nodes", chat.getString("text"));
        assertEquals(ada.sessionId, chat.getString("from"));

        grace.close();
        assertEquals(grace.sessionId, ada.nextOfType("member-left").getString("memberId"));
    }

    @Test
    void perSenderOrderHoldsOverTenThousandMessagesWithoutLossOrDuplicates(Vertx vertx) {
        int messages = 10_000;
        String room = "order-" + System.nanoTime();
        // the sender's node must know the receiver is in the room before it accepts signals to it (else unknown_member)
        List<ProtocolClient> pair = cluster.meetInRoom(vertx, room, "Sender", "Receiver");
        ProtocolClient sender = pair.get(0);
        ProtocolClient receiver = pair.get(1);
        for (int i = 0; i < messages; i++) {
            sender.send(signal(room, receiver.sessionId, "candidate", new JsonObject().put("n", i))
                    .put("id", i));
        }
        for (int i = 0; i < messages; i++) {
            JsonObject got = receiver.nextOfType("signal");
            assertEquals(i, got.getJsonObject("payload").getInteger("n"), "message out of order, lost or doubled");
        }
        Set<Long> acked = new TreeSet<>();
        for (int i = 0; i < messages; i++)
            acked.add(sender.next(m -> "ack".equals(m.getString("type"))).getLong("re"));
        assertEquals(messages, acked.size(), "every message acknowledged exactly once");
    }

    @Test
    void roomListAndCountsAgreeOnEveryNode(Vertx vertx) {
        String room = "count-" + System.nanoTime();
        ProtocolClient watcherA = cluster.client(vertx, cluster.a(), "WatchA");
        ProtocolClient watcherB = cluster.client(vertx, cluster.b(), "WatchB");
        watcherA.request(msg("rooms-subscribe"));
        watcherB.request(msg("rooms-subscribe"));
        List<ProtocolClient> members = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProtocolClient member = cluster.client(vertx, i % 2 == 0 ? cluster.a() : cluster.b(), "m" + i);
            member.join(room);
            members.add(member);
            for (ProtocolClient watcher : List.of(watcherA, watcherB))
                assertEquals(i + 1, countReaching(watcher, room, i + 1));
        }
        members.get(1).request(msg("leave").put("room", room));
        members.get(2).close();
        // pushes are coalesced per room (the latest count wins): the intermediate 3 may or may not be shown
        for (ProtocolClient watcher : List.of(watcherA, watcherB)) assertEquals(2, countReaching(watcher, room, 2));
        for (ProtocolClient watcher : List.of(watcherA, watcherB)) {
            JsonObject snapshot = watcher.request(msg("rooms-subscribe"));
            JsonObject entry = snapshot.getJsonArray("rooms").stream()
                    .map(JsonObject.class::cast)
                    .filter(r -> room.equals(r.getString("name")))
                    .findFirst()
                    .orElseThrow();
            assertEquals(2, entry.getInteger("count"));
        }
    }

    @Test
    void fullRoomIsEnforcedAcrossNodes(Vertx vertx) {
        String room = "full-" + System.nanoTime();
        for (int i = 0; i < 6; i++)
            cluster.client(vertx, i % 2 == 0 ? cluster.a() : cluster.b(), "m" + i)
                    .join(room);
        cluster.client(vertx, cluster.b(), "late").expectError(msg("join").put("room", room), "room_full");
    }

    /** Reads the room's pushes until one says {@code expected}; every count on the way must lie between. */
    private static int countReaching(ProtocolClient watcher, String room, int expected) {
        while (true) {
            int count = watcher.next(
                            m -> "room-changed".equals(m.getString("type")) && room.equals(m.getString("room")))
                    .getInteger("count");
            if (count == expected) return count;
            assertTrue(count >= 1 && count <= 4, "a count no member change produced: " + count);
        }
    }

    static JsonObject signal(String room, String to, String kind, JsonObject payload) {
        return msg("signal").put("room", room).put("to", to).put("kind", kind).put("payload", payload);
    }
}
