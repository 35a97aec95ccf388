package app.noom.relay.local;

import app.noom.overview.OverviewSource;
import app.noom.overview.StatsSampler;
import app.noom.relay.Backend;
import app.noom.relay.ClusterRelay;
import app.noom.fanout.NodeInboxes;
import app.noom.relay.Presence;
import app.noom.relay.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The embedded default: one node, everything in this process, nothing to reach elsewhere. */
public final class LocalBackend implements Backend {
  private final Vertx vertx;
  private final String nodeId;
  private final LocalRelay relay;
  private final InMemoryPresence presence = new InMemoryPresence();

  public LocalBackend(Vertx vertx, String nodeId, NodeInboxes inboxes) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.relay = new LocalRelay(inboxes);
  }

  @Override
  public ClusterRelay relay() {
    return relay;
  }

  @Override
  public Presence presence() {
    return presence;
  }

  @Override
  public SessionDirectory directory() {
    return SessionDirectory.NONE;
  }

  @Override
  public void reportStats(StatsSampler sampler) {} // nobody else reads them

  @Override
  public OverviewSource overview(StatsSampler sampler) {
    sampler.sample();
    vertx.setPeriodic(StatsSampler.INTERVAL_MS, id -> sampler.sample());
    return new LocalOverviewSource(nodeId, presence, sampler::latest);
  }

  @Override
  public Future<Void> close() {
    return relay.close();
  }
}
