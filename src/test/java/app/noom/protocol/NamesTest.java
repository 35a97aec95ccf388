package app.noom.protocol;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    private static void badNickname(String raw) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Names.nickname(raw, 32), raw);
        assertEquals(ErrorCode.BAD_NICKNAME, e.code());
    }

    private static void badRoom(String raw) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Names.room(raw, 64), raw);
        assertEquals(ErrorCode.BAD_ROOM_NAME, e.code());
    }

    @Test
    void nicknameIsTrimmed() {
        assertEquals("Ada", Names.nickname("  Ada \t", 32));
    }

    @Test
    void nicknameIsTrimmedOfUnicodeSpaces() {
        assertEquals("Ada", Names.nickname("\u2003Ada\u2002", 32));
    }

    @Test
    void innerSpacesAreKept() {
        assertEquals("Ada L.", Names.nickname(" Ada L. ", 32));
    }

    @Test
    void roomNameIsTrimmed() {
        assertEquals("standup", Names.room("\n standup  ", 64));
    }

    @Test
    void emojiNicknameWithZeroWidthJoinerIsAllowed() {
        String coder = "\uD83D\uDC69\u200D\uD83D\uDCBB"; // woman technologist: 👩 ZWJ 💻
        assertEquals(coder + " Ada", Names.nickname(coder + " Ada", 32));
        String family = "👨‍👩‍👧‍👦";
        assertEquals(family, Names.nickname(family, 32));
    }

    @Test
    void emojiWithVariationSelectorAndSkinToneIsAllowed() {
        assertEquals("❤️ 👍🏽", Names.nickname("❤️ 👍🏽", 32));
    }

    @Test
    void nicknameLengthIsCountedInCodePoints() {
        String emoji32 = "😀".repeat(32);
        assertEquals(64, emoji32.length());
        assertEquals(emoji32, Names.nickname(emoji32, 32));
        badNickname("😀".repeat(33));
    }

    @Test
    void nicknameOfExactlyTheLimitIsAcceptedAndOneMoreIsRefused() {
        assertEquals("a".repeat(32), Names.nickname("a".repeat(32), 32));
        badNickname("a".repeat(33));
    }

    @Test
    void lengthIsMeasuredAfterTrimming() {
        assertEquals("a".repeat(32), Names.nickname("   " + "a".repeat(32) + "   ", 32));
    }

    @Test
    void zwjSequenceCountsEachCodePoint() {
        String family = "👨‍👩‍👧‍👦"; // 7 code points
        assertEquals(7, family.codePointCount(0, family.length()));
        assertEquals(family, Names.nickname(family, 7));
        badNickname(family + family + family + family + family); // 35 code points > 32
    }

    @Test
    void roomLengthIsCountedInCodePoints() {
        assertEquals("日".repeat(64), Names.room("日".repeat(64), 64));
        assertEquals("🎉".repeat(64), Names.room("🎉".repeat(64), 64));
        badRoom("🎉".repeat(65));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u2003"})
    void emptyAfterTrimIsRefused(String raw) {
        badNickname(raw);
        badRoom(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0007", "\u001B", "\u007F", "\u0085", "\u009B"})
    void controlCharactersAreRefused(String control) {
        badNickname("Ada" + control + "x");
        badRoom("room" + control + "x");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E",
                "\u200F", "\u2028", "\u2029", "\uFEFF"
            })
    void bidiAndLineControlsAreRefused(String control) {
        badNickname("Ada" + control + "x");
        badRoom("room" + control + "x");
    }

    @Test
    void nicknameWithArabicLetterMarkIsRefused() {
        // U+061C is the one Bidi_Control character besides LRM/RLM and the embeddings/overrides/isolates
        badNickname("Ada\u061Cx");
        badRoom("room\u061Cx");
    }

    @Test
    void slashIsRefusedInRoomNamesOnly() {
        badRoom("team/standup");
        assertEquals("AC/DC", Names.nickname("AC/DC", 32));
    }

    @Test
    void chatKeepsNewlinesAndTabsButIsTrimmed() {
        assertEquals("line 1\n\tline 2", Names.chat("  line 1\n\tline 2\n", 2_000));
    }

    @Test
    void chatEmptyOrTooLongIsRefusedAsChatTooLong() {
        assertEquals(
                ErrorCode.CHAT_TOO_LONG,
                assertThrows(ProtocolException.class, () -> Names.chat("  ", 10))
                        .code());
        assertEquals(
                ErrorCode.CHAT_TOO_LONG,
                assertThrows(ProtocolException.class, () -> Names.chat("a".repeat(11), 10))
                        .code());
        assertEquals("a".repeat(10), Names.chat("a".repeat(10), 10));
    }

    @Test
    void chatLengthIsCountedInCodePoints() {
        assertEquals("😀".repeat(10), Names.chat("😀".repeat(10), 10));
        assertEquals(
                ErrorCode.CHAT_TOO_LONG,
                assertThrows(ProtocolException.class, () -> Names.chat("😀".repeat(11), 10))
                        .code());
    }
}
