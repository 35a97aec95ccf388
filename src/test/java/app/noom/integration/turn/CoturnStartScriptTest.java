package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose coturn service's entry point (deploy/coturn/coturn-start.sh) with the shipped coturn.conf: a TLS
 * listener without usable certificate files stops it with one line and a non-zero exit, where coturn alone only
 * warns and serves without TLS (see ShippedCoturnConfTest#missingTlsCertificateOnlyWarns). The success path (it
 * execs turnserver with every argument) is CoturnTlsTest, which starts coturn through this script.
 */
class CoturnStartScriptTest {

    @TempDir
    Path dir;

    @Test
    void missingCertificateStopsWithOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n");

        Exit exit = run(Map.of(), "--cert=" + missing, "--pkey=" + key);

        assertRefused(exit, missing.toString());
    }

    @Test
    void theShippedCertificatePathsMissingStopIt() throws Exception {
        // exactly what compose runs when the tls volume is not mounted: the paths from coturn.conf itself
        Exit exit = run(Map.of());

        assertRefused(exit, "/etc/coturn/certs/fullchain.pem");
    }

    @Test
    void missingKeyStopsWithOneLineNamingTheFile() throws Exception {
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        Certificates.selfSigned("localhost", cert, key);
        Files.delete(key);

        assertRefused(run(Map.of(), "--cert=" + cert, "--pkey=" + key), key.toString());
    }

    @Test
    void aCertificateFileThatIsNotPemStopsIt() throws Exception {
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        Certificates.selfSigned("localhost", cert, key);
        Files.writeString(cert, "not a certificate\n");

        assertRefused(run(Map.of(), "--cert=" + cert, "--pkey=" + key), "not a PEM certificate");
    }

    @Test
    void turnsUrlWithTlsSwitchedOffStopsIt() throws Exception {
        Exit exit = run(Map.of("TURN_URLS", "turn:t.example.org:3478,turns:t.example.org:443"), "--no-tls");

        assertRefused(exit, "TURN_URLS");
    }

    private static void assertRefused(Exit exit, String named) {
        assertNotEquals(0, exit.code(), "exit status; output: " + exit.lines());
        assertEquals(1, exit.lines().size(), "exactly one line: " + exit.lines());
        assertTrue(exit.lines().get(0).startsWith("coturn: "), exit.lines().toString());
        assertTrue(exit.lines().get(0).contains(named), "the line names " + named + ": " + exit.lines());
    }

    private record Exit(int code, List<String> lines) {}

    /** sh coturn-start.sh -c coturn.conf --static-auth-secret=… ARGS, as the compose service runs it. */
    private Exit run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                "sh",
                Certificates.repoFile("deploy/coturn/coturn-start.sh").toString(),
                "-c",
                CoturnConf.shipped().path().toString(),
                "--static-auth-secret=" + CoturnProcess.randomSecret()));
        command.addAll(List.of(args));
        command.addAll(List.of("--pidfile=" + dir.resolve("turnserver.pid"), "--userdb=" + dir.resolve("turndb")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("TURN_URLS");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            // the check let it through and turnserver is running: the opposite of what every case here expects
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return new Exit(0, List.of("still running after 30 s (turnserver started)"));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Exit(
                process.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
    }
}
