package app.noom.integration.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.config.EnvNames;
import app.noom.config.NoomConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The deployment files agree with the application: env variable names ({@link EnvNames}), port, health / readiness /
 * metrics paths, and with each other (service names, mounts, datasource uid). {@code docker compose} is not
 * installed here, so YAML is read with SnakeYAML ({@link #YAML_STRINGS}).
 */
class DeploymentFilesTest {

    private static final Path ROOT =
            Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    private static final List<String> NOOM_NODES = List.of("noom1", "noom2");
    private static final List<String> REQUIRED_ENV = List.of(
            EnvNames.PORT,
            EnvNames.REDIS_URL,
            EnvNames.TURN_SECRET,
            EnvNames.TURN_URLS,
            EnvNames.STUN_URLS,
            EnvNames.NODE_ID);
    /** Every metric the dashboard must chart (Prometheus names of the Micrometer meters in NoomMetrics). */
    private static final List<String> DASHBOARD_METRICS = List.of(
            "noom_sessions",
            "noom_rooms",
            "noom_room_members",
            "noom_messages_in_total",
            "noom_messages_out_total",
            "noom_relay_latency_seconds_bucket",
            "noom_errors_total",
            "noom_resumes_total",
            "noom_turn_credentials_total",
            "noom_redis_publish_seconds",
            "noom_redis_reconnects_total");

    /** The port a node listens on without PORT set; every file must agree with it. */
    private static final int APP_PORT = NoomConfig.fromEnv(Map.of()).port();

    // ---------------------------------------------------------------- compose

    @Test
    void composeDefinesTheWholeStack() throws IOException {
        Set<String> services = services().keySet();
        for (String s : List.of("lb", "noom1", "noom2", "redis", "coturn", "prometheus", "grafana")) {
            assertTrue(services.contains(s), "service " + s + " missing: " + services);
        }
    }

    @Test
    void noomNodesGetEveryVariableUnderTheApplicationsNames() throws IOException {
        Set<String> known = envNames();
        Set<String> nodeIds = new HashSet<>();
        for (String node : NOOM_NODES) {
            Map<String, Object> env = map(service(node), "environment");
            for (String name : REQUIRED_ENV) assertTrue(env.containsKey(name), node + " lacks " + name);
            for (String name : env.keySet())
                assertTrue(known.contains(name), node + ": " + name + " is not in EnvNames");
            assertEquals(String.valueOf(APP_PORT), env.get(EnvNames.PORT));
            // one Redis unless the redis-cluster profile's variables say otherwise (RedisClusterComposeProfileTest)
            String redisUrl = composeDefault(env.get(EnvNames.REDIS_URL));
            assertEquals("redis://redis:6379", redisUrl);
            assertTrue(services().containsKey(hostOf(redisUrl)), "REDIS_URL host is a service");
            assertEquals("", composeDefault(env.get(EnvNames.REDIS_CLUSTER)), "no Redis Cluster by default");
            // the secret is interpolated from .env / the shell, never a literal in the file
            assertTrue(
                    String.valueOf(env.get(EnvNames.TURN_SECRET)).matches("\\$\\{TURN_SECRET(:\\?[^}]*)?}"),
                    node + " TURN_SECRET must be ${TURN_SECRET...}");
            nodeIds.add(String.valueOf(env.get(EnvNames.NODE_ID)));
            // per-address limits must count clients: the nodes trust exactly the load balancer's fixed address
            Object lbAddress = map(map(service("lb"), "networks"), "default").get("ipv4_address");
            assertEquals(lbAddress, env.get(EnvNames.TRUSTED_PROXIES), node + " TRUSTED_PROXIES");
            assertEquals(List.of(String.valueOf(APP_PORT)), list(service(node), "expose"));
            assertTrue(map(map(service(node), "depends_on"), "redis")
                    .get("condition")
                    .equals("service_healthy"));
        }
        assertEquals(NOOM_NODES.size(), nodeIds.size(), "NODE_IDs must differ: " + nodeIds);
    }

    @Test
    void loadBalancerIsWebSocketAwareAndStickyForSockJs() throws IOException {
        Map<String, Object> lb = service("lb");
        String cfgMount = mountTarget(lb, "./deploy/haproxy.cfg");
        assertEquals("/usr/local/etc/haproxy/haproxy.cfg", cfgMount);
        Map<String, List<String>> cfg = haproxySections(read("deploy/haproxy.cfg"));

        List<String> plain = cfg.get("frontend http");
        assertNotNull(plain, "frontend http: " + cfg.keySet());
        assertTrue(
                plain.stream().anyMatch(l -> l.startsWith("http-request redirect location https://")),
                "plain HTTP only redirects to HTTPS: " + plain);
        List<String> frontend = cfg.get("frontend https");
        assertNotNull(frontend, "frontend https: " + cfg.keySet());
        assertTrue(
                frontend.stream().anyMatch(l -> l.matches("bind :8443 ssl crt /usr/local/etc/haproxy/certs/\\S+.*")),
                "TLS with the certificate the tls service prepares: " + frontend);
        String sockjsBackend = frontend.stream()
                .map(l -> Pattern.compile("use_backend (\\S+) if \\{ path_beg " + EnvNames.PATH_SOCKJS + " }")
                        .matcher(l))
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no /sockjs route"));
        String defaultBackend = frontend.stream()
                .filter(l -> l.startsWith("default_backend "))
                .map(l -> l.substring("default_backend ".length()))
                .findFirst()
                .orElseThrow();
        assertTrue(
                frontend.stream().anyMatch(l -> l.startsWith("http-request deny") && l.contains(EnvNames.PATH_METRICS)),
                "metrics must not be reachable through the load balancer");
        assertTrue(
                cfg.get("defaults").stream().anyMatch(l -> l.startsWith("timeout tunnel ")),
                "WebSocket tunnel timeout");
        assertTrue(cfg.get("defaults").contains("mode http"));

        List<String> sockjs = cfg.get("backend " + sockjsBackend);
        assertTrue(
                sockjs.stream().anyMatch(l -> l.matches("cookie JSESSIONID (prefix|insert).*")),
                "sticky on JSESSIONID");
        for (String backend : List.of(sockjsBackend, defaultBackend)) {
            List<String> lines = cfg.get("backend " + backend);
            assertTrue(lines.contains("option httpchk GET " + EnvNames.PATH_READY), backend + " health-checks /ready");
            for (String node : NOOM_NODES) {
                assertTrue(
                        lines.stream()
                                .anyMatch(l -> l.startsWith("server " + node + " " + node + ":" + APP_PORT + " check")),
                        backend + " lacks " + node + ":" + APP_PORT);
            }
        }
    }

    @Test
    void coturnRunsTheShippedConfigWithTheSecretFromTheEnvironment() throws IOException {
        Map<String, Object> coturn = service("coturn");
        assertEquals("host", coturn.get("network_mode"));
        String confInContainer = mountTarget(coturn, "./coturn.conf");
        List<Object> command = list(coturn, "command");
        int c = command.indexOf("-c");
        assertTrue(
                c >= 0 && confInContainer.equals(command.get(c + 1)),
                "coturn -c must point at the mounted coturn.conf");
        assertTrue(
                command.stream()
                        .map(String::valueOf)
                        .anyMatch(a -> a.matches("--static-auth-secret=\\$\\{TURN_SECRET(:\\?[^}]*)?}")),
                "--static-auth-secret=${TURN_SECRET} on the command line: " + command);
        assertTrue(Files.exists(ROOT.resolve("coturn.conf")));
    }

    /** coturn alone only warns about a missing certificate; the entry point (CoturnStartScriptTest) stops instead. */
    @Test
    void coturnStartsThroughTheCertificateCheck() throws IOException {
        Map<String, Object> coturn = service("coturn");
        String script = mountTarget(coturn, "./deploy/coturn/coturn-start.sh");
        assertEquals(List.of("/bin/sh", script), list(coturn, "entrypoint"));
        assertTrue(map(coturn, "environment").containsKey("TURN_URLS"), "the check reads TURN_URLS");
    }

    @Test
    void prometheusScrapesEveryNodeAtTheMetricsPath() throws IOException {
        assertEquals("/etc/prometheus/prometheus.yml", mountTarget(service("prometheus"), "./deploy/prometheus.yml"));
        Map<String, Object> prometheus = asMap(yamlDocument(read("deploy/prometheus.yml")));
        Map<String, Object> job = list(prometheus, "scrape_configs").stream()
                .map(DeploymentFilesTest::asMap)
                .filter(j -> "noom".equals(j.get("job_name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no noom job"));
        assertEquals(EnvNames.PATH_METRICS, job.get("metrics_path"));
        List<Object> targets = new ArrayList<>();
        list(job, "static_configs").forEach(sc -> targets.addAll(list(asMap(sc), "targets")));
        // the internal METRICS_PORT each node is given, never the public port the load balancer routes to
        List<String> expected = new ArrayList<>();
        for (String node : NOOM_NODES) {
            Object metricsPort = map(service(node), "environment").get(EnvNames.METRICS_PORT);
            assertNotNull(metricsPort, node + " must serve metrics on METRICS_PORT");
            org.junit.jupiter.api.Assertions.assertNotEquals(String.valueOf(APP_PORT), metricsPort);
            expected.add(node + ":" + metricsPort);
        }
        assertEquals(expected, targets);
    }

    @Test
    void grafanaIsProvisionedWithTheNoomDashboard() throws IOException {
        Map<String, Object> grafana = service("grafana");
        assertEquals("/etc/grafana/provisioning", mountTarget(grafana, "./deploy/grafana/provisioning"));
        String dashboardMount = mountTarget(grafana, "./deploy/grafana/noom-dashboard.json");

        Map<String, Object> providers = asMap(yamlDocument(read("deploy/grafana/provisioning/dashboards/noom.yml")));
        String providerPath = (String)
                map(asMap(list(providers, "providers").get(0)), "options").get("path");
        assertEquals(
                providerPath, Path.of(dashboardMount).getParent().toString(), "provider loads the mounted dashboard");

        Map<String, Object> datasources =
                asMap(yamlDocument(read("deploy/grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> ds = asMap(list(datasources, "datasources").get(0));
        assertEquals("prometheus", ds.get("type"));
        assertEquals("http://prometheus:9090", ds.get("url"));
        assertTrue(services().containsKey("prometheus"));

        JsonObject dashboard = new JsonObject(read("deploy/grafana/noom-dashboard.json"));
        StringBuilder exprs = new StringBuilder();
        JsonArray panels = dashboard.getJsonArray("panels");
        assertFalse(panels.isEmpty());
        for (int i = 0; i < panels.size(); i++) {
            JsonObject panel = panels.getJsonObject(i);
            assertEquals(ds.get("uid"), panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
            JsonArray targets = panel.getJsonArray("targets");
            for (int t = 0; t < targets.size(); t++)
                exprs.append(targets.getJsonObject(t).getString("expr")).append('\n');
        }
        for (String metric : DASHBOARD_METRICS)
            assertTrue(exprs.toString().contains(metric), "dashboard lacks " + metric);
        assertTrue(
                exprs.toString().contains("by (type)")
                        && exprs.toString().contains("by (code)")
                        && exprs.toString().contains("path"),
                "messages by type, errors by code, latency by path");
    }

    /** Upstream images by default, each replaceable by a variable; Debian's docker-compose 1.29 reads the file. */
    @Test
    void composeTakesEveryImageFromAVariableWithTheUpstreamDefault() throws IOException {
        Map<String, String> upstream = Map.of(
                "lb",
                "HAPROXY_IMAGE:-haproxy:2.8",
                "redis",
                "REDIS_IMAGE:-redis:7",
                "coturn",
                "COTURN_IMAGE:-coturn/coturn:4.6",
                "prometheus",
                "PROMETHEUS_IMAGE:-prom/prometheus:v2.53.0",
                "grafana",
                "GRAFANA_IMAGE:-grafana/grafana:11.1.0");
        for (Map.Entry<String, String> e : upstream.entrySet()) {
            assertEquals("${" + e.getValue() + "}", service(e.getKey()).get("image"), e.getKey());
        }
        for (String node : NOOM_NODES) {
            Map<String, Object> args = map(map(service(node), "build"), "args");
            assertEquals("${NOOM_BUILD_IMAGE:-maven:3-eclipse-temurin-17}", args.get("NOOM_BUILD_IMAGE"), node);
            assertEquals("${NOOM_RUNTIME_IMAGE:-eclipse-temurin:17-jre}", args.get("NOOM_RUNTIME_IMAGE"), node);
        }
        Map<String, Object> top = asMap(yamlDocument(read("docker-compose.yml")));
        assertFalse(top.containsKey("name"), "docker-compose 1.29 refuses a top-level name:");
        assertEquals(
                List.of("grafana"), list(service("grafana"), "profiles"), "Grafana (not in Debian) only on request");
    }

    @Test
    void composeCommitsNoSecret() throws IOException {
        String compose = read("docker-compose.yml");
        for (String line : compose.split("\n")) {
            if (line.contains("SECRET") || line.contains("PASSWORD")) {
                assertTrue(
                        line.strip().startsWith("#") || line.contains("${"),
                        "literal secret in docker-compose.yml: " + line);
            }
        }
        Map<String, String> example = new LinkedHashMap<>();
        for (String line : read(".env.example").split("\n")) {
            if (!line.startsWith("#") && line.contains("="))
                example.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        assertEquals("", example.get(EnvNames.TURN_SECRET), ".env.example must not carry a secret");
    }

    // ---------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileBuildsAndRunsTheFatJar() throws IOException {
        List<String> lines = read("Dockerfile")
                .lines()
                .map(String::strip)
                .filter(l -> !l.startsWith("#"))
                .toList();
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        // base images are build arguments defaulting to the upstream images (a registry mirror, or local stand-ins)
        assertEquals(List.of("FROM ${NOOM_BUILD_IMAGE} AS build", "FROM ${NOOM_RUNTIME_IMAGE}"), froms);
        assertTrue(lines.contains("ARG NOOM_BUILD_IMAGE=maven:3-eclipse-temurin-17"), "upstream default for the build");
        assertTrue(lines.contains("ARG NOOM_RUNTIME_IMAGE=eclipse-temurin:17-jre"), "upstream default for the runtime");
        assertFalse(
                read("Dockerfile").lines().anyMatch(l -> l.strip().toLowerCase().startsWith("# syntax=")),
                "a # syntax= line makes BuildKit pull a frontend image");
        assertTrue(lines.contains("EXPOSE " + APP_PORT), "EXPOSE must be the app port " + APP_PORT);
        assertTrue(lines.contains("ENV PORT=" + APP_PORT), "ENV PORT must be the app port " + APP_PORT);
        String healthcheck = String.join(" ", lines.subList(indexStartingWith(lines, "HEALTHCHECK"), lines.size()));
        assertTrue(healthcheck.contains("GET " + EnvNames.PATH_HEALTH + " "), "HEALTHCHECK probes /health");
        String entrypoint = lines.get(indexStartingWith(lines, "ENTRYPOINT"));
        assertTrue(entrypoint.contains("\"java\"") && entrypoint.contains("\"-jar\", \"/app/noom.jar\""), entrypoint);
        assertTrue(lines.contains("COPY --from=build /src/target/noom.jar /app/noom.jar"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("USER ") && !l.equals("USER root")), "runs unprivileged");
        // the jar name comes from the shade plugin's finalName in pom.xml
        assertTrue(read("pom.xml").contains("<finalName>noom</finalName>"), "pom.xml shade finalName must stay noom");
    }

    // ---------------------------------------------------------------- Kubernetes

    @Test
    void k8sManifestsAreNamespaceFree() throws IOException {
        Map<String, Map<String, Object>> all = k8sObjects();
        for (String kind : List.of(
                "Deployment/noom", "Service/noom", "PodDisruptionBudget/noom", "Deployment/redis", "Service/redis")) {
            assertTrue(all.containsKey(kind), kind + " missing: " + all.keySet());
        }
        all.forEach((id, doc) -> assertFalse(map(doc, "metadata").containsKey("namespace"), id + " sets a namespace"));
    }

    @Test
    void k8sDeploymentMatchesTheApplication() throws IOException {
        Map<String, Map<String, Object>> all = k8sObjects();
        Map<String, Object> deployment = all.get("Deployment/noom");
        Map<String, Object> podTemplate = map(map(deployment, "spec"), "template");
        Map<String, Object> pod = map(podTemplate, "spec");
        Map<String, Object> container = asMap(list(pod, "containers").get(0));

        Map<String, Object> port = asMap(list(container, "ports").get(0));
        assertEquals(String.valueOf(APP_PORT), port.get("containerPort"));
        String portName = (String) port.get("name");

        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        list(container, "env").forEach(e -> env.put((String) asMap(e).get("name"), asMap(e)));
        Set<String> known = envNames();
        for (String name : REQUIRED_ENV) assertTrue(env.containsKey(name), "k8s env lacks " + name);
        String values =
                env.values().stream().map(e -> String.valueOf(e.get("value"))).reduce("", String::concat);
        for (String name : env.keySet()) {
            // a variable only Kubernetes reads, to expand $(NAME) in another one (REDIS_PASSWORD into REDIS_URL)
            boolean expansionHelper = values.contains("$(" + name + ")");
            assertTrue(known.contains(name) || expansionHelper, name + " is not in EnvNames");
        }
        assertEquals(String.valueOf(APP_PORT), env.get(EnvNames.PORT).get("value"));
        Map<String, Object> secretRef = map(map(env.get(EnvNames.TURN_SECRET), "valueFrom"), "secretKeyRef");
        assertNotNull(secretRef.get("name"));
        assertFalse(env.get(EnvNames.TURN_SECRET).containsKey("value"), "TURN_SECRET must come from a Secret");
        String redisHost = hostOf((String) env.get(EnvNames.REDIS_URL).get("value"));
        assertTrue(all.containsKey("Service/" + redisHost), "REDIS_URL points at Service " + redisHost);

        Map<String, Object> readiness = map(map(container, "readinessProbe"), "httpGet");
        Map<String, Object> liveness = map(map(container, "livenessProbe"), "httpGet");
        assertEquals(EnvNames.PATH_READY, readiness.get("path"));
        assertEquals(EnvNames.PATH_HEALTH, liveness.get("path"));
        assertEquals(portName, readiness.get("port"));
        assertEquals(portName, liveness.get("port"));
        assertEquals(
                EnvNames.PATH_METRICS,
                map(map(podTemplate, "metadata"), "annotations").get("prometheus.io/path"));

        // preStop sleep lets endpoint removal propagate; the grace period must hold it plus a ~30 s drain.
        List<Object> preStop = list(map(map(map(container, "lifecycle"), "preStop"), "exec"), "command");
        assertEquals("sleep", preStop.get(0));
        int sleep = Integer.parseInt((String) preStop.get(1));
        int grace = Integer.parseInt((String) pod.get("terminationGracePeriodSeconds"));
        assertTrue(sleep >= 3 && sleep <= 10, "preStop sleep " + sleep);
        assertTrue(
                grace >= sleep + 30 && grace <= 60,
                "terminationGracePeriodSeconds " + grace + " vs preStop " + sleep + " + 30 s drain");
    }

    @Test
    void k8sServiceAndBudgetSelectTheNoomPods() throws IOException {
        Map<String, Map<String, Object>> all = k8sObjects();
        Map<String, Object> deploymentSpec = map(all.get("Deployment/noom"), "spec");
        Map<String, Object> podLabels = map(map(map(deploymentSpec, "template"), "metadata"), "labels");
        Map<String, Object> pod = map(map(deploymentSpec, "template"), "spec");
        Set<Object> portNames = list(asMap(list(pod, "containers").get(0)), "ports").stream()
                .map(p -> asMap(p).get("name"))
                .collect(Collectors.toSet());

        Map<String, Object> serviceSpec = map(all.get("Service/noom"), "spec");
        assertTrue(
                podLabels.entrySet().containsAll(map(serviceSpec, "selector").entrySet()), "Service selects the pods");
        assertTrue(
                portNames.contains(asMap(list(serviceSpec, "ports").get(0)).get("targetPort")),
                "Service targets the named port");

        Map<String, Object> pdbSpec = map(all.get("PodDisruptionBudget/noom"), "spec");
        assertTrue(
                podLabels
                        .entrySet()
                        .containsAll(
                                map(map(pdbSpec, "selector"), "matchLabels").entrySet()),
                "PDB selects the pods");
        int replicas = Integer.parseInt((String) deploymentSpec.get("replicas"));
        int minAvailable = Integer.parseInt((String) pdbSpec.get("minAvailable"));
        assertTrue(
                minAvailable >= 1 && minAvailable < replicas,
                "PDB must allow one disruption: " + minAvailable + "/" + replicas);
    }

    @Test
    void coturnOnKubernetesIsDocumented() throws IOException {
        String notes = read("deploy/k8s/coturn.md");
        for (String needle :
                List.of("hostNetwork", "DaemonSet", "--static-auth-secret", "external-ip", "denied-peer-ip")) {
            assertTrue(notes.contains(needle), "coturn.md should cover " + needle);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * SnakeYAML's safe loader with every scalar a string, as compose and Kubernetes hand values to the programs they
     * start: {@code 8080} and {@code "8080"} compare alike, so a quoting change alone fails no test.
     */
    private static final Resolver YAML_STRINGS = new Resolver() {
        @Override
        protected void addImplicitResolvers() {}
    };

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        DumperOptions dumping = new DumperOptions(); // required by the constructor, never used: nothing is written
        return new Yaml(new SafeConstructor(options), new Representer(dumping), dumping, options, YAML_STRINGS);
    }

    /** A single-document file. */
    private static Object yamlDocument(String text) {
        List<Object> docs = yamlDocuments(text);
        assertEquals(1, docs.size(), "expected one YAML document");
        return docs.get(0);
    }

    /** Every document of a multi-document stream; empty documents are dropped. */
    private static List<Object> yamlDocuments(String text) {
        List<Object> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) if (doc != null) docs.add(doc);
        return docs;
    }

    private static Map<String, Object> services() throws IOException {
        return map(asMap(yamlDocument(read("docker-compose.yml"))), "services");
    }

    private static Map<String, Object> service(String name) throws IOException {
        return map(services(), name);
    }

    /** "kind/name" → document, over every YAML file in deploy/k8s. */
    private static Map<String, Map<String, Object>> k8sObjects() throws IOException {
        Map<String, Map<String, Object>> objects = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s"))) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                for (Object doc : yamlDocuments(Files.readString(file, StandardCharsets.UTF_8))) {
                    Map<String, Object> m = asMap(doc);
                    objects.put(m.get("kind") + "/" + map(m, "metadata").get("name"), m);
                }
            }
        }
        return objects;
    }

    /** What compose makes of {@code ${VAR-default}} or {@code ${VAR:-default}} when VAR is not set: the default. */
    private static String composeDefault(Object value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+:?-([^}]*)}").matcher(String.valueOf(value));
        return m.matches() ? m.group(1) : String.valueOf(value);
    }

    /** Container path of a compose volume whose host side is {@code hostPath}. */
    private static String mountTarget(Map<String, Object> service, String hostPath) {
        return list(service, "volumes").stream()
                .map(String::valueOf)
                .filter(v -> v.startsWith(hostPath + ":"))
                .map(v -> v.split(":")[1])
                .findFirst()
                .orElseThrow(() -> new AssertionError(hostPath + " is not mounted: " + service.get("volumes")));
    }

    /** HAProxy sections ("frontend http", "backend noom", …) → their directive lines, comments dropped. */
    private static Map<String, List<String>> haproxySections(String cfg) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : cfg.split("\n")) {
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
            if (line.isBlank()) continue;
            if (!Character.isWhitespace(line.charAt(0))) {
                current = new ArrayList<>();
                sections.put(line.strip(), current);
            } else if (current != null) {
                current.add(line.strip().replaceAll("\\s+", " "));
            }
        }
        return sections;
    }

    /** The values of EnvNames' variable-name constants (PATH_* are paths, not variables). */
    private static Set<String> envNames() {
        Set<String> names = new HashSet<>();
        for (Field f : EnvNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && f.getType() == String.class
                    && !f.getName().startsWith("PATH_")) {
                try {
                    names.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

    private static String hostOf(String url) {
        // credentials (a Kubernetes $(VAR) reference) are not part of the host
        return java.net.URI.create(url.replaceFirst("//[^@/]*@", "//")).getHost();
    }

    private static int indexStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no line starting with " + prefix);
    }

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertNotNull(value, "missing key '" + key + "' in " + parent.keySet());
        return asMap(value);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertTrue(value instanceof List, "expected a list at '" + key + "', got " + value);
        return (List<Object>) value;
    }
}
