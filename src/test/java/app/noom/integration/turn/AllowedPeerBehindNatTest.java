package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.ice.TurnCredentials;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 1:1 NAT note (README, coturn.conf, deploy/k8s/coturn.md): with the shipped deny list, one
 * {@code allowed-peer-ip=PRIVATE} line lets exactly the relay's own private address back in and nothing next to it.
 * Probed as ShippedCoturnConfTest probes (a channel bind: "403 Forbidden IP" means refused by the peer rules; the
 * allowed peer is never reached from a loopback relay, so nothing leaves this machine).
 */
class AllowedPeerBehindNatTest {

    private static final String SECRET = CoturnProcess.randomSecret();
    /** Stands for the VM's private address, the PRIVATE half of external-ip. */
    private static final String PRIVATE_RELAY = "10.0.0.5";

    private static final String NEIGHBOUR = "10.0.0.6";

    private static CoturnProcess coturn;

    @BeforeAll
    static void startShippedConfigWithTheNatLine() throws Exception {
        coturn = CoturnProcess.startShipped(
                CoturnConf.shipped().path(), SECRET, List.of("--allowed-peer-ip=" + PRIVATE_RELAY));
    }

    @AfterAll
    static void stop() {
        if (coturn != null) coturn.close();
    }

    @Test
    void exactlyThePrivateRelayAddressIsAllowedBack() throws Exception {
        CompletableFuture<Uclient.Result> own = probe(PRIVATE_RELAY);
        CompletableFuture<Uclient.Result> neighbour = probe(NEIGHBOUR);

        Uclient.Result allowed = own.get(90, TimeUnit.SECONDS);
        assertEquals(0, allowed.exitCode(), allowed.describe());
        assertFalse(allowed.contains("403"), allowed.describe());
        Uclient.Result refused = neighbour.get(90, TimeUnit.SECONDS);
        assertNotEquals(0, refused.exitCode(), refused.describe());
        assertTrue(refused.contains("error 403 (Forbidden IP)"), refused.describe());
    }

    @Test
    void theNoteSitsNextToTheDenyListAndTheKubernetesNotes() throws Exception {
        String conf = String.join("\n", CoturnConf.shipped().lines());
        assertTrue(conf.contains("#allowed-peer-ip="), "coturn.conf carries the commented allowed-peer-ip line");
        assertTrue(conf.indexOf("#allowed-peer-ip=") < conf.indexOf("denied-peer-ip="), "before the deny list");
        String k8s = Files.readString(Certificates.repoFile("deploy/k8s/coturn.md"));
        assertTrue(k8s.contains("--allowed-peer-ip="), "deploy/k8s/coturn.md explains allowed-peer-ip");
    }

    private static CompletableFuture<Uclient.Result> probe(String peer) {
        String username = "nat probe " + peer;
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Uclient.run(
                        coturn, new TurnCredentials(SECRET).mint(username), "-e", peer, "-n", "1", "-m", "1", "-c");
            } catch (Exception e) {
                throw new IllegalStateException("uclient probe for " + peer + " failed to run", e);
            }
        });
    }
}
