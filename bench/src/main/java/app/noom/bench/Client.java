package app.noom.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/** One simulated client: one WebSocket, either framing. All of its state is touched on the generator's event loop only. */
final class Client {
  interface Listener {
    void onTimed(Client c, String text, long nowNanos);

    default void onSignal(Client c, String text) {}
  }

  final int index;
  final Proto proto;
  final String host;
  final int port;
  WebSocket ws;
  String sessionId;
  String room;
  Client partner;
  int nextId = 1;
  Listener listener;
  Promise<Void> welcome;
  Promise<Void> joined;
  long errors;
  long acks;
  // per-workload scratch
  long t0;
  int got;
  boolean done;
  private final Proto.In in = new Proto.In();

  Client(int index, Proto proto, String hostPort) {
    this.index = index;
    this.proto = proto;
    int c = hostPort.lastIndexOf(':');
    this.host = hostPort.substring(0, c);
    this.port = Integer.parseInt(hostPort.substring(c + 1));
  }

  String nickname() { return "b" + index; }

  /** Connects and says hello; completes when the server's welcome (or the peer's hello ack) arrived. */
  Future<Void> open(WebSocketClient wsc) {
    welcome = Promise.promise();
    wsc.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI(proto.path())).onComplete(ar -> {
      if (ar.failed()) { welcome.tryFail(ar.cause()); return; }
      ws = ar.result();
      ws.textMessageHandler(this::onText);
      ws.exceptionHandler(e -> errors++);
      ws.closeHandler(v -> { if (welcome != null) welcome.tryFail("closed before welcome"); });
      String hello = proto.hello(nextId++, nickname());
      if (hello != null) ws.writeTextMessage(hello);
    });
    return welcome.future();
  }

  Future<Void> join(String room) {
    this.room = room;
    joined = Promise.promise();
    ws.writeTextMessage(proto.join(nextId++, room));
    return joined.future();
  }

  /** Returns false when the socket's write queue is full (the server stopped reading fast enough). */
  boolean send(String frame) {
    if (ws.writeQueueFull()) return false;
    ws.writeTextMessage(frame);
    return true;
  }

  void signal(String to, String kind, String payload) { send(proto.signal(nextId++, room, to, kind, payload)); }

  void ping() {
    String p = proto.ping(nextId++);
    if (p != null && ws != null) ws.writeTextMessage(p);
  }

  void close() {
    if (ws != null) ws.close();
  }

  private void onText(String t) {
    proto.classify(t, in);
    switch (in.kind) {
      case TIMED -> listener.onTimed(this, t, System.nanoTime());
      case ACK -> acks++;
      case SIGNAL -> listener.onSignal(this, t);
      case PING -> ws.writeTextMessage("3");
      case OPEN -> ws.writeTextMessage(((Proto.SocketIo) proto).helloEvent(nextId++, nickname()));
      case WELCOME -> {
        sessionId = in.sessionId;
        welcome.tryComplete();
      }
      case JOINED -> { if (joined != null) joined.tryComplete(); }
      case ERROR -> {
        errors++;
        if (joined != null && !joined.future().isComplete()) joined.tryFail(t);
        else if (welcome != null && !welcome.future().isComplete()) welcome.tryFail(t);
      }
      default -> {
        if (t.startsWith("0{")) ws.writeTextMessage("40"); // engine.io open → socket.io connect
      }
    }
  }
}
