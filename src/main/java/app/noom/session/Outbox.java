package app.noom.session;

import app.noom.metrics.NoomMetrics;
import io.vertx.core.json.JsonObject;

/**
 * Everything a session sends goes through here: it stamps the per-session sequence number (the cursor a resuming
 * client presents) and bounds what may pile up for a client that stopped reading: once the transport reports its
 * queue full, further bytes are counted until it drains, and past {@link #MAX_CONGESTED_CHARS} the session is closed
 * rather than letting the heap grow.
 */
final class Outbox {
  static final int SLOW_CONSUMER_CLOSE = 4008;
  static final long MAX_CONGESTED_CHARS = 4L << 20;

  private final ClientChannel channel;
  private final NoomMetrics metrics;
  private long seq;
  private boolean closed;
  private long congestedChars = -1; // -1: the transport is keeping up

  Outbox(ClientChannel channel, NoomMetrics metrics) {
    this.channel = channel;
    this.metrics = metrics;
  }

  void send(JsonObject message) {
    sendEncoded(message.getString("type"), message.encode());
  }

  /** {@code json} is an encoded object without {@code seq}; it may be shared by many sessions, so it is never parsed. */
  void sendEncoded(String type, String json) {
    if (closed) return;
    seq++;
    String frame = "{\"seq\":" + seq + "," + json.substring(1);
    channel.send(frame);
    metrics.messageOut(type);
    if (congestedChars >= 0) {
      congestedChars += frame.length();
      if (congestedChars > MAX_CONGESTED_CHARS) close(SLOW_CONSUMER_CLOSE, "slow consumer");
    } else if (channel.writeQueueFull()) {
      congestedChars = 0;
      channel.onDrain(() -> congestedChars = -1);
    }
  }

  long lastSeq() {
    return seq;
  }

  void close(int code, String reason) {
    if (closed) return;
    closed = true;
    channel.close(code, reason);
  }
}
