package app.noom.session;

import app.noom.config.AbuseLimits;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.MessageType;
import app.noom.protocol.ProtocolException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One session's message rates: a token bucket each for signals, chat and joins (which types draw on which:
 * {@link MessageType#rate()}). A message that finds its bucket empty is refused with {@code rate_limited} and not
 * processed. Lives on the session's event loop: no locks.
 *
 * <p>Every session holds this for its whole life, so it keeps only what varies per session: a bucket's level and last
 * refill, created on the bucket's first use (a bucket starts full, and a full one stays full until used: creating it
 * then is the same). Unlimited rates keep nothing.
 */
public final class RateLimits {
    private final AbuseLimits limits;
    private final LongSupplier clock;
    private Bucket[] buckets; // by MessageType.Rate ordinal; created on the first limited message

    public RateLimits(AbuseLimits limits) {
        this(limits, System::nanoTime);
    }

    public RateLimits(AbuseLimits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.clock = nanoClock;
    }

    /** Takes a token for a message of {@code type}; the error to answer with if its bucket is empty. */
    public Optional<ProtocolException> take(MessageType type, Object requestId) {
        return switch (type.rate()) {
            case SIGNALS -> take(type.rate(), limits.signals(), "signal/media", requestId);
            case CHAT -> take(type.rate(), limits.chat(), "chat/nickname", requestId);
            case JOINS -> take(type.rate(), limits.joins(), "join/room", requestId);
            case NONE -> Optional.empty();
        };
    }

    private Optional<ProtocolException> take(
            MessageType.Rate which, AbuseLimits.Rate rate, String name, Object requestId) {
        if (rate.unlimited()) return Optional.empty();
        if (buckets == null) buckets = new Bucket[MessageType.Rate.values().length];
        Bucket bucket = buckets[which.ordinal()];
        if (bucket == null) bucket = buckets[which.ordinal()] = new Bucket(rate, clock.getAsLong());
        return bucket.take(rate, clock) ? Optional.empty() : refusal(name, rate, requestId);
    }

    private static Optional<ProtocolException> refusal(String name, AbuseLimits.Rate rate, Object requestId) {
        return Optional.of(new ProtocolException(
                ErrorCode.RATE_LIMITED,
                "too many " + name + " messages: at most " + rate.perSecond() + " per second (bursts of " + rate.burst()
                        + ")",
                requestId));
    }

    /** Starts full; refills continuously at the rate's {@code perSecond}, never above its {@code burst}. */
    private static final class Bucket {
        private double tokens;
        private long lastRefill;

        Bucket(AbuseLimits.Rate rate, long now) {
            this.tokens = rate.burst();
            this.lastRefill = now;
        }

        boolean take(AbuseLimits.Rate rate, LongSupplier clock) {
            long now = clock.getAsLong();
            double tokensPerNano = rate.perSecond() / (double) TimeUnit.SECONDS.toNanos(1);
            tokens = Math.min(rate.burst(), tokens + (now - lastRefill) * tokensPerNano);
            lastRefill = now;
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }
}
