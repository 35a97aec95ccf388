package app.noom.protocol;

import static app.noom.protocol.ErrorCode.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one text frame into a validated {@link ClientMessage}, or throws a {@link ProtocolException} carrying the
 * error code and, when readable, the request id. Pure: no I/O, no Vert.x runtime.
 */
public final class MessageParser {
    public static final int PROTOCOL_VERSION = 1;
    private static final int MAX_ID_LENGTH = 64;
    private static final int MAX_PASSWORD_LENGTH = 128;
    private static final int MAX_TOKEN_LENGTH = 8_192;

    /** Duplicate keys are refused so that no two readers can disagree on a field (cf. Jitsi JSA-2023-0001). */
    private static final JsonFactory STRICT_JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int maxFrameChars;
    private final int maxNicknameLength;
    private final int maxRoomNameLength;
    private final int maxChatLength;

    public MessageParser(int maxFrameBytes, int maxNicknameLength, int maxRoomNameLength, int maxChatLength) {
        this.maxFrameChars = maxFrameBytes;
        this.maxNicknameLength = maxNicknameLength;
        this.maxRoomNameLength = maxRoomNameLength;
        this.maxChatLength = maxChatLength;
    }

    public ClientMessage parse(String frame) {
        if (frame.length() > maxFrameChars || utf8Length(frame) > maxFrameChars) {
            throw new ProtocolException(FRAME_TOO_LARGE, "frame exceeds " + maxFrameChars + " bytes");
        }
        JsonObject json = readObject(frame);
        Object id = readId(json);
        try {
            return decode(json, id);
        } catch (ProtocolException e) {
            throw e.requestId() == null ? e.withRequestId(id) : e;
        } catch (ClassCastException e) {
            throw new ProtocolException(INVALID_MESSAGE, "a field has the wrong JSON type", id);
        }
    }

    private ClientMessage decode(JsonObject json, Object id) {
        Object type = json.getValue("type");
        if (!(type instanceof String typeName)) throw new ProtocolException(UNKNOWN_TYPE, "missing 'type'");
        MessageType known = MessageType.fromWire(typeName)
                .orElseThrow(() -> new ProtocolException(UNKNOWN_TYPE, "unknown type '" + abbreviate(typeName) + "'"));
        return switch (known) {
            case HELLO -> hello(json, id);
            case PING -> new ClientMessage.Ping(id);
            case BYE -> new ClientMessage.Bye(id);
            case NICKNAME ->
                new ClientMessage.NicknameChange(id, Names.nickname(required(json, "nickname"), maxNicknameLength));
            case ROOMS_SUBSCRIBE -> new ClientMessage.RoomsSubscribe(id);
            case ROOMS_UNSUBSCRIBE -> new ClientMessage.RoomsUnsubscribe(id);
            case JOIN -> new ClientMessage.Join(id, room(json), optionalPassword(json), optionalFlag(json, "private"));
            case LOCK -> new ClientMessage.Lock(id, room(json), flag(json, "locked"));
            case KICK -> new ClientMessage.Kick(id, room(json), required(json, "member"));
            case HOST -> new ClientMessage.HandOverHost(id, room(json), required(json, "member"));
            case LEAVE -> new ClientMessage.Leave(id, room(json));
            case MEDIA ->
                new ClientMessage.Media(
                        id,
                        room(json),
                        new MediaState(flag(json, "audioMuted"), flag(json, "videoOff"), flag(json, "screen")));
            case SIGNAL -> signal(json, id);
            case CHAT -> new ClientMessage.Chat(id, room(json), Names.chat(required(json, "text"), maxChatLength));
        };
    }

    private ClientMessage hello(JsonObject json, Object id) {
        Object version = json.getValue("version");
        if (!(version instanceof Number n)) { // missing or not a number: a malformed hello, not another protocol
            throw new ProtocolException(
                    INVALID_MESSAGE, "hello needs a numeric version (this server speaks " + PROTOCOL_VERSION + ")");
        }
        if (n.doubleValue() != PROTOCOL_VERSION) {
            throw new ProtocolException(UNSUPPORTED_VERSION, "this server speaks protocol version " + PROTOCOL_VERSION);
        }
        String nickname = Names.nickname(required(json, "nickname"), maxNicknameLength);
        Optional<ClientMessage.ResumeRequest> resume = Optional.empty();
        Object resumeField = json.getValue("resume");
        if (resumeField != null) {
            if (!(resumeField instanceof JsonObject r)
                    || !(r.getValue("token") instanceof String token)
                    || !(r.getValue("lastSeq") instanceof Number lastSeq)
                    || token.length() > 128) {
                throw new ProtocolException(INVALID_MESSAGE, "'resume' needs a string 'token' and a numeric 'lastSeq'");
            }
            resume = Optional.of(new ClientMessage.ResumeRequest(token, lastSeq.longValue()));
        }
        Optional<String> token = Optional.empty();
        if (json.getValue("token") != null) {
            String value = required(json, "token");
            if (value.isEmpty() || value.length() > MAX_TOKEN_LENGTH) {
                throw new ProtocolException(INVALID_MESSAGE, "'token' must be 1.." + MAX_TOKEN_LENGTH + " characters");
            }
            token = Optional.of(value);
        }
        return new ClientMessage.Hello(id, nickname, resume, token);
    }

    private ClientMessage signal(JsonObject json, Object id) {
        String room = room(json);
        String to = required(json, "to");
        Optional<SignalKind> kind =
                json.getValue("kind") instanceof String k ? SignalKind.fromWire(k) : Optional.empty();
        if (kind.isEmpty())
            throw new ProtocolException(BAD_SIGNAL, "kind must be offer, answer, candidate or renegotiate");
        if (!(json.getMap().get("payload") instanceof RawJson payload)) {
            throw new ProtocolException(BAD_SIGNAL, "payload must be a JSON object");
        }
        return new ClientMessage.Signal(id, room, to, kind.get(), payload);
    }

    private String room(JsonObject json) {
        return Names.room(required(json, "room"), maxRoomNameLength);
    }

    private static String required(JsonObject json, String field) {
        if (!(json.getValue(field) instanceof String value)) {
            throw new ProtocolException(INVALID_MESSAGE, "'" + field + "' must be a string");
        }
        return value;
    }

    private static Optional<String> optionalPassword(JsonObject json) {
        if (json.getValue("password") == null) return Optional.empty();
        String password = required(json, "password");
        if (password.isEmpty() || password.length() > MAX_PASSWORD_LENGTH) {
            throw new ProtocolException(
                    INVALID_MESSAGE, "'password' must be 1.." + MAX_PASSWORD_LENGTH + " characters");
        }
        return Optional.of(password);
    }

    private static boolean optionalFlag(JsonObject json, String field) {
        return json.getValue(field) != null && flag(json, field);
    }

    private static boolean flag(JsonObject json, String field) {
        if (!(json.getValue(field) instanceof Boolean value)) {
            throw new ProtocolException(INVALID_MESSAGE, "'" + field + "' must be true or false");
        }
        return value;
    }

    /**
     * Reads the frame's top-level fields into a {@link JsonObject}, except that an object-valued {@code payload} is kept
     * as its raw text ({@link RawJson}): the server relays it untouched, so it is only checked for syntax (Jackson still
     * tokenises it), never built into a tree and encoded again. Duplicate keys are refused at every level.
     */
    private static JsonObject readObject(String frame) {
        try (JsonParser parser = STRICT_JSON.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(MALFORMED_JSON, "frame is not a JSON object");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                fields.put(
                        name,
                        value == JsonToken.START_OBJECT && name.equals("payload")
                                ? rawObject(parser, frame)
                                : JacksonCodec.parseValue(parser));
            }
            if (parser.nextToken() != null)
                throw new ProtocolException(MALFORMED_JSON, "trailing data after the JSON object");
            return new JsonObject(fields);
        } catch (ProtocolException e) {
            throw e;
        } catch (Exception e) {
            throw new ProtocolException(MALFORMED_JSON, "frame is not valid JSON (or repeats a key)");
        }
    }

    /** The parser is on the object's '{': skips to its '}' (validating what lies between) and returns the span. */
    private static RawJson rawObject(JsonParser parser, String frame) throws java.io.IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        parser.skipChildren();
        int end = (int) parser.currentLocation().getCharOffset();
        return new RawJson(frame.substring(start, end));
    }

    /** Reads the request id leniently: a malformed id still gets an error, just without {@code re}. */
    private static Object readId(JsonObject json) {
        Object id = json.getValue("id");
        if (id == null) return null;
        if (id instanceof String s && !s.isEmpty() && s.length() <= MAX_ID_LENGTH) return s;
        if (id instanceof Integer || id instanceof Long) return ((Number) id).longValue();
        throw new ProtocolException(
                INVALID_MESSAGE, "'id' must be a string of 1.." + MAX_ID_LENGTH + " characters or an integer");
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // surrogate pair = 4 in total
        }
        return bytes;
    }

    private static String abbreviate(String s) {
        return s.length() <= 32
                ? s.replaceAll("\\p{Cntrl}", "?")
                : s.substring(0, 32).replaceAll("\\p{Cntrl}", "?") + "…";
    }
}
