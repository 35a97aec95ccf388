package app.noom.session;

import app.noom.metrics.NoomMetrics;
import app.noom.protocol.ServerMessages;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * Everything a session sends goes through here. It stamps the per-session sequence number, keeps the last frames so
 * a resuming client can be given what it missed, buffers while the client is away (bounded), and bounds what may pile
 * up for a client that stopped reading: once the transport reports its queue full, further output is counted until
 * it drains, and past {@link #MAX_CONGESTED_CHARS} the connection is closed rather than letting the heap grow.
 */
final class Outbox {
    static final int SLOW_CONSUMER_CLOSE = 4008;
    static final long MAX_CONGESTED_CHARS = 4L << 20;
    /** Frames kept while connected: enough to cover what was in flight when a connection dropped. */
    static final int CONNECTED_HISTORY = 32;
    /** Bounds while the client is away; beyond them the session cannot be resumed faithfully and ends. */
    static final int DETACHED_MAX_FRAMES = 1_024;

    static final long DETACHED_MAX_CHARS = 1L << 20;

    private static final int INITIAL_HISTORY_SLOTS = 3;

    private final NoomMetrics metrics;
    /** Small at first: an idle session keeps a frame or two; it grows (by doubling) only for one that is busy or away. */
    private final ArrayDeque<String> history = new ArrayDeque<>(INITIAL_HISTORY_SLOTS);

    private ClientChannel channel; // null while detached
    private long historyChars;
    private long seq;
    private boolean overflowed;
    private long congestedChars = -1; // -1: the transport is keeping up
    private ClientChannel cutOff; // the connection closed as a slow consumer, until it is gone

    Outbox(ClientChannel channel, NoomMetrics metrics) {
        this.channel = channel;
        this.metrics = metrics;
    }

    void send(JsonObject message) {
        sendEncoded(message.getString("type"), ServerMessages.encode(message));
    }

    /** {@code json} is an encoded object without {@code seq}; it may be shared by many sessions, so it is never parsed. */
    void sendEncoded(String type, String json) {
        if (overflowed) return;
        seq++;
        String frame = ServerMessages.withSeq(seq, json);
        remember(frame);
        metrics.messageOut(type);
        if (channel != null) write(frame);
    }

    long lastSeq() {
        return seq;
    }

    /** True once the detached buffer overflowed: the session must end instead of being resumed. */
    boolean overflowed() {
        return overflowed;
    }

    boolean isAttachedTo(ClientChannel candidate) {
        return channel == candidate;
    }

    /** The connection is gone; keep buffering for a resume. */
    void detach() {
        channel = null;
        congestedChars = -1;
    }

    /**
     * Attaches a new connection and writes everything after {@code lastSeq}; empty if the history no longer reaches
     * back that far (or the client claims a future seq), in which case nothing is written.
     */
    Optional<Integer> attach(ClientChannel newChannel, long lastSeq) {
        Optional<List<String>> missed = framesAfter(lastSeq);
        if (missed.isEmpty()) return Optional.empty();
        channel = newChannel;
        missed.get().forEach(this::write);
        return Optional.of(missed.get().size());
    }

    /** Every frame after {@code lastSeq}, if all of them are still kept. */
    Optional<List<String>> framesAfter(long lastSeq) {
        long oldestKept = seq - history.size() + 1;
        if (lastSeq > seq || lastSeq + 1 < oldestKept || overflowed) return Optional.empty();
        return Optional.of(history.stream().skip(lastSeq + 1 - oldestKept).toList());
    }

    /** Continues a session that arrived from another node: its numbering, and the frames its client still needs. */
    void continueFrom(long lastSeqOfOrigin, List<String> missedFrames) {
        seq = lastSeqOfOrigin;
        missedFrames.forEach(frame -> {
            remember(frame);
            write(frame);
        });
    }

    /**
     * Nothing sent so far can be asked for again: a fresh session's {@code welcome} was just sent, and no client can
     * present the token it carries without having seen it (and so everything before it). Not kept, it costs nothing
     * while the session idles; a resume claiming an earlier seq is refused like any that reaches back too far.
     */
    void forgetSent() {
        history.clear();
        historyChars = 0;
    }

    void close(int code, String reason) {
        if (channel != null) channel.close(code, reason);
    }

    private void write(String frame) {
        if (channel == cutOff) return; // closed for not reading: nothing more is queued for it (frames stay in history)
        channel.send(frame);
        if (congestedChars >= 0) {
            congestedChars += frame.length();
            if (congestedChars > MAX_CONGESTED_CHARS) {
                cutOff = channel;
                channel.close(SLOW_CONSUMER_CLOSE, "slow consumer");
            }
        } else if (channel.writeQueueFull()) {
            congestedChars = 0;
            ClientChannel congested = channel;
            channel.onDrain(() -> {
                if (channel == congested) congestedChars = -1;
            });
        }
    }

    private void remember(String frame) {
        history.addLast(frame);
        historyChars += frame.length();
        int keep = channel != null ? CONNECTED_HISTORY : DETACHED_MAX_FRAMES;
        if (channel == null && (history.size() > DETACHED_MAX_FRAMES || historyChars > DETACHED_MAX_CHARS)) {
            overflowed = true;
            return;
        }
        while (history.size() > keep) historyChars -= history.removeFirst().length();
    }
}
