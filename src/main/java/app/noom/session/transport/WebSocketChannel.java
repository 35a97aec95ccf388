package app.noom.session.transport;

import app.noom.session.ClientChannel;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import java.util.function.Function;

/** Adapts a Vert.x WebSocket to {@link ClientChannel}. Knows nothing of what the frames mean. */
public final class WebSocketChannel implements ClientChannel {
  private final ServerWebSocket socket;

  private WebSocketChannel(ServerWebSocket socket) {
    this.socket = socket;
  }

  public static void attach(ServerWebSocket socket, int writeQueueBytes, Function<ClientChannel, Listener> sessions) {
    WebSocketChannel channel = new WebSocketChannel(socket);
    socket.setWriteQueueMaxSize(writeQueueBytes);
    Listener listener = sessions.apply(channel);
    socket.textMessageHandler(listener::onText);
    socket.binaryMessageHandler(b -> listener.onBinary());
    socket.exceptionHandler(e -> closeAfter(socket, e));
    socket.closeHandler(v -> listener.onClosed(deliberate(socket.closeStatusCode())));
  }

  /** An oversize or corrupt frame closes with the code the decoder chose (1009 for too big); the close handler cleans up. */
  private static void closeAfter(ServerWebSocket socket, Throwable error) {
    if (error instanceof CorruptedWebSocketFrameException corrupt) {
      socket.close((short) corrupt.closeStatus().code(), corrupt.closeStatus().reasonText());
    } else {
      socket.close((short) 1011, "unexpected condition");
    }
  }

  /** 1000 (normal) and 1001 (going away, e.g. tab closed) are deliberate; 1006 (dropped) and others may resume. */
  private static boolean deliberate(Short code) {
    return code != null && (code == 1000 || code == 1001);
  }

  @Override
  public void send(String text) {
    socket.writeTextMessage(text);
  }

  @Override
  public void close(int code, String reason) {
    socket.shutdown(java.time.Duration.ofSeconds(2), (short) code, reason);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void onDrain(Runnable action) {
    socket.drainHandler(v -> {
      socket.drainHandler(null);
      action.run();
    });
  }

  @Override
  public String remoteAddress() {
    return String.valueOf(socket.remoteAddress());
  }
}
