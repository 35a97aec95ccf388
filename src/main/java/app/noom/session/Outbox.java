package app.noom.session;

import app.noom.metrics.NoomMetrics;
import io.vertx.core.json.JsonObject;

/**
 * Everything a session sends goes through here: it stamps the per-session sequence number (the cursor a resuming
 * client presents) and guards the bounded write queue, closing a client that stopped reading instead of growing the heap.
 */
final class Outbox {
  static final int SLOW_CONSUMER_CLOSE = 4008;

  private final ClientChannel channel;
  private final NoomMetrics metrics;
  private long seq;
  private boolean closed;

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
    channel.send("{\"seq\":" + seq + "," + json.substring(1));
    metrics.messageOut(type);
    if (channel.writeQueueFull()) {
      close(SLOW_CONSUMER_CLOSE, "slow consumer");
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
