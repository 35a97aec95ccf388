package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Static review of the shipped coturn.conf: what must (and must never) be in it. {@link ShippedCoturnConfTest}
 * then proves coturn itself reads it that way.
 */
class CoturnConfFileTest {

    /**
     * IANA special-purpose ranges every production TURN relay must refuse (docs/REFERENCE: EnableSecurity guide,
     * coturn README). ::/128 is absent on purpose: see {@link #noBoundIsTheAllZeroWildcard()}.
     */
    private static final List<String> MUST_DENY = List.of(
            "0.0.0.0/8",
            "10.0.0.0/8",
            "100.64.0.0/10",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "172.16.0.0/12",
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.168.0.0/16",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "224.0.0.0/4",
            "240.0.0.0/4",
            "::1/128",
            "::ffff:0:0/96",
            "64:ff9b::/96",
            "100::/64",
            "2001::/23",
            "2001:db8::/32",
            "fc00::/7",
            "fe80::/10",
            "ff00::/8");

    private static CoturnConf conf;

    @BeforeAll
    static void load() throws Exception {
        conf = CoturnConf.shipped();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "use-auth-secret",
                "realm",
                "fingerprint",
                "no-cli",
                "no-multicast-peers",
                "no-tcp-relay",
                "no-software-attribute",
                "stale-nonce",
                "user-quota",
                "total-quota",
                "max-bps",
                "bps-capacity",
                "max-allocate-lifetime",
                "min-port",
                "max-port",
                "cert",
                "pkey",
                "no-tlsv1",
                "no-tlsv1_1"
            })
    void hardeningDirectiveIsSet(String directive) {
        assertTrue(conf.has(directive), directive + " missing from " + conf);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "allow-loopback-peers",
                "web-admin",
                "no-auth",
                "lt-cred-mech",
                "static-auth-secret",
                "cli-password"
            })
    void forbiddenDirectiveIsAbsent(String directive) {
        // static-auth-secret: the real value comes from the command line (--static-auth-secret=$TURN_SECRET), never git
        assertFalse(conf.has(directive), directive + " must not be active in " + conf);
    }

    @Test
    void tlsOn5349AndExternalIpDocumented() {
        assertEquals(List.of("5349"), conf.values("tls-listening-port"));
        assertEquals(List.of("3478"), conf.values("listening-port"));
        assertTrue(conf.lines().stream().anyMatch(l -> l.startsWith("#external-ip=")), "external-ip example for NAT");
    }

    @Test
    void secretRotationIsDocumented() {
        String text = String.join("\n", conf.lines());
        assertTrue(text.contains("--static-auth-secret=$TURN_SECRET"), "how the secret is passed");
        assertTrue(text.toLowerCase().contains("rotation"), "rotation procedure");
    }

    @Test
    void relayPortRangeIsNarrow() {
        int min = Integer.parseInt(conf.values("min-port").get(0));
        int max = Integer.parseInt(conf.values("max-port").get(0));
        assertTrue(min >= 49152 && max <= 65535 && min < max, min + ".." + max);
        assertTrue(max - min + 1 <= 2000, "range of " + (max - min + 1) + " ports is not narrow");
        int totalQuota = Integer.parseInt(conf.values("total-quota").get(0));
        assertTrue(totalQuota <= max - min + 1, "total-quota above the number of relay ports");
    }

    @Test
    void bandwidthCapacityCoversTheAllocationQuota() {
        // coturn reserves max-bps per allocation out of bps-capacity: a smaller capacity refuses allocations (486)
        // below total-quota. Found by ShippedCoturnConfTest's parallel probes with an earlier config.
        long capacity = Long.parseLong(conf.values("bps-capacity").get(0));
        long perAllocation = Long.parseLong(conf.values("max-bps").get(0));
        long totalQuota = Long.parseLong(conf.values("total-quota").get(0));
        assertTrue(
                perAllocation > 0 && capacity >= totalQuota * perAllocation,
                "bps-capacity " + capacity + " < total-quota " + totalQuota + " x max-bps " + perAllocation);
    }

    @Test
    void everySpecialPurposeRangeIsDenied() {
        List<CoturnConf.Range> denied = conf.deniedPeerRanges();
        for (String cidr : MUST_DENY) {
            CoturnConf.Range required = CoturnConf.Range.cidr(cidr);
            assertTrue(
                    denied.stream().anyMatch(d -> d.covers(required)), cidr + " is not covered by any denied-peer-ip");
        }
    }

    /**
     * coturn's range check treats an all-zero bound as "unbounded" (ioa_addr_in_range: addr_any(min) / addr_any(max)),
     * so {@code denied-peer-ip=::} or a lone {@code 0.0.0.0} denies EVERY peer — found the hard way. The only
     * harmless zero bound is the IPv4 lower bound of 0.0.0.0/8, whose upper bound keeps it inside IPv4.
     */
    @Test
    void noBoundIsTheAllZeroWildcard() {
        for (CoturnConf.Range r : conf.deniedPeerRanges()) {
            assertFalse(r.max().signum() == 0, r.text() + ": zero upper bound = deny everything");
            assertFalse(
                    r.v6() && r.min().signum() == 0, r.text() + ": zero IPv6 lower bound also matches all IPv4 peers");
        }
    }
}
