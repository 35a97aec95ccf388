package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test certificates made by the openssl command line (as deploy/tls/prepare.sh makes them), and repo paths. */
final class Certificates {

    private Certificates() {}

    /** A self-signed RSA certificate for {@code host} (CN and DNS subjectAltName), valid two days. */
    static void selfSigned(String host, Path cert, Path key) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=" + host,
                        "-addext",
                        "subjectAltName=DNS:" + host,
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS)) openssl.destroyForcibly();
        assertEquals(0, openssl.exitValue(), "openssl req failed: " + output);
    }

    static Path repoFile(String relative) {
        return Path.of(System.getProperty("basedir", "."))
                .resolve(relative)
                .toAbsolutePath()
                .normalize();
    }
}
