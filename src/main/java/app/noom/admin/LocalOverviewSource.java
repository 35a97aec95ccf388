package app.noom.admin;

import app.noom.admin.Overview.MemberRow;
import app.noom.admin.Overview.NodeRow;
import app.noom.admin.Overview.RoomRow;
import app.noom.relay.local.InMemoryPresence;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The embedded single node: every room is here, every member is on this node. */
final class LocalOverviewSource implements OverviewSource {
  private final String nodeId;
  private final InMemoryPresence presence;
  private final StatsSampler sampler;

  LocalOverviewSource(String nodeId, InMemoryPresence presence, StatsSampler sampler) {
    this.nodeId = nodeId;
    this.presence = presence;
    this.sampler = sampler;
  }

  @Override
  public Future<Overview> overview() {
    NodeStats stats = sampler.latest();
    List<RoomRow> rooms = presence.snapshot().stream()
        .map(room -> new RoomRow(room.name(), room.policy().host(), room.policy().locked(), room.policy().privateRoom(),
            room.policy().passwordHash().isPresent(),
            room.members().stream().map(m -> new MemberRow(m.id(), m.nickname(), nodeId, m.media()))
                .sorted(Overview.MEMBER_ORDER).toList()))
        .sorted(Comparator.comparing(RoomRow::name)).toList();
    NodeRow self = new NodeRow(nodeId, true, stats.atMillis() > 0 ? Optional.of(stats) : Optional.empty());
    return Future.succeededFuture(new Overview(nodeId, false, System.currentTimeMillis(), List.of(self), rooms, false));
  }
}
