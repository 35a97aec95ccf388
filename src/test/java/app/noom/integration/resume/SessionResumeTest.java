package app.noom.integration.resume;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.BlinkingProxy;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A network blink: the client comes back with its token and last seq, and nobody else notices. */
@ExtendWith(VertxExtension.class)
class SessionResumeTest {
    private static NoomNode node;
    private static NoomNode quickNode;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        node = NoomNode.start(Map.of());
        quickNode = NoomNode.start(Map.of("RESUME_GRACE_SECONDS", "1"));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        quickNode.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    private ProtocolClient connect(Vertx vertx, int port) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, port);
        clients.add(client);
        return client;
    }

    private static JsonObject resumeHello(String nickname, String token, long lastSeq) {
        return msg("hello")
                .put("version", 1)
                .put("nickname", nickname)
                .put("resume", new JsonObject().put("token", token).put("lastSeq", lastSeq));
    }

    /**
     * The welcome of a resume is lost with its connection: the client still holds only the token it presented. That
     * token keeps opening the session until the client speaks on a resumed connection (then only the new one does).
     */
    @Test
    void aResumeWhoseWelcomeWasLostCanBeRetriedWithTheSameToken(Vertx vertx) {
        try (BlinkingProxy proxy = BlinkingProxy.to(vertx, node.port())) {
            ProtocolClient ada = connect(vertx, proxy.port());
            String token = ada.hello("Ada").getString("resumeToken");
            proxy.cutAll();
            ada.awaitClosed();
            ProtocolClient lost = connect(vertx, proxy.port());
            JsonObject first = lost.request(resumeHello("Ada", token, 1));
            assertTrue(first.getBoolean("resumed"), first::encode);
            proxy.cutAll(); // the client never read that welcome
            lost.awaitClosed();
            ProtocolClient retry = connect(vertx, node.port());
            JsonObject again = retry.request(resumeHello("Ada", token, 1));
            assertTrue(again.getBoolean("resumed"), again::encode);
            assertEquals(ada.sessionId, again.getString("sessionId"), "the same session, not a new one beside a ghost");
            assertEquals(
                    "pong", retry.request(msg("ping")).getString("type")); // speaks on: the presented token is spent
            retry.close();
            ProtocolClient replay = connect(vertx, node.port());
            JsonObject spent = replay.request(resumeHello("Ada", token, 1));
            assertFalse(spent.getBoolean("resumed"), "a token the client has moved past opens nothing");
        }
    }

    @Test
    void blinkIsInvisibleToPeersAndMissedMessagesArriveInOrder(Vertx vertx) {
        String room = "blink-" + System.nanoTime();
        try (BlinkingProxy proxy = BlinkingProxy.to(vertx, node.port())) {
            ProtocolClient ada = connect(vertx, proxy.port());
            String token = ada.hello("Ada").getString("resumeToken");
            ProtocolClient grace = connect(vertx, node.port());
            grace.hello("Grace");
            ada.join(room);
            grace.join(room);
            ada.nextOfType("member-joined");
            long lastSeq = ada.seen().get(ada.seen().size() - 1).getLong("seq");

            proxy.cutAll();
            ada.awaitClosed();
            for (int i = 0; i < 5; i++) {
                assertEquals(
                        "ack",
                        grace.request(msg("chat").put("room", room).put("text", "gap " + i))
                                .getString("type"));
            }
            grace.request(msg("signal")
                    .put("room", room)
                    .put("to", ada.sessionId)
                    .put("kind", "offer")
                    .put("payload", new JsonObject().put("sdp", "during the gap")));

            ProtocolClient back = connect(vertx, proxy.port());
            JsonObject welcome = back.request(resumeHello("Ada", token, lastSeq));
            assertEquals("welcome", welcome.getString("type"));
            assertTrue(welcome.getBoolean("resumed"));
            assertEquals(ada.sessionId, welcome.getString("sessionId"), "same member id after the resume");
            assertNotEquals(token, welcome.getString("resumeToken"), "a token opens one resume only");

            List<JsonObject> replayed = back.seen().stream()
                    .filter(m -> !"welcome".equals(m.getString("type")))
                    .toList();
            for (int i = 0; i < 5; i++) assertEquals("gap " + i, replayed.get(i).getString("text"));
            assertEquals(
                    "during the gap", replayed.get(5).getJsonObject("payload").getString("sdp"));
            long expected = lastSeq + 1;
            for (JsonObject m : back.seen()) assertEquals(expected++, m.getLong("seq"), "seq continues without gaps");

            // still a member: chat flows both ways, and grace never saw a leave or a join
            back.request(msg("chat").put("room", room).put("text", "I'm back"));
            assertEquals(
                    "I'm back",
                    grace.next(m -> "I'm back".equals(m.getString("text"))).getString("text"));
            assertTrue(
                    grace.seen().stream()
                            .noneMatch(m -> "member-left".equals(m.getString("type"))
                                    || "member-joined".equals(m.getString("type"))),
                    () -> "grace saw " + grace.seen());
        }
    }

    @Test
    void unknownTokenStartsAFreshSession(Vertx vertx) {
        ProtocolClient client = connect(vertx, node.port());
        JsonObject welcome = client.request(resumeHello("Ada", "not-a-real-token", 3));
        assertEquals("welcome", welcome.getString("type"));
        assertFalse(welcome.getBoolean("resumed"));
    }

    @Test
    void guessesFromASharedAddressCannotLockOutTheTokenOwner(Vertx vertx) throws Exception {
        // its own node: the throttle is per address, and every test client comes from 127.0.0.1
        try (NoomNode node = NoomNode.start(Map.of());
                BlinkingProxy proxy = BlinkingProxy.to(vertx, node.port())) {
            ProtocolClient victim = connect(vertx, proxy.port());
            String token = victim.hello("Victim").getString("resumeToken");
            proxy.cutAll();
            victim.awaitClosed();
            for (int i = 0; i < 24; i++) {
                ProtocolClient guesser = connect(vertx, node.port());
                assertFalse(
                        guesser.request(resumeHello("Guess", "guess-" + i, 0)).getBoolean("resumed"));
                guesser.close();
            }
            ProtocolClient owner = connect(vertx, node.port());
            assertTrue(
                    owner.request(resumeHello("Victim", token, 1)).getBoolean("resumed"),
                    "guesses from the owner's address (a shared NAT) must not lock the owner of a valid token out");
        }
    }

    @Test
    void membersThatDoNotComeBackLeaveAfterTheGracePeriod(Vertx vertx) {
        String room = "gone-" + System.nanoTime();
        try (BlinkingProxy proxy = BlinkingProxy.to(vertx, quickNode.port())) {
            ProtocolClient ada = connect(vertx, proxy.port());
            ada.hello("Ada");
            ProtocolClient grace = connect(vertx, quickNode.port());
            grace.hello("Grace");
            ada.join(room);
            grace.join(room);
            proxy.cutAll();
            JsonObject left = grace.next(m -> "member-left".equals(m.getString("type")), Duration.ofSeconds(5));
            assertEquals(ada.sessionId, left.getString("memberId"));
        }
    }

    @Test
    void deliberateCloseLeavesAtOnce(Vertx vertx) {
        String room = "bye-" + System.nanoTime();
        ProtocolClient ada = connect(vertx, node.port());
        ada.hello("Ada");
        ProtocolClient grace = connect(vertx, node.port());
        grace.hello("Grace");
        ada.join(room);
        grace.join(room);
        assertEquals("ack", ada.request(msg("bye")).getString("type"));
        assertEquals(1000, ada.awaitClosed());
        assertEquals(
                ada.sessionId,
                grace.next(m -> "member-left".equals(m.getString("type")), Duration.ofSeconds(2))
                        .getString("memberId"));
    }
}
