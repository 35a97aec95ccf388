package app.noom.integration.errors;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import app.noom.integration.support.WebSocketTestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error code, provoked by a misbehaving client sharing a room with a bystander: the offender gets the typed
 * error, and the bystander's conversation goes on untouched.
 */
@ExtendWith(VertxExtension.class)
class BadInputTest {
    private static final int MAX_MEMBERS = 3;
    private static final int MAX_ROOMS = 2;
    private static NoomNode node;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeAll
    static void startNode() {
        node = NoomNode.start(Map.of(
                "MAX_MEMBERS_PER_ROOM",
                String.valueOf(MAX_MEMBERS),
                "MAX_ROOMS_PER_SESSION",
                String.valueOf(MAX_ROOMS),
                "HELLO_TIMEOUT_SECONDS",
                "1"));
    }

    @AfterAll
    static void stopNode() throws Exception {
        node.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ProtocolClient::close);
    }

    private ProtocolClient connect(Transport transport, Vertx vertx) {
        ProtocolClient client = transport.connect(vertx, node.port());
        clients.add(client);
        return client;
    }

    static Stream<Arguments> badFrames() {
        String room = "shared";
        return Stream.of(Transport.values())
                .flatMap(t -> Stream.of(
                        Arguments.of(t, "{not json", "malformed_json"),
                        Arguments.of(t, "[1,2,3]", "malformed_json"),
                        Arguments.of(t, "{\"type\":\"ping\",\"type\":\"chat\"}", "malformed_json"),
                        Arguments.of(t, "{\"type\":\"teleport\",\"id\":1}", "unknown_type"),
                        Arguments.of(t, "{\"id\":1}", "unknown_type"),
                        Arguments.of(t, "{\"type\":\"join\",\"id\":1,\"room\":42}", "invalid_message"),
                        Arguments.of(t, "{\"type\":\"ping\",\"id\":1.5}", "invalid_message"),
                        Arguments.of(
                                t,
                                "{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"again\"}",
                                "already_hello"),
                        Arguments.of(
                                t, "{\"type\":\"nickname\",\"id\":1,\"nickname\":\"bad\\u0000name\"}", "bad_nickname"),
                        Arguments.of(
                                t,
                                "{\"type\":\"nickname\",\"id\":1,\"nickname\":\"" + "x".repeat(33) + "\"}",
                                "bad_nickname"),
                        Arguments.of(t, "{\"type\":\"join\",\"id\":1,\"room\":\"   \"}", "bad_room_name"),
                        Arguments.of(
                                t, "{\"type\":\"join\",\"id\":1,\"room\":\"" + "r".repeat(65) + "\"}", "bad_room_name"),
                        Arguments.of(t, "{\"type\":\"join\",\"id\":1,\"room\":\"a\\u202Eb\"}", "bad_room_name"),
                        Arguments.of(t, "{\"type\":\"join\",\"id\":1,\"room\":\"" + room + "\"}", "already_in_room"),
                        Arguments.of(
                                t,
                                "{\"type\":\"chat\",\"id\":1,\"room\":\"elsewhere\",\"text\":\"hi\"}",
                                "not_in_room"),
                        Arguments.of(t, "{\"type\":\"leave\",\"id\":1,\"room\":\"elsewhere\"}", "not_in_room"),
                        Arguments.of(
                                t,
                                "{\"type\":\"chat\",\"id\":1,\"room\":\"" + room + "\",\"text\":\"" + "c".repeat(2001)
                                        + "\"}",
                                "chat_too_long"),
                        Arguments.of(
                                t,
                                "{\"type\":\"signal\",\"id\":1,\"room\":\"" + room
                                        + "\",\"to\":\"m-nobody\",\"kind\":\"offer\"," + "\"payload\":{}}",
                                "unknown_member"),
                        Arguments.of(
                                t,
                                "{\"type\":\"signal\",\"id\":1,\"room\":\"" + room
                                        + "\",\"to\":\"m-x\",\"kind\":\"hack\"," + "\"payload\":{}}",
                                "bad_signal"),
                        Arguments.of(
                                t,
                                "{\"type\":\"signal\",\"id\":1,\"room\":\"" + room
                                        + "\",\"to\":\"m-x\",\"kind\":\"offer\"," + "\"payload\":\"sdp\"}",
                                "bad_signal"),
                        Arguments.of(
                                t,
                                "{\"type\":\"ping\",\"id\":1,\"pad\":\"" + "p".repeat(70_000) + "\"}",
                                "frame_too_large")));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badFrames")
    void badFrameGetsTypedErrorAndBystanderKeepsTalking(Transport transport, String frame, String code, Vertx vertx) {
        String room = "shared-" + System.nanoTime();
        String realFrame = frame.replace("\"shared\"", "\"" + room + "\"");
        ProtocolClient bystander = connect(transport, vertx);
        ProtocolClient partner = connect(transport, vertx);
        ProtocolClient offender = connect(transport, vertx);
        bystander.hello("Bystander");
        partner.hello("Partner");
        offender.hello("Offender");
        bystander.join(room);
        partner.join(room);
        offender.join(room);

        offender.sendText(realFrame);
        JsonObject error = offender.nextOfType("error");
        assertEquals(code, error.getString("code"), error::encode);
        assertNotNull(error.getString("message"));
        if (!code.equals("malformed_json") && !code.equals("frame_too_large") && !realFrame.contains("1.5")) {
            assertEquals(1L, ((Number) error.getValue("re")).longValue(), "error echoes the request id");
        }

        partner.request(msg("chat").put("room", room).put("text", "still here"));
        assertEquals("still here", bystander.nextOfType("chat").getString("text"));
        assertEquals("pong", offender.request(msg("ping")).getString("type"), "the offender's session survives");
        assertTrue(
                bystander.seen().stream()
                        .noneMatch(m ->
                                "error".equals(m.getString("type")) || offender.sessionId.equals(m.getString("from"))),
                () -> "bystander saw " + bystander.seen());
    }

    @Test
    void messagesBeforeHelloAreRefused(Vertx vertx) {
        ProtocolClient client = connect(Transport.WEBSOCKET, vertx);
        client.expectError(msg("join").put("room", "x"), "hello_required");
        client.expectError(msg("hello").put("version", 2).put("nickname", "Ada"), "unsupported_version");
        client.hello("Ada");
    }

    @Test
    void binaryFramesAreRefused(Vertx vertx) {
        WebSocketTestClient client = WebSocketTestClient.connect(vertx, node.port());
        clients.add(client);
        client.hello("Ada");
        client.sendBinary(new byte[] {1, 2, 3});
        assertEquals("binary_not_supported", client.nextOfType("error").getString("code"));
    }

    @Test
    void fullRoomRefusesTheNextMember(Vertx vertx) {
        String room = "full-" + System.nanoTime();
        for (int i = 0; i < MAX_MEMBERS; i++) {
            ProtocolClient member = connect(Transport.WEBSOCKET, vertx);
            member.hello("member" + i);
            member.join(room);
        }
        ProtocolClient late = connect(Transport.WEBSOCKET, vertx);
        late.hello("Late");
        late.expectError(msg("join").put("room", room), "room_full");
        late.join("other-" + System.nanoTime()); // the refusal did not count against its rooms
    }

    @Test
    void sessionRoomLimitIsEnforced(Vertx vertx) {
        ProtocolClient client = connect(Transport.WEBSOCKET, vertx);
        client.hello("Collector");
        for (int i = 0; i < MAX_ROOMS; i++) client.join("collect-" + i + "-" + System.nanoTime());
        client.expectError(msg("join").put("room", "one-too-many"), "too_many_rooms");
    }

    @Test
    void nodeRefusesNewRoomsBeyondItsLimitButStillAdmitsToExistingOnes(Vertx vertx) throws Exception {
        try (NoomNode small = NoomNode.start(Map.of("MAX_ROOMS_PER_NODE", "2"))) {
            ProtocolClient a = WebSocketTestClient.connect(vertx, small.port());
            ProtocolClient b = WebSocketTestClient.connect(vertx, small.port());
            clients.add(a);
            clients.add(b);
            a.hello("A");
            b.hello("B");
            a.join("first");
            a.join("second");
            b.expectError(msg("join").put("room", "third"), "node_full");
            b.join("first");
        }
    }

    @Test
    void silentConnectionIsClosedAfterHelloTimeout(Vertx vertx) {
        ProtocolClient silent = connect(Transport.WEBSOCKET, vertx);
        assertEquals(4001, silent.awaitClosed());
    }

    @Test
    void frameAboveTransportCeilingClosesWith1009(Vertx vertx) {
        WebSocketTestClient client = WebSocketTestClient.connect(vertx, node.port());
        clients.add(client);
        client.hello("Big");
        client.sendText("{\"type\":\"ping\",\"pad\":\"" + "p".repeat(300_000) + "\"}");
        assertEquals(1009, client.awaitClosed());
    }
}
