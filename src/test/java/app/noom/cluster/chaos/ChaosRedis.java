package app.noom.cluster.chaos;

import app.noom.integration.support.RedisServer;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;

/**
 * A {@code redis-server} process on a fixed loopback port that survives restarts: the fault "Redis restart" must
 * bring it back on the SAME address the nodes know. (Not {@link RedisServer}'s container path: a restarted container
 * gets a new mapped port, and probing for Docker stalls for minutes where a Docker socket exists but no registry.)
 */
final class ChaosRedis implements AutoCloseable {
    private final int port = RedisServer.freePort();
    private Process process;

    static ChaosRedis start() {
        ChaosRedis redis = new ChaosRedis();
        redis.launch();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    void launch() {
        try {
            File log = Files.createTempFile("chaos-redis", ".log").toFile();
            log.deleteOnExit();
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
            throw new AssertionError(
                    "redis-server is required for the chaos checker (apt-get install redis-server)", e);
        }
        awaitPort(true);
    }

    /** A hard stop: every connection drops, all data is gone (no persistence). */
    void kill() {
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
        if (process != null) process.destroyForcibly();
    }

    private void awaitPort(boolean open) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (open) return;
            } catch (IOException e) {
                if (!open) return;
            }
            Operations.pause(5); // polling a port: there is no event to wait on
        }
        throw new AssertionError("redis on port " + port + " did not become " + (open ? "reachable" : "unreachable"));
    }
}
