package app.noom.protocol;

/** Rules for human-entered text: trimmed, bounded, and free of control characters (which could spoof or break UIs). */
public final class Names {
    private Names() {}

    public static String nickname(String raw, int maxLength) {
        return clean(raw, maxLength, ErrorCode.BAD_NICKNAME, "nickname", false);
    }

    public static String room(String raw, int maxLength) {
        return clean(raw, maxLength, ErrorCode.BAD_ROOM_NAME, "room name", true);
    }

    public static String chat(String raw, int maxLength) {
        String text = raw.strip();
        if (text.isEmpty() || text.codePointCount(0, text.length()) > maxLength) {
            throw new ProtocolException(ErrorCode.CHAT_TOO_LONG, "chat text must be 1.." + maxLength + " characters");
        }
        return text; // chat may contain newlines and tabs; clients render it as text
    }

    private static String clean(String raw, int maxLength, ErrorCode code, String what, boolean forbidSlash) {
        String value = raw.strip();
        if (value.isEmpty()) throw new ProtocolException(code, what + " is empty");
        if (value.codePointCount(0, value.length()) > maxLength) {
            throw new ProtocolException(code, what + " is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || isLineOrBidiControl(c)) {
                throw new ProtocolException(code, what + " contains control characters");
            }
            if (forbidSlash && c == '/') throw new ProtocolException(code, what + " contains '/'");
        }
        return value;
    }

    /** Line separators and bidi overrides can reorder or hide what other members see (name spoofing). */
    private static boolean isLineOrBidiControl(char c) {
        return c == '\u2028'
                || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E'
                || c == '\u200F'
                || c == '\u061C'
                || c == '\uFEFF';
    }
}
