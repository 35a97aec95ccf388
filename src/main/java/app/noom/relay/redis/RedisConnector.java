package app.noom.relay.redis;

import app.noom.metrics.NoomMetrics;
import app.noom.relay.RelayUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's two Redis connections, owned by one context: a command connection (all PUBLISHes go through it, so Redis
 * sees one ordered publisher per node) and a subscriber connection. The Vert.x client does not reconnect by itself:
 * on loss this class backs off with jitter, reconnects, re-issues every subscription and tells its listener.
 */
final class RedisConnector {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConnector.class);
  private static final long MAX_BACKOFF_MS = 2_000;
  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Context context;
  private final Redis client;
  /** Channels this node listens to, each with its SUBSCRIBE's confirmation by Redis (touched on this context). */
  private final Map<String, Future<Void>> channels = new HashMap<>();
  /** SUBSCRIBEs written but not yet confirmed, per channel, oldest first (Redis confirms each in order). */
  private final Map<String, ArrayDeque<Promise<Void>>> unconfirmed = new HashMap<>();
  private final BiConsumer<String, String> onMessage;
  private final Runnable onReconnected;
  private final NoomMetrics metrics;
  private RedisConnection commands;
  private RedisConnection subscriber;
  private volatile boolean healthy;
  private boolean closed;
  private long backoffMs = 50;
  private final RedisProbe probe;

  RedisConnector(Vertx vertx, Context context, String url, BiConsumer<String, String> onMessage,
      Runnable onReconnected, NoomMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    RedisOptions options = new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(65_536);
    // an attempt made during a partition (SYNs dropped) must not hold up the reconnects after it for a minute
    options.getNetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS);
    this.client = Redis.createClient(vertx, options);
    this.onMessage = onMessage;
    this.onReconnected = onReconnected;
    this.metrics = metrics;
    this.probe = new RedisProbe(vertx);
  }

  boolean healthy() {
    return healthy;
  }

  /** First connection. If Redis is not up yet the node still starts, not ready, and keeps trying in the background. */
  Future<Void> start() {
    return onContext(() -> connect().recover(e -> {
      LOG.warn("Redis not reachable at start-up ({}); retrying", e.getMessage());
      scheduleReconnect();
      return Future.succeededFuture();
    }));
  }

  /**
   * Fails with {@link RelayUnavailableException}: not sent when Redis is known to be down, "maybe delivered" when the
   * command was written and its answer was lost.
   */
  Future<Response> send(Request request) {
    return onContext(() -> {
      if (!healthy) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
      return commands.send(request)
          .recover(e -> Future.failedFuture(new RelayUnavailableException("redis: " + e.getMessage(), true)));
    });
  }

  /**
   * Runs a script by its SHA ({@code EVALSHA}). Every script is loaded when a connection is made, so {@code NOSCRIPT}
   * means someone flushed Redis's script cache meanwhile: the script is then sent whole ({@code EVAL}, which loads it
   * again) and the event is counted — a command pipelined behind the refused one may overtake it that once.
   */
  Future<Response> eval(LuaScripts.Script script, List<String> keys, List<String> args) {
    return onContext(() -> {
      if (!healthy) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
      return commands.send(scriptCall(Command.EVALSHA, script.sha(), keys, args)).recover(e -> {
        if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) return Future.failedFuture(e);
        metrics.redisFailure("noscript");
        LOG.warn("Redis had lost script {} (SCRIPT FLUSH?); sending it whole", script.name());
        return commands.send(scriptCall(Command.EVAL, script.source(), keys, args));
      }).recover(e -> Future.failedFuture(e instanceof RelayUnavailableException ? e
          : new RelayUnavailableException("redis: " + e.getMessage(), true)));
    });
  }

  private static Request scriptCall(Command command, String script, List<String> keys,
      List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  /** Loads every script into Redis's cache on a fresh connection, so EVALSHA finds them from the first call. */
  private Future<Void> loadScripts(RedisConnection connection) {
    List<Request> loads = LuaScripts.ALL.stream()
        .map(script -> Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())).toList();
    return connection.batch(loads).mapEmpty();
  }

  private long publishSerial; // only on this context

  /** The next serial of this node's cluster messages (see {@link ClusterPayload}); call on this context only. */
  long nextSerial() {
    return ++publishSerial;
  }

  /** Runs {@code action} on the connections' own context (where subscription state lives); answers on the caller's. */
  <T> Future<T> run(java.util.function.Supplier<Future<T>> action) {
    return onContext(action);
  }

  /** Continues {@code future} on the caller's context, whichever thread completes it. */
  static <T> Future<T> backOnCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) return future;
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Vertx.currentContext() == caller) promise.handle(result);
      else caller.runOnContext(x -> promise.handle(result));
    });
    return promise.future();
  }

  /**
   * PUBLISH (SPUBLISH on a sharded channel), answering how many subscribers received it (0: nobody listens on that
   * channel right now).
   */
  Future<Integer> publishCounted(String channel, String payload) {
    long started = System.nanoTime();
    return send(publishing(channel, payload)).map(receivers -> {
      metrics.redisPublished(System.nanoTime() - started);
      return receivers.toInteger();
    });
  }

  Future<Void> publish(String channel, String payload) {
    long started = System.nanoTime();
    return send(publishing(channel, payload))
        .onSuccess(r -> metrics.redisPublished(System.nanoTime() - started)).mapEmpty();
  }

  private static Request publishing(String channel, String payload) {
    return Request.cmd(RedisKeys.isSharded(channel) ? Command.SPUBLISH : Command.PUBLISH).arg(channel).arg(payload);
  }

  /**
   * Completes once every message Redis published, before this call reached it, on a channel this node listens to has
   * come in and been handed on: a SUBSCRIBE's confirmation travels on the subscriber connection behind them. (The
   * channel is the head-count one, which this node always listens to, so the subscription set does not change.)
   */
  Future<Void> subscriberBarrier() {
    return onContext(() -> healthy ? confirmedSubscribe(RedisKeys.ROOM_COUNTS_CHANNEL) : Future.succeededFuture());
  }

  /**
   * Completes when Redis has confirmed the subscription: from then on every message published on {@code channel}
   * reaches this node. (While Redis is down it completes at once; the channel is subscribed on reconnect.)
   */
  Future<Void> subscribe(String channel) {
    return onContext(() -> {
      Future<Void> current = channels.get(channel);
      if (current != null && !current.failed()) return current;
      Future<Void> subscribed = healthy ? confirmedSubscribe(channel) : Future.succeededFuture();
      channels.put(channel, subscribed);
      return subscribed;
    });
  }

  Future<Void> unsubscribe(String channel) {
    return onContext(() -> {
      if (channels.remove(channel) == null || !healthy) return Future.succeededFuture();
      return subscriber.send(Request.cmd(RedisKeys.isSharded(channel) ? Command.SUNSUBSCRIBE : Command.UNSUBSCRIBE)
          .arg(channel)).mapEmpty();
    });
  }

  /**
   * SUBSCRIBE (SSUBSCRIBE for a sharded channel), done when Redis's confirmation ({@code subscribe} /
   * {@code ssubscribe} push) arrives on the subscriber connection — behind every message published on a channel of
   * ours before Redis took it. (The Vert.x client completes a pub/sub command's future as soon as it is written, which
   * says nothing about when Redis will deliver to us.)
   */
  private Future<Void> confirmedSubscribe(String channel) {
    Promise<Void> confirmed = Promise.promise();
    unconfirmed.computeIfAbsent(channel, c -> new ArrayDeque<>()).add(confirmed);
    subscriber.send(subscribing(channel)).onFailure(e -> {
      ArrayDeque<Promise<Void>> waiting = unconfirmed.get(channel);
      if (waiting != null && waiting.remove(confirmed) && waiting.isEmpty()) unconfirmed.remove(channel);
      confirmed.tryFail(new RelayUnavailableException("redis: " + e.getMessage()));
    });
    return confirmed.future();
  }

  private static Request subscribing(String channel) {
    return Request.cmd(RedisKeys.isSharded(channel) ? Command.SSUBSCRIBE : Command.SUBSCRIBE).arg(channel);
  }

  private void confirmed(String channel) {
    ArrayDeque<Promise<Void>> waiting = unconfirmed.get(channel);
    if (waiting == null) return;
    Promise<Void> oldest = waiting.poll();
    if (waiting.isEmpty()) unconfirmed.remove(channel);
    if (oldest != null) oldest.tryComplete();
  }

  Future<Void> close() {
    return onContext(() -> {
      closed = true;
      healthy = false;
      probe.stop();
      return client.close();
    });
  }

  private Future<Void> connect() {
    return client.connect().compose(cmd -> client.connect().map(sub -> {
      commands = cmd;
      subscriber = sub;
      return (Void) null;
    })).compose(v -> loadScripts(commands)).compose(v -> {
      commands.exceptionHandler(e -> lost()).endHandler(v2 -> lost());
      subscriber.handler(this::onPush).exceptionHandler(e -> lost()).endHandler(v2 -> lost());
      if (channels.isEmpty()) return Future.succeededFuture();
      // pub/sub is not allowed in a batch; sharded channels one by one (one SSUBSCRIBE must stay in one slot)
      List<Future<Response>> resubscribed = new java.util.ArrayList<>();
      Request classic = Request.cmd(Command.SUBSCRIBE);
      channels.keySet().forEach(channel -> {
        if (RedisKeys.isSharded(channel)) resubscribed.add(subscriber.send(subscribing(channel)));
        else classic.arg(channel);
      });
      if (channels.keySet().stream().anyMatch(c -> !RedisKeys.isSharded(c))) resubscribed.add(subscriber.send(classic));
      channels.replaceAll((channel, before) -> Future.succeededFuture());
      return Future.all(resubscribed).mapEmpty();
    }).onSuccess(v -> {
      healthy = true;
      backoffMs = 50;
      probe.watch(java.util.List.of(commands, subscriber), () -> {
        LOG.warn("Redis did not answer a PING within {} s (a partition?)", RedisProbe.SILENT_TICKS);
        lost();
      });
    }).mapEmpty();
  }

  private void onPush(Response push) {
    probe.heard(1); // the subscriber connection, second in probe.watch
    // RESP3 push or RESP2 array: ["message", channel, payload]
    if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI) return;
    if (push.size() != 3) return;
    String kind = push.get(0).toString();
    if ("message".equals(kind) || "smessage".equals(kind)) {
      onMessage.accept(push.get(1).toString(), push.get(2).toString());
    } else if ("subscribe".equals(kind) || "ssubscribe".equals(kind)) {
      confirmed(push.get(1).toString());
    }
  }

  private void lost() {
    if (!healthy || closed) return;
    healthy = false;
    probe.stop();
    LOG.warn("Redis connection lost; reconnecting");
    unconfirmed.values().forEach(waiting -> waiting.forEach(p -> p.tryFail(new RelayUnavailableException(
        "redis connection lost before the subscription was confirmed"))));
    unconfirmed.clear();
    if (commands != null) commands.close();
    if (subscriber != null) subscriber.close();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed) return;
    long delay = backoffMs / 2 + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1); // jitter: no herd
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    vertx.setTimer(delay, id -> context.runOnContext(v -> {
      metrics.redisReconnectAttempt();
      connect().onSuccess(ok -> {
        LOG.info("Redis connection restored");
        onReconnected.run();
      }).onFailure(e -> scheduleReconnect());
    }));
  }

  /**
   * Runs {@code action} on the connections' context and completes the answer back on the caller's context: a session's
   * continuation after a Redis reply must run on the session's own event loop, never on this one (two threads writing
   * one session's outbox is how frames lost their order).
   */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> action) {
    Context caller = Vertx.currentContext();
    if (caller == context) return action.get();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result -> {
      if (caller == null) promise.handle(result);
      else caller.runOnContext(x -> promise.handle(result));
    }));
    return promise.future();
  }
}
