package app.noom.cluster.faults;

import app.noom.integration.support.LocalDocker;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The cluster as containers on a real Docker engine: Redis and two nodes of the image built from the project's
 * Dockerfile ({@link NoomImage}), nothing pulled. Two networks, both named {@code noomtc-<random>-…} so nothing clashes
 * with the compose stack or a parallel run: the nodes' client side ({@code front}, ports published on 127.0.0.1 only)
 * and an internal one they share with Redis ({@code redis}), where Redis is the stable alias {@code redis} — a
 * restarted Redis container keeps that name and its address, so {@code REDIS_URL=redis://redis:6379} stays right.
 * Disconnecting a node from the Redis network partitions it from Redis while its clients still reach it.
 * Ryuk is off (its image cannot be pulled), so {@link #close} removes every container and network itself.
 */
final class ContainerCluster implements FaultyCluster {
    private static final int PORT = 8080;
    private final String prefix = "noomtc-" + UUID.randomUUID().toString().substring(0, 8);
    private final DockerClient docker = DockerClientFactory.instance().client();
    private final List<AutoCloseable> created = new ArrayList<>();
    private final Network front;
    private final Network redisNet;
    private final GenericContainer<?> redis;
    private final List<GenericContainer<?>> nodes = new ArrayList<>();

    ContainerCluster(String name) {
        String redisImage = LocalDocker.requireLocalImage(LocalDocker.REDIS_IMAGES);
        String noomImage = NoomImage.get();
        try {
            front = network(prefix + "-front", false);
            redisNet = network(prefix + "-redis", true);
            redis = track(new GenericContainer<>(DockerImageName.parse(redisImage))
                    .withImagePullPolicy(image -> false)
                    .withCreateContainerCmdModifier(cmd -> cmd.withName(prefix + "-redis"))
                    .withNetwork(redisNet)
                    .withNetworkAliases("redis")
                    .withCommand("redis-server", "--save", "", "--appendonly", "no")
                    .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1)));
            redis.start();
            for (int i = 0; i < NODES; i++) nodes.add(node(noomImage, name + "-" + i, prefix + "-node" + i));
            nodes.parallelStream().forEach(GenericContainer::start);
            for (int i = 0; i < NODES; i++) {
                int node = i;
                FaultChecks.awaitTrue(
                        Duration.ofSeconds(60),
                        () -> FaultChecks.readiness(port(node)) == 200,
                        "node " + node + " answers 200 on /ready");
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Network network(String networkName, boolean internal) {
        return track(Network.builder()
                .createNetworkCmdModifier(cmd -> cmd.withName(networkName).withInternal(internal))
                .build());
    }

    private GenericContainer<?> node(String image, String nodeId, String containerName) {
        return track(new NodeContainer(image, this::connectToRedisNetwork)
                .withImagePullPolicy(i -> false)
                .withNetwork(front)
                .withEnv("NODE_ID", nodeId)
                .withEnv("REDIS_URL", "redis://redis:6379")
                .withEnv("STUN_URLS", "")
                .withEnv("HTTP_INSTANCES", "1")
                .withEnv("JAVA_TOOL_OPTIONS", "-Xmx256m")
                .withExposedPorts(PORT)
                .withCreateContainerCmdModifier(cmd -> cmd.withName(containerName)
                        .getHostConfig()
                        .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(PORT))))
                // then /ready, polled on 127.0.0.1 by the constructor: Testcontainers' own HTTP wait would use its idea
                // of
                // the Docker host (the bridge gateway when it believes it runs in a container), where nothing is
                // published
                .waitingFor(Wait.forLogMessage(".*Noom listening on port.*\\n", 1)
                        .withStartupTimeout(Duration.ofMinutes(2))));
    }

    /** A node container joins the Redis network once created, before it starts: it finds Redis at its first attempt. */
    private static final class NodeContainer extends GenericContainer<NodeContainer> {
        private final java.util.function.Consumer<String> onCreated;

        NodeContainer(String image, java.util.function.Consumer<String> onCreated) {
            super(DockerImageName.parse(image));
            this.onCreated = onCreated;
        }

        @Override
        protected void containerIsCreated(String containerId) {
            onCreated.accept(containerId);
        }
    }

    private void connectToRedisNetwork(String containerId) {
        docker.connectToNetworkCmd()
                .withNetworkId(redisNet.getId())
                .withContainerId(containerId)
                .withContainerNetwork(new ContainerNetwork())
                .exec();
    }

    private <T extends AutoCloseable> T track(T resource) {
        created.add(resource);
        return resource;
    }

    @Override
    public String describe() {
        return "containers " + prefix + "-* (Redis " + redis.getDockerImageName() + ", nodes " + NoomImage.get() + ")";
    }

    @Override
    public int port(int node) {
        return nodes.get(node).getMappedPort(PORT);
    }

    @Override
    public void sigkill(int node) {
        docker.killContainerCmd(id(node)).withSignal("KILL").exec();
    }

    @Override
    public void freeze(int node) {
        docker.pauseContainerCmd(id(node)).exec();
    }

    @Override
    public void thaw(int node) {
        docker.unpauseContainerCmd(id(node)).exec();
    }

    @Override
    public void cutFromRedis(int node) {
        docker.disconnectFromNetworkCmd()
                .withNetworkId(redisNet.getId())
                .withContainerId(id(node))
                .exec();
    }

    @Override
    public void reconnectToRedis(int node) {
        connectToRedisNetwork(id(node));
    }

    @Override
    public void stopRedis() {
        docker.stopContainerCmd(redis.getContainerId()).withTimeout(5).exec();
    }

    @Override
    public void startRedis() {
        docker.startContainerCmd(redis.getContainerId()).exec();
    }

    @Override
    public String logs(int node) {
        String all = nodes.get(node).getLogs();
        String[] lines = all.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
    }

    private String id(int node) {
        return nodes.get(node).getContainerId();
    }

    @Override
    public void close() {
        for (GenericContainer<?> node : nodes) { // a paused container can be neither killed nor stopped
            try {
                if (node.getContainerId() != null)
                    docker.unpauseContainerCmd(node.getContainerId()).exec();
            } catch (RuntimeException notPaused) {
                // running or gone: nothing to undo
            }
        }
        // containers first (a network in use cannot be removed); a paused container is removed by stop() too
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                created.get(i).close();
            } catch (Exception e) {
                System.err.println("cleanup of " + created.get(i) + " failed: " + e.getMessage());
            }
        }
    }
}
