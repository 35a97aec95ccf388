package app.noom.session.transport;

import app.noom.session.ClientChannel;
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
    socket.exceptionHandler(e -> socket.close()); // e.g. 1009 on an oversize frame: the close handler cleans up
    socket.closeHandler(v -> listener.onClosed());
  }

  @Override
  public void send(String text) {
    socket.writeTextMessage(text);
  }

  @Override
  public void close(int code, String reason) {
    socket.close((short) code, reason);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public String remoteAddress() {
    return String.valueOf(socket.remoteAddress());
  }
}
