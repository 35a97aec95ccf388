package app.noom;

import app.noom.config.NoomConfig;
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
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Map;
import java.util.logging.Logger;

/** Entry point: builds Vert.x with metrics wired in (they must be, at build time) and deploys the node. */
public final class Main {
  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  /** How long clients have to resume elsewhere after goaway; the whole drain stays well inside k8s' 30 s grace. */
  static final long DRAIN_SETTLE_MILLIS = 3_000;

  private Main() {}

  public static void main(String[] args) {
    start(System.getenv()).onSuccess(node -> {
      LOG.info("Noom listening on port " + node.port());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("draining");
        awaitQuietly(node.main().drain(DRAIN_SETTLE_MILLIS));
        awaitQuietly(node.close());
      }, "noom-shutdown"));
    }).onFailure(e -> {
      // one line an operator can act on (java.util.logging would print two); bad configuration exits 2, anything else 1
      System.err.println("Noom failed to start: " + e.getMessage());
      System.exit(e instanceof IllegalArgumentException ? 2 : 1);
    });
  }

  /** Bounded wait from the shutdown thread: a completion that the closing event loops never deliver must not hang exit. */
  private static void awaitQuietly(Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
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
    Vertx vertx = Vertx.builder()
        // event-bus meters would be looked up for every relayed message (5-6 % of the event loop, bench/JFR);
        // relaying is measured by noom_relay_latency_seconds and noom_messages_*_total instead
        // one event loop per HTTP instance (not Vert.x's default of two per core): the relay and presence verticle then
        // shares a loop with an HTTP instance, and a message crossing nodes is not handed between two threads on a core
        // at each end (closed-loop cross-node p50 ≈ 340 → 125–180 µs on one core, docs/BENCHMARKS.md)
        .with(new VertxOptions().setEventLoopPoolSize(config.httpInstances())
            .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    MainVerticle main = new MainVerticle(config, registry);
    return vertx.deployVerticle(main)
        .map(id -> new RunningNode(vertx, main, main.status().port()))
        .recover(e -> vertx.close().transform(v -> Future.failedFuture(e)));
  }
}
