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
 */
public final class RateLimits {
    private final Bucket signals;
    private final Bucket chat;
    private final Bucket joins;

    public RateLimits(AbuseLimits limits) {
        this(limits, System::nanoTime);
    }

    public RateLimits(AbuseLimits limits, LongSupplier nanoClock) {
        this.signals = new Bucket("signal/media", limits.signals(), nanoClock);
        this.chat = new Bucket("chat/nickname", limits.chat(), nanoClock);
        this.joins = new Bucket("join/room", limits.joins(), nanoClock);
    }

    /** Takes a token for a message of {@code type}; the error to answer with if its bucket is empty. */
    public Optional<ProtocolException> take(MessageType type, Object requestId) {
        Bucket bucket = switch (type.rate()) {
            case SIGNALS -> signals;
            case CHAT -> chat;
            case JOINS -> joins;
            case NONE -> null;
        };
        if (bucket == null || bucket.take()) return Optional.empty();
        return Optional.of(new ProtocolException(
                ErrorCode.RATE_LIMITED,
                "too many " + bucket.name + " messages: at most " + bucket.rate.perSecond() + " per second (bursts of "
                        + bucket.rate.burst() + ")",
                requestId));
    }

    /** Starts full; refills continuously at {@code perSecond}, never above {@code burst}. */
    private static final class Bucket {
        private final String name;
        private final AbuseLimits.Rate rate;
        private final LongSupplier clock;
        private final double tokensPerNano;
        private double tokens;
        private long lastRefill;

        Bucket(String name, AbuseLimits.Rate rate, LongSupplier clock) {
            this.name = name;
            this.rate = rate;
            this.clock = clock;
            this.tokensPerNano = rate.perSecond() / (double) TimeUnit.SECONDS.toNanos(1);
            this.tokens = rate.burst();
            this.lastRefill = clock.getAsLong();
        }

        boolean take() {
            if (rate.unlimited()) return true;
            long now = clock.getAsLong();
            tokens = Math.min(rate.burst(), tokens + (now - lastRefill) * tokensPerNano);
            lastRefill = now;
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }
}
