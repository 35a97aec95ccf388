package app.noom.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The running compose stack, as {@code .ci/run} (or an operator) started it with the README's lines: its published URLs
 * come from system properties, its containers are reached with the compose command in the project directory.
 * {@code -Dnoom.stack.url=https://127.0.0.1:18443} switches the smoke test on; without it the test is skipped.
 */
final class ComposeStack {
    static final String URL_PROPERTY = "noom.stack.url";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern GAUGE = Pattern.compile("(?m)^noom_sessions(?:\\{[^}]*\\})? ([0-9.eE+-]+)$");

    final URI https;
    final URI http;
    final URI prometheus;
    private final List<String> compose;
    private final Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private final HttpClient client;

    private ComposeStack(URI https, URI http, URI prometheus, List<String> compose) {
        this.https = https;
        this.http = http;
        this.prometheus = prometheus;
        this.compose = compose;
        this.client = HttpClient.newBuilder()
                .sslContext(trustingTheStacksOwnCertificate())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static boolean configured() {
        return !System.getProperty(URL_PROPERTY, "").isBlank();
    }

    static ComposeStack fromProperties() {
        return new ComposeStack(
                URI.create(System.getProperty(URL_PROPERTY).replaceAll("/+$", "")),
                URI.create(System.getProperty("noom.stack.httpUrl", "http://127.0.0.1")),
                URI.create(System.getProperty("noom.stack.prometheusUrl", "http://127.0.0.1:9090")),
                List.of(System.getProperty("noom.stack.compose", "docker-compose")
                        .trim()
                        .split("\\s+")));
    }

    HttpResponse<String> get(URI uri) {
        try {
            return client.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(15))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A GET from inside a node's container to its own public port (nodes are not published): status line + body. */
    String getInside(String service, String path) {
        return getInside(service, 8080, path);
    }

    /** The same on another of the node's ports (the compose file's METRICS_PORT, 9100, serves /metrics). */
    String getInside(String service, int port, String path) {
        return compose(
                "exec",
                "-T",
                service,
                "bash",
                "-c",
                "exec 3<>/dev/tcp/127.0.0.1/" + port + " && printf 'GET " + path
                        + " HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3");
    }

    static final int METRICS_PORT = 9100;

    /** {@code noom_sessions} of one node, read from its own /metrics on the internal port. */
    int sessionsOn(String service) {
        Matcher m = GAUGE.matcher(getInside(service, METRICS_PORT, "/metrics"));
        if (!m.find()) fail("no noom_sessions in the metrics of " + service);
        return (int) Double.parseDouble(m.group(1));
    }

    /** Runs the compose command with these arguments; fails the test on a non-zero exit. */
    String compose(String... args) {
        Result result = run(args);
        if (result.exit() != 0)
            fail(String.join(" ", compose) + " " + String.join(" ", args) + ": exit " + result.exit() + "\n"
                    + result.output());
        return result.output();
    }

    record Result(int exit, String output) {}

    Result run(String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            // read before waiting: a chatty command must not block on a full pipe
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not finish within " + COMMAND_TIMEOUT);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(command + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The stack's certificate is self-signed (made on first start): accepted here so the smoke test can reach the stack;
     * the host name is still checked (its subjectAltName names 127.0.0.1).
     */
    private static SSLContext trustingTheStacksOwnCertificate() {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
