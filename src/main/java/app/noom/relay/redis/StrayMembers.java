package app.noom.relay.redis;

import static app.noom.relay.redis.RedisKeys.nodeMembers;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence entries of this node that no session here backs any more. A session handed over to another node stops
 * being served here at once, but its entries move only when the claimant runs {@code rehost.lua}; if the claimant dies
 * or drains in between, nobody would ever remove them — a ghost on a live node, which no sweeper looks at. An entry
 * seen stray on {@link #STRAY_BEATS} consecutive beats is removed and announced like a dead node's ({@code leave.lua}
 * removes it only while this node is still its host, so a member that did move is never touched).
 */
final class StrayMembers {
    private static final Logger LOG = LoggerFactory.getLogger(StrayMembers.class);
    /** A hand-over completes in milliseconds; three beats (4–6 s) leave ample room on a loaded machine. */
    static final int STRAY_BEATS = 3;

    private final String nodeId;
    private final RedisConnector redis;
    private final RedisPresence presence;
    private final BiFunction<String, String, Future<Void>> removeAndAnnounce;
    private final Map<String, Integer> seenStray = new ConcurrentHashMap<>();

    StrayMembers(
            String nodeId,
            RedisConnector redis,
            RedisPresence presence,
            BiFunction<String, String, Future<Void>> removeAndAnnounce) {
        this.nodeId = nodeId;
        this.redis = redis;
        this.presence = presence;
        this.removeAndAnnounce = removeAndAnnounce;
    }

    /** One beat: count the entries no local session backs, remove those that stayed stray long enough. */
    Future<Void> check() {
        if (!redis.healthy()) return Future.succeededFuture();
        return redis.send(Request.cmd(Command.SMEMBERS).arg(nodeMembers(nodeId)))
                .compose(entries -> {
                    Set<String> strayNow = new HashSet<>();
                    for (Response raw : entries) {
                        String[] entry = raw.toString().split("\0", 2);
                        if (entry.length == 2 && !presence.hostsLocally(entry[0], entry[1]))
                            strayNow.add(raw.toString());
                    }
                    seenStray.keySet().retainAll(strayNow);
                    List<Future<Void>> removals = new ArrayList<>();
                    for (String stray : strayNow) {
                        if (seenStray.merge(stray, 1, Integer::sum) < STRAY_BEATS) continue;
                        seenStray.remove(stray);
                        String[] entry = stray.split("\0", 2);
                        LOG.info(
                                "member {} of room '{}' has no session on this node any more; removing it",
                                entry[1],
                                entry[0]);
                        removals.add(removeAndAnnounce.apply(entry[0], entry[1]));
                    }
                    return Future.all(removals).<Void>mapEmpty();
                })
                .recover(e -> {
                    LOG.warn("stray-member check failed: {}", e.getMessage());
                    return Future.succeededFuture();
                });
    }
}
