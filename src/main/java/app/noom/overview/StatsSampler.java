package app.noom.overview;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * Samples this node's meters (the {@code noom_sessions} gauge, the {@code noom_messages_in/out} counters summed over
 * message types), keeping the previous sample so rates can be derived. Called by the heartbeat when clustered, by a
 * timer on a single node.
 */
public final class StatsSampler {
    public static final long INTERVAL_MS = 2_000;

    private final MeterRegistry registry;
    private NodeStats latest;

    public StatsSampler(MeterRegistry registry) {
        this.registry = registry;
        this.latest = new NodeStats(0, 0, 0, 0, 0, 0, 0);
    }

    public synchronized NodeStats sample() {
        NodeStats previous = latest;
        latest = new NodeStats(
                sessions(),
                total("noom.messages.in"),
                total("noom.messages.out"),
                System.currentTimeMillis(),
                previous.messagesIn(),
                previous.messagesOut(),
                previous.atMillis());
        return latest;
    }

    public synchronized NodeStats latest() {
        return latest;
    }

    /** For the heartbeat: sample now, as the fields of the node's stats hash. */
    public Map<String, String> sampleFields() {
        return sample().toFields();
    }

    private long sessions() {
        Gauge gauge = registry.find("noom.sessions").gauge();
        return gauge == null ? 0 : Math.round(gauge.value());
    }

    private long total(String counterName) {
        return Math.round(registry.find(counterName).counters().stream()
                .mapToDouble(Counter::count)
                .sum());
    }
}
