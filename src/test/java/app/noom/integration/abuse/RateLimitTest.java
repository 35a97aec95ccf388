package app.noom.integration.abuse;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-session token buckets with the default rates: a flood gets {@code rate_limited} answers (one per message, never
 * processed, never relayed) while another session in the same room keeps talking at its normal pace. (The other
 * per-session limits: the hello deadline and oversize frames are in {@code BadInputTest}, slow readers in
 * {@link SlowReaderTest}, malformed input of every kind in {@code ProtocolFuzzTest}.)
 */
@ExtendWith(VertxExtension.class)
class RateLimitTest {
    private static NoomNode node;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        node = NoomNode.start(
                Map.of()); // the documented defaults: chat 5/s burst 10, signals 200/s burst 400, joins 2/s burst 5
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    private ProtocolClient client(Transport transport, Vertx vertx, String nickname) {
        ProtocolClient c = transport.connect(vertx, node.port());
        clients.add(c);
        c.hello(nickname);
        return c;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void chatFloodIsLimitedWhileAnotherSessionKeepsTalking(Transport transport, Vertx vertx) {
        String room = "flood-" + System.nanoTime();
        ProtocolClient flooder = client(transport, vertx, "Flood");
        ProtocolClient talker = client(Transport.WEBSOCKET, vertx, "Talker");
        ProtocolClient listener = client(Transport.WEBSOCKET, vertx, "Listener");
        flooder.join(room);
        talker.join(room);
        listener.join(room);

        int flood = 60;
        long started = System.nanoTime();
        for (int i = 0; i < flood; i++)
            flooder.send(msg("chat").put("id", "f" + i).put("room", room).put("text", "spam " + i));
        // the other session talks during the flood, at human pace, and is never limited
        for (int i = 0; i < 3; i++) {
            JsonObject ack = talker.request(msg("chat").put("room", room).put("text", "still here " + i));
            assertEquals("ack", ack.getString("type"), ack::encode);
            String text = "still here " + i;
            assertEquals(
                    text,
                    listener.next(m -> "chat".equals(m.getString("type")) && text.equals(m.getString("text")))
                            .getString("text"));
        }
        int acked = 0;
        int limited = 0;
        for (int i = 0; i < flood; i++) { // every flood message is answered exactly once, in order
            String id = "f" + i;
            JsonObject answer = flooder.next(m -> id.equals(m.getValue("re")));
            if ("ack".equals(answer.getString("type"))) acked++;
            else {
                assertEquals("rate_limited", answer.getString("code"), answer::encode);
                assertTrue(answer.getString("message").contains("5 per second"), answer::encode);
                limited++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(acked >= 10, "the burst of 10 passes: " + acked);
        assertTrue(acked <= 10 + Math.ceil(5 * seconds) + 1, acked + " acked in " + seconds + " s");
        assertEquals(flood, acked + limited);

        // exactly the accepted chats reached the room: a limited message is not processed
        assertEquals("pong", listener.request(msg("ping")).getString("type"));
        long relayed = listener.seen().stream()
                .filter(m -> "chat".equals(m.getString("type")) && flooder.sessionId.equals(m.getString("from")))
                .count();
        assertEquals(acked, relayed);
        assertTrue(AbuseMetrics.value(node.port(), "noom_errors_total{code=\"rate_limited\"}") >= limited);
    }

    @Test
    void signalFloodIsLimitedPerSessionAndRefills(Vertx vertx) throws Exception {
        String room = "signals-" + System.nanoTime();
        ProtocolClient flooder = client(Transport.WEBSOCKET, vertx, "Flood");
        ProtocolClient peer = client(Transport.WEBSOCKET, vertx, "Peer");
        flooder.join(room);
        peer.join(room);
        int flood = 2_000;
        JsonObject candidate = new JsonObject().put("candidate", "candidate:1 1 udp 1 192.0.2.1 9 typ host");
        for (int i = 0; i < flood; i++) {
            flooder.send(msg("signal")
                    .put("id", "s" + i)
                    .put("room", room)
                    .put("to", peer.sessionId)
                    .put("kind", "candidate")
                    .put("payload", candidate));
        }
        int acked = 0;
        for (int i = 0; i < flood; i++) {
            String id = "s" + i;
            if ("ack".equals(flooder.next(m -> id.equals(m.getValue("re"))).getString("type"))) acked++;
        }
        assertTrue(acked >= 400 && acked < flood, "burst of 400 (+ refill) accepted, the rest limited: " + acked);
        // the peer's own signalling budget is untouched by the flooder's
        for (int i = 0; i < 50; i++) {
            assertEquals(
                    "ack",
                    peer.request(msg("signal")
                                    .put("room", room)
                                    .put("to", flooder.sessionId)
                                    .put("kind", "candidate")
                                    .put("payload", candidate))
                            .getString("type"));
        }
        TimeUnit.MILLISECONDS.sleep(100); // 200/s refills 20 tokens in 100 ms
        assertEquals(
                "ack",
                flooder.request(msg("signal")
                                .put("room", room)
                                .put("to", peer.sessionId)
                                .put("kind", "candidate")
                                .put("payload", candidate))
                        .getString("type"));
    }

    @Test
    void joinsAndRoomListSubscriptionsShareTheJoinBucket(Vertx vertx) {
        ProtocolClient client = client(Transport.WEBSOCKET, vertx, "Joiner");
        int subscribes = 12;
        long started = System.nanoTime();
        for (int i = 0; i < subscribes; i++) client.send(msg("rooms-subscribe").put("id", "r" + i));
        client.send(msg("join").put("id", "j").put("room", "after-the-burst-" + System.nanoTime()));
        int admitted = 0;
        int limited = 0;
        for (int i = 0; i <= subscribes; i++) {
            String id = i < subscribes ? "r" + i : "j";
            JsonObject answer = client.next(m -> id.equals(m.getValue("re")));
            if ("rooms".equals(answer.getString("type")) || "joined".equals(answer.getString("type"))) admitted++;
            else if ("rate_limited".equals(answer.getString("code"))) limited++;
            else fail(answer.encode());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertTrue(admitted >= 5, "the burst of 5 passes: " + admitted);
        assertTrue(admitted <= 5 + Math.ceil(2 * seconds) + 1, admitted + " admitted in " + seconds + " s");
        assertEquals(subscribes + 1, admitted + limited);
        // pings are never limited
        for (int i = 0; i < 50; i++)
            assertEquals("pong", client.request(msg("ping")).getString("type"));
    }
}
