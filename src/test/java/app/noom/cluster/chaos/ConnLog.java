package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.List;

/** One TCP connection of a client: what it sent and received, in order. Written by the client, read by the oracle. */
final class ConnLog {
    final int index;
    final String node;
    /** The {@code lastSeq} presented in {@code hello.resume}, or null for a fresh {@code hello}. */
    final Long resumeFrom;

    private final List<Received> frames = new ArrayList<>();
    private final List<Sent> sent = new ArrayList<>();
    private volatile Integer closeCode;
    private volatile boolean abandoned;

    ConnLog(int index, String node, Long resumeFrom) {
        this.index = index;
        this.node = node;
        this.resumeFrom = resumeFrom;
    }

    /** Records a frame, unless the client already dropped this connection (bytes still buffered are not read). */
    synchronized boolean received(Received r) {
        if (abandoned) return false;
        frames.add(r);
        return true;
    }

    /** The client dropped this connection: nothing more is read from it. */
    synchronized void abandon() {
        abandoned = true;
    }

    synchronized void sent(Sent s) {
        sent.add(s);
    }

    synchronized List<Received> frames() {
        return List.copyOf(frames);
    }

    synchronized List<Sent> sentRequests() {
        return List.copyOf(sent);
    }

    void closed(Integer code) {
        closeCode = code;
    }

    Integer closeCode() {
        return closeCode;
    }

    /** The {@code welcome} on this connection, or null if none arrived. */
    Received welcome() {
        return frames().stream().filter(r -> r.is("welcome")).findFirst().orElse(null);
    }

    boolean resumedOk() {
        Received w = welcome();
        return w != null && w.frame().getBoolean("resumed", false);
    }

    /** A resume whose welcome admits that messages may be lost ({@code replayComplete:false}). */
    boolean lossyResume() {
        Received w = welcome();
        return resumeFrom != null
                && w != null
                && w.frame().getBoolean("resumed", false)
                && !w.frame().getBoolean("replayComplete", true);
    }
}
