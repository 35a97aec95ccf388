package app.noom.relay;

import app.noom.overview.OverviewSource;
import app.noom.overview.StatsSampler;
import io.vertx.core.Future;

/**
 * Everything a node shares with the rest of the cluster, behind one seam: how envelopes travel ({@link ClusterRelay}),
 * who is in which room ({@link Presence}), where resumable sessions live ({@link SessionDirectory}) and what the admin
 * view reads. One implementation keeps it all in this process, another in Redis; the node chooses once, at start.
 */
public interface Backend {
    ClusterRelay relay();

    Presence presence();

    SessionDirectory directory();

    /**
     * This node's figures for the cluster's admin view: a single node samples them on a timer (started here, so only when
     * the view is on); a cluster node writes a fresh sample with every heartbeat (even when its own view is off).
     */
    void reportStats(StatsSampler sampler);

    /** What the admin view shows (call only when it is on: a cluster opens a Redis pool of its own for it). */
    OverviewSource overview(StatsSampler sampler);

    Future<Void> close();
}
