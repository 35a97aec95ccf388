package app.noom.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code turnserver} for browser tests, TEST variant only: TURN REST auth ({@code use-auth-secret}) with a
 * random secret, listening and relaying on 127.0.0.1 on a free port, and {@code allow-loopback-peers} — which the
 * shipped, hardened coturn.conf forbids, and which two browsers on one machine need, since each one's relay address
 * is a loopback address the other must reach through the relay. Never use this configuration outside tests.
 * (The TURN integration tests have their own, package-private, equivalent in app.noom.integration.turn.)
 */
final class LoopbackCoturn implements AutoCloseable {
  private static final Duration READY_DEADLINE = Duration.ofSeconds(20);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Process process;
  private final Path dir;
  private final int port;
  private final String secret;

  private LoopbackCoturn(Process process, Path dir, int port, String secret) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.secret = secret;
  }

  static LoopbackCoturn start() {
    try {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Path dir = Files.createTempDirectory("noom-browser-coturn-");
      int port = freeUdpAndTcpPort();
      String conf = String.join("\n",
          "use-auth-secret",
          "static-auth-secret=" + secret,
          "realm=noom.test",
          "listening-ip=127.0.0.1",
          "relay-ip=127.0.0.1",
          "listening-port=" + port,
          "allow-loopback-peers",
          "no-cli",
          "no-tls",
          "no-dtls",
          "fingerprint",
          "log-file=stdout",
          "simple-log",
          "pidfile=" + dir.resolve("turnserver.pid"),
          "userdb=" + dir.resolve("turndb"),
          "");
      Path confFile = dir.resolve("turnserver.conf");
      Files.writeString(confFile, conf, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(confFile, PosixFilePermissions.fromString("rw-------")); // holds the secret
      Process process = new ProcessBuilder("turnserver", "-c", confFile.toString())
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("turnserver.log").toFile())
          .start();
      LoopbackCoturn coturn = new LoopbackCoturn(process, dir, port, secret);
      try {
        coturn.awaitReady();
      } catch (RuntimeException | Error e) {
        coturn.close();
        throw e;
      }
      return coturn;
    } catch (IOException e) {
      throw new AssertionError("could not start turnserver (the browser TURN test needs coturn: apt-get install coturn)", e);
    }
  }

  int port() {
    return port;
  }

  String secret() {
    return secret;
  }

  /** The TURN URL browsers get from Noom: UDP to this server. */
  String udpUrl() {
    return "turn:127.0.0.1:" + port + "?transport=udp";
  }

  /** What coturn logged so far, the secret redacted. */
  String log() {
    try {
      return Files.readString(dir.resolve("turnserver.log"), StandardCharsets.UTF_8).replace(secret, "<secret>");
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void awaitReady() {
    // Each probe waits up to 200 ms for the answer: that is the polling interval.
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new AssertionError("turnserver exited with " + process.exitValue() + ":\n" + log());
      if (answersStunBinding()) return;
    }
    throw new AssertionError("turnserver did not answer STUN on 127.0.0.1:" + port + " within " + READY_DEADLINE + ":\n" + log());
  }

  private boolean answersStunBinding() {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      socket.setSoTimeout(200);
      byte[] transaction = new byte[12];
      new SecureRandom().nextBytes(transaction);
      byte[] request = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442)
          .put(transaction).array();
      socket.send(new DatagramPacket(request, request.length, LOOPBACK, port));
      byte[] buffer = new byte[1500];
      DatagramPacket response = new DatagramPacket(buffer, buffer.length);
      socket.receive(response);
      return response.getLength() >= 20 && buffer[0] == 0x01 && buffer[1] == 0x01
          && Arrays.equals(Arrays.copyOfRange(buffer, 8, 20), transaction);
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return false; // port unreachable: not listening yet
    }
  }

  private static int freeUdpAndTcpPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        int candidate = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket()) {
          tcp.bind(new InetSocketAddress(LOOPBACK, candidate));
          return candidate;
        } catch (IOException taken) {
          // TCP side busy: another one
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // a leftover temp dir holds only a throwaway test secret
    }
  }
}
