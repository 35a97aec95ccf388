package app.noom.integration.support;

import app.noom.logscan.LogCapture;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Noom node in its own JVM, so a test can kill it the hard way (SIGKILL), as a crashed machine would die. */
public final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Noom listening on port (\\d+)");
    private final Process process;
    private final int port;
    private final List<String> output;
    private final CompletableFuture<Void> outputEnded;

    private NodeProcess(Process process, int port, List<String> output, CompletableFuture<Void> outputEnded) {
        this.process = process;
        this.port = port;
        this.output = output;
        this.outputEnded = outputEnded;
    }

    public static NodeProcess start(Map<String, String> env) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "app.noom.Main")
                .redirectErrorStream(true);
        builder.environment().put("PORT", "0");
        builder.environment().put("HTTP_INSTANCES", "1");
        builder.environment().putAll(env);
        LogCapture.fromEnvironment(env);
        Process process = null;
        try {
            process = builder.start();
            Process started = process;
            CompletableFuture<Integer> port = new CompletableFuture<>();
            List<String> lines = new ArrayList<>();
            CompletableFuture<Void> ended = new CompletableFuture<>();
            Thread reader = new Thread(
                    () -> {
                        readOutput(started, port, lines);
                        ended.complete(null);
                    },
                    "node-output");
            reader.setDaemon(true);
            reader.start();
            return new NodeProcess(process, port.get(60, TimeUnit.SECONDS), lines, ended);
        } catch (Exception e) {
            if (process != null) process.destroyForcibly(); // never leave a half-started JVM behind
            throw new AssertionError("node process did not start", e);
        }
    }

    private static void readOutput(Process process, CompletableFuture<Integer> port, List<String> lines) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    LogCapture.record("node-process", line); // its logs are part of the run's logs
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) port.complete(Integer.parseInt(m.group(1)));
            }
            port.completeExceptionally(new IOException("node exited: " + lines));
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    public int port() {
        return port;
    }

    /** Every line the process printed so far (stdout and stderr), in order. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Once the process has exited: waits until its last line has been read, then returns all of them. */
    public List<String> finalOutput() throws Exception {
        outputEnded.get(30, TimeUnit.SECONDS);
        return output();
    }

    /** The OS process id, for signals Java cannot send itself (SIGSTOP/SIGCONT in the chaos checker). */
    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as Kubernetes or docker stop would send; true if the process exited within {@code seconds}. */
    public boolean terminate(long seconds) throws InterruptedException {
        signalTerminate();
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /**
     * Sends SIGTERM and returns at once. Through the process handle: {@code Process.destroy()} would also close our end
     * of its output, losing what it logs while it shuts down.
     */
    public void signalTerminate() {
        process.toHandle().destroy();
    }

    public boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
