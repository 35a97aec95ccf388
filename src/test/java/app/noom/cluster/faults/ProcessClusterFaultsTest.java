package app.noom.cluster.faults;

/** The fault scenarios on local processes: redis-server and two node JVMs (no Docker needed). */
class ProcessClusterFaultsTest extends ClusterFaultScenarios {
    @Override
    protected FaultyCluster start(String name) {
        return new ProcessCluster(name);
    }
}
