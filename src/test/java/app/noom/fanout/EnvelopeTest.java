package app.noom.fanout;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {
    private static final String JSON = "{\"type\":\"chat\",\"room\":\"standup\",\"text\":\"a|b\"}";

    private static void assertRoundTrip(Envelope e) {
        assertEquals(e, Envelope.decode(e.encode()), e.encode());
    }

    @ParameterizedTest
    @EnumSource(Envelope.Kind.class)
    void everyKindRoundTrips(Envelope.Kind kind) {
        assertRoundTrip(new Envelope(kind, "standup", "m-3fJ9a0Qk", JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a|b", "|", "||", "|standup", "standup|", "1|2|", "9|", "a|b|c|d|e"})
    void roomContainingSeparatorRoundTrips(String room) {
        assertRoundTrip(new Envelope(Envelope.Kind.MEMBER_JOINED, room, "m-A", JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Café ☕", "日本語の部屋", "🎉🎉 party 👨‍👩‍👧‍👦", "Ünïcødé|😀|", " spaced room "})
    void unicodeRoomRoundTrips(String room) {
        assertRoundTrip(new Envelope(Envelope.Kind.SIGNAL, room, "m-B", JSON));
    }

    @Test
    void emptyRoomRoundTrips() {
        assertRoundTrip(new Envelope(Envelope.Kind.ROOM_CHANGED, "", "m-A", "{}"));
    }

    @Test
    void emptyMemberIdRoundTrips() {
        assertRoundTrip(new Envelope(Envelope.Kind.ROOM_CHANGED, "standup", "", "{\"count\":0}"));
    }

    @Test
    void emptyRoomAndEmptyMemberIdRoundTrip() {
        assertRoundTrip(new Envelope(Envelope.Kind.ROOM_CHANGED, "", "", "{}"));
    }

    @Test
    void jsonContainingSeparatorsAndDigitsRoundTrips() {
        assertRoundTrip(new Envelope(Envelope.Kind.CHAT, "7", "m-A", "|3|abc|{\"x\":\"|||\"}"));
    }

    @Test
    void emptyJsonRoundTrips() {
        assertRoundTrip(new Envelope(Envelope.Kind.MEMBER_LEFT, "r", "m-A", ""));
    }

    @Test
    void longRoomRoundTrips() {
        assertRoundTrip(new Envelope(Envelope.Kind.MEMBER_UPDATED, "x|".repeat(200), "m-A", JSON));
    }

    @Test
    void roomWhoseContentLooksLikeALengthPrefixRoundTrips() {
        assertRoundTrip(new Envelope(Envelope.Kind.CHAT, "3|abc", "m-A", JSON));
    }

    @Test
    void encodedFormIsKindRoomLengthRoomMemberIdJson() {
        assertEquals("0|7|standupm-A|{}", new Envelope(Envelope.Kind.MEMBER_JOINED, "standup", "m-A", "{}").encode());
    }
}
