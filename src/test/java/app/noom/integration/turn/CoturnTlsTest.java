package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.ice.TurnCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TURN over TLS ({@code turns:}) end to end: the SHIPPED coturn.conf, started through the SHIPPED entry point
 * (deploy/coturn/coturn-start.sh) with a self-signed certificate for "localhost" made by openssl, on a free loopback
 * port standing in for 443 (the port number is the only difference). The client verifies the certificate and host
 * name as a browser does, and authenticates with a credential minted by Noom's TURN REST code.
 */
class CoturnTlsTest {

    private static final String SECRET = CoturnProcess.randomSecret();
    private static final String HOST = "localhost";

    @TempDir
    static Path certDir;

    private static Path cert;
    private static CoturnProcess coturn;

    @BeforeAll
    static void startCoturnWithTls() throws Exception {
        cert = certDir.resolve("fullchain.pem");
        Path key = certDir.resolve("privkey.pem");
        Certificates.selfSigned(HOST, cert, key);
        coturn = CoturnProcess.startShippedWithTls(
                Certificates.repoFile("deploy/coturn/coturn-start.sh"),
                CoturnConf.shipped().path(),
                SECRET,
                cert,
                key);
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) coturn.close();
    }

    @Test
    void noomCredentialAllocatesARelayOverTls() throws Exception {
        TurnCredentials.Credential credential = new TurnCredentials(SECRET).mint("session-tls");

        TurnTlsClient.Answer answer =
                TurnTlsClient.allocate(coturn.tlsPort(), cert, HOST, credential.username(), credential.password());

        assertEquals(
                TurnTlsClient.ALLOCATE_SUCCESS,
                answer.type(),
                "Allocate over TLS, error " + answer.errorCode() + "; coturn log:\n"
                        + CoturnProcess.tail(coturn.log()));
        assertTrue(answer.relayed(), "a relayed address is granted");
        assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(answer.tlsProtocol()), answer.tlsProtocol());
    }

    @Test
    void forgedPasswordIsRefusedOverTls() throws Exception {
        String username = new TurnCredentials(SECRET).mint("session-tls-forged").username();
        byte[] forged = new byte[20];
        new SecureRandom().nextBytes(forged);

        TurnTlsClient.Answer answer = TurnTlsClient.allocate(
                coturn.tlsPort(), cert, HOST, username, Base64.getEncoder().encodeToString(forged));

        assertEquals(TurnTlsClient.ALLOCATE_ERROR, answer.type());
        assertEquals(401, answer.errorCode());
        assertFalse(answer.relayed());
    }

    @Test
    void credentialUnderAnotherSecretIsRefusedOverTls() throws Exception {
        TurnCredentials.Credential other = new TurnCredentials(CoturnProcess.randomSecret()).mint("session-tls-other");

        TurnTlsClient.Answer answer =
                TurnTlsClient.allocate(coturn.tlsPort(), cert, HOST, other.username(), other.password());

        assertEquals(TurnTlsClient.ALLOCATE_ERROR, answer.type());
        assertEquals(401, answer.errorCode());
    }

    @Test
    void aNameTheCertificateDoesNotCoverFailsTheHandshake() throws Exception {
        // what a browser does with turns:other.example.org when coturn serves the wrong certificate
        TurnCredentials.Credential credential = new TurnCredentials(SECRET).mint("session-tls-name");

        try {
            TurnTlsClient.allocate(
                    coturn.tlsPort(), cert, "turn.other.example", credential.username(), credential.password());
            throw new AssertionError("TLS handshake must fail for a name the certificate does not cover");
        } catch (SSLHandshakeException expected) {
            assertTrue(Files.exists(cert));
        }
    }

    @Test
    void coturnLoadedTheCertificateAndNeverLoggedTheSecret() {
        String log = coturn.log();
        assertFalse(log.contains("cannot find certificate file"), CoturnProcess.tail(log));
        assertFalse(log.contains("<secret>"), "coturn printed its static-auth-secret");
    }
}
