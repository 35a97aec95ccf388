package app.noom.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed attempts (unknown resume tokens, wrong room passwords) per key — a session, an IPv4 host or an IPv6
 * /64 — and blocks a key for the rest of a one-minute window once it reached its allowance. Node-wide, lock-free.
 */
public final class AttemptThrottle {
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_TRACKED_KEYS = 100_000;

    private final int allowedFailures;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public AttemptThrottle(int allowedFailures) {
        this.allowedFailures = allowedFailures;
    }

    boolean blocked(String key) {
        return blocked(key, 1);
    }

    /** For keys shared by several clients (an address): {@code shares} times the allowance. */
    boolean blocked(String key, int shares) {
        Window window = windows.get(key);
        return window != null && window.failures(System.nanoTime()) >= allowedFailures * shares;
    }

    void failed(String key) {
        if (windows.size() > MAX_TRACKED_KEYS) windows.values().removeIf(w -> w.expired(System.nanoTime()));
        windows.computeIfAbsent(key, k -> new Window()).fail(System.nanoTime());
    }

    private static final class Window {
        private final AtomicInteger failures = new AtomicInteger();
        private volatile long startedNanos = System.nanoTime();

        int failures(long now) {
            if (expired(now)) {
                startedNanos = now;
                failures.set(0);
            }
            return failures.get();
        }

        boolean expired(long now) {
            return now - startedNanos > WINDOW_NANOS;
        }

        void fail(long now) {
            failures(now);
            failures.incrementAndGet();
        }
    }
}
