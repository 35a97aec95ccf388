package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one server session (one member id) sent and received over all its connections: the unit the invariants
 * speak about. A client that says {@code bye}, or whose resume is answered {@code resumed:false}, starts a new one.
 */
final class SessionLog {
    final String client;
    private volatile String sessionId;
    private final List<ConnLog> conns = new ArrayList<>();
    /** Set when the session ended on purpose (bye) or was replaced (a failed resume): it must be in no room. */
    private volatile boolean ended;
    /** Set when the client could not get back in at the end: the session may linger, its membership is unknown. */
    private volatile boolean detachedAtEnd;
    /** Set once the run is over ({@link #freeze}): the oracle then reads these instead of re-collecting. */
    private volatile List<Received> frozenFrames;

    private volatile List<Sent> frozenSent;
    private volatile java.util.Map<String, Received> frozenReplies;

    SessionLog(String client) {
        this.client = client;
    }

    String id() {
        return sessionId;
    }

    void id(String id) {
        this.sessionId = id;
    }

    synchronized void add(ConnLog conn) {
        conns.add(conn);
    }

    synchronized void remove(ConnLog conn) {
        conns.remove(conn);
    }

    synchronized List<ConnLog> conns() {
        return List.copyOf(conns);
    }

    void end() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    void detachedAtEnd(boolean detached) {
        detachedAtEnd = detached;
    }

    boolean detachedAtEnd() {
        return detachedAtEnd;
    }

    /** The run is over: collect once what the oracle will read many times. */
    void freeze() {
        frozenFrames = null;
        frozenSent = null;
        List<Received> frames = frames();
        java.util.Map<String, Received> replies = new java.util.HashMap<>();
        for (Received r : frames) if (r.re() != null) replies.putIfAbsent(r.re(), r);
        frozenReplies = replies;
        frozenSent = sent();
        frozenFrames = frames;
    }

    /** Every frame of the session in arrival order (connections are sequential). */
    /**
     * Every frame of the session, across its connections. A frame replayed after a resume (the client's {@code lastSeq}
     * may lag what its old connection still read) is the same frame — same seq, same content — and counted once; a
     * different frame under a seq already seen stays, for the checks to flag.
     */
    List<Received> frames() {
        if (frozenFrames != null) return frozenFrames;
        List<Received> all = new ArrayList<>();
        java.util.Map<Long, String> bySeq = new java.util.HashMap<>();
        for (ConnLog c : conns()) {
            for (Received r : c.frames()) {
                String earlier = bySeq.putIfAbsent(r.seq(), r.frame().encode());
                if (earlier == null || !earlier.equals(r.frame().encode())) all.add(r);
            }
        }
        return all;
    }

    List<Sent> sent() {
        if (frozenSent != null) return frozenSent;
        List<Sent> all = new ArrayList<>();
        for (ConnLog c : conns()) all.addAll(c.sentRequests());
        return all;
    }

    /** The first frame answering request {@code id}, or null. */
    Received reply(String id) {
        if (frozenReplies != null) return frozenReplies.get(id);
        return frames().stream()
                .filter(r -> Objects.equals(id, r.re()))
                .findFirst()
                .orElse(null);
    }

    boolean hadLossyResume() {
        return conns().stream().anyMatch(ConnLog::lossyResume);
    }

    /** Arrival time of the last lossy resume's welcome, or Long.MIN_VALUE. */
    long lastLossyResumeAt() {
        long at = Long.MIN_VALUE;
        for (ConnLog c : conns()) if (c.lossyResume()) at = c.welcome().at();
        return at;
    }

    /**
     * Whether the session was moving to another node (a resume there: from its hello to its welcome, or to the end if
     * none came) at some point of {@code [from, to]} — the hand-over window, where exactly-once delivery and kick
     * notices depend on the hand-over code: violations inside it are labelled I2H / I5H (and gate like I2 / I5).
     */
    boolean movingBetweenNodes(long from, long to) {
        List<ConnLog> all = conns();
        for (int i = 1; i < all.size(); i++) {
            ConnLog c = all.get(i);
            if (c.resumeFrom == null
                    || c.node.equals(all.get(i - 1).node)
                    || c.sentRequests().isEmpty()) continue;
            long start = c.sentRequests().get(0).at();
            Received welcome = c.welcome();
            long end = welcome == null ? Long.MAX_VALUE : welcome.at();
            if (start <= to && from <= end) return true;
        }
        return false;
    }

    String label() {
        return client + "/" + sessionId;
    }
}
