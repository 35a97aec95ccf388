package app.noom.cluster.shards;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster on loopback: {@code masters} masters with one replica each, {@code redis-server
 * --cluster-enabled yes} on free ports (each port's cluster bus, port + 10000, free too), joined by {@code redis-cli
 * --cluster create}. Everything in a fresh temporary directory; {@link #close} kills every process.
 */
public final class LocalRedisCluster implements AutoCloseable {
    private final Path dir;
    private final Map<Integer, Process> servers = new LinkedHashMap<>();

    private LocalRedisCluster(Path dir) {
        this.dir = dir;
    }

    public static LocalRedisCluster start(int masters) throws Exception {
        LocalRedisCluster cluster = new LocalRedisCluster(Files.createTempDirectory("noom-redis-cluster"));
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < masters * 2; i++) ports.add(cluster.launch(freeClusterPort(ports)));
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            String out = run(create, Duration.ofSeconds(60));
            if (!out.contains("[OK] All 16384 slots covered"))
                throw new AssertionError("cluster create failed:\n" + out);
            for (int port : ports) cluster.awaitClusterOk(port);
            // a replica that never finished its first sync cannot take over: wait until every replica has its master's
            // data
            for (int port : ports) cluster.awaitReplicaInSync(port);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** Every node's port, masters and replicas. */
    List<Integer> ports() {
        return List.copyOf(servers.keySet());
    }

    /** {@code REDIS_CLUSTER} for Noom: every node as a seed. */
    public String seeds() {
        return String.join(
                ",", servers.keySet().stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /** The port of the master owning {@code slot}, read from {@code CLUSTER SLOTS} of any node. */
    public int masterOf(int slot) throws Exception {
        return masterOf(slot, anyAlive());
    }

    private int masterOf(int slot, int askedNode) throws Exception {
        for (String[] range : slotRanges(askedNode)) {
            if (slot >= Integer.parseInt(range[0]) && slot <= Integer.parseInt(range[1]))
                return Integer.parseInt(range[2]);
        }
        throw new AssertionError("no master owns slot " + slot);
    }

    /** Distinct master ports, from the slot map. */
    public List<Integer> masters() throws Exception {
        List<Integer> masters = new ArrayList<>();
        for (String[] range : slotRanges(anyAlive())) {
            int port = Integer.parseInt(range[2]);
            if (!masters.contains(port)) masters.add(port);
        }
        return masters;
    }

    private int anyAlive() {
        return servers.entrySet().stream()
                .filter(e -> e.getValue().isAlive())
                .findFirst()
                .orElseThrow()
                .getKey();
    }

    /** SIGKILL of one node's process: its connections drop, nothing is saved. */
    void kill(int port) throws InterruptedException {
        Process process = servers.get(port);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP (or SIGCONT) of one node: its connections stay open and nothing answers on them, as in a partition. */
    void freeze(int port, boolean frozen) throws Exception {
        run(
                List.of(
                        "kill",
                        frozen ? "-STOP" : "-CONT",
                        String.valueOf(servers.get(port).pid())),
                Duration.ofSeconds(10));
    }

    /**
     * The port of {@code master}'s replica, as any node's view of the cluster knows it: right after the cluster is made,
     * the master itself may not have heard (by gossip) that its replica follows it, so this polls until one node has.
     */
    int replicaOf(int master) throws Exception {
        String masterId = nodeId(master);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            for (int port : servers.keySet()) {
                if (!servers.get(port).isAlive()) continue;
                for (String line : cli(port, "CLUSTER", "NODES").lines().toList()) {
                    String[] fields = line.trim().split(" ");
                    if (fields.length > 3 && fields[2].contains("slave") && fields[3].equals(masterId))
                        return Integer.parseInt(
                                fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                }
            }
            Thread.sleep(100); // polling another process's view; there is no event to wait on
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no replica of " + master + " within 20 s");
    }

    /**
     * A shard may die without a replica taking over: {@code master}'s replica never fails over, and the other shards
     * keep serving their slots while some are uncovered (Redis's default stops the whole cluster then).
     */
    void allowPartialOutageOf(int master) throws Exception {
        for (int port : servers.keySet()) cli(port, "CONFIG", "SET", "cluster-require-full-coverage", "no");
        cli(replicaOf(master), "CONFIG", "SET", "cluster-replica-no-failover", "yes");
    }

    /** Waits until a node other than {@code dead} owns {@code slot} and the survivors report cluster_state:ok. */
    int awaitNewMasterOf(int slot, int dead, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int survivor = servers.keySet().stream()
                    .filter(p -> p != dead && servers.get(p).isAlive())
                    .findFirst()
                    .orElseThrow();
            if (cli(survivor, "CLUSTER", "INFO").contains("cluster_state:ok")) {
                try {
                    int owner = masterOf(slot, survivor);
                    if (owner != dead) return owner;
                } catch (AssertionError noOwnerYet) {
                    // the dead master is suspected (fail?) but its replica not promoted yet
                }
            }
            sleepBriefly();
        }
        StringBuilder state = new StringBuilder();
        for (int port : servers.keySet()) {
            if (port == dead) continue;
            state.append("\n-- ").append(port).append(":\n").append(cli(port, "CLUSTER", "NODES"));
            List<String> log = Files.readAllLines(dir.resolve("redis-" + port + ".log"));
            log.subList(Math.max(0, log.size() - 15), log.size())
                    .forEach(l -> state.append(l).append('\n'));
        }
        throw new AssertionError("no replica took over slot " + slot + " from " + dead + " within " + timeout + state);
    }

    /** The lowest slot a master owns (what {@code redis-cli --cluster reshard --cluster-slots 1} moves first). */
    int lowestSlotOf(int master) throws Exception {
        return slotRanges(anyAlive()).stream()
                .filter(r -> Integer.parseInt(r[2]) == master)
                .mapToInt(r -> Integer.parseInt(r[0]))
                .min()
                .orElseThrow();
    }

    String nodeId(int port) throws Exception {
        return cli(port, "CLUSTER", "MYID").trim();
    }

    /** Moves {@code slots} slots from one master to another with redis-cli, keys and all; returns its output. */
    String reshard(int from, int to, int slots) throws Exception {
        return run(
                List.of(
                        "redis-cli",
                        "--cluster",
                        "reshard",
                        "127.0.0.1:" + from,
                        "--cluster-from",
                        nodeId(from),
                        "--cluster-to",
                        nodeId(to),
                        "--cluster-slots",
                        String.valueOf(slots),
                        "--cluster-yes"),
                Duration.ofSeconds(60));
    }

    /** Runs a redis-cli command against one node and returns its raw output. */
    public String cli(int port, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return run(command, Duration.ofSeconds(20));
    }

    /** start, end, master port per slot range, from CLUSTER NODES ("id ip:port@bus flags master … slots…"). */
    private List<String[]> slotRanges(int askedNode) throws Exception {
        List<String[]> ranges = new ArrayList<>();
        for (String line : cli(askedNode, "CLUSTER", "NODES").lines().toList()) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) continue;
            String port = fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@'));
            for (int k = 8; k < fields.length; k++) {
                if (fields[k].startsWith("[")) continue; // a slot being migrated
                String[] bounds = fields[k].split("-");
                ranges.add(new String[] {bounds[0], bounds.length > 1 ? bounds[1] : bounds[0], port});
            }
        }
        return ranges;
    }

    private int launch(int port) throws IOException {
        File log = dir.resolve("redis-" + port + ".log").toFile();
        Process process = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes-" + port + ".conf",
                        "--cluster-node-timeout",
                        "2000",
                        "--repl-diskless-sync-delay",
                        "0",
                        "--dir",
                        dir.toString(),
                        "--save",
                        "",
                        "--appendonly",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        servers.put(port, process);
        awaitPing(port);
        return port;
    }

    private void awaitPing(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (cli(port, "PING").contains("PONG")) return;
            } catch (Exception e) {
                // not up yet
            }
            sleepBriefly();
        }
        throw new AssertionError("redis-server on " + port + " did not answer PING");
    }

    private void awaitReplicaInSync(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String replication = cli(port, "INFO", "replication");
            if (replication.contains("role:master") || replication.contains("master_link_status:up")) return;
            sleepBriefly();
        }
        throw new AssertionError("replica " + port + " never finished its first sync");
    }

    void awaitClusterOk(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (cli(port, "CLUSTER", "INFO").contains("cluster_state:ok")) return;
            sleepBriefly();
        }
        throw new AssertionError("node " + port + " never reported cluster_state:ok");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100); // polling a state change of another process: no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String run(List<String> command, Duration timeout) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** A free port whose cluster bus port (+10000) is free too. */
    private static int freeClusterPort(List<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            if (port > 55_000 || taken.contains(port)) continue;
            try (ServerSocket bus = new ServerSocket(port + 10_000)) {
                return port;
            } catch (IOException busTaken) {
                // try another
            }
        }
        throw new AssertionError("no free port pair for a cluster node");
    }

    @Override
    public void close() {
        servers.values().forEach(Process::destroyForcibly);
        for (Process p : servers.values()) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
