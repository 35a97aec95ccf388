package app.noom.integration.support;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis and two Noom nodes sharing it, for one test class: started before its first test, stopped after its
 * last; clients opened here are closed after each test. Register it as
 * {@code @RegisterExtension static final TwoNodeCluster cluster = TwoNodeCluster.withSettings(Map.of(...));}
 */
public final class TwoNodeCluster implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** Starts one node: (the Redis URL, the node id) → the running node. */
    public interface NodeStarter extends BiFunction<String, String, NoomNode> {}

    private final NodeStarter starter;
    private final List<ProtocolClient> clients = new CopyOnWriteArrayList<>();
    private RedisServer redis;
    private NoomNode a;
    private NoomNode b;

    private TwoNodeCluster(NodeStarter starter) {
        this.starter = starter;
    }

    /** Both nodes with {@code settings} (environment names, as an operator sets them) beside REDIS_URL and NODE_ID. */
    public static TwoNodeCluster withSettings(Map<String, String> settings) {
        return new TwoNodeCluster((url, id) -> {
            Map<String, String> env = new HashMap<>(settings);
            env.put("REDIS_URL", url);
            env.put("NODE_ID", id);
            return NoomNode.start(env);
        });
    }

    /** Nodes started by the test's own recipe. */
    public static TwoNodeCluster startingNodes(NodeStarter starter) {
        return new TwoNodeCluster(starter);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String prefix = context.getRequiredTestClass().getSimpleName().toLowerCase();
        redis = RedisServer.start();
        a = starter.apply(redis.url(), prefix + "-a");
        b = starter.apply(redis.url(), prefix + "-b");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.forEach(ProtocolClient::close);
        clients.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        if (redis != null) redis.close();
    }

    public NoomNode a() {
        return a;
    }

    public NoomNode b() {
        return b;
    }

    public RedisServer redis() {
        return redis;
    }

    /** A WebSocket client on {@code node} that said hello; closed after the test. */
    public ProtocolClient client(Vertx vertx, NoomNode node, String nickname) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(client);
        client.hello(nickname);
        return client;
    }

    /** Two members who met: {@code first} on node a, {@code second} on node b, both in {@code room}, each told of the other. */
    public List<ProtocolClient> meetInRoom(Vertx vertx, String room, String first, String second) {
        ProtocolClient x = client(vertx, a, first);
        ProtocolClient y = client(vertx, b, second);
        x.join(room);
        y.join(room);
        x.nextOfType("member-joined");
        return List.of(x, y);
    }
}
