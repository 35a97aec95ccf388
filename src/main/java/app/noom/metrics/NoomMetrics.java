package app.noom.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Every Noom meter, named once here (Prometheus names: {@code noom_} prefix, {@code _total} counters, seconds). */
public final class NoomMetrics {
    private final MeterRegistry registry;
    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> redisFailures = new ConcurrentHashMap<>();
    private final Map<String, Timer> relayLatency = new ConcurrentHashMap<>();
    private final Counter turnCredentials;
    private final Counter resumes;
    private final Counter redisReconnects;
    private final Timer redisPublish;

    public NoomMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("noom.sessions", sessions, AtomicInteger::get)
                .description("Open client sessions on this node")
                .register(registry);
        this.turnCredentials = Counter.builder("noom.turn.credentials")
                .description("TURN credentials minted")
                .register(registry);
        this.resumes =
                Counter.builder("noom.resumes").description("Sessions resumed").register(registry);
        this.redisReconnects = Counter.builder("noom.redis.reconnects")
                .description("Redis reconnection attempts")
                .register(registry);
        this.redisPublish = Timer.builder("noom.redis.publish")
                .description("Redis PUBLISH round trip")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(20_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Registers a gauge whose value is read on scrape (rooms, members: owned by presence). */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void sessionOpened() {
        sessions.incrementAndGet();
    }

    public void sessionClosed() {
        sessions.decrementAndGet();
    }

    public void messageIn(String type) {
        messagesIn
                .computeIfAbsent(
                        type,
                        t -> Counter.builder("noom.messages.in")
                                .tag("type", t)
                                .description("Client messages received")
                                .register(registry))
                .increment();
    }

    public void messageOut(String type) {
        messagesOut
                .computeIfAbsent(
                        type,
                        t -> Counter.builder("noom.messages.out")
                                .tag("type", t)
                                .description("Server messages sent")
                                .register(registry))
                .increment();
    }

    public void error(String code) {
        errors.computeIfAbsent(
                        code,
                        c -> Counter.builder("noom.errors")
                                .tag("code", c)
                                .description("Error answers sent, by code")
                                .register(registry))
                .increment();
    }

    /** Time from a relayed message's acceptance to its delivery; path = local | cluster. */
    public void relayLatency(String path, long nanos) {
        relayLatency
                .computeIfAbsent(
                        path,
                        p -> Timer.builder("noom.relay.latency")
                                .tag("path", p)
                                .description("Relay latency")
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofNanos(10_000))
                                .maximumExpectedValue(Duration.ofSeconds(1))
                                .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void turnCredentialsMinted() {
        turnCredentials.increment();
    }

    /** A Redis command that failed while the node carried on (the caller logs it at WARN): by operation. */
    public void redisFailure(String operation) {
        redisFailures
                .computeIfAbsent(
                        operation,
                        o -> Counter.builder("noom.redis.failures")
                                .tag("operation", o)
                                .description("Redis commands that failed while the node carried on")
                                .register(registry))
                .increment();
    }

    /** Redis Cluster moved a subscribed channel's slot (migration, failover): the node subscribed it again. */
    public void redisResubscribed() {
        Counter.builder("noom.redis.resubscriptions")
                .description("Shard channels subscribed again after their slot moved")
                .register(registry)
                .increment();
    }

    /** A room's channels were re-subscribed after a gap: its sessions here were sent {@code room-resync}. */
    public void redisRoomResynced() {
        Counter.builder("noom.redis.room.resyncs")
                .description("Rooms whose sessions were told of a gap in their broker subscription")
                .register(registry)
                .increment();
    }

    /** One Redis Cluster master ({@code host:port}, never a URL): 1 while it answers, 0 while it is down. */
    public void redisShard(String shard, Supplier<Number> up) {
        Gauge.builder("noom.redis.shard.up", up)
                .tag("shard", shard)
                .description("Whether a Redis Cluster master answers (1) or not (0)")
                .register(registry);
    }

    /** The master no longer owns slots (see {@link #redisShard}): its series ends. */
    public void redisShardGone(String shard) {
        Gauge gauge = registry.find("noom.redis.shard.up").tag("shard", shard).gauge();
        if (gauge != null) registry.remove(gauge);
    }

    public void redisReconnectAttempt() {
        redisReconnects.increment();
    }

    public void redisPublished(long nanos) {
        redisPublish.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A connection or request refused before the protocol starts (foreign origin, too many connections per address). */
    public void refused(String reason) {
        refusals.computeIfAbsent(
                        reason,
                        r -> Counter.builder("noom.refused")
                                .tag("reason", r)
                                .description("Connections and requests refused by abuse limits, by reason")
                                .register(registry))
                .increment();
    }

    public void resumed() {
        resumes.increment();
    }
}
