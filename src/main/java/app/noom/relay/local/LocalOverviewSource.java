package app.noom.relay.local;

import app.noom.overview.NodeStats;
import app.noom.overview.Overview;
import app.noom.overview.Overview.MemberRow;
import app.noom.overview.Overview.NodeRow;
import app.noom.overview.Overview.RoomRow;
import app.noom.overview.OverviewSource;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The embedded single node: every room is here, every member is on this node. */
final class LocalOverviewSource implements OverviewSource {
    private final String nodeId;
    private final InMemoryPresence presence;
    private final Supplier<NodeStats> latestStats;

    LocalOverviewSource(String nodeId, InMemoryPresence presence, Supplier<NodeStats> latestStats) {
        this.nodeId = nodeId;
        this.presence = presence;
        this.latestStats = latestStats;
    }

    @Override
    public Future<Overview> overview() {
        NodeStats stats = latestStats.get();
        List<RoomRow> rooms = presence.snapshot().stream()
                .map(room -> new RoomRow(
                        room.name(),
                        room.policy().host(),
                        room.policy().locked(),
                        room.policy().privateRoom(),
                        room.policy().passwordHash().isPresent(),
                        room.members().stream()
                                .map(m -> new MemberRow(m.id(), m.nickname(), nodeId, m.media()))
                                .sorted(Overview.MEMBER_ORDER)
                                .toList()))
                .sorted(Comparator.comparing(RoomRow::name))
                .toList();
        NodeRow self = new NodeRow(nodeId, true, stats.atMillis() > 0 ? Optional.of(stats) : Optional.empty());
        return Future.succeededFuture(
                new Overview(nodeId, false, System.currentTimeMillis(), List.of(self), rooms, false));
    }
}
