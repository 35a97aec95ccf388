package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.ice.TurnCredentials;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped coturn.conf, run by a real turnserver ({@code -c coturn.conf} plus loopback/port overrides only).
 *
 * <p>How a refused relay is asserted: {@code turnutils_uclient -e PEER -n 1 -m 1 -c} authenticates, allocates a
 * relay, then asks for a channel to PEER. coturn checks PEER against {@code denied-peer-ip} (and its built-in
 * loopback/unspecified rules) right there and answers {@code 403 Forbidden IP}; uclient prints
 * "channel bind: error 403 (Forbidden IP)" and exits non-zero. We require both. A refusal for any other reason
 * (auth, quota: "486", address family: "440") therefore does not count. As the control, the same server, same
 * flags, grants a public peer (exit 0, no 403): so the 403s come from the ranges, not from a blanket refusal.
 * The control peers cannot be reached from a loopback-bound relay (8.8.8.8: the kernel refuses to send from
 * 127.0.0.1; 3fff::1 is the RFC 9637 documentation prefix), so nothing leaves this machine; uclient merely waits
 * ~15 s for echoes that never come, which is why the probes run in parallel.
 *
 * <p>IPv6 peers ({@code -x}: IPv6 relay requested) need an IPv6 relay, hence {@code --relay-ip=::1}; without one,
 * coturn answers 440 before it ever looks at the peer, which would prove nothing about ::ffff:127.0.0.1.
 */
class ShippedCoturnConfTest {

    private static final String SECRET = CoturnProcess.randomSecret();
    private static final List<String> DENIED_V4 =
            List.of("127.0.0.1", "0.0.0.0", "10.0.0.1", "169.254.169.254", "172.16.0.1", "192.168.1.1", "100.64.0.1");
    /** Includes the IPv4-mapped and NAT64 forms of loopback / private / metadata addresses. */
    private static final List<String> DENIED_V6 = List.of(
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "::1",
            "::",
            "fd00::1",
            "fe80::1");

    private static final String ALLOWED_V4 = "8.8.8.8";
    private static final String ALLOWED_V6 = "3fff::1";

    private static CoturnConf conf;
    private static CoturnProcess coturn;
    private static Map<String, Uclient.Result> probes;

    @BeforeAll
    static void startShippedConfigAndProbe() throws Exception {
        requireIpv6Loopback();
        conf = CoturnConf.shipped();
        coturn = CoturnProcess.startShipped(conf.path(), SECRET);
        probes = probeAll();
    }

    @AfterAll
    static void stop() {
        if (coturn != null) coturn.close();
    }

    @Test
    void coturnParsesEveryLine() {
        String log = coturn.log();
        assertFalse(log.contains("Bad configuration format"), CoturnProcess.tail(log));
        assertFalse(log.contains("CONFIG ERROR"), CoturnProcess.tail(log));
        assertFalse(log.contains("allow_loopback_peers"), "loopback peers must stay forbidden");
        assertTrue(log.contains("--no-tcp-relay"), "coturn should acknowledge no-tcp-relay");
    }

    @Test
    void coturnLoadsEveryDeniedRange() {
        long loaded =
                coturn.log().lines().filter(l -> l.contains("Black listing: ")).count();
        assertEquals(conf.values("denied-peer-ip").size(), loaded, "denied-peer-ip lines vs ranges coturn loaded");
    }

    @Test
    void missingTlsCertificateOnlyWarns() {
        // The shipped cert/pkey paths do not exist here: coturn must warn and keep serving plain TURN (it answered
        // STUN to become ready, and the allowed-peer control below allocated through it).
        String log = coturn.log();
        assertTrue(log.contains("WARNING: cannot find certificate file"), CoturnProcess.tail(log));
        assertEquals(
                0, probes.get(ALLOWED_V4).exitCode(), probes.get(ALLOWED_V4).describe());
    }

    @Test
    void deniedIpv4PeersAreRefusedWith403() {
        DENIED_V4.forEach(ShippedCoturnConfTest::assertForbidden);
    }

    @Test
    void deniedIpv6AndMappedPeersAreRefusedWith403() {
        DENIED_V6.forEach(ShippedCoturnConfTest::assertForbidden);
    }

    @Test
    void publicPeersAreStillRelayed() {
        for (String peer : List.of(ALLOWED_V4, ALLOWED_V6)) {
            Uclient.Result r = probes.get(peer);
            assertEquals(0, r.exitCode(), peer + ": " + r.describe());
            assertFalse(r.contains("403"), peer + ": " + r.describe());
        }
    }

    private static void assertForbidden(String peer) {
        Uclient.Result r = probes.get(peer);
        assertNotEquals(0, r.exitCode(), peer + " was relayed: " + r.describe());
        assertTrue(r.contains("error 403 (Forbidden IP)"), peer + " refused for another reason: " + r.describe());
    }

    /** All probes at once (each with its own username, so user-quota never interferes). */
    private static Map<String, Uclient.Result> probeAll() throws Exception {
        TurnCredentials minter = new TurnCredentials(SECRET);
        List<String> peers = new ArrayList<>(DENIED_V4);
        peers.addAll(DENIED_V6);
        peers.add(ALLOWED_V4);
        peers.add(ALLOWED_V6);
        ExecutorService pool = Executors.newFixedThreadPool(peers.size());
        try {
            Map<String, CompletableFuture<Uclient.Result>> running = new LinkedHashMap<>();
            for (String peer : peers) {
                String[] flags = peer.contains(":")
                        ? new String[] {"-x", "-e", peer, "-n", "1", "-m", "1", "-c"}
                        : new String[] {"-e", peer, "-n", "1", "-m", "1", "-c"};
                running.put(
                        peer,
                        CompletableFuture.supplyAsync(
                                () -> {
                                    try {
                                        return Uclient.run(coturn, minter.mint("probe " + peer), flags);
                                    } catch (Exception e) {
                                        throw new IllegalStateException(
                                                "uclient probe for " + peer + " failed to run", e);
                                    }
                                },
                                pool));
            }
            Map<String, Uclient.Result> results = new LinkedHashMap<>();
            for (Map.Entry<String, CompletableFuture<Uclient.Result>> e : running.entrySet()) {
                results.put(e.getKey(), e.getValue().get(90, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void requireIpv6Loopback() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            assertTrue(probe.isBound());
        } catch (java.net.SocketException e) {
            throw new AssertionError("IPv6 loopback ::1 is needed to probe IPv6/mapped peers through an IPv6 relay", e);
        }
    }
}
