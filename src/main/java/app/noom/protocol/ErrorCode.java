package app.noom.protocol;

/** Every error a client can receive; {@link #wire()} is the {@code code} field, documented in docs/PROTOCOL.md. */
public enum ErrorCode {
    MALFORMED_JSON,
    FRAME_TOO_LARGE,
    BINARY_NOT_SUPPORTED,
    UNKNOWN_TYPE,
    INVALID_MESSAGE,
    HELLO_REQUIRED,
    ALREADY_HELLO,
    UNSUPPORTED_VERSION,
    BAD_NICKNAME,
    BAD_ROOM_NAME,
    ROOM_FULL,
    TOO_MANY_ROOMS,
    ALREADY_IN_ROOM,
    NOT_IN_ROOM,
    UNKNOWN_MEMBER,
    BAD_SIGNAL,
    CHAT_TOO_LONG,
    AUTH_REQUIRED,
    BAD_TOKEN,
    ROOM_NOT_ALLOWED,
    BAD_PASSWORD,
    PASSWORD_THROTTLED,
    PASSWORD_BUSY,
    ROOM_CREATION_THROTTLED,
    ROOM_LOCKED,
    KICKED,
    NOT_HOST,
    NODE_FULL,
    RATE_LIMITED,
    ORIGIN_NOT_ALLOWED,
    TOO_MANY_CONNECTIONS,
    RELAY_UNAVAILABLE,
    RELAY_INTERRUPTED,
    INTERNAL;

    private final String wire = name().toLowerCase(java.util.Locale.ROOT);

    public String wire() {
        return wire;
    }
}
