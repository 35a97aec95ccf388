package app.noom.net;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** At most {@code perMinute} calls per address key in a fixed one-minute window, node-wide and lock-free per key. */
public final class AddressRateWindow {
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_TRACKED = 100_000;

    private record Window(long startNanos, int calls) {}

    private final int perMinute;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public AddressRateWindow(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts one call; false when the key has used up its minute. */
    public boolean take(String key) {
        long now = System.nanoTime();
        if (windows.size() > MAX_TRACKED) windows.values().removeIf(w -> now - w.startNanos() > WINDOW_NANOS);
        Window w = windows.compute(
                key,
                (k, old) -> old == null || now - old.startNanos() > WINDOW_NANOS
                        ? new Window(now, 1)
                        : new Window(old.startNanos(), Math.min(old.calls() + 1, perMinute + 1)));
        return w.calls() <= perMinute;
    }
}
