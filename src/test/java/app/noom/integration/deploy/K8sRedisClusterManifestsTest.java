package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.config.EnvNames;
import app.noom.config.NoomConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/redis-cluster/ read into the Kubernetes API's own types (fabric8; an unknown or misplaced field fails, as
 * {@code kubectl apply} would refuse it), then cross-checked: names, labels, ports and mounts agree between the
 * ConfigMap, the headless Service, the StatefulSet, the Job and the NetworkPolicy; the ConfigMap carries the compose
 * profile's files verbatim; and the patched Noom Deployment gets seeds Noom accepts. No Kubernetes runs here.
 */
class K8sRedisClusterManifestsTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path DIR = ROOT.resolve("deploy/k8s/redis-cluster");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "batch/v1/Job", Job.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "apps/v1/Deployment", Deployment.class);
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final List<HasMetadata> ALL = new ArrayList<>();
    private static StatefulSet nodes;
    private static Service service;
    private static ConfigMap config;
    private static Job job;
    private static NetworkPolicy policy;

    @BeforeAll
    static void readTheManifests() throws IOException {
        ALL.addAll(read(DIR.resolve("redis-cluster.yaml")));
        ALL.addAll(read(ROOT.resolve("deploy/k8s/noom-deployment.yaml")));
        nodes = one(StatefulSet.class);
        service = one(Service.class);
        config = one(ConfigMap.class);
        job = one(Job.class);
        policy = one(NetworkPolicy.class);
    }

    @Test
    void theConfigMapCarriesTheComposeProfilesFilesVerbatim() throws IOException {
        for (String file : List.of("node.conf", "create-cluster.sh")) {
            assertEquals(
                    Files.readString(ROOT.resolve("deploy/redis-cluster/" + file)),
                    config.getData().get(file),
                    file + " drifted from deploy/redis-cluster/" + file);
        }
    }

    @Test
    void sixNodesBehindAHeadlessServiceAnnounceTheirPodIpAndRequireThePassword() {
        assertEquals(6, nodes.getSpec().getReplicas());
        assertEquals(service.getMetadata().getName(), nodes.getSpec().getServiceName());
        assertEquals("None", service.getSpec().getClusterIP());
        assertEquals(Boolean.TRUE, service.getSpec().getPublishNotReadyAddresses(), "the Job resolves unready pods");
        Map<String, String> podLabels =
                nodes.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(podLabels, service.getSpec().getSelector());
        assertEquals(podLabels, nodes.getSpec().getSelector().getMatchLabels());
        Container redis =
                nodes.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (ServicePort port : service.getSpec().getPorts()) {
            assertTrue(
                    redis.getPorts().stream()
                            .anyMatch(
                                    p -> p.getName().equals(port.getTargetPort().getStrVal())
                                            && p.getContainerPort().equals(port.getPort())),
                    "Service port " + port.getName() + " is a container port");
        }
        assertTrue(config.getData().get("node.conf").lines().anyMatch("port 6379"::equals));
        assertTrue(config.getData().get("node.conf").lines().anyMatch("cluster-enabled yes"::equals));
        assertEquals(
                "status.podIP",
                env(redis, "POD_IP").getValueFrom().getFieldRef().getFieldPath());
        assertEquals(
                "noom-redis",
                env(redis, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        String args = String.join(" ", redis.getArgs());
        String confDir = mount(redis, "config").getMountPath();
        assertTrue(args.startsWith("redis-server " + confDir + "/node.conf "), args);
        for (String flag : List.of(
                "--cluster-announce-ip $(POD_IP)",
                "--requirepass $(REDIS_PASSWORD)",
                "--masterauth $(REDIS_PASSWORD)")) {
            assertTrue(args.contains(flag), flag + " in " + args);
        }
        PodSpec pod = nodes.getSpec().getTemplate().getSpec();
        assertEquals(
                config.getMetadata().getName(),
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals("config"))
                        .findFirst()
                        .orElseThrow()
                        .getConfigMap()
                        .getName());
        assertEquals("/data", mount(redis, "data").getMountPath(), "nodes.conf survives a restart");
        assertEquals(
                "data",
                nodes.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
    }

    @Test
    void theJobCreatesTheClusterFromEveryPodByItsStableName() {
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container create = pod.getContainers().get(0);
        String sts = nodes.getMetadata().getName();
        List<String> expected = IntStream.range(0, nodes.getSpec().getReplicas())
                .mapToObj(i -> sts + "-" + i + "." + service.getMetadata().getName() + ":6379")
                .toList();
        assertEquals(expected, List.of(env(create, "NODES").getValue().trim().split("\\s+")));
        assertEquals(
                "noom-redis",
                env(create, "REDISCLI_AUTH").getValueFrom().getSecretKeyRef().getName());
        String scripts = mount(create, "scripts").getMountPath();
        assertEquals(List.of("/bin/sh", scripts + "/create-cluster.sh"), create.getCommand());
        var volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("scripts"))
                .findFirst()
                .orElseThrow()
                .getConfigMap();
        assertEquals(config.getMetadata().getName(), volume.getName());
        assertEquals("create-cluster.sh", volume.getItems().get(0).getKey());
        assertEquals("OnFailure", pod.getRestartPolicy());
    }

    @Test
    void onlyNoomTheJobAndTheNodesReachTheNodes() {
        Map<String, String> redisLabels =
                nodes.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> noomLabels =
                one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> jobLabels =
                job.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(redisLabels, policy.getSpec().getPodSelector().getMatchLabels());
        var client = policy.getSpec().getIngress().get(0);
        assertEquals(
                List.of(noomLabels, jobLabels, redisLabels),
                client.getFrom().stream()
                        .map(f -> f.getPodSelector().getMatchLabels())
                        .toList());
        assertEquals(6379, client.getPorts().get(0).getPort().getIntVal());
        var bus = policy.getSpec().getIngress().get(1);
        assertEquals(
                List.of(redisLabels),
                List.of(bus.getFrom().get(0).getPodSelector().getMatchLabels()));
        assertEquals(16379, bus.getPorts().get(0).getPort().getIntVal());
    }

    /** The patch as a strategic merge applies it to env (merge by name; $patch: delete removes), then Noom's check. */
    @Test
    @SuppressWarnings("unchecked")
    void thePatchedNoomDeploymentGetsSeedsNoomAccepts() throws IOException {
        Map<String, Object> patch =
                YAML.readValue(DIR.resolve("noom-env.patch.yaml").toFile(), Map.class);
        Map<String, Object> patchContainer = (Map<String, Object>)
                ((List<Object>) at(patch, "spec", "template", "spec").get("containers")).get(0);
        Container noom = one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertEquals(noom.getName(), patchContainer.get("name"), "the patch names the container");
        List<EnvVar> env = new ArrayList<>(noom.getEnv());
        for (Map<String, Object> entry : (List<Map<String, Object>>) patchContainer.get("env")) {
            String name = (String) entry.get("name");
            int index = IntStream.range(0, env.size())
                    .filter(i -> env.get(i).getName().equals(name))
                    .findFirst()
                    .orElse(-1);
            if ("delete".equals(entry.get("$patch"))) {
                assertTrue(index >= 0, name + " to delete exists");
                env.remove(index);
            } else if (index >= 0) {
                env.set(index, new EnvVar(name, (String) entry.get("value"), null));
            } else {
                env.add(new EnvVar(name, (String) entry.get("value"), null));
            }
        }
        List<String> names = env.stream().map(EnvVar::getName).toList();
        assertTrue(!names.contains(EnvNames.REDIS_URL), "REDIS_URL and REDIS_CLUSTER are exclusive");
        assertTrue(
                names.indexOf("REDIS_PASSWORD") < names.indexOf(EnvNames.REDIS_CLUSTER),
                "Kubernetes expands $(REDIS_PASSWORD) only from a variable defined before REDIS_CLUSTER");
        String seeds = env.get(names.indexOf(EnvNames.REDIS_CLUSTER)).getValue();
        List<String> expected = IntStream.range(0, nodes.getSpec().getReplicas())
                .mapToObj(
                        i -> "redis://:$(REDIS_PASSWORD)@" + nodes.getMetadata().getName() + "-" + i + "."
                                + service.getMetadata().getName() + ":6379")
                .toList();
        assertEquals(expected, List.of(seeds.split(",")));
        Map<String, String> expanded = new HashMap<>();
        expanded.put(EnvNames.REDIS_CLUSTER, seeds.replace("$(REDIS_PASSWORD)", "0123abcd"));
        assertEquals(6, NoomConfig.fromEnv(expanded).redisCluster().size(), "Noom accepts the seeds");
    }

    // ---------------------------------------------------------------- helpers

    private static List<HasMetadata> read(Path file) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (doc == null || doc.isNull() || doc.isEmpty()) continue;
                String key =
                        doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(key);
                assertNotNull(type, file + ": unexpected " + key);
                HasMetadata object = YAML.treeToValue(doc, type);
                K8sManifestsTest.assertNoUnknownFields(object, file.getFileName() + " " + key);
                objects.add(object);
            }
        }
        return objects;
    }

    private static <T> T one(Class<T> type) {
        List<T> found = ALL.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName());
        return found.get(0);
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    private static VolumeMount mount(Container container, String volume) {
        return container.getVolumeMounts().stream()
                .filter(m -> volume.equals(m.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " does not mount " + volume));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> node = root;
        for (String key : path) node = (Map<String, Object>) node.get(key);
        return node;
    }
}
