package app.noom.integration.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for cluster tests: a Testcontainers container with {@code NOOM_TESTCONTAINERS=on} and a Docker engine
 * that has (or can pull) {@code redis:7-alpine} and Testcontainers' reaper image, otherwise (as on CI here) a
 * {@code redis-server} process started on a free loopback port. Either way it can be stopped and restarted
 * on the same address, which the outage tests need.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private Process process;
  private GenericContainer<?> container;

  private RedisServer(int port) {
    this.port = port;
  }

  public static RedisServer start() {
    RedisServer server = new RedisServer(freePort());
    server.launch();
    return server;
  }

  public String url() {
    return "redis://127.0.0.1:" + (container != null ? container.getMappedPort(6379) : port);
  }

  public void launch() {
    if (dockerAvailable()) {
      container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
      container.start();
      return;
    }
    try {
      File log = Files.createTempFile("redis", ".log").toFile();
      process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(log).start();
    } catch (IOException e) {
      throw new AssertionError("redis-server is required for cluster tests (apt-get install redis-server)", e);
    }
    awaitPort(true);
  }

  /** A hard stop: the process is killed, every connection drops, all data is gone (no persistence). */
  public void kill() {
    if (container != null) {
      container.stop();
      container = null;
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    awaitPort(false);
  }

  @Override
  public void close() {
    if (container != null) container.stop();
    if (process != null) process.destroyForcibly();
  }

  private void awaitPort(boolean open) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (open) return;
      } catch (IOException e) {
        if (!open) return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("redis on port " + port + " did not become " + (open ? "reachable" : "unreachable"));
  }

  private static boolean dockerAvailable() {
    // opt-in: Testcontainers' first call starts its reaper, whose image comes from Docker Hub; where the hub cannot be
    // reached (as here) that call blocks for minutes, so a running Docker engine alone must not select containers
    if (!"on".equals(System.getenv("NOOM_TESTCONTAINERS"))) return false;
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
