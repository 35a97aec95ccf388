package app.noom.browser;

import app.noom.Main;
import app.noom.RunningNode;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Noom node per test class: {@code @RegisterExtension static final NoomServer server = new NoomServer();}.
 * Setting {@code -Dnoom.baseUrl=http://host:port} runs the browsers against an already running node instead.
 */
final class NoomServer implements BeforeAllCallback, AfterAllCallback {
    /**
     * Free port, and no STUN server: the browsers share one host, so host candidates are enough, and a STUN
     * lookup would only wait on a network the test machine may not have.
     */
    private static final Map<String, String> TEST_ENV = Map.of("PORT", "0", "STUN_URLS", "");

    private final Map<String, String> env;
    private RunningNode node;
    private String baseUrl;

    NoomServer() {
        this(Map.of());
    }

    /** A node with more settings (e.g. MAX_MEMBERS_PER_ROOM) on top of the test defaults. */
    NoomServer(Map<String, String> extraEnv) {
        Map<String, String> merged = new java.util.HashMap<>(TEST_ENV);
        merged.putAll(extraEnv);
        this.env = Map.copyOf(merged);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String external = System.getProperty("noom.baseUrl", "").trim();
        if (!external.isEmpty()) {
            baseUrl = external.replaceAll("/+$", "");
            return;
        }
        node = Main.start(env).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        baseUrl = "http://127.0.0.1:" + node.port();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (node != null) node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The node's port (for a proxy in front of it). */
    int port() {
        return java.net.URI.create(baseUrl).getPort();
    }
}
