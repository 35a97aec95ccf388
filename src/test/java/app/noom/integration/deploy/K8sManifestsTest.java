package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.noom.metrics.NoomMetrics;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests read into the Kubernetes API's own types (fabric8's model, generated from the API's
 * OpenAPI schema): a misspelt field, a field at the wrong level or a value of the wrong type fails here, as
 * {@code kubectl apply} would refuse it. Then what issue 11 asks of them: Redis behind a password and a NetworkPolicy,
 * anti-affinity, a memory limit that covers heap plus direct memory, a ServiceMonitor that finds the pods, and alerts
 * on metrics the application really exports.
 */
class K8sManifestsTest {
    private static final Path DIR = Path.of(System.getProperty("basedir", "."), "deploy", "k8s");
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class);
    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final List<HasMetadata> ALL = new ArrayList<>();

    @BeforeAll
    static void readEveryManifest() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    for (JsonNode doc : YAML.readValues(parser, JsonNode.class).readAll()) {
                        if (doc == null || doc.isNull() || doc.isEmpty()) continue;
                        String key = doc.path("apiVersion").asText() + "/"
                                + doc.path("kind").asText();
                        Class<? extends HasMetadata> type = KINDS.get(key);
                        assertNotNull(type, file + ": unexpected " + key);
                        HasMetadata object = YAML.treeToValue(doc, type);
                        assertNoUnknownFields(object, file.getFileName() + " " + key);
                        ALL.add(object);
                    }
                }
            }
        }
    }

    @Test
    void redisNeedsAPasswordThatNoomPassesInItsUrl() {
        Container redis = container("redis");
        assertTrue(
                redis.getArgs().containsAll(List.of("--requirepass", "$(REDIS_PASSWORD)")),
                redis.getArgs().toString());
        assertEquals(
                "noom-redis",
                env(redis, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        Container noom = container("noom");
        List<String> names = noom.getEnv().stream().map(EnvVar::getName).toList();
        assertTrue(
                env(noom, "REDIS_URL").getValue().contains(":$(REDIS_PASSWORD)@redis:6379"),
                "credentials in REDIS_URL");
        assertTrue(
                names.indexOf("REDIS_PASSWORD") < names.indexOf("REDIS_URL"),
                "Kubernetes expands $(REDIS_PASSWORD) only from a variable defined before REDIS_URL");
        assertEquals(
                "noom-redis",
                env(noom, "REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName());
    }

    @Test
    void onlyNoomPodsReachRedis() {
        NetworkPolicy policy = one(NetworkPolicy.class);
        assertEquals(
                Map.of("app.kubernetes.io/name", "redis"),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
        assertEquals(1, policy.getSpec().getIngress().size());
        var rule = policy.getSpec().getIngress().get(0);
        assertEquals(1, rule.getFrom().size());
        assertEquals(podLabels("noom"), rule.getFrom().get(0).getPodSelector().getMatchLabels());
        assertEquals(6379, rule.getPorts().get(0).getPort().getIntVal());
    }

    @Test
    void replicasAreSpreadOverMachines() {
        var affinity = deployment("noom")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAffinity()
                .getPodAntiAffinity();
        var term = affinity.getPreferredDuringSchedulingIgnoredDuringExecution()
                .get(0)
                .getPodAffinityTerm();
        assertEquals("kubernetes.io/hostname", term.getTopologyKey());
        assertEquals(podLabels("noom"), term.getLabelSelector().getMatchLabels());
    }

    @Test
    void memoryLimitCoversHeapPlusCappedDirectMemory() {
        Container noom = container("noom");
        long limit = bytes(noom.getResources().getLimits().get("memory"));
        String flags = String.join(" ", noom.getCommand());
        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(flags);
        Matcher direct = Pattern.compile("-XX:MaxDirectMemorySize=(\\d+)m").matcher(flags);
        assertTrue(percent.find() && direct.find(), "heap and direct memory are both capped: " + flags);
        long heap = limit * Long.parseLong(percent.group(1)) / 100;
        long directBytes = Long.parseLong(direct.group(1)) << 20;
        long nonHeapAllowance = 96L << 20; // metaspace, code cache, thread stacks of a Vert.x node
        assertTrue(
                heap + directBytes + nonHeapAllowance <= limit,
                "heap " + (heap >> 20) + "Mi + direct " + (directBytes >> 20) + "Mi + 96Mi exceed the limit "
                        + (limit >> 20) + "Mi");
        assertTrue(flags.endsWith("-jar /app/noom.jar"), "the image's jar: " + flags);
    }

    @Test
    void serviceMonitorFindsTheNoomServiceAndPort() {
        ServiceMonitor monitor = one(ServiceMonitor.class);
        Service service = ALL.stream()
                .filter(o ->
                        o instanceof Service s && "noom".equals(s.getMetadata().getName()))
                .map(Service.class::cast)
                .findFirst()
                .orElseThrow();
        assertTrue(
                service.getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(
                                monitor.getSpec().getSelector().getMatchLabels().entrySet()),
                "selects the Service by its labels");
        String port = monitor.getSpec().getEndpoints().get(0).getPort();
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> port.equals(p.getName())), "port " + port);
        assertEquals("/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
    }

    @Test
    void alertsCoverTheIssuesListAndUseMetricsTheApplicationExports() {
        PrometheusRule rule = one(PrometheusRule.class);
        Map<String, String> alerts = new java.util.HashMap<>();
        rule.getSpec()
                .getGroups()
                .forEach(g -> g.getRules()
                        .forEach(r -> alerts.put(r.getAlert(), r.getExpr().getStrVal())));
        assertTrue(
                alerts.keySet()
                        .containsAll(List.of(
                                "NoomNodeDown", "NoomRedisPublishSlow", "NoomErrorRateHigh", "NoomRefusalsHigh")),
                alerts.keySet().toString());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        NoomMetrics metrics = new NoomMetrics(registry);
        metrics.redisPublished(1_000_000);
        metrics.refused("origin");
        metrics.error("rate_limited");
        String scrape = registry.scrape();
        Matcher names = Pattern.compile("\\b(noom_[a-z_]+)").matcher(String.join(" ", alerts.values()));
        while (names.find()) {
            assertTrue(
                    scrape.contains(names.group(1)),
                    "alert uses " + names.group(1) + ", which the application does not export");
        }
    }

    // ---------------------------------------------------------------- helpers

    private static <T> T one(Class<T> type) {
        List<T> found = ALL.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName());
        return found.get(0);
    }

    private static Deployment deployment(String name) {
        return ALL.stream()
                .filter(o ->
                        o instanceof Deployment d && name.equals(d.getMetadata().getName()))
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment " + name));
    }

    private static Map<String, String> podLabels(String deployment) {
        return deployment(deployment).getSpec().getTemplate().getMetadata().getLabels();
    }

    private static Container container(String deployment) {
        return deployment(deployment)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> name.equals(e.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    private static long bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity)
                .setScale(0, java.math.RoundingMode.UP)
                .longValue();
    }

    /** fabric8 keeps fields its schema does not know in "additionalProperties": any there is a field Kubernetes rejects. */
    static void assertNoUnknownFields(Object root, String where) {
        List<String> unknown = new ArrayList<>();
        collectUnknown(root, where, unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) fail("fields the Kubernetes schema does not know: " + unknown);
    }

    private static void collectUnknown(Object node, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (node == null
                || node instanceof String
                || node instanceof Number
                || node instanceof Boolean
                || node instanceof BigDecimal
                || node.getClass().isEnum()
                || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) return;
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) unknown.add(path + " " + extra.keySet());
            } else {
                collectUnknown(value, path + "." + getter.getName().substring(3), unknown, seen);
            }
        }
    }
}
