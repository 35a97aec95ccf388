package app.noom;

import app.noom.admin.AdminConsole;
import app.noom.auth.TokenVerifier;
import app.noom.config.NoomConfig;
import app.noom.fanout.Addresses;
import app.noom.fanout.Envelope;
import app.noom.fanout.NodeInboxes;
import app.noom.http.AdmissionGuard;
import app.noom.http.ConnectionGate;
import app.noom.http.HttpServerVerticle;
import app.noom.http.InternalHttpServer;
import app.noom.http.NodeStatus;
import app.noom.ice.IceServers;
import app.noom.metrics.NoomMetrics;
import app.noom.overview.StatsSampler;
import app.noom.protocol.ServerMessages;
import app.noom.relay.Backend;
import app.noom.relay.ClusterRelay;
import app.noom.relay.Presence;
import app.noom.relay.SessionMailboxes;
import app.noom.relay.local.LocalBackend;
import app.noom.relay.redis.RedisBackend;
import app.noom.relay.redis.RedisTarget;
import app.noom.room.PasswordWorkers;
import app.noom.room.RoomListCoalescer;
import app.noom.room.RoomService;
import app.noom.session.AttemptThrottle;
import app.noom.session.ResumeRegistry;
import app.noom.session.SessionServices;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/** Wires one node: configuration → relay and presence → room rules → sessions → one HTTP verticle per event loop. */
public final class MainVerticle extends VerticleBase {
    /** Connections that have not sent a complete request head yet, node-wide: beyond this, new ones are dropped. */
    static final int MAX_WAITING_CONNECTIONS = 2_000;

    private final NoomConfig config;
    private final PrometheusMeterRegistry registry;
    private NodeStatus status;
    private final NodeInboxes inboxes = new NodeInboxes(); // the fan-out inside this node
    private Backend backend;
    private AdminConsole admin;
    private PasswordWorkers passwords; // the node's password hashing threads, closed with it

    public MainVerticle(NoomConfig config, PrometheusMeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    public NoomConfig noomConfig() {
        return config;
    }

    public NodeStatus status() {
        return status;
    }

    @Override
    public Future<?> start() {
        NoomMetrics metrics = new NoomMetrics(registry);
        return startBackend(metrics).compose(started -> {
            backend = started;
            admin = adminConsole(metrics);
            return deployHttp(backend.presence(), metrics);
        });
    }

    /** The embedded default keeps everything in this process; {@code REDIS_URL} or {@code REDIS_CLUSTER} to Redis. */
    private Future<Backend> startBackend(NoomMetrics metrics) {
        if (config.redisUrl().isEmpty() && config.redisCluster().isEmpty()) {
            return Future.succeededFuture(LocalBackend.start(vertx, config.nodeId(), inboxes));
        }
        RedisTarget target = config.redisCluster().isEmpty()
                ? RedisTarget.single(config.redisUrl().get())
                : RedisTarget.cluster(config.redisCluster());
        return RedisBackend.start(vertx, context, config.nodeId(), target, inboxes, metrics)
                .map(Backend.class::cast);
    }

    /** Every node samples its figures for the admin view; only a node whose view is on reads the cluster's. */
    private AdminConsole adminConsole(NoomMetrics metrics) {
        StatsSampler sampler = new StatsSampler(metrics.registry());
        backend.reportStats(sampler);
        return AdminConsole.create(config, config.adminToken().map(token -> backend.overview(sampler)));
    }

    private Future<?> deployHttp(Presence presence, NoomMetrics metrics) {
        RoomListCoalescer roomList = new RoomListCoalescer(
                vertx,
                change -> inboxes.deliver(
                        Addresses.ROOM_LIST,
                        new Envelope(
                                Envelope.Kind.ROOM_CHANGED,
                                change.room(),
                                "",
                                ServerMessages.roomChanged(change).encode())));
        presence.onRoomCountChanged(roomList::changed);
        passwords = new PasswordWorkers(config.access().passwordRoomsPerMinute());
        ClusterRelay relay = backend.relay();
        RoomService rooms = new RoomService(
                vertx,
                passwords,
                presence,
                relay,
                inboxes,
                new RoomService.Limits(
                        config.limits().maxMembersPerRoom(),
                        config.access().maxRoomsPerNode(),
                        TimeUnit.SECONDS.toMillis(config.access().kickBanSeconds())),
                Clock.systemUTC());
        ResumeRegistry resumes = new ResumeRegistry(backend.directory());
        backend.directory().serveClaims(resumes::handOver);
        SessionServices services = new SessionServices(
                config.limits(),
                SessionServices.parserFor(config.limits()),
                rooms,
                new SessionMailboxes(relay, inboxes),
                iceServers(metrics),
                resumes,
                new AttemptThrottle(config.access().passwordAttemptsPerMinute()),
                TokenVerifier.create(vertx, config.access().auth()),
                TimeUnit.SECONDS.toNanos(config.resumeGraceSeconds()),
                metrics);
        trackRoomGauges(presence, metrics);
        status = new NodeStatus(config.nodeId(), relay::ready, relay::partsDown, registry);
        NoomConfig.Network network = config.network();
        int maxSessionsPerAddress = config.limits().abuse().maxConnectionsPerIp();
        // node-wide: shared by every event loop
        AdmissionGuard admission =
                new AdmissionGuard(config.allowedOrigins(), maxSessionsPerAddress, network.trustedProxies(), metrics);
        ConnectionGate gate = new ConnectionGate(
                ConnectionGate.tcpCapFor(maxSessionsPerAddress),
                MAX_WAITING_CONNECTIONS,
                TimeUnit.SECONDS.toMillis(network.requestTimeoutSeconds()),
                network.trustedProxies(),
                metrics);
        Future<?> internal = network.metricsPort().isEmpty()
                ? Future.succeededFuture()
                : vertx.deployVerticle(new InternalHttpServer(
                        network.bindHost(), network.metricsPort().getAsInt(), status, admin::mount));
        // with an internal port, the admin view lives there only: the public port answers 404 for it
        Consumer<Router> publicAdmin = network.metricsPort().isEmpty() ? admin::mount : AdminConsole::mountNotFound;
        return internal.compose(i -> vertx.deployVerticle(
                        () -> new HttpServerVerticle(
                                network, config.port(), services, status, admission, gate, publicAdmin),
                        new DeploymentOptions().setInstances(config.port() == 0 ? 1 : config.httpInstances())))
                .onSuccess(id -> status.markStarted());
    }

    /**
     * SIGTERM: turn not-ready (the load balancer stops sending new sessions), tell every client to reconnect; their new
     * nodes claim the sessions from here during {@code handOverMillis}; then the rest ends and the node can stop.
     */
    public Future<Void> drain(long handOverMillis) {
        status.markDraining();
        vertx.eventBus().publish(Addresses.DRAIN, false);
        return vertx.timer(handOverMillis)
                .compose(t -> {
                    vertx.eventBus().publish(Addresses.DRAIN, true); // sessions nobody claimed end: their members leave
                    return vertx.timer(300); // let those leave announcements reach the cluster
                })
                .mapEmpty();
    }

    @Override
    public Future<?> stop() {
        status.markDraining();
        // Redis sockets are closed with the Vert.x instance; waiting for their polite close could outlast the drain
        // budget
        if (backend != null) {
            var unused = backend.close(); // started, not awaited
        }
        if (passwords != null) passwords.close();
        return Future.succeededFuture();
    }

    /** ICE servers per session: STUN as configured, TURN with freshly minted REST credentials when a secret is set. */
    private Function<String, JsonArray> iceServers(NoomMetrics metrics) {
        IceServers ice = new IceServers(new IceServers.Config(
                config.stunUrls(), config.turnUrls(), config.turnSecret(), config.turnTtlSeconds()));
        return sessionId -> {
            if (ice.offersTurn()) metrics.turnCredentialsMinted();
            return ice.forSession(sessionId);
        };
    }

    /** Cluster-wide head-counts as presence reports them, for the room list gauges. */
    private void trackRoomGauges(Presence presence, NoomMetrics metrics) {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        presence.onRoomCountChanged(change -> {
            if (change.count() == 0) counts.remove(change.room());
            else counts.put(change.room(), change.count());
        });
        metrics.gauge("noom.rooms", "Live rooms (cluster-wide)", counts::size);
        metrics.gauge(
                "noom.room.members",
                "Members in live rooms (cluster-wide)",
                () -> counts.values().stream().mapToInt(Integer::intValue).sum());
    }
}
