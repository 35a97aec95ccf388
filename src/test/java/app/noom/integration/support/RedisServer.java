package app.noom.integration.support;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A real Redis for cluster tests: a {@code redis-server} process on a free loopback port, or with
 * {@code NOOM_TESTCONTAINERS=on} a Testcontainers container of a local Redis image ({@link LocalDocker}: never pulled).
 * Either way it can be stopped and started again on the same address (the container's host port is a fixed binding,
 * not a random one), so nodes keep their {@code REDIS_URL} across an outage as they would in production.
 * The multi-node container tests (app.noom.cluster.faults) run Redis and the nodes all as containers instead.
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
        return "redis://127.0.0.1:" + port;
    }

    public void launch() {
        if (containerRequested()) {
            container = redisContainer(port);
            container.start();
            return;
        }
        try {
            File log = Files.createTempFile("redis", ".log").toFile();
            process = new ProcessBuilder(
                            "redis-server",
                            "--port",
                            String.valueOf(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no")
                    .redirectErrorStream(true)
                    .redirectOutput(log)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is required for cluster tests (apt-get install redis-server)", e);
        }
        awaitPort(true);
    }

    /** A hard stop: the process is killed, every connection drops, all data is gone (no persistence). */
    public void kill() {
        if (container != null) {
            container.stop(); // removes it; the next launch binds the same host port again
            container = null;
        } else {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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

    /** Opt-in, and then it must work: a broken container set-up fails with its reason instead of quietly not running. */
    private static boolean containerRequested() {
        if (!"on".equals(System.getenv("NOOM_TESTCONTAINERS"))) return false;
        LocalDocker.engineUnavailable().ifPresent(why -> {
            throw new AssertionError("NOOM_TESTCONTAINERS=on but " + why);
        });
        return true;
    }

    private static GenericContainer<?> redisContainer(int hostPort) {
        String image = LocalDocker.requireLocalImage(LocalDocker.REDIS_IMAGES);
        return new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withCommand("redis-server", "--save", "", "--appendonly", "no")
                .withExposedPorts(6379)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withPortBindings(new PortBinding(
                                Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(6379))))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
