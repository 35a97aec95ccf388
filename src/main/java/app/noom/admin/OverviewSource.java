package app.noom.admin;

import io.vertx.core.Future;

/** Where the overview comes from: this node's memory (single node) or Redis (the whole cluster). Read-only. */
interface OverviewSource {
  Future<Overview> overview();
}
