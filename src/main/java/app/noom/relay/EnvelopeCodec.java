package app.noom.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Passes envelopes between event loops of one node by reference: they are immutable, so no copy is needed. */
public final class EnvelopeCodec implements MessageCodec<Envelope, Envelope> {

  @Override
  public void encodeToWire(Buffer buffer, Envelope envelope) {
    byte[] bytes = envelope.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public Envelope decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return Envelope.decode(buffer.getString(pos + 4, pos + 4 + length));
  }

  @Override
  public Envelope transform(Envelope envelope) {
    return envelope;
  }

  @Override
  public String name() {
    return "noom-envelope";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
