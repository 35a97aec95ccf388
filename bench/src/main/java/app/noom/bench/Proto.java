package app.noom.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The two wire framings the generator speaks over one raw WebSocket: Noom's JSON protocol on /signal, and
 * engine.io 4 / socket.io 4 framing ("0" open, "40" connect, "42[...]" events, "42&lt;id&gt;[...]" with ack,
 * "43&lt;id&gt;[...]" ack, "2" ping answered by "3" pong) for the socket.io peer.
 * Requests carry an id in both (Noom answers every message; the peer acknowledges every emit), so both servers do the
 * same work per message. Timed messages carry "~bt&lt;nanoTime&gt;;" inside their payload.
 */
abstract class Proto {
  static Proto of(String name) {
    return switch (name) {
      case "noom" -> new Noom();
      case "sio", "peer" -> new SocketIo();
      default -> throw new IllegalArgumentException("proto must be noom or sio: " + name);
    };
  }

  abstract String path();

  /** The first message after the transport is open (null: wait for the server, as engine.io's "0" open). */
  abstract String hello(int id, String nickname);

  abstract String join(int id, String room);

  abstract String signal(int id, String room, String to, String kind, String payloadJson);

  abstract String chat(int id, String room, String text);

  abstract String ping(int id);

  /** What one incoming text frame means for a client. */
  enum Kind { TIMED, SIGNAL, ACK, WELCOME, JOINED, ERROR, OPEN, PING, OTHER }

  static final class In {
    Kind kind;
    String sessionId;
    String text;
  }

  abstract void classify(String text, In out);

  static final class Noom extends Proto {
    String path() { return "/signal"; }

    String hello(int id, String nickname) {
      return "{\"type\":\"hello\",\"id\":" + id + ",\"version\":1,\"nickname\":\"" + nickname + "\"}";
    }

    String join(int id, String room) { return "{\"type\":\"join\",\"id\":" + id + ",\"room\":\"" + room + "\"}"; }

    String signal(int id, String room, String to, String kind, String payloadJson) {
      return "{\"type\":\"signal\",\"id\":" + id + ",\"room\":\"" + room + "\",\"to\":\"" + to + "\",\"kind\":\"" + kind
          + "\",\"payload\":" + payloadJson + "}";
    }

    String chat(int id, String room, String text) {
      return "{\"type\":\"chat\",\"id\":" + id + ",\"room\":\"" + room + "\",\"text\":\"" + text + "\"}";
    }

    String ping(int id) { return "{\"type\":\"ping\",\"id\":" + id + "}"; }

    void classify(String t, In out) {
      out.text = t;
      // the server writes "seq" before "type"; the first "type" is the envelope's (payloads come later)
      int i = t.indexOf("\"type\":\"") + 8;
      if (t.startsWith("ack\"", i)) { out.kind = Kind.ACK; return; }
      if (t.startsWith("signal\"", i)) { out.kind = t.indexOf("~bt", i) >= 0 ? Kind.TIMED : Kind.SIGNAL; return; }
      if (t.startsWith("chat\"", i)) { out.kind = t.indexOf("~bt", i) >= 0 ? Kind.TIMED : Kind.OTHER; return; }
      if (t.startsWith("welcome\"", i)) {
        out.kind = Kind.WELCOME;
        out.sessionId = new JsonObject(t).getString("sessionId");
        return;
      }
      if (t.startsWith("joined\"", i)) { out.kind = Kind.JOINED; return; }
      if (t.startsWith("error\"", i)) { out.kind = Kind.ERROR; return; }
      out.kind = Kind.OTHER;
    }
  }

  static final class SocketIo extends Proto {
    String path() { return "/socket.io/?EIO=4&transport=websocket"; }

    String hello(int id, String nickname) { return null; } // sent after "0" open and "40" connect

    String helloEvent(int id, String nickname) { return "42" + id + "[\"hello\",{\"nickname\":\"" + nickname + "\"}]"; }

    String join(int id, String room) { return "42" + id + "[\"join\",{\"room\":\"" + room + "\"}]"; }

    String signal(int id, String room, String to, String kind, String payloadJson) {
      return "42" + id + "[\"signal\",{\"room\":\"" + room + "\",\"to\":\"" + to + "\",\"kind\":\"" + kind + "\",\"payload\":"
          + payloadJson + "}]";
    }

    String chat(int id, String room, String text) {
      return "42" + id + "[\"chat\",{\"room\":\"" + room + "\",\"text\":\"" + text + "\"}]";
    }

    String ping(int id) { return null; } // engine.io: the server pings, the client answers "3"

    void classify(String t, In out) {
      out.text = t;
      if (t.equals("2")) { out.kind = Kind.PING; return; }
      if (t.startsWith("43")) {
        int b = t.indexOf('[');
        if (t.startsWith("[{\"type\":\"ack\"", b)) { out.kind = Kind.ACK; return; }
        JsonObject o = new JsonArray(t.substring(b)).getJsonObject(0);
        switch (o.getString("type", "")) {
          case "welcome" -> { out.kind = Kind.WELCOME; out.sessionId = o.getString("sessionId"); }
          case "joined" -> out.kind = Kind.JOINED;
          default -> out.kind = Kind.ERROR;
        }
        return;
      }
      if (t.startsWith("42")) {
        if (t.indexOf("~bt") >= 0) { out.kind = Kind.TIMED; return; }
        if (t.startsWith("42[\"signal\"")) { out.kind = Kind.SIGNAL; return; }
        out.kind = Kind.OTHER;
        return;
      }
      if (t.startsWith("40")) { out.kind = Kind.OPEN; return; } // socket.io connected
      out.kind = Kind.OTHER; // "0{...}" engine.io open and anything else
    }
  }

  /** Reads the nanoTime stamped after "~bt" (first occurrence). */
  static long stamp(String t) {
    int i = t.indexOf("~bt") + 3;
    long v = 0;
    for (int n = t.length(); i < n; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') break;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static String pad(int n) { return "x".repeat(Math.max(0, n)); }

  /** A signal payload object of about {@code bytes} bytes, carrying the stamp. */
  static String payload(long stamp, int bytes) {
    String head = "{\"candidate\":\"~bt" + stamp + ";\",\"pad\":\"";
    return head + pad(bytes - head.length() - 2) + "\"}";
  }

  static String chatText(long stamp, int bytes) {
    String head = "~bt" + stamp + ";";
    return head + pad(bytes - head.length());
  }
}
