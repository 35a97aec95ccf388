package app.noom.relay.redis;

import app.noom.overview.NodeStats;
import app.noom.overview.Overview;
import app.noom.overview.Overview.MemberRow;
import app.noom.overview.Overview.NodeRow;
import app.noom.overview.Overview.RoomRow;
import app.noom.overview.OverviewSource;
import app.noom.protocol.MediaState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole cluster, read from what the nodes keep in Redis: rooms found by SCAN over their member hashes (private
 * rooms are not in the {@code noom:rooms} list), each room's members and policy flags, the node set, each node's
 * {@code alive} key and its stats hash. Uses its own small connection pool, so a large SCAN never queues behind (or
 * ahead of) the relay's ordered PUBLISHes. Only reads: HMGET of the policy's public fields and HSTRLEN of its password
 * field, so the password hash never even leaves Redis.
 */
final class RedisOverviewSource implements OverviewSource {
    /** Bound on the work one request may cause; the overview says {@code truncated} beyond it. */
    static final int MAX_ROOMS = 5_000;

    private static final int SCAN_COUNT = 1_000;

    private final String nodeId;
    private final Vertx vertx;
    private final RedisTarget target;
    private final Redis redis;

    RedisOverviewSource(Vertx vertx, String nodeId, RedisTarget target) {
        this.nodeId = nodeId;
        this.vertx = vertx;
        this.target = target;
        this.redis =
                Redis.createClient(vertx, target.options().setMaxPoolSize(2).setMaxPoolWaiting(64));
    }

    @Override
    public Future<Overview> overview() {
        return scanAllMasters().compose(this::readRoomsAndNodes);
    }

    /** SCAN names no key: in a Redis Cluster each master is scanned on a connection of its own. */
    private Future<Set<String>> scanAllMasters() {
        if (!target.cluster()) return scanRooms(redis, "0", new TreeSet<>());
        return redis.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).compose(slots -> {
            Set<String> masters = new TreeSet<>();
            for (Response range : slots) {
                masters.add(target.urlOf(
                        range.get(2).get(0).toString(), range.get(2).get(1).toInteger()));
            }
            Set<String> found = java.util.Collections.synchronizedSortedSet(new TreeSet<>());
            List<Future<Set<String>>> scans = new ArrayList<>();
            for (String master : masters) {
                Redis one = Redis.createClient(vertx, new RedisOptions().setConnectionString(master));
                scans.add(scanRooms(one, "0", found).eventually(one::close));
            }
            return Future.all(scans).map(found);
        });
    }

    private Future<Set<String>> scanRooms(Redis redis, String cursor, Set<String> found) {
        return redis.send(Request.cmd(Command.SCAN)
                        .arg(cursor)
                        .arg("MATCH")
                        .arg(RedisKeys.ROOM_MEMBERS_PATTERN)
                        .arg("COUNT")
                        .arg(SCAN_COUNT))
                .compose(page -> {
                    for (Response key : page.get(1)) found.add(RedisKeys.roomOfMembersKey(key.toString()));
                    String next = page.get(0).toString();
                    return next.equals("0") || found.size() > MAX_ROOMS
                            ? Future.succeededFuture(found)
                            : scanRooms(redis, next, found);
                });
    }

    private Future<Overview> readRoomsAndNodes(Set<String> roomNames) {
        List<String> rooms = roomNames.stream().limit(MAX_ROOMS).toList();
        boolean truncated = roomNames.size() > MAX_ROOMS;
        List<Request> reads = new ArrayList<>(rooms.size() * 3 + 1);
        for (String room : rooms) {
            reads.add(Request.cmd(Command.HGETALL).arg(RedisKeys.roomMembers(room)));
            reads.add(Request.cmd(Command.HMGET)
                    .arg(RedisKeys.roomPolicy(room))
                    .arg("host")
                    .arg("locked")
                    .arg("private"));
            reads.add(
                    Request.cmd(Command.HSTRLEN).arg(RedisKeys.roomPolicy(room)).arg("password"));
        }
        reads.add(Request.cmd(Command.SMEMBERS).arg(RedisKeys.NODES));
        return reads(reads).compose(answers -> {
            List<RoomRow> rows = new ArrayList<>(rooms.size());
            for (int i = 0; i < rooms.size(); i++) {
                roomRow(rooms.get(i), answers.get(3 * i), answers.get(3 * i + 1), answers.get(3 * i + 2))
                        .ifPresent(rows::add);
            }
            Set<String> nodes = new TreeSet<>();
            Response nodeSet = answers.get(answers.size() - 1);
            if (nodeSet != null) for (Response node : nodeSet) nodes.add(node.toString());
            nodes.add(nodeId); // this node, even before its first heartbeat
            rows.forEach(r -> r.members().forEach(m -> {
                if (m.node() != null) nodes.add(m.node()); // members whose node was swept from the set still show up
            }));
            return readNodes(new ArrayList<>(nodes))
                    .map(nodeRows -> new Overview(nodeId, true, System.currentTimeMillis(), nodeRows, rows, truncated));
        });
    }

    private Future<List<NodeRow>> readNodes(List<String> nodes) {
        List<Request> reads = new ArrayList<>(nodes.size() * 2);
        for (String node : nodes) {
            reads.add(Request.cmd(Command.EXISTS).arg(RedisKeys.nodeAlive(node)));
            reads.add(Request.cmd(Command.HGETALL).arg(RedisKeys.nodeStats(node)));
        }
        return reads(reads).map(answers -> {
            List<NodeRow> rows = new ArrayList<>(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                Response alive = answers.get(2 * i);
                rows.add(new NodeRow(
                        nodes.get(i),
                        alive != null && alive.toInteger() == 1,
                        NodeStats.fromFields(hash(answers.get(2 * i + 1)))));
            }
            return rows;
        });
    }

    /** Many reads at once: one batch on one Redis; in a cluster each on its own (a batch must stay in one slot). */
    private Future<List<Response>> reads(List<Request> reads) {
        if (!target.cluster()) return redis.batch(reads);
        List<Future<Response>> each = reads.stream().map(redis::send).toList();
        return Future.all(each).map(all -> each.stream().map(Future::result).toList());
    }

    /** A room that vanished between SCAN and the reads (no members left) is skipped. */
    private static Optional<RoomRow> roomRow(
            String room, Response membersHash, Response policy, Response passwordLength) {
        Map<String, String> members = hash(membersHash);
        if (members.isEmpty()) return Optional.empty();
        List<MemberRow> rows = new ArrayList<>(members.size());
        members.forEach((id, json) -> rows.add(member(id, json)));
        rows.sort(Overview.MEMBER_ORDER);
        String host = field(policy, 0);
        return Optional.of(new RoomRow(
                room,
                host,
                "1".equals(field(policy, 1)),
                "1".equals(field(policy, 2)),
                passwordLength != null && passwordLength.toLong() > 0,
                rows));
    }

    /** Only the fields the view shows are taken from the stored member JSON. */
    private static MemberRow member(String id, String json) {
        try {
            JsonObject stored = new JsonObject(json);
            JsonObject media = stored.getJsonObject("media");
            return new MemberRow(
                    id,
                    stored.getString("nickname"),
                    stored.getString("node"),
                    media == null ? null : MediaState.fromJson(media));
        } catch (DecodeException | ClassCastException e) {
            return new MemberRow(id, null, null, null);
        }
    }

    private static String field(Response array, int index) {
        if (array == null || array.size() <= index) return null;
        Response value = array.get(index);
        return value == null ? null : value.toString();
    }

    private static Map<String, String> hash(Response response) {
        return RedisReplies.hash(response);
    }

    Future<Void> close() {
        return redis.close();
    }
}
