package app.noom.integration.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code haproxy} running the shipped deploy/haproxy.cfg, rewritten only where a test must: it listens on a free
 * loopback port and every {@code server} line points at one local node. A missing binary FAILS (CI installs haproxy).
 */
public final class HaproxyProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private HaproxyProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static HaproxyProcess inFrontOf(int nodePort) throws IOException, InterruptedException {
        Path shipped = Path.of(System.getProperty("basedir", "."), "deploy", "haproxy.cfg");
        int port = freePort();
        String cfg = Files.readString(shipped)
                // TLS ends at the shipped proxy (the compose stack makes its certificate); here the HTTPS frontend
                // listens in
                // plain HTTP on a loopback port, and the plain-HTTP frontend (a redirect to HTTPS) on another
                .replaceAll("(?m)^(\\s*)bind :8443 .*$", "$1bind 127.0.0.1:" + port)
                .replaceAll("(?m)^(\\s*)bind :8080\\b.*$", "$1bind 127.0.0.1:" + freePort())
                .replace("\"${HTTPS_PORT}\"", "443")
                .replaceAll(
                        "(?m)^(\\s*)maxconn \\S+",
                        "$1maxconn 2000") // the shipped limit needs more descriptors than CI has
                // one backend node only, on a shared 2-core CI machine: a slow health check must not take it out of
                // rotation
                .replaceAll("(?m)\\bfall \\d+", "fall 30")
                .replaceAll("(?m)^(\\s*server \\S+) \\S+:\\d+", "$1 127.0.0.1:" + nodePort);
        Path dir = Files.createTempDirectory("noom-haproxy");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder(binary(), "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HaproxyProcess haproxy = new HaproxyProcess(process, port, log);
        haproxy.awaitServing();
        return haproxy;
    }

    public int port() {
        return port;
    }

    /** Until a request through the proxy reaches the node (its health checks must first see the servers up). */
    private void awaitServing() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) fail("haproxy exited: " + Files.readString(log));
            try {
                if (get(port, "/health").startsWith("HTTP/1.1 200")) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        fail("haproxy did not serve /health within 20 s: " + Files.readString(log));
    }

    /** One raw GET (the path is sent exactly as given); the whole response, head and body. */
    public static String get(int port, String rawPath) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + rawPath + " HTTP/1.1\r\nHost: noom.example.org\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin")
                .split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "haproxy")))
                return Path.of(dir, "haproxy").toString();
        }
        return fail("'haproxy' not found: the proxy tests need it installed (apt-get install -y haproxy)");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
