package app.noom.session.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Joins WebSocket frames into whole messages ourselves rather than with Vert.x's aggregator, which decodes text
 * leniently (invalid UTF-8 becomes U+FFFD) and reports an oversize fragmented message as a generic error (closed 1011).
 * Here a text message must be valid UTF-8 (RFC 6455 §8.1: else close 1007) and no message may grow past the ceiling
 * (close 1009), however it is fragmented.
 */
final class MessageAssembler {
    static final int INVALID_PAYLOAD = 1007;
    static final int MESSAGE_TOO_BIG = 1009;

    /** What a complete message, or a broken one, turns into. */
    interface Sink {
        void text(String message);

        void binary();

        void refuse(int closeCode, String reason);
    }

    private final int maxMessageBytes;
    private final Sink sink;
    private Buffer pending; // the fragments so far; null between messages
    private boolean pendingIsText;
    private boolean refused;

    MessageAssembler(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    void accept(WebSocketFrame frame) {
        if (refused) return;
        boolean first = frame.isText() || frame.isBinary();
        if (!first && (!frame.isContinuation() || pending == null)) {
            return; // control frames are Vert.x's business; a stray continuation is refused by the decoder
        }
        Buffer data = frame.binaryData();
        if (first) {
            pendingIsText = frame.isText();
            if (frame.isFinal()) { // the usual case: one frame, already bounded by the decoder's frame limit; no copy
                complete(data);
                return;
            }
            pending = Buffer.buffer();
        }
        if (pending.length() + data.length() > maxMessageBytes) {
            refuse(MESSAGE_TOO_BIG, "message too big");
            return;
        }
        pending.appendBuffer(data);
        if (frame.isFinal()) {
            Buffer message = pending;
            pending = null;
            complete(message);
        }
    }

    private void complete(Buffer message) {
        if (!pendingIsText) {
            sink.binary();
            return;
        }
        // fast path: the JDK's lenient decoder, then a strict check only if it had to substitute U+FFFD (all-ASCII text
        // never contains it, and a real U+FFFD in a chat message is rare)
        String text = message.toString(StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0 && !strictlyUtf8(message.getBytes())) {
            refuse(INVALID_PAYLOAD, "invalid UTF-8");
            return;
        }
        sink.text(text);
    }

    private static boolean strictlyUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void refuse(int code, String reason) {
        refused = true;
        pending = null;
        sink.refuse(code, reason);
    }
}
