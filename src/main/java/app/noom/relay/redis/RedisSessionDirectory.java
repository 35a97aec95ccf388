package app.noom.relay.redis;

import app.noom.relay.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * Resume across nodes: {@code noom:resume:<digest>} names the node holding a session; a node that receives a resume it
 * cannot serve asks that node, over its node channel, to hand the session over, and gets the snapshot back on its own.
 */
final class RedisSessionDirectory implements SessionDirectory {
  private static final Logger LOG = Logger.getLogger(RedisSessionDirectory.class.getName());
  static final long CLAIM_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final String nodeId;
  private final RedisConnector redis;
  private final Map<String, Promise<Optional<JsonObject>>> pending = new ConcurrentHashMap<>();
  private volatile BiFunction<String, Long, Future<Optional<JsonObject>>> handOver =
      (digest, lastSeq) -> Future.succeededFuture(Optional.empty());

  RedisSessionDirectory(Vertx vertx, String nodeId, RedisConnector redis) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.redis = redis;
  }

  static String resumeKey(String digest) {
    return "noom:resume:" + digest;
  }

  static String nodeResumes(String nodeId) {
    return "noom:node:" + nodeId + ":resumes";
  }

  static String nodeChannel(String nodeId) {
    return "noom:ch:node:" + nodeId;
  }

  @Override
  public void hosted(String digest) {
    redis.send(Request.cmd(Command.SET).arg(resumeKey(digest)).arg(nodeId))
        .compose(ok -> redis.send(Request.cmd(Command.SADD).arg(nodeResumes(nodeId)).arg(digest)))
        .onFailure(e -> LOG.fine("resume record not written: " + e.getMessage()));
  }

  @Override
  public void forgotten(String digest) {
    // only if it still points here: the session may already live on another node
    redis.send(Request.cmd(Command.EVAL).arg("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end "
            + "redis.call('SREM', KEYS[2], ARGV[2]) return 1").arg(2).arg(resumeKey(digest)).arg(nodeResumes(nodeId))
            .arg(nodeId).arg(digest))
        .onFailure(e -> LOG.fine("resume record not removed: " + e.getMessage()));
  }

  @Override
  public Future<Optional<JsonObject>> claim(String digest, long lastSeq) {
    if (!redis.healthy()) return Future.succeededFuture(Optional.empty());
    return redis.send(Request.cmd(Command.GET).arg(resumeKey(digest))).compose(holder -> {
      if (holder == null || holder.toString().equals(nodeId)) return Future.succeededFuture(Optional.empty());
      String request = UUID.randomUUID().toString();
      Promise<Optional<JsonObject>> answer = Promise.promise();
      pending.put(request, answer);
      vertx.setTimer(CLAIM_TIMEOUT_MS, t -> {
        if (pending.remove(request) != null) answer.tryComplete(Optional.empty());
      });
      JsonObject claim = new JsonObject().put("op", "claim").put("digest", digest).put("lastSeq", lastSeq)
          .put("from", nodeId).put("request", request);
      return redis.publish(nodeChannel(holder.toString()), claim.encode()).compose(v -> answer.future());
    }).recover(e -> Future.succeededFuture(Optional.empty()));
  }

  @Override
  public void serveClaims(BiFunction<String, Long, Future<Optional<JsonObject>>> handOver) {
    this.handOver = handOver;
  }

  /** A message on this node's channel: a claim to serve, or the answer to one of ours. */
  void onNodeMessage(String payload) {
    JsonObject message = new JsonObject(payload);
    if ("claim".equals(message.getString("op"))) {
      handOver.apply(message.getString("digest"), message.getLong("lastSeq"))
          .recover(e -> Future.succeededFuture(Optional.empty()))
          .onSuccess(snapshot -> {
            JsonObject reply = new JsonObject().put("op", "claimed").put("request", message.getString("request"));
            snapshot.ifPresent(s -> reply.put("snapshot", s));
            redis.publish(nodeChannel(message.getString("from")), reply.encode());
          });
    } else if ("claimed".equals(message.getString("op"))) {
      Promise<Optional<JsonObject>> answer = pending.remove(message.getString("request"));
      if (answer != null) answer.tryComplete(Optional.ofNullable(message.getJsonObject("snapshot")));
    }
  }
}
