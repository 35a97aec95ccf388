package app.noom.cluster.faults;

/**
 * Redis and two Noom nodes that a test can fault the way real machines fail. Two implementations run the same
 * scenarios ({@link ClusterFaultScenarios}): containers built from the project's Dockerfile on a Docker engine
 * ({@link ContainerCluster}), and local processes ({@link ProcessCluster}) where there is no engine.
 */
interface FaultyCluster extends AutoCloseable {
    int NODES = 2;

    /** What this cluster is made of, for failure messages. */
    String describe();

    /** The loopback port on which clients reach node {@code node} (0 or 1). */
    int port(int node);

    /** SIGKILL: the node dies at once, without draining; the kernel closes its sockets. */
    void sigkill(int node);

    /** Freezes the node (SIGSTOP / {@code docker pause}): alive but answering nothing, its sockets open. */
    void freeze(int node);

    void thaw(int node);

    /** A partition between the node and Redis: packets vanish, nothing is closed; the node's clients still reach it. */
    void cutFromRedis(int node);

    void reconnectToRedis(int node);

    /** Redis goes away (every connection drops, all data is lost) and later comes back on the same address. */
    void stopRedis();

    void startRedis();

    /** The node's recent log lines, for failure messages. */
    String logs(int node);

    @Override
    void close();
}
