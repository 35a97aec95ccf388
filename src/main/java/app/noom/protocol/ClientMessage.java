package app.noom.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** A validated client → server message. {@code id} is the client's request id (String, Long or null). */
public sealed interface ClientMessage {
  Object id();

  String type();

  record Hello(Object id, String nickname, Optional<ResumeRequest> resume) implements ClientMessage {
    public String type() { return "hello"; }
  }

  /** Reserved for session resume: the token from an earlier welcome and the highest seq the client saw. */
  record ResumeRequest(String token, long lastSeq) {
    @Override
    public String toString() {
      return "ResumeRequest[token=<hidden>, lastSeq=" + lastSeq + "]";
    }
  }

  /** Ends the session now: every room is left at once and the server closes the connection. */
  record Bye(Object id) implements ClientMessage {
    public String type() { return "bye"; }
  }

  record Ping(Object id) implements ClientMessage {
    public String type() { return "ping"; }
  }

  record NicknameChange(Object id, String nickname) implements ClientMessage {
    public String type() { return "nickname"; }
  }

  record RoomsSubscribe(Object id) implements ClientMessage {
    public String type() { return "rooms-subscribe"; }
  }

  record RoomsUnsubscribe(Object id) implements ClientMessage {
    public String type() { return "rooms-unsubscribe"; }
  }

  record Join(Object id, String room) implements ClientMessage {
    public String type() { return "join"; }
  }

  record Leave(Object id, String room) implements ClientMessage {
    public String type() { return "leave"; }
  }

  record Media(Object id, String room, MediaState state) implements ClientMessage {
    public String type() { return "media"; }
  }

  record Signal(Object id, String room, String to, SignalKind kind, JsonObject payload) implements ClientMessage {
    public String type() { return "signal"; }
  }

  record Chat(Object id, String room, String text) implements ClientMessage {
    public String type() { return "chat"; }
  }
}
