package app.noom.cluster.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds hand-made transcripts for the oracle's unit tests: a logical clock, seq numbering per session. */
final class Transcripts {
    final History history = new History();
    private long clock;
    private final Map<SessionLog, Long> seqs = new HashMap<>();
    private final Map<SessionLog, Integer> ids = new HashMap<>();

    /** A session with a fresh connection and its welcome (seq 1). */
    SessionLog session(String client) {
        SessionLog s = new SessionLog(client);
        s.id("m-" + client);
        history.add(s);
        s.add(new ConnLog(1, "n0", null));
        String id = send(s, msg("hello"));
        push(s, msg("welcome").put("re", id).put("sessionId", s.id()).put("resumed", false));
        return s;
    }

    /** The session drops and resumes on another node with the highest seq it saw. */
    ConnLog resume(SessionLog s, boolean replayComplete) {
        long lastSeq = seqs.get(s);
        ConnLog c = new ConnLog(s.conns().size() + 1, "n1", lastSeq);
        s.add(c);
        return c;
    }

    void welcomeResumed(SessionLog s, String helloId, boolean replayComplete) {
        push(
                s,
                msg("welcome")
                        .put("re", helloId)
                        .put("sessionId", s.id())
                        .put("resumed", true)
                        .put("replayComplete", replayComplete));
    }

    String send(SessionLog s, JsonObject message) {
        String id = s.client + "-" + ids.merge(s, 1, Integer::sum);
        last(s).sent(new Sent(++clock, id, message.copy().put("id", id)));
        history.memo.clear(); // derived facts are recomputed for the grown transcript
        return id;
    }

    /** A server frame with the session's next seq. */
    Received push(SessionLog s, JsonObject frame) {
        long seq = seqs.merge(s, 1L, Long::sum);
        return pushWithSeq(s, frame, seq);
    }

    Received pushWithSeq(SessionLog s, JsonObject frame, long seq) {
        seqs.merge(s, seq, Math::max);
        Received r = new Received(++clock, frame.copy().put("seq", seq));
        last(s).received(r);
        history.memo.clear();
        return r;
    }

    Received reply(SessionLog s, String re, JsonObject frame) {
        return push(s, frame.put("re", re));
    }

    void ack(SessionLog s, String re) {
        reply(s, re, msg("ack"));
    }

    void error(SessionLog s, String re, String code) {
        reply(s, re, msg("error").put("code", code));
    }

    /** {@code s} joins {@code room}, told that {@code others} are in it. */
    void join(SessionLog s, String room, List<SessionLog> others) {
        String id = send(s, msg("join").put("room", room));
        JsonArray members = new JsonArray();
        others.forEach(o -> members.add(new JsonObject().put("id", o.id()).put("nickname", o.client)));
        reply(
                s,
                id,
                msg("joined")
                        .put("room", room)
                        .put("memberId", s.id())
                        .put("members", members)
                        .put(
                                "policy",
                                new JsonObject()
                                        .put("room", room)
                                        .put(
                                                "host",
                                                others.isEmpty()
                                                        ? s.id()
                                                        : others.get(0).id())));
    }

    void memberJoined(SessionLog to, String room, SessionLog who) {
        push(to, msg("member-joined").put("room", room).put("member", new JsonObject().put("id", who.id())));
    }

    void memberLeft(SessionLog to, String room, SessionLog who) {
        push(to, msg("member-left").put("room", room).put("memberId", who.id()));
    }

    /** Sends signal number {@code n}; returns its request id (the caller answers it). */
    String signal(SessionLog from, String room, SessionLog to, long n) {
        return send(
                from,
                msg("signal")
                        .put("room", room)
                        .put("to", to.id())
                        .put("kind", "candidate")
                        .put("payload", Messages.signalPayload(from.client, n)));
    }

    void deliverSignal(SessionLog to, String room, SessionLog from, long n) {
        push(
                to,
                msg("signal")
                        .put("room", room)
                        .put("from", from.id())
                        .put("kind", "candidate")
                        .put("payload", Messages.signalPayload(from.client, n)));
    }

    String chat(SessionLog from, String room, long n) {
        return send(from, msg("chat").put("room", room).put("text", Messages.chatText(from.client, n)));
    }

    void deliverChat(SessionLog to, String room, SessionLog from, long n) {
        push(to, msg("chat").put("room", room).put("from", from.id()).put("text", Messages.chatText(from.client, n)));
    }

    private static ConnLog last(SessionLog s) {
        List<ConnLog> conns = s.conns();
        return conns.get(conns.size() - 1);
    }

    static JsonObject msg(String type) {
        return new JsonObject().put("type", type);
    }
}
