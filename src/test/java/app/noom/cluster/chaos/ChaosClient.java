package app.noom.cluster.chaos;

import app.noom.integration.support.RawWebSocket;
import app.noom.logscan.LogCapture;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One logical participant: a real WebSocket client (raw RFC 6455 over TCP, so it can drop the connection without a
 * close frame) that records every frame and request into its {@link SessionLog}s. Driven by one thread; each
 * connection has its own reader thread.
 */
final class ChaosClient {
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(5);

    final String name;
    final LiveView view = new LiveView();
    private final History history;
    private final ChaosCluster cluster;
    private final String joinToken;
    private final AtomicLong framesSeen;
    private final Map<String, CompletableFuture<Received>> pending = new ConcurrentHashMap<>();
    private SessionLog session;
    private volatile ConnLog conn;
    private volatile RawWebSocket socket;
    private volatile boolean open;
    private String resumeToken;
    private int connections;
    private int requestIds;
    private long numbers;

    ChaosClient(String name, History history, ChaosCluster cluster, String joinToken, AtomicLong framesSeen) {
        this.name = name;
        this.history = history;
        this.cluster = cluster;
        this.joinToken = joinToken;
        this.framesSeen = framesSeen;
    }

    String sessionId() {
        return session == null ? null : session.id();
    }

    boolean isOpen() {
        return open;
    }

    /** A number for the next chat or signal, unique for this client across its sessions. */
    long nextNumber() {
        return ++numbers;
    }

    /** A fresh session on {@code node}; false if the node could not be reached or did not welcome us in time. */
    boolean hello(int node) {
        SessionLog fresh = new SessionLog(name);
        if (!connect(node, fresh, null)) return false;
        Received welcome = await(send(helloMessage()));
        if (welcome == null || !welcome.is("welcome")) {
            drop(); // the session may exist on the server, but it is in no room; we give it up
            return false;
        }
        adopt(fresh, welcome);
        return true;
    }

    /** Drops the current connection (if any) and resumes the session on {@code node}. */
    boolean resume(int node) {
        if (session == null || resumeToken == null) return hello(node);
        drop();
        long lastSeq = session.frames().stream().mapToLong(Received::seq).max().orElse(0);
        if (!connect(node, session, lastSeq)) return false;
        ConnLog attempt = conn;
        Received welcome = await(send(helloMessage()
                .put("resume", new JsonObject().put("token", resumeToken).put("lastSeq", lastSeq))));
        if (welcome == null || !welcome.is("welcome")) {
            drop();
            return false;
        }
        if (welcome.frame().getBoolean("resumed", false)) {
            resumeToken = welcome.frame().getString("resumeToken");
            return true;
        }
        session.remove(attempt); // a new session began on this connection; the old one is over
        session.end();
        SessionLog fresh = new SessionLog(name);
        fresh.add(attempt);
        view.clear();
        adopt(fresh, welcome);
        return true;
    }

    private void adopt(SessionLog fresh, Received welcome) {
        fresh.id(welcome.frame().getString("sessionId"));
        resumeToken = welcome.frame().getString("resumeToken");
        session = fresh;
        history.add(fresh);
    }

    private JsonObject helloMessage() {
        return new JsonObject()
                .put("type", "hello")
                .put("version", 1)
                .put("nickname", name)
                .put("token", joinToken);
    }

    /** The node of the last connection (-1 before the first). */
    int lastNode = -1;

    private boolean connect(int node, SessionLog owner, Long resumeFrom) {
        lastNode = node;
        try {
            RawWebSocket ws = RawWebSocket.connect(cluster.port(node));
            if (ws.status() != 101) {
                ws.close();
                return false;
            }
            ws.setReadTimeout(0);
            ConnLog log = new ConnLog(++connections, cluster.name(node), resumeFrom);
            owner.add(log);
            conn = log;
            socket = ws;
            open = true;
            Thread reader = new Thread(() -> readLoop(ws, log), name + "-conn" + log.index);
            reader.setDaemon(true);
            reader.start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void readLoop(RawWebSocket ws, ConnLog log) {
        try {
            while (true) {
                RawWebSocket.Frame f = ws.readFrame();
                if (f.opcode() == RawWebSocket.OP_CLOSE) {
                    log.closed(f.closeCode());
                    break;
                }
                if (f.opcode() == RawWebSocket.OP_TEXT)
                    received(log, new Received(System.nanoTime(), new JsonObject(f.text())));
            }
        } catch (IOException | RuntimeException e) {
            // the connection is gone: dropped by us, or the node closed or died
        } finally {
            ws.close();
            if (socket == ws) open = false;
        }
    }

    private void received(ConnLog log, Received r) {
        if (r.is("welcome")) LogCapture.fromMessage(r.frame()); // the log scan looks for resume tokens
        if (!log.received(r)) return;
        framesSeen.incrementAndGet();
        view.apply(r);
        String re = r.re();
        CompletableFuture<Received> waiting = re == null ? null : pending.remove(re);
        if (waiting != null) waiting.complete(r);
    }

    /** Sends a request with a fresh id; the future completes with its reply whenever (and on whichever connection). */
    CompletableFuture<Received> send(JsonObject message) {
        String id = name + "-" + (++requestIds);
        JsonObject withId = message.copy().put("id", id);
        CompletableFuture<Received> reply = new CompletableFuture<>();
        pending.put(id, reply);
        Sent sent = new Sent(System.nanoTime(), id, withId);
        conn.sent(sent);
        try {
            socket.sendText(withId.encode());
        } catch (IOException | RuntimeException e) {
            open = false; // the request is in the transcript; whether the server got it is unknown
        }
        return reply;
    }

    /** The reply, or null if none came within the timeout or the connection closed meanwhile. */
    Received await(CompletableFuture<Received> reply) {
        long deadline = System.nanoTime() + REPLY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return reply.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!open && !reply.isDone()) return null;
            } catch (Exception e) {
                return null;
            }
        }
        return null;
    }

    /** Abrupt drop: the TCP connection closes with no WebSocket close frame (the server sees 1006). */
    void drop() {
        open = false;
        ConnLog current = conn;
        if (current != null) current.abandon();
        RawWebSocket ws = socket;
        if (ws != null) ws.close();
    }

    /** Ends the session: {@code bye}, then the connection. */
    void bye() {
        Received answer = open ? await(send(new JsonObject().put("type", "bye"))) : null;
        if (session != null) {
            // only an answered bye ends the session for sure; one that never reached the server leaves it detached for
            // the
            // resume grace period (then it ends), so its membership is unknown to the oracle, not "out"
            if (answer != null && answer.is("ack")) session.end();
            else session.detachedAtEnd(true);
        }
        view.clear();
        drop();
    }

    void markDetachedAtEnd() {
        if (session != null) session.detachedAtEnd(!open);
    }
}
