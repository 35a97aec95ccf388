package app.noom.protocol;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every error code the parser produces, and the request id it carries. */
class MessageParserRefusalTest {
    private static final int MAX_FRAME = 65_536;
    private final MessageParser parser = new MessageParser(MAX_FRAME, 32, 64, 2_000);

    private ProtocolException refused(String frame, ErrorCode expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> parser.parse(frame), frame);
        assertEquals(expected, e.code(), () -> "frame " + abbreviate(frame) + " -> " + e.getMessage());
        return e;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    @Nested
    class MalformedJson {
        @ParameterizedTest
        @ValueSource(strings = {"not json", "{", "{\"type\":\"ping\",}", "{'type':'ping'}", "", "   "})
        void invalidJsonIsRefusedAsMalformedJson(String frame) {
            assertNull(refused(frame, ErrorCode.MALFORMED_JSON).requestId());
        }

        @ParameterizedTest
        @ValueSource(strings = {"[{\"type\":\"ping\"}]", "\"ping\"", "42", "true", "null", "[]"})
        void nonObjectJsonIsRefusedAsMalformedJson(String frame) {
            refused(frame, ErrorCode.MALFORMED_JSON);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "{\"type\":\"ping\"} x",
                    "{\"type\":\"ping\"}{}",
                    "{\"type\":\"ping\"}{\"type\":\"ping\"}",
                    "{\"type\":\"ping\"} 1",
                    "{\"type\":\"ping\"}]"
                })
        void trailingGarbageAfterTheObjectIsRefusedAsMalformedJson(String frame) {
            refused(frame, ErrorCode.MALFORMED_JSON);
        }

        @Test
        void duplicateKeyIsRefusedAsMalformedJson() {
            refused("{\"type\":\"ping\",\"type\":\"hello\"}", ErrorCode.MALFORMED_JSON);
        }

        @Test
        void duplicateIdIsRefusedAsMalformedJson() {
            refused("{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}", ErrorCode.MALFORMED_JSON);
        }

        @Test
        void duplicateFromInSignalIsRefusedAsMalformedJson() {
            refused(
                    "{\"type\":\"signal\",\"room\":\"r\",\"to\":\"m-B\",\"from\":\"m-A\",\"from\":\"m-C\","
                            + "\"kind\":\"offer\",\"payload\":{}}",
                    ErrorCode.MALFORMED_JSON);
        }

        @Test
        void duplicateKeyInsideANestedPayloadIsRefusedAsMalformedJson() {
            refused(
                    "{\"type\":\"signal\",\"room\":\"r\",\"to\":\"m-B\",\"kind\":\"offer\","
                            + "\"payload\":{\"sdp\":\"a\",\"sdp\":\"b\"}}",
                    ErrorCode.MALFORMED_JSON);
        }

        @Test
        void jsonCommentsAreRefusedAsMalformedJson() {
            refused("{\"type\":\"ping\" /* hi */}", ErrorCode.MALFORMED_JSON);
        }
    }

    @Nested
    class FrameTooLarge {
        /** {"type":"ping","pad":"<pad>"} padded with ASCII so that its UTF-8 length is exactly {@code bytes}. */
        private String pingOfUtf8Bytes(int bytes, String multibyte, int count) {
            String prefix = "{\"type\":\"ping\",\"pad\":\"";
            String suffix = "\"}";
            String mb = multibyte.repeat(count);
            int used = (prefix + mb + suffix).getBytes(StandardCharsets.UTF_8).length;
            String frame = prefix + mb + "a".repeat(bytes - used) + suffix;
            assertEquals(bytes, frame.getBytes(StandardCharsets.UTF_8).length);
            return frame;
        }

        @Test
        void asciiFrameOfExactlyTheLimitIsAccepted() {
            assertInstanceOf(ClientMessage.Ping.class, parser.parse(pingOfUtf8Bytes(MAX_FRAME, "", 0)));
        }

        @Test
        void asciiFrameOneByteOverTheLimitIsRefused() {
            refused(pingOfUtf8Bytes(MAX_FRAME + 1, "", 0), ErrorCode.FRAME_TOO_LARGE);
        }

        @Test
        void twoByteCharactersAreCountedAsTwoBytes() {
            assertInstanceOf(ClientMessage.Ping.class, parser.parse(pingOfUtf8Bytes(MAX_FRAME, "é", 1_000)));
            refused(pingOfUtf8Bytes(MAX_FRAME + 1, "é", 1_000), ErrorCode.FRAME_TOO_LARGE);
        }

        @Test
        void threeByteCharactersAreCountedAsThreeBytes() {
            assertInstanceOf(ClientMessage.Ping.class, parser.parse(pingOfUtf8Bytes(MAX_FRAME, "€", 1_000)));
            refused(pingOfUtf8Bytes(MAX_FRAME + 1, "€", 1_000), ErrorCode.FRAME_TOO_LARGE);
        }

        @Test
        void emojiOutsideTheBmpIsCountedAsFourBytes() {
            // 1,000 emoji = 4,000 UTF-8 bytes; a frame of exactly the limit must still pass
            assertInstanceOf(ClientMessage.Ping.class, parser.parse(pingOfUtf8Bytes(MAX_FRAME, "😀", 1_000)));
            refused(pingOfUtf8Bytes(MAX_FRAME + 1, "😀", 1_000), ErrorCode.FRAME_TOO_LARGE);
        }

        @Test
        void singleEmojiFrameAtTheLimitIsAccepted() {
            assertInstanceOf(ClientMessage.Ping.class, parser.parse(pingOfUtf8Bytes(MAX_FRAME, "😀", 1)));
        }

        @Test
        void frameUnderTheLimitInCharactersButOverItInBytesIsRefused() {
            String frame = "{\"type\":\"ping\",\"pad\":\"" + "€".repeat(30_000) + "\"}";
            assertTrue(frame.length() < MAX_FRAME);
            refused(frame, ErrorCode.FRAME_TOO_LARGE);
        }

        @Test
        void oversizedFrameIsRefusedBeforeItsJsonIsRead() {
            ProtocolException e = refused(
                    "{\"id\":\"c1\",\"x\":\"" + "a".repeat(MAX_FRAME) + "  not json", ErrorCode.FRAME_TOO_LARGE);
            assertNull(e.requestId());
        }

        @Test
        void smallerConfiguredLimitIsHonoured() {
            MessageParser small = new MessageParser(1_024, 32, 64, 2_000);
            assertInstanceOf(ClientMessage.Ping.class, small.parse(pingOfUtf8Bytes(1_024, "😀", 10)));
            ProtocolException e =
                    assertThrows(ProtocolException.class, () -> small.parse(pingOfUtf8Bytes(1_025, "😀", 10)));
            assertEquals(ErrorCode.FRAME_TOO_LARGE, e.code());
        }
    }

    @Nested
    class UnknownType {
        @Test
        void missingTypeIsRefusedAsUnknownTypeWithTheRequestId() {
            assertEquals(
                    "c1", refused("{\"id\":\"c1\"}", ErrorCode.UNKNOWN_TYPE).requestId());
        }

        @Test
        void emptyObjectIsRefusedAsUnknownType() {
            assertNull(refused("{}", ErrorCode.UNKNOWN_TYPE).requestId());
        }

        @Test
        void unlistedTypeIsRefusedAsUnknownType() {
            assertEquals(
                    4L,
                    refused("{\"type\":\"teleport\",\"id\":4}", ErrorCode.UNKNOWN_TYPE)
                            .requestId());
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "null", "true", "[\"ping\"]", "{\"t\":\"ping\"}"})
        void nonStringTypeIsRefusedAsUnknownType(String type) {
            refused("{\"type\":" + type + ",\"id\":\"c1\"}", ErrorCode.UNKNOWN_TYPE);
        }

        @Test
        void typeIsCaseSensitive() {
            refused("{\"type\":\"PING\"}", ErrorCode.UNKNOWN_TYPE);
        }

        @Test
        void serverOnlyTypeIsRefusedAsUnknownType() {
            refused("{\"type\":\"welcome\"}", ErrorCode.UNKNOWN_TYPE);
        }
    }

    @Nested
    class InvalidMessage {
        @ParameterizedTest
        @ValueSource(strings = {"\"\"", "1.5", "1.0", "{}", "{\"a\":1}", "[1]", "true", "99999999999999999999"})
        void badIdShapeIsRefusedAsInvalidMessageWithoutRequestId(String id) {
            assertNull(refused("{\"type\":\"ping\",\"id\":" + id + "}", ErrorCode.INVALID_MESSAGE)
                    .requestId());
        }

        @Test
        void sixtyFiveCharacterIdIsRefusedAsInvalidMessage() {
            assertNull(refused("{\"type\":\"ping\",\"id\":\"" + "x".repeat(65) + "\"}", ErrorCode.INVALID_MESSAGE)
                    .requestId());
        }

        @Test
        void badIdIsRefusedEvenWhenTypeIsMissing() {
            refused("{\"id\":{}}", ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void nullIdIsTreatedAsAbsent() {
            assertNull(parser.parse("{\"type\":\"ping\",\"id\":null}").id());
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "null", "true", "[\"standup\"]", "{\"name\":\"standup\"}"})
        void roomOfTheWrongJsonTypeIsRefusedAsInvalidMessage(String room) {
            assertEquals(
                    "c3",
                    refused("{\"type\":\"join\",\"id\":\"c3\",\"room\":" + room + "}", ErrorCode.INVALID_MESSAGE)
                            .requestId());
        }

        @Test
        void missingRoomIsRefusedAsInvalidMessage() {
            refused("{\"type\":\"leave\",\"id\":\"c8\"}", ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void nicknameOfTheWrongJsonTypeIsRefusedAsInvalidMessage() {
            refused("{\"type\":\"nickname\",\"id\":\"c5\",\"nickname\":7}", ErrorCode.INVALID_MESSAGE);
            refused(
                    "{\"type\":\"hello\",\"id\":\"c1\",\"version\":1,\"nickname\":[\"Ada\"]}",
                    ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void helloWithoutNicknameIsRefusedAsInvalidMessage() {
            assertEquals(
                    "c1",
                    refused("{\"type\":\"hello\",\"id\":\"c1\",\"version\":1}", ErrorCode.INVALID_MESSAGE)
                            .requestId());
        }

        @Test
        void mediaFlagAsStringIsRefusedAsInvalidMessage() {
            refused(
                    "{\"type\":\"media\",\"id\":\"c6\",\"room\":\"r\",\"audioMuted\":\"true\",\"videoOff\":false,\"screen\":false}",
                    ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void mediaWithAMissingFlagIsRefusedAsInvalidMessage() {
            refused(
                    "{\"type\":\"media\",\"id\":\"c6\",\"room\":\"r\",\"audioMuted\":true,\"videoOff\":false}",
                    ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void chatTextOfTheWrongJsonTypeIsRefusedAsInvalidMessage() {
            refused("{\"type\":\"chat\",\"id\":\"c10\",\"room\":\"r\",\"text\":42}", ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void signalWithoutRecipientIsRefusedAsInvalidMessage() {
            refused(
                    "{\"type\":\"signal\",\"id\":\"c7\",\"room\":\"r\",\"kind\":\"offer\",\"payload\":{}}",
                    ErrorCode.INVALID_MESSAGE);
            refused(
                    "{\"type\":\"signal\",\"id\":\"c7\",\"room\":\"r\",\"to\":5,\"kind\":\"offer\",\"payload\":{}}",
                    ErrorCode.INVALID_MESSAGE);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "\"tok\"",
                    "{\"token\":\"tok\"}",
                    "{\"lastSeq\":3}",
                    "{\"token\":5,\"lastSeq\":3}",
                    "{\"token\":\"tok\",\"lastSeq\":\"3\"}"
                })
        void malformedResumeIsRefusedAsInvalidMessage(String resume) {
            refused(
                    "{\"type\":\"hello\",\"id\":\"c1\",\"version\":1,\"nickname\":\"Ada\",\"resume\":" + resume + "}",
                    ErrorCode.INVALID_MESSAGE);
        }
    }

    @Nested
    class UnsupportedVersion {
        @ParameterizedTest
        @ValueSource(strings = {"2", "0", "1.5"})
        void helloWithAnotherVersionIsRefusedAsUnsupportedVersion(String version) {
            ProtocolException e = refused(
                    "{\"type\":\"hello\",\"id\":\"c1\",\"version\":" + version + ",\"nickname\":\"Ada\"}",
                    ErrorCode.UNSUPPORTED_VERSION);
            assertEquals("c1", e.requestId());
        }

        /** A version that is not a number is a malformed hello, not another protocol (issue 10, item 8). */
        @ParameterizedTest
        @ValueSource(strings = {"\"1\"", "null", "{}"})
        void helloWithANonNumericVersionIsInvalid(String version) {
            refused(
                    "{\"type\":\"hello\",\"id\":\"c1\",\"version\":" + version + ",\"nickname\":\"Ada\"}",
                    ErrorCode.INVALID_MESSAGE);
        }

        @Test
        void helloWithoutVersionIsInvalid() {
            refused("{\"type\":\"hello\",\"id\":\"c1\",\"nickname\":\"Ada\"}", ErrorCode.INVALID_MESSAGE);
        }
    }

    @Nested
    class BadNickname {
        private void badNickname(String jsonString) {
            ProtocolException e = refused(
                    "{\"type\":\"nickname\",\"id\":\"c5\",\"nickname\":" + jsonString + "}", ErrorCode.BAD_NICKNAME);
            assertEquals("c5", e.requestId());
            refused(
                    "{\"type\":\"hello\",\"id\":1,\"version\":1,\"nickname\":" + jsonString + "}",
                    ErrorCode.BAD_NICKNAME);
        }

        @Test
        void nicknameEmptyAfterTrimIsRefused() {
            badNickname("\"\"");
            badNickname("\"   \"");
            badNickname("\"\\t\\n \"");
        }

        @Test
        void nicknameOfThirtyThreeCodePointsIsRefused() {
            badNickname("\"" + "a".repeat(33) + "\"");
            badNickname("\"" + "😀".repeat(33) + "\"");
        }

        @Test
        void nicknameOfThirtyTwoEmojiIsAccepted() {
            String nick = "😀".repeat(32); // 64 UTF-16 units, 32 code points
            assertEquals(
                    new ClientMessage.NicknameChange("c5", nick),
                    parser.parse("{\"type\":\"nickname\",\"id\":\"c5\",\"nickname\":\"" + nick + "\"}"));
        }

        @Test
        void nicknameWithControlCharacterIsRefused() {
            badNickname("\"Ada\\u0007\"");
            badNickname("\"A\\nda\"");
            badNickname("\"A\\u0000da\"");
            badNickname("\"A\\u007fda\"");
            badNickname("\"A\\u0085da\"");
        }

        @Test
        void nicknameWithBidiOverrideIsRefused() {
            badNickname("\"\\u202Eevil\"");
            badNickname("\"Ada\\u202D\"");
            badNickname("\"Ada\\u2067x\"");
            badNickname("\"Ada\\u200Fx\"");
            badNickname("\"Ada\\u2028x\"");
        }
    }

    @Nested
    class BadRoomName {
        private void badRoom(String jsonString) {
            ProtocolException e =
                    refused("{\"type\":\"join\",\"id\":\"c3\",\"room\":" + jsonString + "}", ErrorCode.BAD_ROOM_NAME);
            assertEquals("c3", e.requestId());
        }

        @Test
        void roomEmptyAfterTrimIsRefused() {
            badRoom("\"\"");
            badRoom("\"  \\t \"");
        }

        @Test
        void roomOfSixtyFiveCodePointsIsRefused() {
            badRoom("\"" + "r".repeat(65) + "\"");
            badRoom("\"" + "日".repeat(65) + "\"");
        }

        @Test
        void roomOfSixtyFourEmojiIsAccepted() {
            String room = "🎉".repeat(64);
            assertEquals(
                    new ClientMessage.Join("c3", room),
                    parser.parse("{\"type\":\"join\",\"id\":\"c3\",\"room\":\"" + room + "\"}"));
        }

        @Test
        void roomWithSlashIsRefused() {
            badRoom("\"team/standup\"");
            badRoom("\"/\"");
        }

        @Test
        void roomWithControlCharacterIsRefused() {
            badRoom("\"x\\u0007\"");
            badRoom("\"stand\\rup\"");
        }

        @Test
        void roomWithBidiOverrideIsRefused() {
            badRoom("\"\\u202Epudnats\"");
            badRoom("\"room\\u2066x\"");
        }

        @Test
        void everyMessageNamingARoomValidatesIt() {
            refused("{\"type\":\"leave\",\"room\":\"a/b\"}", ErrorCode.BAD_ROOM_NAME);
            refused(
                    "{\"type\":\"media\",\"room\":\"a/b\",\"audioMuted\":true,\"videoOff\":false,\"screen\":false}",
                    ErrorCode.BAD_ROOM_NAME);
            refused("{\"type\":\"chat\",\"room\":\"a/b\",\"text\":\"hi\"}", ErrorCode.BAD_ROOM_NAME);
            refused(
                    "{\"type\":\"signal\",\"room\":\"a/b\",\"to\":\"m-B\",\"kind\":\"offer\",\"payload\":{}}",
                    ErrorCode.BAD_ROOM_NAME);
        }
    }

    @Nested
    class ChatTooLong {
        private String chat(String text) {
            return "{\"type\":\"chat\",\"id\":\"c10\",\"room\":\"standup\",\"text\":\"" + text + "\"}";
        }

        @Test
        void chatOfTwoThousandCharactersIsAccepted() {
            String text = "a".repeat(2_000);
            assertEquals(new ClientMessage.Chat("c10", "standup", text), parser.parse(chat(text)));
        }

        @Test
        void chatOfTwoThousandAndOneCharactersIsRefused() {
            assertEquals(
                    "c10",
                    refused(chat("a".repeat(2_001)), ErrorCode.CHAT_TOO_LONG).requestId());
        }

        @Test
        void chatLengthIsCountedInCodePointsLikeNicknamesAndRooms() {
            String text = "😀".repeat(2_000); // 2,000 characters, 4,000 UTF-16 units
            assertEquals(new ClientMessage.Chat("c10", "standup", text), parser.parse(chat(text)));
            refused(chat("😀".repeat(2_001)), ErrorCode.CHAT_TOO_LONG);
        }

        @Test
        void chatEmptyAfterTrimIsRefused() {
            refused(chat(""), ErrorCode.CHAT_TOO_LONG);
            refused(chat("  \\n\\t "), ErrorCode.CHAT_TOO_LONG);
        }
    }

    @Nested
    class BadSignal {
        private String signal(String kindAndPayload) {
            return "{\"type\":\"signal\",\"id\":\"c7\",\"room\":\"standup\",\"to\":\"m-B\"," + kindAndPayload + "}";
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"bye\"", "\"OFFER\"", "\"\"", "42", "null", "{}"})
        void unknownKindIsRefusedAsBadSignal(String kind) {
            assertEquals(
                    "c7",
                    refused(signal("\"kind\":" + kind + ",\"payload\":{}"), ErrorCode.BAD_SIGNAL)
                            .requestId());
        }

        @Test
        void missingKindIsRefusedAsBadSignal() {
            refused(signal("\"payload\":{}"), ErrorCode.BAD_SIGNAL);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"v=0\"", "[]", "[{}]", "42", "null", "true"})
        void nonObjectPayloadIsRefusedAsBadSignal(String payload) {
            assertEquals(
                    "c7",
                    refused(signal("\"kind\":\"offer\",\"payload\":" + payload), ErrorCode.BAD_SIGNAL)
                            .requestId());
        }

        @Test
        void missingPayloadIsRefusedAsBadSignal() {
            refused(signal("\"kind\":\"candidate\""), ErrorCode.BAD_SIGNAL);
        }
    }

    @Nested
    class RequestId {
        @Test
        void stringRequestIdIsCarriedOnTheException() {
            assertEquals(
                    "abc",
                    refused("{\"type\":\"join\",\"id\":\"abc\",\"room\":\"\"}", ErrorCode.BAD_ROOM_NAME)
                            .requestId());
        }

        @Test
        void integerRequestIdIsCarriedOnTheExceptionAsLong() {
            assertEquals(
                    12L,
                    refused("{\"type\":\"join\",\"id\":12,\"room\":\"\"}", ErrorCode.BAD_ROOM_NAME)
                            .requestId());
        }

        @Test
        void messageWithoutIdHasNoRequestId() {
            assertNull(refused("{\"type\":\"join\",\"room\":\"\"}", ErrorCode.BAD_ROOM_NAME)
                    .requestId());
        }

        @Test
        void unreadableFrameHasNoRequestId() {
            assertNull(refused("{\"id\":\"c1\",", ErrorCode.MALFORMED_JSON).requestId());
        }
    }
}
