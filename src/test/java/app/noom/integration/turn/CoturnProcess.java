package app.noom.integration.turn;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code turnserver} on a free loopback port, with its pid file, user db and log in a private temp dir.
 * Ready means it answers a STUN Binding request over UDP and accepts TCP: polled with a deadline, never slept.
 * The log is read back through {@link #log()}, with every secret replaced so a failure message cannot leak it.
 */
public final class CoturnProcess implements AutoCloseable {

    static final String REALM = "noom.test";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(20);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final Process process;
    private final Path dir;
    private final Path logFile;
    private final int port;
    private final int tlsPort;
    private final List<String> secrets;

    private CoturnProcess(Process process, Path dir, Path logFile, int port, int tlsPort, List<String> secrets) {
        this.process = process;
        this.dir = dir;
        this.logFile = logFile;
        this.port = port;
        this.tlsPort = tlsPort;
        this.secrets = secrets;
    }

    public static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The TEST variant: its own minimal config accepting every secret given (coturn tries each, as in a rotation)
     * and with {@code allow-loopback-peers}, which {@code turnutils_uclient -y} needs because its two clients talk
     * to each other through relay addresses on 127.0.0.1. Never use this config outside tests.
     */
    public static CoturnProcess startTestVariant(List<String> secrets) throws IOException {
        Path dir = Files.createTempDirectory("noom-coturn-");
        int port = freeUdpAndTcpPort();
        StringBuilder conf = new StringBuilder().append("use-auth-secret\n");
        secrets.forEach(s -> conf.append("static-auth-secret=").append(s).append('\n'));
        conf.append("realm=")
                .append(REALM)
                .append('\n')
                .append("listening-ip=127.0.0.1\n")
                .append("relay-ip=127.0.0.1\n")
                .append("listening-port=")
                .append(port)
                .append('\n')
                .append("allow-loopback-peers\n")
                .append("no-cli\n")
                .append("no-tls\n")
                .append("no-dtls\n")
                .append("fingerprint\n")
                .append("log-file=stdout\n")
                .append("simple-log\n")
                .append("pidfile=")
                .append(dir.resolve("turnserver.pid"))
                .append('\n')
                .append("userdb=")
                .append(dir.resolve("turndb"))
                .append('\n');
        Path confFile = dir.resolve("turnserver-test.conf");
        Files.writeString(confFile, conf, StandardCharsets.UTF_8);
        // The secret sits in this file: owner-only, and deleted in close().
        Files.setPosixFilePermissions(confFile, PosixFilePermissions.fromString("rw-------"));
        return start(List.of(), dir, port, 0, List.of("-c", confFile.toString()), secrets);
    }

    /**
     * The SHIPPED coturn.conf, with only what running unprivileged on loopback requires layered on top by command
     * line (coturn applies command-line options over the file): the secret (as in production), loopback listening
     * and relay addresses (IPv4 and IPv6, so IPv6 peers can be probed), free ports, and pid/db/log paths in a temp
     * dir. Nothing here loosens the peer restrictions: no allow-loopback-peers.
     */
    static CoturnProcess startShipped(Path coturnConf, String secret) throws IOException {
        return startShipped(coturnConf, secret, List.of());
    }

    /** As {@link #startShipped(Path, String)}, with {@code extraArgs} (e.g. {@code --allowed-peer-ip=…}) appended. */
    static CoturnProcess startShipped(Path coturnConf, String secret, List<String> extraArgs) throws IOException {
        Path dir = Files.createTempDirectory("noom-coturn-shipped-");
        int port = freeUdpAndTcpPort();
        int tlsPort = freeUdpAndTcpPort();
        List<String> args = shippedOnLoopback(coturnConf, secret, dir, port, tlsPort);
        args.add("--relay-ip=::1"); // so IPv6 peers can be probed
        args.addAll(extraArgs);
        return start(List.of(), dir, port, tlsPort, args, List.of(secret));
    }

    /** The shipped file plus what running unprivileged on loopback needs: secret, addresses, ports, paths in dir. */
    private static List<String> shippedOnLoopback(Path coturnConf, String secret, Path dir, int port, int tlsPort) {
        return new ArrayList<>(List.of(
                "-c",
                coturnConf.toAbsolutePath().toString(),
                "--static-auth-secret=" + secret,
                "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1",
                "--listening-port=" + port,
                "--tls-listening-port=" + tlsPort,
                "--pidfile=" + dir.resolve("turnserver.pid"),
                "--userdb=" + dir.resolve("turndb"),
                "--log-file=stdout"));
    }

    /**
     * The SHIPPED coturn.conf started through the shipped entry point ({@code deploy/coturn/coturn-start.sh}, run by
     * sh as compose runs it), with the same loopback overrides as {@link #startShipped} plus a TLS certificate and key.
     */
    static CoturnProcess startShippedWithTls(Path entryPoint, Path coturnConf, String secret, Path cert, Path key)
            throws IOException {
        Path dir = Files.createTempDirectory("noom-coturn-tls-");
        int port = freeUdpAndTcpPort();
        int tlsPort = freeUdpAndTcpPort();
        List<String> args = shippedOnLoopback(coturnConf, secret, dir, port, tlsPort);
        args.add("--cert=" + cert.toAbsolutePath());
        args.add("--pkey=" + key.toAbsolutePath());
        return start(List.of("sh", entryPoint.toAbsolutePath().toString()), dir, port, tlsPort, args, List.of(secret));
    }

    /** @param launcher empty: turnserver itself; else the entry point that execs turnserver from PATH */
    private static CoturnProcess start(
            List<String> launcher, Path dir, int port, int tlsPort, List<String> args, List<String> secrets)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        if (launcher.isEmpty()) command.add(TurnBinaries.turnserver().toString());
        else TurnBinaries.turnserver(); // fails clearly when coturn is not installed
        command.addAll(args);
        Path logFile = dir.resolve("turnserver.log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        CoturnProcess coturn = new CoturnProcess(process, dir, logFile, port, tlsPort, List.copyOf(secrets));
        try {
            coturn.awaitReady();
        } catch (RuntimeException | Error e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    public int port() {
        return port;
    }

    /** The TLS listener (turns:), 0 when TLS is off. */
    int tlsPort() {
        return tlsPort;
    }

    /** Everything coturn printed so far, secrets redacted. */
    public String log() {
        try {
            return redact(Files.readString(logFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String redact(String text) {
        String out = text;
        for (String s : secrets) out = out.replace(s, "<secret>");
        return out;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("turnserver exited with " + process.exitValue() + " before it was ready; log:\n" + tail(log()));
            }
            // stunAnswers() blocks up to 200 ms on receive: that is the poll interval, no sleep needed.
            if (stunAnswers(port) && tcpAccepts(port)) return;
        }
        fail("turnserver did not answer STUN on 127.0.0.1:" + port + " within " + READY_DEADLINE + "; log:\n"
                + tail(log()));
    }

    /** Sends an RFC 5389 Binding request and waits up to 200 ms for the matching success response. */
    private static boolean stunAnswers(int port) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(200);
            byte[] txId = new byte[12];
            new SecureRandom().nextBytes(txId);
            ByteBuffer request = ByteBuffer.allocate(20)
                    .putShort((short) 0x0001)
                    .putShort((short) 0)
                    .putInt(0x2112A442)
                    .put(txId);
            socket.send(new DatagramPacket(request.array(), 20, LOOPBACK, port));
            byte[] buf = new byte[1500];
            DatagramPacket response = new DatagramPacket(buf, buf.length);
            socket.receive(response);
            return response.getLength() >= 20
                    && buf[0] == 0x01
                    && buf[1] == 0x01
                    && Arrays.equals(Arrays.copyOfRange(buf, 8, 20), txId);
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false; // e.g. ICMP port unreachable surfaced as PortUnreachableException: not listening yet
        }
    }

    private static boolean tcpAccepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 right now (coturn binds both on the listening port). */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(LOOPBACK, candidate));
                    return candidate;
                } catch (IOException taken) {
                    // TCP side busy: try another UDP port
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
    }

    static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: coturn removes its pid file and exits
        try {
            if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp dir holds only a throwaway test secret
        }
    }
}
