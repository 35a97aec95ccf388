package app.noom;

import app.noom.config.NoomConfig;
import app.noom.logging.LogSetup;
import app.noom.logging.NodeIds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: builds Vert.x with metrics wired in (they must be, at build time) and deploys the node. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    /** How long clients have to resume elsewhere after goaway; the whole drain stays well inside k8s' 30 s grace. */
    static final long DRAIN_SETTLE_MILLIS = 3_000;

    private Main() {}

    /** Start-up waits this long at most; a node that is not up by then is reported, not left half-started. */
    static final long START_TIMEOUT_SECONDS = 60;

    public static void main(String[] args) {
        switch (CommandLine.handle(args, System.out, System.err)) {
            case PRINTED -> System.exit(0);
            case UNKNOWN -> System.exit(StartupFailure.EXIT_CONFIG);
            case RUN -> {}
        }
        Map<String, String> env = System.getenv();
        LogSetup.routeJavaUtilLogging(); // LOG_FORMAT applies to every line, whichever API a library logs through
        RunningNode node;
        try {
            // the main thread waits: a failure reported on an event loop that start-up is closing could otherwise be
            // lost,
            // and the JVM would end with status 0 and no output
            node = start(env).toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            StartupFailure.exit(e.getCause(), env);
            return;
        } catch (TimeoutException | InterruptedException e) {
            StartupFailure.exit(new IllegalStateException("not started within " + START_TIMEOUT_SECONDS + " s"), env);
            return;
        }
        // one line with everything an operator checks first; NoomConfig.toString masks every secret
        LOG.info(
                "Noom listening on port {}, {}, {}",
                node.port(),
                BuildInfo.current(),
                node.main().noomConfig());
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("draining");
                            awaitQuietly(node.main().drain(DRAIN_SETTLE_MILLIS));
                            awaitQuietly(node.close());
                        },
                        "noom-shutdown"));
    }

    /** Bounded wait from the shutdown thread: a completion that the closing event loops never deliver must not hang exit. */
    private static void awaitQuietly(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // shutting down anyway
        }
    }

    /** Starts a node from environment-style settings; {@code PORT=0} picks a free port (see {@link RunningNode#port()}). */
    public static Future<RunningNode> start(Map<String, String> env) {
        NoomConfig config;
        try {
            config = NoomConfig.fromEnv(env);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        BuildInfo build = BuildInfo.current();
        Gauge.builder("noom.build.info", () -> 1)
                .description("The running build (value 1); labels say which")
                .tags("version", build.version(), "commit", build.commit())
                .register(registry);
        Vertx vertx = Vertx.builder()
                // no event-bus meters: they would be looked up for every message; relaying has its own meters
                // (noom_relay_latency_seconds, noom_messages_*_total). One event loop per HTTP instance, not two per
                // core:
                // a message crossing nodes is then not handed between two threads at each end (costs:
                // docs/BENCHMARKS.md)
                .with(new VertxOptions()
                        .setEventLoopPoolSize(config.httpInstances())
                        .setMetricsOptions(new MicrometerMetricsOptions()
                                .setEnabled(true)
                                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        NodeIds.register(vertx, config.nodeId()); // every line logged on this node's threads names it
        MainVerticle main = new MainVerticle(config, registry);
        return vertx.deployVerticle(main)
                .map(id -> new RunningNode(vertx, main, main.status().port()))
                .recover(e -> {
                    NodeIds.unregister(vertx);
                    vertx.close(); // not awaited: its completion may never be delivered by the loops it stops
                    return Future.failedFuture(e);
                });
    }
}
