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
    if (frame.isText() || frame.isBinary()) {
      pending = Buffer.buffer();
      pendingIsText = frame.isText();
    } else if (!frame.isContinuation() || pending == null) {
      return; // control frames are Vert.x's business; a stray continuation is refused by the decoder
    }
    if (pending.length() + frame.binaryData().length() > maxMessageBytes) {
      refuse(MESSAGE_TOO_BIG, "message too big");
      return;
    }
    pending.appendBuffer(frame.binaryData());
    if (frame.isFinal()) complete();
  }

  private void complete() {
    Buffer message = pending;
    pending = null;
    if (!pendingIsText) {
      sink.binary();
      return;
    }
    try {
      sink.text(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message.getBytes())).toString());
    } catch (CharacterCodingException e) {
      refuse(INVALID_PAYLOAD, "invalid UTF-8");
    }
  }

  private void refuse(int code, String reason) {
    refused = true;
    pending = null;
    sink.refuse(code, reason);
  }
}
