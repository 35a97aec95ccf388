package app.noom.protocol;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every client message type parses to the right record with the right, cleaned fields. */
class MessageParserTest {
    private final MessageParser parser = new MessageParser(65_536, 32, 64, 2_000);

    @Test
    void helloParsesToHelloWithTrimmedNickname() {
        ClientMessage m = parser.parse("{\"type\":\"hello\",\"id\":\"c1\",\"version\":1,\"nickname\":\"  Ada  \"}");
        assertEquals(new ClientMessage.Hello("c1", "Ada", Optional.empty()), m);
        assertEquals(app.noom.protocol.MessageType.HELLO, m.type());
    }

    @Test
    void helloWithResumeCarriesTokenAndLastSeqButHidesTokenInToString() {
        ClientMessage m = parser.parse("{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":\"Ada\","
                + "\"resume\":{\"token\":\"tok-SECRET-123\",\"lastSeq\":41}}");
        ClientMessage.Hello hello = assertInstanceOf(ClientMessage.Hello.class, m);
        ClientMessage.ResumeRequest resume = hello.resume().orElseThrow();
        assertEquals("tok-SECRET-123", resume.token());
        assertEquals(41L, resume.lastSeq());
        assertFalse(hello.toString().contains("tok-SECRET-123"), hello.toString());
    }

    @Test
    void pingParsesToPing() {
        assertEquals(new ClientMessage.Ping("c9"), parser.parse("{\"type\":\"ping\",\"id\":\"c9\"}"));
    }

    @Test
    void messageWithoutIdParsesWithNullId() {
        assertEquals(new ClientMessage.Ping(null), parser.parse("{\"type\":\"ping\"}"));
    }

    @Test
    void integerIdIsReadAsLong() {
        ClientMessage m = parser.parse("{\"type\":\"ping\",\"id\":7}");
        assertEquals(7L, m.id());
        assertEquals(
                9_000_000_000L,
                parser.parse("{\"type\":\"ping\",\"id\":9000000000}").id());
        assertEquals(-3L, parser.parse("{\"type\":\"ping\",\"id\":-3}").id());
    }

    @Test
    void idOfSixtyFourCharactersIsAccepted() {
        String id = "x".repeat(64);
        assertEquals(
                id, parser.parse("{\"type\":\"ping\",\"id\":\"" + id + "\"}").id());
    }

    @Test
    void oneCharacterIdIsAccepted() {
        assertEquals("a", parser.parse("{\"type\":\"ping\",\"id\":\"a\"}").id());
    }

    @Test
    void nicknameParsesToNicknameChange() {
        assertEquals(
                new ClientMessage.NicknameChange("c5", "Ada L."),
                parser.parse("{\"type\":\"nickname\",\"id\":\"c5\",\"nickname\":\"Ada L.\"}"));
    }

    @Test
    void roomsSubscribeAndUnsubscribeParse() {
        assertEquals(
                new ClientMessage.RoomsSubscribe("c2"), parser.parse("{\"type\":\"rooms-subscribe\",\"id\":\"c2\"}"));
        assertEquals(new ClientMessage.RoomsUnsubscribe(3L), parser.parse("{\"type\":\"rooms-unsubscribe\",\"id\":3}"));
    }

    @Test
    void joinParsesWithTrimmedRoomName() {
        assertEquals(
                new ClientMessage.Join("c3", "standup"),
                parser.parse("{\"type\":\"join\",\"id\":\"c3\",\"room\":\"  standup \"}"));
    }

    @Test
    void leaveParsesToLeave() {
        assertEquals(
                new ClientMessage.Leave("c8", "standup"),
                parser.parse("{\"type\":\"leave\",\"id\":\"c8\",\"room\":\"standup\"}"));
    }

    @Test
    void mediaParsesAllThreeFlags() {
        assertEquals(
                new ClientMessage.Media("c6", "standup", new MediaState(true, false, true)),
                parser.parse("{\"type\":\"media\",\"id\":\"c6\",\"room\":\"standup\",\"audioMuted\":true,"
                        + "\"videoOff\":false,\"screen\":true}"));
    }

    @Test
    void signalParsesEveryKind() {
        for (SignalKind kind : SignalKind.values()) {
            ClientMessage m =
                    parser.parse("{\"type\":\"signal\",\"id\":\"c7\",\"room\":\"standup\",\"to\":\"m-B\",\"kind\":\""
                            + kind.wire() + "\",\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
            assertEquals(
                    new ClientMessage.Signal(
                            "c7", "standup", "m-B", kind, new RawJson("{\"type\":\"offer\",\"sdp\":\"v=0\"}")),
                    m);
        }
    }

    @Test
    void signalPayloadIsTheClientsExactTextSpanNestedAndEscapedAlike() {
        String payload = "{ \"sdp\" : \"v=0\\r\\na=\\\"x\\\"}\", \"n\":[1,{\"d\":{}}], \"u\":\"\\u00e9\" }";
        ClientMessage.Signal s = assertInstanceOf(
                ClientMessage.Signal.class,
                parser.parse("{\"type\":\"signal\",\"payload\":" + payload
                        + ",\"room\":\"r\",\"to\":\"m-B\",\"kind\":\"offer\"}"));
        assertEquals(payload, s.payload().text());
        assertEquals("v=0\r\na=\"x\"}", new JsonObject(s.payload().text()).getString("sdp"));
    }

    @Test
    void brokenOrDuplicatedKeysInsideAPayloadAreStillMalformedJson() {
        for (String payload : new String[] {"{\"a\":1,\"a\":2}", "{\"a\":}", "{\"a\":[1,2}"}) {
            app.noom.protocol.ProtocolException e = assertThrows(
                    app.noom.protocol.ProtocolException.class,
                    () -> parser.parse(
                            "{\"type\":\"signal\",\"room\":\"r\",\"to\":\"m-B\",\"kind\":\"offer\",\"payload\":"
                                    + payload + "}"));
            assertEquals(app.noom.protocol.ErrorCode.MALFORMED_JSON, e.code(), payload);
        }
    }

    @Test
    void signalAcceptsEmptyObjectPayload() {
        ClientMessage.Signal s = assertInstanceOf(
                ClientMessage.Signal.class,
                parser.parse(
                        "{\"type\":\"signal\",\"room\":\"r\",\"to\":\"m-B\",\"kind\":\"renegotiate\",\"payload\":{}}"));
        assertTrue(new JsonObject(s.payload().text()).isEmpty());
    }

    @Test
    void clientSuppliedFromInSignalAppearsNowhereInTheParsedRecord() {
        ClientMessage m = parser.parse("{\"type\":\"signal\",\"id\":\"c7\",\"room\":\"standup\",\"to\":\"m-B\","
                + "\"from\":\"m-IMPOSTOR\",\"kind\":\"offer\",\"payload\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}");
        ClientMessage.Signal s = assertInstanceOf(ClientMessage.Signal.class, m);
        assertFalse(s.toString().contains("m-IMPOSTOR"), s.toString());
        assertFalse(new JsonObject(s.payload().text()).containsKey("from"));
        assertFalse(s.payload().text().contains("m-IMPOSTOR"));
        assertEquals("m-B", s.to());
    }

    @Test
    void chatParsesWithTrimmedTextAndKeepsMarkupAndNewlines() {
        assertEquals(
                new ClientMessage.Chat("c10", "standup", "hello <b>all</b>\nbye"),
                parser.parse(
                        "{\"type\":\"chat\",\"id\":\"c10\",\"room\":\"standup\",\"text\":\"  hello <b>all</b>\\nbye \"}"));
    }

    @Test
    void unknownExtraFieldsAreIgnored() {
        assertEquals(
                new ClientMessage.Ping("c1"),
                parser.parse("{\"type\":\"ping\",\"id\":\"c1\",\"extra\":[1,{\"a\":2}]}"));
    }

    @Test
    void whitespaceAroundTheObjectIsAccepted() {
        assertEquals(new ClientMessage.Ping("c1"), parser.parse("  \n{\"type\":\"ping\",\"id\":\"c1\"}\n "));
    }
}
