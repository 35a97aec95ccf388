package app.noom.session;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.config.AbuseLimits;
import app.noom.config.AbuseLimits.Rate;
import app.noom.protocol.ErrorCode;
import app.noom.protocol.MessageType;
import app.noom.protocol.ProtocolException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private long now = 1_000_000_000L;

    private RateLimits limits(Rate signals, Rate chat, Rate joins) {
        return new RateLimits(new AbuseLimits(signals, chat, joins, 0), () -> now);
    }

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static int taken(RateLimits limits, String type, int tries) {
        MessageType known = MessageType.fromWire(type).orElseThrow();
        int ok = 0;
        for (int i = 0; i < tries; i++) if (limits.take(known, i).isEmpty()) ok++;
        return ok;
    }

    @Test
    void burstThenSteadyRate() {
        RateLimits l = limits(new Rate(200, 400), new Rate(5, 10), new Rate(2, 5));
        assertEquals(10, taken(l, "chat", 50), "a full bucket lets the burst through");
        advanceMillis(1_000);
        assertEquals(5, taken(l, "chat", 50), "then the rate");
        advanceMillis(199);
        assertEquals(0, taken(l, "chat", 1), "less than one token refilled");
        advanceMillis(1);
        assertEquals(1, taken(l, "chat", 5));
        advanceMillis(60_000);
        assertEquals(10, taken(l, "chat", 50), "an idle session saves up at most the burst");
    }

    @Test
    void bucketsAreSeparateAndTypesMapToThem() {
        RateLimits l = limits(new Rate(1, 2), new Rate(1, 3), new Rate(1, 4));
        assertEquals(2, taken(l, "signal", 10) + taken(l, "media", 10), "signal and media share the signals bucket");
        assertEquals(3, taken(l, "chat", 10) + taken(l, "nickname", 10), "chat and nickname share the chat bucket");
        assertEquals(4, taken(l, "join", 2) + taken(l, "rooms-subscribe", 2) + taken(l, "kick", 10));
        for (String free : new String[] {"hello", "ping", "bye", "leave", "rooms-unsubscribe"}) {
            assertEquals(1_000, taken(l, free, 1_000), free + " is not limited");
        }
    }

    @Test
    void refusalIsATypedErrorCarryingTheRequestId() {
        RateLimits l = limits(new Rate(200, 400), new Rate(5, 10), new Rate(2, 5));
        taken(l, "join", 5);
        Optional<ProtocolException> refused = l.take(MessageType.JOIN, "c7");
        assertTrue(refused.isPresent());
        assertEquals(ErrorCode.RATE_LIMITED, refused.get().code());
        assertEquals("rate_limited", refused.get().code().wire());
        assertEquals("c7", refused.get().requestId());
        assertTrue(
                refused.get().getMessage().contains("2 per second"),
                refused.get().getMessage());
    }

    @Test
    void zeroPerSecondMeansUnlimited() {
        RateLimits l = limits(new Rate(0, 1), new Rate(0, 1), new Rate(0, 1));
        assertEquals(100_000, taken(l, "chat", 100_000));
        assertEquals(100_000, taken(l, "signal", 100_000));
    }
}
