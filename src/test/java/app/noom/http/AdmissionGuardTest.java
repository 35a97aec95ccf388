package app.noom.http;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.metrics.NoomMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionGuardTest {
    private static AdmissionGuard guard(int max, String... origins) {
        return new AdmissionGuard(
                List.of(origins), max, TrustedProxies.NONE, new NoomMetrics(new SimpleMeterRegistry()));
    }

    private static String at(String host) {
        return host;
    }

    @Test
    void originsAreMatchedExactlyAndAbsentOriginsPass() {
        AdmissionGuard g = guard(0, "https://noom.example.org");
        assertTrue(g.originAllowed("https://noom.example.org"));
        assertTrue(g.originAllowed(null), "non-browser clients send no Origin");
        assertFalse(g.originAllowed("https://noom.example.org.evil.com"));
        assertFalse(g.originAllowed("http://noom.example.org"));
        assertFalse(g.originAllowed("null"));
        assertTrue(guard(0).originAllowed("https://anything.example"), "no list: any origin");
    }

    @Test
    void slotsPerAddressAreCountedAndReleasedOnce() {
        AdmissionGuard g = guard(2);
        Optional<AdmissionGuard.Slot> a = g.admit(at("192.0.2.1"));
        Optional<AdmissionGuard.Slot> b = g.admit(at("192.0.2.1"));
        assertTrue(a.isPresent() && b.isPresent());
        assertTrue(g.admit(at("192.0.2.1")).isEmpty());
        assertTrue(g.admit(at("192.0.2.2")).isPresent(), "other addresses have their own count");
        a.get().release();
        a.get().release(); // idempotent: a double release must not open a second slot
        assertEquals(1, g.openFrom(at("192.0.2.1")));
        assertTrue(g.admit(at("192.0.2.1")).isPresent());
        assertTrue(g.admit(at("192.0.2.1")).isEmpty());
    }

    @Test
    void ipv6IsCountedPerSlash64() {
        AdmissionGuard g = guard(1);
        assertTrue(g.admit(at("2001:db8:1:2::1")).isPresent());
        assertTrue(g.admit(at("2001:db8:1:2:ffff::9")).isEmpty(), "same /64");
        assertTrue(g.admit(at("2001:db8:1:3::1")).isPresent(), "another /64");
    }

    /** Many event loops admit and release at once: the count never exceeds the limit and ends at zero. */
    @Test
    void concurrentAdmissionsNeverExceedTheLimit() throws Exception {
        AdmissionGuard g = guard(8);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger worst = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch done = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
            pool.execute(() -> {
                for (int i = 0; i < 20_000; i++) {
                    Optional<AdmissionGuard.Slot> slot = g.admit(at("198.51.100.7"));
                    if (slot.isPresent()) {
                        worst.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        inside.decrementAndGet();
                        slot.get().release();
                    }
                }
                done.countDown();
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(worst.get() <= 8, "at most 8 at once, saw " + worst.get());
        assertEquals(0, g.openFrom(at("198.51.100.7")));
    }
}
