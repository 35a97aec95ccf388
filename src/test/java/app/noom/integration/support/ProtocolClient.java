package app.noom.integration.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import app.noom.logscan.LogCapture;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real protocol client for tests, independent of the transport under it. Calls block the test thread (never an
 * event loop) and wait on events with a deadline: no sleeps.
 */
public abstract class ProtocolClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LinkedBlockingDeque<JsonObject> inbox = new LinkedBlockingDeque<>();
    private final List<JsonObject> seen = new ArrayList<>(); // everything received, in order, for audits
    private final AtomicInteger nextId = new AtomicInteger();
    private volatile boolean closedByServer;
    private volatile Integer closeCode;
    public String sessionId;

    /** Closes the connection from the client side; never throws. */
    @Override
    public abstract void close();

    /** Sends raw text as one frame. */
    public abstract void sendText(String frame);

    /** Transport-specific: deliver each received frame here. */
    protected void received(String frame) {
        JsonObject json = new JsonObject(frame);
        LogCapture.fromMessage(json); // resume tokens, TURN passwords: the log scan looks for them
        synchronized (seen) {
            seen.add(json);
        }
        inbox.add(json);
    }

    protected void closed(Integer code) {
        closeCode = code;
        closedByServer = true;
        inbox.add(new JsonObject().put("type", "__closed").put("code", code));
    }

    public void send(JsonObject message) {
        LogCapture.fromMessage(message); // join tokens, room passwords, presented resume tokens
        sendText(message.encode());
    }

    /** Sends with a fresh id and returns the answer carrying that id as {@code re}. */
    public JsonObject request(JsonObject message) {
        String id = "t" + nextId.incrementAndGet();
        send(message.copy().put("id", id));
        return next(m -> id.equals(m.getValue("re")));
    }

    /** Like {@link #request} but asserts the answer is an error with that code. */
    public JsonObject expectError(JsonObject message, String code) {
        JsonObject answer = request(message);
        assertEquals("error", answer.getString("type"), () -> "expected error " + code + ", got " + answer);
        assertEquals(code, answer.getString("code"), () -> "wrong code in " + answer);
        return answer;
    }

    public JsonObject hello(String nickname) {
        JsonObject welcome =
                request(new JsonObject().put("type", "hello").put("version", 1).put("nickname", nickname));
        assertEquals("welcome", welcome.getString("type"), welcome::encode);
        sessionId = welcome.getString("sessionId");
        return welcome;
    }

    public JsonObject join(String room) {
        JsonObject joined = request(new JsonObject().put("type", "join").put("room", room));
        assertEquals("joined", joined.getString("type"), joined::encode);
        return joined;
    }

    /** Waits for the first message (in arrival order) matching {@code filter}; earlier non-matching ones stay queued. */
    public JsonObject next(Predicate<JsonObject> filter) {
        return next(filter, TIMEOUT);
    }

    public JsonObject next(Predicate<JsonObject> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonObject> skipped = new ArrayList<>();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject message = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (message == null) fail("no matching message within " + timeout + "; unmatched: " + skipped);
                if (filter.test(message)) return message;
                if ("__closed".equals(message.getString("type")) && !filter.test(message)) {
                    inbox.addFirst(message);
                    fail("connection closed (code " + closeCode + ") while waiting; unmatched: " + skipped);
                }
                skipped.add(message);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            for (int i = skipped.size() - 1; i >= 0; i--) inbox.addFirst(skipped.get(i));
        }
    }

    public JsonObject nextOfType(String type) {
        return next(m -> type.equals(m.getString("type")));
    }

    /** Waits for the server to close this connection; returns the close code (null when the transport has none). */
    public Integer awaitClosed() {
        next(m -> "__closed".equals(m.getString("type")));
        return closeCode;
    }

    public boolean closedByServer() {
        return closedByServer;
    }

    /** Drops queued messages matching {@code filter} (already-consumed noise such as room-list pushes). */
    public void discard(Predicate<JsonObject> filter) {
        for (Iterator<JsonObject> it = inbox.iterator(); it.hasNext(); ) {
            if (filter.test(it.next())) it.remove();
        }
    }

    /** Every message received so far, in order. */
    public List<JsonObject> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    public static JsonObject msg(String type) {
        return new JsonObject().put("type", type);
    }
}
