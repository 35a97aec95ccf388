package app.noom.relay.redis;

import static app.noom.relay.redis.RedisKeys.nodeEntry;
import static app.noom.relay.redis.RedisKeys.nodeMembers;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's member set ({@code room NUL member} entries, what its sweeper reads) lives in the node's slot, not the
 * room's, so the room scripts cannot touch it: an entry is added before the script that admits the member and removed
 * after the one that removes it, so a node dying in between leaves one entry too many — which the sweeper's
 * {@code leave.lua} finds absent or hosted elsewhere — never one too few.
 */
final class NodeMemberSets {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMemberSets.class);

    private NodeMemberSets() {}

    /** SADD or SREM of one entry; a failure is logged (the command's caller decides what else it means). */
    static Future<Response> update(RedisConnector redis, Command command, String node, String room, String memberId) {
        return redis.send(Request.cmd(command).arg(nodeMembers(node)).arg(nodeEntry(room, memberId)))
                .onFailure(e -> LOG.warn(
                        "node member set of {} not updated ({} in room {}): {}", node, command, room, e.getMessage()));
    }
}
