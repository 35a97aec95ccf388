package app.noom.overview;

import io.vertx.core.Future;

/** Where the overview comes from: this node's memory (single node) or Redis (the whole cluster). Read-only. */
public interface OverviewSource {
    Future<Overview> overview();

    /** The admin view is off: nothing is read. */
    OverviewSource OFF = () -> Future.failedFuture("admin view is off");
}
