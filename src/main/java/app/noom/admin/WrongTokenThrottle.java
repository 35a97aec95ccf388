package app.noom.admin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Wrong admin tokens per client address (IPv6: per /64) in a fixed one-minute window: past the allowance, the address
 * gets 429 without its token being checked, until the window ends. A right token does not reset the count — otherwise
 * an operator's page, polling beside a guesser on the same address, would keep reopening the guessing.
 */
final class WrongTokenThrottle {
    static final int ALLOWED_PER_MINUTE = 20;
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_TRACKED = 100_000;

    private record Window(long startNanos, int failures) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    boolean blocked(String addressKey) {
        Window w = windows.get(addressKey);
        return w != null && System.nanoTime() - w.startNanos() <= WINDOW_NANOS && w.failures() >= ALLOWED_PER_MINUTE;
    }

    void failed(String addressKey) {
        long now = System.nanoTime();
        if (windows.size() > MAX_TRACKED) windows.values().removeIf(w -> now - w.startNanos() > WINDOW_NANOS);
        windows.compute(
                addressKey,
                (k, w) -> w == null || now - w.startNanos() > WINDOW_NANOS
                        ? new Window(now, 1)
                        : new Window(w.startNanos(), w.failures() + 1));
    }

    /** Seconds until the address's window ends (for Retry-After). */
    long secondsLeft(String addressKey) {
        Window w = windows.get(addressKey);
        if (w == null) return 0;
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS - (System.nanoTime() - w.startNanos())) + 1);
    }
}
