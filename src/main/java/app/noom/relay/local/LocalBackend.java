package app.noom.relay.local;

import app.noom.fanout.NodeInboxes;
import app.noom.overview.OverviewSource;
import app.noom.overview.StatsSampler;
import app.noom.relay.Backend;
import app.noom.relay.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The embedded default: one node, everything in this process, nothing to reach elsewhere. */
public record LocalBackend(Vertx vertx, String nodeId, LocalRelay relay, InMemoryPresence presence) implements Backend {

    public static LocalBackend start(Vertx vertx, String nodeId, NodeInboxes inboxes) {
        return new LocalBackend(vertx, nodeId, new LocalRelay(inboxes), new InMemoryPresence());
    }

    @Override
    public SessionDirectory directory() {
        return SessionDirectory.NONE; // no other node to resume from
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
