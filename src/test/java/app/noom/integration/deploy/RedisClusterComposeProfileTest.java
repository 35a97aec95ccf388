package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.config.EnvNames;
import app.noom.config.NoomConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The compose "redis-cluster" profile hangs together: six nodes, each announcing the fixed address it has on the
 * compose network, the one-shot create naming exactly those addresses, and deploy/redis-cluster/compose.env switching
 * the profile on and giving the Noom nodes seeds that are the profile's services — a configuration Noom accepts.
 * (That it runs: deploy/ci/compose-smoke.sh --redis-cluster, ComposeRedisClusterSmokeTest.)
 */
class RedisClusterComposeProfileTest {
    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final String PROFILE = "redis-cluster";
    private static final List<String> NODES =
            IntStream.rangeClosed(1, 6).mapToObj(i -> "redis-node-" + i).toList();
    private static final String CONF_IN_CONTAINER = "/usr/local/etc/redis/node.conf";

    @Test
    void sixNodesEachAnnounceTheirOwnFixedAddressInTheComposeSubnet() throws IOException {
        Set<String> addresses = new HashSet<>();
        String lbAddress = address(service("lb"));
        for (String name : NODES) {
            Map<String, Object> node = service(name);
            assertEquals(List.of(PROFILE), node.get("profiles"), name + " only in the profile");
            assertEquals("${REDIS_IMAGE:-redis:7}", node.get("image"), name + ": the redis image (or its stand-in)");
            assertEquals(
                    List.of("./deploy/redis-cluster/node.conf:" + CONF_IN_CONTAINER + ":ro"),
                    node.get("volumes"),
                    name);
            String address = address(node);
            assertEquals(
                    List.of("redis-server", CONF_IN_CONTAINER, "--cluster-announce-ip", address),
                    node.get("command"),
                    name + " announces the address it has");
            assertTrue(address.startsWith("172.28.0."), name + " in the compose subnet: " + address);
            assertNotEquals(lbAddress, address, name);
            assertTrue(addresses.add(address), "two nodes on " + address);
        }
        String conf = read("deploy/redis-cluster/node.conf");
        for (String line : List.of("port 6379", "cluster-enabled yes", "protected-mode no", "save \"\"")) {
            assertTrue(conf.lines().anyMatch(line::equals), "node.conf: " + line);
        }
    }

    @Test
    void theOneShotCreatesTheClusterFromExactlyTheAnnouncedAddressesOnceAllAreHealthy() throws IOException {
        Map<String, Object> init = service("redis-cluster-init");
        assertEquals(List.of(PROFILE), init.get("profiles"));
        assertEquals("no", init.get("restart"), "a one-shot");
        List<String> announced = new ArrayList<>();
        for (String name : NODES) announced.add(address(service(name)) + ":6379");
        assertEquals(String.join(" ", announced), map(init, "environment").get("NODES"));
        Map<String, Object> dependsOn = map(init, "depends_on");
        for (String name : NODES) {
            assertEquals("service_healthy", map(dependsOn, name).get("condition"), "waits for " + name);
        }
        assertEquals(
                List.of("./deploy/redis-cluster/create-cluster.sh:/usr/local/bin/noom-create-cluster:ro"),
                init.get("volumes"));
        assertEquals(List.of("/bin/sh", "/usr/local/bin/noom-create-cluster"), init.get("entrypoint"));
        String script = read("deploy/redis-cluster/create-cluster.sh");
        assertTrue(script.contains("redis-cli --cluster create $NODES --cluster-replicas 1 --cluster-yes"), script);
    }

    @Test
    void composeEnvSwitchesTheProfileOnAndGivesTheNodesSeedsNoomAccepts() throws IOException {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : read("deploy/redis-cluster/compose.env").lines().toList()) {
            if (!line.startsWith("#") && line.contains("="))
                lines.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        assertEquals(PROFILE, lines.get("COMPOSE_PROFILES"));
        assertEquals("", lines.get("NOOM_REDIS_URL"), "REDIS_URL and REDIS_CLUSTER are exclusive");
        List<String> seeds = List.of(lines.get("NOOM_REDIS_CLUSTER").split(","));
        assertEquals(NODES.stream().map(n -> n + ":6379").toList(), seeds, "every node a seed");

        Map<String, String> nodeEnv = new LinkedHashMap<>();
        for (String node : List.of("noom1", "noom2")) {
            Map<String, Object> env = map(service(node), "environment");
            assertEquals("${NOOM_REDIS_URL-redis://redis:6379}", env.get(EnvNames.REDIS_URL), node);
            assertEquals("${NOOM_REDIS_CLUSTER:-}", env.get(EnvNames.REDIS_CLUSTER), node);
        }
        nodeEnv.put(EnvNames.REDIS_URL, lines.get("NOOM_REDIS_URL"));
        nodeEnv.put(EnvNames.REDIS_CLUSTER, lines.get("NOOM_REDIS_CLUSTER"));
        NoomConfig config = NoomConfig.fromEnv(nodeEnv);
        assertEquals(seeds, config.redisCluster());
        assertTrue(config.redisUrl().isEmpty());
    }

    // ---------------------------------------------------------------- helpers

    /** SnakeYAML's safe loader with its default resolver: YAML merge keys ({@code <<: *redis-cluster-node}) apply. */
    private static Map<String, Object> service(String name) throws IOException {
        Map<String, Object> compose =
                new Yaml(new SafeConstructor(new LoaderOptions())).load(read("docker-compose.yml"));
        return map(map(compose, "services"), name);
    }

    private static String address(Map<String, Object> service) {
        return String.valueOf(map(map(service, "networks"), "default").get("ipv4_address"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertTrue(value instanceof Map, key + " is not a map: " + value);
        return (Map<String, Object>) value;
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
    }
}
