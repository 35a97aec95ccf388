package app.noom.relay.redis;

import app.noom.fanout.NodeInboxes;
import app.noom.metrics.NoomMetrics;
import app.noom.overview.OverviewSource;
import app.noom.overview.StatsSampler;
import app.noom.relay.Backend;
import app.noom.relay.ClusterRelay;
import app.noom.relay.Presence;
import app.noom.relay.SessionDirectory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Assembles the Redis-backed relay and presence of one node around one pair of connections, and routes what arrives
 * from Redis: room and member channels to the relay, head-count changes to presence.
 */
public final class RedisBackend implements Backend {
    private final RedisConnector connector;
    private final RedisRelay relay;
    private final RedisPresence presence;
    private final RoomList roomList;
    private final NodeLiveness liveness;
    private final RedisSessionDirectory directory;
    private final String nodeChannel;
    private final Vertx vertx;
    private final String nodeId;
    private final RedisTarget target;

    private RedisBackend(
            Vertx vertx, Context context, String nodeId, RedisTarget target, NodeInboxes inboxes, NoomMetrics metrics) {
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.target = target;
        this.connector =
                new RedisConnector(vertx, context, target, this::route, this::reconnected, this::regained, metrics);
        DirectChannels direct = new DirectChannels(connector);
        this.roomList = new RoomList(connector, metrics);
        this.presence = new RedisPresence(nodeId, connector, direct, roomList);
        this.relay = new RedisRelay(
                nodeId,
                inboxes,
                connector,
                direct,
                roomList.knownCounts(),
                update -> presence.policyAnnounced(update.room(), new io.vertx.core.json.JsonObject(update.json())),
                metrics);
        this.liveness = new NodeLiveness(vertx, nodeId, connector, presence, relay, metrics);
        this.directory = new RedisSessionDirectory(vertx, nodeId, connector, direct, metrics);
        this.nodeChannel = RedisKeys.nodeChannel(nodeId);
    }

    /** Connects (or keeps trying in the background) and subscribes to the cluster-wide head-count channel. */
    public static Future<RedisBackend> start(
            Vertx vertx, Context context, String nodeId, String url, NodeInboxes inboxes, NoomMetrics metrics) {
        return start(vertx, context, nodeId, RedisTarget.single(url), inboxes, metrics);
    }

    public static Future<RedisBackend> start(
            Vertx vertx, Context context, String nodeId, RedisTarget target, NodeInboxes inboxes, NoomMetrics metrics) {
        RedisBackend cluster = new RedisBackend(vertx, context, nodeId, target, inboxes, metrics);
        return cluster.connector
                .start()
                .compose(v -> cluster.connector.subscribe(RedisKeys.ROOM_COUNTS_CHANNEL))
                .compose(v -> cluster.connector.subscribe(cluster.nodeChannel))
                .onSuccess(v -> cluster.liveness.start())
                .map(cluster);
    }

    @Override
    public ClusterRelay relay() {
        return relay;
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public SessionDirectory directory() {
        return directory;
    }

    /** Figures this node writes to {@code noom:node:<id>:stats} with every heartbeat (read by the admin view). */
    @Override
    public void reportStats(StatsSampler sampler) {
        liveness.reportStats(sampler::sampleFields);
    }

    @Override
    public OverviewSource overview(StatsSampler sampler) {
        return new RedisOverviewSource(vertx, nodeId, target);
    }

    @Override
    public Future<Void> close() {
        liveness.stop();
        return connector.close();
    }

    private void route(String channel, String payload) {
        if (channel.equals(RedisKeys.ROOM_COUNTS_CHANNEL)) roomList.onCountMessage(payload);
        else if (channel.equals(nodeChannel)) directory.onNodeMessage(payload);
        else relay.onRedisMessage(channel, payload);
    }

    /**
     * A room's channels are subscribed again after a gap (set in the constructor, called only after it). After a lost
     * connection Redis may have lost presence too (a restart, a failover losing the last writes): the members are read
     * once every node has had the time to reconnect and republish its own — the liveness period, which a returning node
     * also gives the others before it sweeps them — or a resync would list a room emptied by the restart.
     */
    private void regained(String room, boolean afterReconnect) {
        if (afterReconnect) resyncLater(room, RESYNC_ATTEMPTS);
        else relay.resync(room, presence.localMemberIds(room), true);
    }

    /** How many liveness periods a resync after a reconnection waits, at most, for presence to list our own members. */
    private static final int RESYNC_ATTEMPTS = 3;

    private void resyncLater(String room, int attemptsLeft) {
        vertx.setTimer(
                NodeLiveness.ALIVE_TTL_MS,
                t -> relay.resync(room, presence.localMemberIds(room), attemptsLeft <= 1)
                        .onSuccess(sent -> {
                            if (!sent) resyncLater(room, attemptsLeft - 1);
                        }));
    }

    private void reconnected() {
        liveness.recover();
    }
}
