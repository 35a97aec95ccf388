package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/tls/prepare.sh, the compose stack's one-shot that gives HAProxy and coturn their certificate, run for real
 * (with openssl) on temporary directories standing in for its two volumes.
 */
class TlsPrepareTest {
    private static final Path SCRIPT = Path.of(System.getProperty("basedir", "."), "deploy", "tls", "prepare.sh");

    @TempDir
    Path out;

    @TempDir
    Path in;

    private record Run(int exit, String output) {}

    private Run prepare(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("TLS_DIR", out.toString());
        builder.environment().put("CERTS_IN_DIR", in.toString());
        builder.environment().remove("PUBLIC_HOST");
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void withoutPublicHostASelfSignedCertificateIsMadeOnceAndKept() throws Exception {
        Run first = prepare(Map.of());
        assertEquals(0, first.exit(), first.output());
        X509Certificate cert = certificate(out.resolve("fullchain.pem"));
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal(), "self-signed");
        assertTrue(
                cert.getSubjectAlternativeNames().stream()
                        .anyMatch(n -> n.get(1).equals("127.0.0.1")),
                "valid for 127.0.0.1");
        String haproxy = Files.readString(out.resolve("haproxy.pem"));
        assertTrue(
                haproxy.contains("BEGIN CERTIFICATE") && haproxy.contains("PRIVATE KEY"), "HAProxy gets chain + key");
        byte[] before = Files.readAllBytes(out.resolve("fullchain.pem"));

        Run second = prepare(Map.of());
        assertEquals(0, second.exit(), second.output());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("fullchain.pem")), "a restart keeps the certificate");
    }

    @Test
    void publicHostWithoutCertificateFilesStopsWithOneLine() throws Exception {
        Run run = prepare(Map.of("PUBLIC_HOST", "noom.example.org"));
        assertNotEquals(0, run.exit());
        List<String> lines = run.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), run.output());
        assertTrue(lines.get(0).contains("PUBLIC_HOST") && lines.get(0).contains("deploy/certs"), run.output());
        assertFalse(Files.exists(out.resolve("haproxy.pem")), "nothing half-made for HAProxy to serve");
    }

    @Test
    void mountedCertificateFilesAreUsedInsteadOfTheSelfSignedOne() throws Exception {
        assertEquals(0, prepare(Map.of()).exit()); // first start without files: self-signed
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=noom.example.org",
                        "-keyout",
                        in.resolve("privkey.pem").toString(),
                        "-out",
                        in.resolve("fullchain.pem").toString())
                .redirectErrorStream(true)
                .start();
        openssl.getInputStream().readAllBytes();
        assertEquals(0, openssl.waitFor());

        Run run = prepare(Map.of("PUBLIC_HOST", "noom.example.org"));
        assertEquals(0, run.exit(), run.output());
        assertEquals(certificate(in.resolve("fullchain.pem")), certificate(out.resolve("fullchain.pem")));
        assertTrue(
                Files.readString(out.resolve("haproxy.pem")).startsWith(Files.readString(in.resolve("fullchain.pem"))));
    }

    @Test
    void aMountedFileThatIsNotACertificateIsRefused() throws Exception {
        Files.writeString(in.resolve("fullchain.pem"), "not a certificate");
        Files.writeString(in.resolve("privkey.pem"), "not a key");
        Run run = prepare(Map.of());
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("fullchain.pem is not a PEM certificate"), run.output());
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
    }
}
