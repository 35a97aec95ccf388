package app.noom.cluster.faults;

import app.noom.integration.support.LocalDocker;
import org.junit.jupiter.api.BeforeAll;

/**
 * The fault scenarios on a real Docker engine: Redis and two nodes as containers of images built here (see
 * {@link ContainerCluster}). Runs in failsafe, after the jar the node image ships exists; skipped where there is no
 * engine or no local base images, and failing instead with {@code NOOM_CONTAINER_TESTS=required} (CI).
 */
class ContainerClusterFaultsTest extends ClusterFaultScenarios {
    @BeforeAll
    static void engineAndImages() {
        LocalDocker.assumeUsable(LocalDocker.REDIS_IMAGES, LocalDocker.RUNTIME_IMAGES);
    }

    @Override
    protected FaultyCluster start(String name) {
        return new ContainerCluster(name);
    }
}
