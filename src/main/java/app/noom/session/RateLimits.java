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
    private Bucket signals;
    private Bucket chat;
    private Bucket joins;

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
            case SIGNALS -> {
                if (limits.signals().unlimited()) yield Optional.empty();
                if (signals == null) signals = new Bucket(limits.signals(), clock.getAsLong());
                yield signals.take(limits.signals(), clock)
                        ? Optional.empty()
                        : refusal("signal/media", limits.signals(), requestId);
            }
            case CHAT -> {
                if (limits.chat().unlimited()) yield Optional.empty();
                if (chat == null) chat = new Bucket(limits.chat(), clock.getAsLong());
                yield chat.take(limits.chat(), clock)
                        ? Optional.empty()
                        : refusal("chat/nickname", limits.chat(), requestId);
            }
            case JOINS -> {
                if (limits.joins().unlimited()) yield Optional.empty();
                if (joins == null) joins = new Bucket(limits.joins(), clock.getAsLong());
                yield joins.take(limits.joins(), clock)
                        ? Optional.empty()
                        : refusal("join/room", limits.joins(), requestId);
            }
            case NONE -> Optional.empty();
        };
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
