package app.noom.cluster;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.BlinkingProxy;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.RedisServer;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client whose connection blinks comes back through another node: same member, missed messages in order. */
@ExtendWith(VertxExtension.class)
class CrossNodeResumeTest {

    @Test
    void sessionMovesToAnotherNodeWithItsIdRoomsAndMissedMessages(Vertx vertx) throws Exception {
        try (RedisServer redis = RedisServer.start();
                NoomNode nodeA = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "resume-a"));
                NoomNode nodeB = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "resume-b"));
                BlinkingProxy proxyToA = BlinkingProxy.to(vertx, nodeA.port())) {
            String room = "moving-" + System.nanoTime();
            ProtocolClient ada = Transport.WEBSOCKET.connect(vertx, proxyToA.port());
            String token = ada.hello("Ada").getString("resumeToken");
            ProtocolClient grace = Transport.WEBSOCKET.connect(vertx, nodeB.port());
            grace.hello("Grace");
            ProtocolClient linus = Transport.WEBSOCKET.connect(vertx, nodeA.port());
            linus.hello("Linus");
            ada.join(room);
            grace.join(room);
            linus.join(room);
            ada.next(m -> "member-joined".equals(m.getString("type"))
                    && "Linus".equals(m.getJsonObject("member").getString("nickname")));
            long lastSeq = ada.seen().get(ada.seen().size() - 1).getLong("seq");

            proxyToA.cutAll();
            ada.awaitClosed();
            grace.request(msg("chat").put("room", room).put("text", "from B while away"));
            linus.request(msg("chat").put("room", room).put("text", "from A while away"));
            grace.request(msg("signal")
                    .put("room", room)
                    .put("to", ada.sessionId)
                    .put("kind", "candidate")
                    .put("payload", new JsonObject().put("candidate", "while away")));

            ProtocolClient back = Transport.WEBSOCKET.connect(vertx, nodeB.port());
            JsonObject welcome = back.request(msg("hello")
                    .put("version", 1)
                    .put("nickname", "Ada")
                    .put("resume", new JsonObject().put("token", token).put("lastSeq", lastSeq)));
            assertTrue(welcome.getBoolean("resumed"), welcome::encode);
            assertEquals(ada.sessionId, welcome.getString("sessionId"));
            List<JsonObject> replayed = back.seen().stream()
                    .filter(m -> !"welcome".equals(m.getString("type")))
                    .toList();
            // both missed chats are replayed; their relative order is not defined (two senders on two nodes: Grace's
            // crosses
            // Redis, Linus's is local to node A)
            assertEquals(
                    List.of("from A while away", "from B while away"),
                    replayed.stream()
                            .filter(m -> "chat".equals(m.getString("type")))
                            .map(m -> m.getString("text"))
                            .sorted()
                            .toList());
            assertTrue(replayed.stream()
                    .anyMatch(m -> "signal".equals(m.getString("type"))
                            && "while away".equals(m.getJsonObject("payload").getString("candidate"))));
            long expected = lastSeq + 1;
            for (JsonObject m : back.seen()) assertEquals(expected++, m.getLong("seq"), "seq continues across nodes");

            // the session now lives on B: messages flow both ways, and nobody saw a leave or a join
            back.request(msg("chat").put("room", room).put("text", "hello from B"));
            assertEquals(
                    "hello from B",
                    linus.next(m -> "hello from B".equals(m.getString("text"))).getString("text"));
            linus.request(msg("signal")
                    .put("room", room)
                    .put("to", ada.sessionId)
                    .put("kind", "offer")
                    .put("payload", new JsonObject().put("sdp", "to the new node")));
            assertEquals(
                    linus.sessionId,
                    back.next(m -> "signal".equals(m.getString("type"))
                                    && "to the new node"
                                            .equals(m.getJsonObject("payload").getString("sdp")))
                            .getString("from"));
            for (ProtocolClient peer : List.of(grace, linus)) {
                assertTrue(
                        peer.seen().stream()
                                .noneMatch(m -> ada.sessionId.equals(m.getString("memberId"))
                                        || ("member-joined".equals(m.getString("type"))
                                                && "Ada"
                                                        .equals(m.getJsonObject("member")
                                                                .getString("nickname")))),
                        () -> "a peer noticed the move: " + peer.seen());
            }
            JsonObject list = grace.request(msg("rooms-subscribe"));
            assertTrue(list.encode().contains("\"name\":\"" + room + "\",\"count\":3"), list::encode);
            for (ProtocolClient c : List.of(back, grace, linus)) c.close();
        }
    }
}
