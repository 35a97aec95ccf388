package app.noom.relay.redis;

import app.noom.logging.LogFields;
import app.noom.metrics.NoomMetrics;
import app.noom.relay.RelayUnavailableException;
import app.noom.relay.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resume across nodes: {@code noom:resume:<digest>} names the node holding a session; a node that receives a resume it
 * cannot serve asks that node, over its node channel, to hand the session over, and gets the snapshot back on its own.
 */
final class RedisSessionDirectory implements SessionDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionDirectory.class);
    static final long CLAIM_TIMEOUT_MS = 3_000;

    private final Vertx vertx;
    private final String nodeId;
    private final RedisConnector redis;
    private final NoomMetrics metrics;
    private final Map<String, Promise<Optional<JsonObject>>> pending = new ConcurrentHashMap<>();
    private volatile BiFunction<String, Long, Future<Optional<JsonObject>>> handOver =
            (digest, lastSeq) -> Future.succeededFuture(Optional.empty());

    private final DirectChannels direct;

    RedisSessionDirectory(
            Vertx vertx, String nodeId, RedisConnector redis, DirectChannels direct, NoomMetrics metrics) {
        this.direct = direct;
        this.metrics = metrics;
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.redis = redis;
    }

    static String resumeKey(String digest) {
        return RedisKeys.resumeKey(digest);
    }

    static String nodeResumes(String nodeId) {
        return RedisKeys.nodeResumes(nodeId);
    }

    static String nodeChannel(String nodeId) {
        return RedisKeys.nodeChannel(nodeId);
    }

    @Override
    public Future<Void> hosted(String digest, String memberId, String nickname, JsonObject grants) {
        return redis.send(Request.cmd(Command.HSET)
                        .arg(resumeKey(digest))
                        .arg("node")
                        .arg(nodeId)
                        .arg("member")
                        .arg(memberId)
                        .arg("nickname")
                        .arg(nickname)
                        .arg("grants")
                        .arg(grants.encode()))
                .compose(ok -> redis.send(
                        Request.cmd(Command.SADD).arg(nodeResumes(nodeId)).arg(digest)))
                .<Void>mapEmpty()
                .recover(e -> {
                    // the session goes on here; only a resume on another node will not find it
                    metrics.redisFailure("resume-record");
                    LOG.atWarn()
                            .addKeyValue(LogFields.SESSION, memberId)
                            .log("resume record not written: {}", e.getMessage());
                    return Future.succeededFuture();
                });
    }

    @Override
    public void forgotten(String digest) {
        // only if it still points here: the session may already live on another node
        redis.eval(LuaScripts.FORGET_RESUME, List.of(resumeKey(digest)), List.of(nodeId))
                .compose(v -> redis.send(
                        Request.cmd(Command.SREM).arg(nodeResumes(nodeId)).arg(digest)))
                .onFailure(e -> {
                    metrics.redisFailure("resume-record-removal"); // it expires with its node's sweep
                    LOG.warn("resume record not removed: {}", e.getMessage());
                });
    }

    @Override
    public Future<Optional<JsonObject>> claim(String digest, long lastSeq, Landing landing) {
        if (!redis.healthy()) return Future.failedFuture(new RelayUnavailableException("redis unavailable"));
        Future<Optional<JsonObject>> claimed = redis.send(
                        Request.cmd(Command.HGETALL).arg(resumeKey(digest)))
                .compose(record -> {
                    Map<String, String> fields = RedisReplies.hash(record);
                    String holder = fields.get("node");
                    if (holder == null || holder.equals(nodeId)) {
                        return Future.<Optional<JsonObject>>failedFuture(
                                new app.noom.relay.UnknownResumeTokenException());
                    }
                    String member = fields.get("member");
                    String nickname = fields.get("nickname");
                    String grantsJson = fields.get("grants");
                    JsonObject grants = grantsJson == null ? new JsonObject() : new JsonObject(grantsJson);
                    List<String> roomsBefore = new ArrayList<>();
                    return roomsOf(holder, member)
                            .compose(rooms -> {
                                roomsBefore.addAll(rooms);
                                // the member's directed channels in its rooms, confirmed before the holder is asked to
                                // let go
                                return direct.listenAll(rooms, member).compose(v -> landing.prepare(member, rooms));
                            })
                            .compose(listening -> claimFrom(holder, digest, lastSeq, roomsBefore))
                            .compose(answer -> answer.isPresent()
                                    ? Future.succeededFuture(answer)
                                    : rebuildIfDead(holder, member, nickname, grants, lastSeq))
                            .compose(snapshot -> snapshot.isPresent()
                                    ? withOrphans(member, roomsBefore, snapshot.get())
                                            .map(Optional::of)
                                    : Future.<Optional<JsonObject>>succeededFuture(Optional.empty()));
                })
                .recover(e -> {
                    if (e instanceof app.noom.relay.UnknownResumeTokenException
                            || e instanceof RelayUnavailableException) {
                        return Future.failedFuture(e);
                    }
                    // the client starts afresh (resumed:false) rather than waiting on a claim that cannot finish; say
                    // why
                    metrics.redisFailure("claim");
                    LOG.warn("claiming a session from another node failed; it starts afresh: {}", e.toString());
                    return Future.succeededFuture(Optional.empty());
                });
        return RedisConnector.backOnCaller(claimed);
    }

    /** The rooms presence says {@code memberId} is in on node {@code holder}. */
    private Future<List<String>> roomsOf(String holder, String memberId) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.nodeMembers(holder)))
                .map(entries -> {
                    List<String> rooms = new ArrayList<>();
                    for (Response entry : entries) {
                        String[] parts = entry.toString().split("\0", 2);
                        if (parts.length == 2 && parts[1].equals(memberId)) rooms.add(parts[0]);
                    }
                    return rooms;
                });
    }

    /**
     * Asks the holder to hand over. A dead holder has no subscriber on its channel any more (Redis drops a killed
     * process's subscriptions with its socket), so PUBLISH reaching nobody answers at once instead of after a timeout.
     */
    private Future<Optional<JsonObject>> claimFrom(String holder, String digest, long lastSeq, List<String> rooms) {
        String request = UUID.randomUUID().toString();
        Promise<Optional<JsonObject>> answer = Promise.promise();
        pending.put(request, answer);
        vertx.setTimer(CLAIM_TIMEOUT_MS, t -> {
            if (pending.remove(request) != null) answer.tryComplete(Optional.empty());
        });
        JsonObject claim = new JsonObject()
                .put("op", "claim")
                .put("digest", digest)
                .put("lastSeq", lastSeq)
                .put("rooms", new JsonArray(new ArrayList<>(rooms)))
                .put("from", nodeId)
                .put("request", request);
        return redis.publishCounted(nodeChannel(holder), claim.encode()).compose(receivers -> {
            if (receivers == 0 && pending.remove(request) != null) answer.tryComplete(Optional.empty());
            return answer.future();
        });
    }

    /**
     * Adds what was sent to the member while no node hosted it (see RedisRelay#keepForResume), room by room, each room's
     * in order, numbered after the snapshot's last seq. The rooms: those presence listed for it before the claim (a kick
     * may have removed it from one since, and left its notice there) and those of the snapshot.
     */
    private Future<JsonObject> withOrphans(String memberId, List<String> roomsBefore, JsonObject snapshot) {
        java.util.Set<String> rooms = new java.util.LinkedHashSet<>(roomsBefore);
        snapshot.getJsonArray("rooms", new JsonArray()).forEach(r -> rooms.add(((JsonObject) r).getString("room")));
        List<Future<Response>> taken = new ArrayList<>();
        rooms.forEach(room ->
                taken.add(redis.eval(LuaScripts.TAKE_LIST, List.of(RedisKeys.orphans(room, memberId)), List.of())));
        return Future.all(taken).map(all -> {
            List<String> messages = new ArrayList<>();
            for (Future<Response> list : taken) {
                for (Response raw : list.result())
                    messages.add(app.noom.fanout.Envelope.decode(raw.toString()).json());
            }
            return appendFrames(snapshot, messages);
        });
    }

    /** No answer: rebuild only if the holder is really gone (its channel has no subscriber). */
    private Future<Optional<JsonObject>> rebuildIfDead(
            String holder, String member, String nickname, JsonObject grants, long lastSeq) {
        return redis.eval(LuaScripts.SHARD_RECEIVERS, List.of(nodeChannel(holder)), List.of())
                .compose(numsub -> numsub.toInteger() > 0
                        ? Future.succeededFuture(Optional.<JsonObject>empty())
                        : rebuildFromPresence(holder, member, nickname, grants, lastSeq));
    }

    /**
     * The holder died: rebuild the session from shared presence, so the member keeps its id and the rooms it is still
     * in (peers see nothing). Rooms a sweep already removed it from are told to the client as {@code member-left} of
     * itself, after the snapshot's frames. What was in flight when the node died is lost.
     */
    private Future<Optional<JsonObject>> rebuildFromPresence(
            String deadNode, String memberId, String nickname, JsonObject grants, long lastSeq) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.nodeMembers(deadNode)))
                .compose(entries -> {
                    List<Future<JsonObject>> rooms = new ArrayList<>();
                    for (Response entry : entries) {
                        String[] parts = entry.toString().split("\0", 2);
                        if (parts.length == 2 && parts[1].equals(memberId)) rooms.add(roomState(parts[0], memberId));
                    }
                    return Future.all(rooms).map(all -> {
                        JsonArray roomArray = new JsonArray();
                        rooms.forEach(f -> {
                            if (f.result() != null) roomArray.add(f.result());
                        });
                        return new JsonObject()
                                .put("memberId", memberId)
                                .put("nickname", nickname)
                                .put("seq", lastSeq)
                                .put("frames", new JsonArray())
                                .put("rooms", roomArray)
                                .put("roomList", false)
                                .put("complete", false)
                                .put("grants", grants);
                    });
                })
                .compose(snapshot -> withSweptRooms(memberId, snapshot))
                .map(Optional::of);
    }

    /** Appends {@code member-left} of the member itself for each room a sweep removed it from (none it is still in). */
    private Future<JsonObject> withSweptRooms(String memberId, JsonObject snapshot) {
        String key = RedisKeys.memberSwept(memberId);
        return redis.eval(LuaScripts.TAKE_SET, List.of(key), List.of()).map(swept -> {
            java.util.Set<String> stillIn = new java.util.HashSet<>();
            snapshot.getJsonArray("rooms").forEach(r -> stillIn.add(((JsonObject) r).getString("room")));
            List<String> messages = new ArrayList<>();
            for (Response room : swept) {
                if (stillIn.contains(room.toString())) continue;
                messages.add(app.noom.protocol.ServerMessages.memberLeft(room.toString(), memberId)
                        .encode());
            }
            return appendFrames(snapshot, messages);
        });
    }

    /** Adds {@code messages} to the snapshot's frames, numbered on from its last seq (what its client will see next). */
    private static JsonObject appendFrames(JsonObject snapshot, List<String> messages) {
        long seq = snapshot.getLong("seq");
        JsonArray frames = snapshot.getJsonArray("frames");
        for (String json : messages) frames.add(app.noom.protocol.ServerMessages.withSeq(++seq, json));
        return snapshot.put("seq", seq);
    }

    private Future<JsonObject> roomState(String room, String memberId) {
        return redis.send(Request.cmd(Command.HGETALL).arg(RedisKeys.roomMembers(room)))
                .map(reply -> {
                    Map<String, String> members = RedisReplies.hash(reply);
                    String self = members.get(memberId);
                    if (self == null) return null; // already swept
                    JsonArray others = new JsonArray();
                    members.keySet().stream().filter(id -> !id.equals(memberId)).forEach(others::add);
                    JsonObject media = new JsonObject(self).getJsonObject("media", new JsonObject());
                    return new JsonObject()
                            .put("room", room)
                            .put("media", media)
                            .put("members", others);
                });
    }

    @Override
    public void serveClaims(BiFunction<String, Long, Future<Optional<JsonObject>>> handOver) {
        this.handOver = handOver;
    }

    /** A message on this node's channel: a claim to serve, or the answer to one of ours. */
    void onNodeMessage(String payload) {
        JsonObject message = new JsonObject(payload);
        if ("claim".equals(message.getString("op"))) {
            // The claim came on this node's channel, the messages the session must still get on its rooms' channels —
            // other shards in a Redis Cluster, in no order with the claim: first everything those shards published
            // before
            // now, then the hand-over (what arrives in between reaches the claimant too, and its watermarks skip it).
            List<Future<Void>> barriers = new ArrayList<>();
            message.getJsonArray("rooms", new JsonArray())
                    .forEach(room -> barriers.add(redis.subscriberBarrier((String) room)));
            Future.all(barriers)
                    .transform(done -> handOver.apply(message.getString("digest"), message.getLong("lastSeq")))
                    .recover(e -> Future.succeededFuture(Optional.empty()))
                    .onSuccess(snapshot -> {
                        JsonObject reply =
                                new JsonObject().put("op", "claimed").put("request", message.getString("request"));
                        snapshot.ifPresent(s -> reply.put("snapshot", s));
                        redis.publish(nodeChannel(message.getString("from")), reply.encode());
                    });
        } else if ("claimed".equals(message.getString("op"))) {
            Promise<Optional<JsonObject>> answer = pending.remove(message.getString("request"));
            if (answer != null) answer.tryComplete(Optional.ofNullable(message.getJsonObject("snapshot")));
        }
    }
}
