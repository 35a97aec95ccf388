package app.noom.cluster.chaos;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeded chaos checker (issue 10): 12 real WebSocket clients over 3 Noom nodes (separate JVMs, HTTP_INSTANCES=2)
 * and one real Redis, random concurrent operations, and an {@link Oracle} that checks I1–I6 and per-session request
 * order from every client's transcript. The cluster starts once; each seed uses fresh rooms and clients.
 *
 * <p>Knobs (system property or environment variable):
 * <ul>
 *   <li>{@code SEEDS} — seeds per profile (default: 200 without faults and up to 50 with faults; each profile stops
 *       starting seeds after {@code CHAOS_BUDGET_SECONDS}, default 330 and 75 s: 200 fault-free seeds take ~4–5 min
 *       on CI's two cores; the cap bounds a slower machine);
 *   <li>{@code SEED_FROM} — first seed (default 1); seeds are {@code SEED_FROM … SEED_FROM+SEEDS-1};
 *   <li>{@code SEED} — re-run exactly this one seed;
 *   <li>{@code PROFILE} — {@code nofaults} or {@code faults} to run only one profile;
 *   <li>{@code OPS} — operations per seed as {@code min-max} (default 60-160);
 *   <li>{@code PARALLEL} — fault-free seeds run at a time on the one cluster (default 3: more load, and 200 seeds
 *       in about 2 min on CI's two cores).
 * </ul>
 * A failing seed prints its number, the invariant and the few frames that show it (stdout of the test:
 * {@code target/surefire-reports/app.noom.cluster.chaos.ChaosCheckTest-output.txt}).
 *
 * <p>10,000 seeds locally (about 0.35 s per fault-free seed with 5 lanes on two loaded cores, about 20 s per fault seed):
 * <pre>
 * mvn -B -q test -Dtest=ChaosCheckTest -DPROFILE=nofaults -DSEEDS=10000 -DPARALLEL=5
 * mvn -B -q test -Dtest=ChaosCheckTest -DPROFILE=faults -DSEEDS=2000 -DSEED_FROM=1
 * mvn -B -q test -Dtest=ChaosCheckTest -DSEED=4711 -DPROFILE=faults   # re-run one seed
 * </pre>
 */
class ChaosCheckTest {
    private static final int MAX_VIOLATIONS_SHOWN = 3;
    /** Short seeds: more interleavings (fresh rooms, joins, resumes) per minute than long ones; OPS=150-400 for long. */
    private static final String DEFAULT_OPS = "60-160";

    private static ChaosCluster cluster;

    @BeforeAll
    static void startCluster() {
        long started = System.nanoTime();
        cluster = ChaosCluster.start();
        System.out.printf(
                "[chaos] cluster of %d nodes and Redis up in %d ms%n",
                ChaosCluster.NODES, (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @Test
    void concurrentTrafficWithoutFaultsKeepsEveryInvariant() throws InterruptedException {
        runProfile("nofaults", false, 200, 330);
    }

    @Test
    void nodeKillsPausesDrainsAndRedisRestartsKeepEveryInvariant() throws InterruptedException {
        runProfile("faults", true, 50, 75);
    }

    /**
     * Runs the profile's seeds. Without an explicit {@code SEEDS}/{@code SEED} the run is also bounded by
     * {@code budgetSeconds} (override: {@code CHAOS_BUDGET_SECONDS}), so CI stays within its time whatever the machine.
     */
    private static void runProfile(String profile, boolean faults, int defaultSeeds, int budgetSeconds)
            throws InterruptedException {
        String only = knob("PROFILE", null);
        if (only != null && !only.equals(profile)) return;
        String[] ops = knob("OPS", DEFAULT_OPS).split("-");
        ChaosRun.Settings settings =
                new ChaosRun.Settings(12, Integer.parseInt(ops[0]), Integer.parseInt(ops[1]), faults);
        ChaosRun run = new ChaosRun(cluster, settings, profile + Long.toString(System.nanoTime() % 1_000_000, 36));
        List<Long> planned = seeds(defaultSeeds);
        boolean bounded = knob("SEEDS", null) == null && knob("SEED", null) == null;
        long budgetEnd = System.nanoTime()
                + Long.parseLong(knob("CHAOS_BUDGET_SECONDS", String.valueOf(budgetSeconds))) * 1_000_000_000L;
        List<Long> seeds = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, TreeSet<Long>> failing = new TreeMap<>();
        java.util.concurrent.atomic.AtomicLong totalMillis = new java.util.concurrent.atomic.AtomicLong();
        java.util.Iterator<Long> next = planned.iterator();
        long wallStart = System.nanoTime();
        List<Thread> lanes = new ArrayList<>();
        for (int lane = 0; lane < lanes(faults); lane++) {
            Thread t = new Thread(
                    () -> {
                        while (true) {
                            long seed;
                            synchronized (next) {
                                if (!next.hasNext() || (bounded && System.nanoTime() > budgetEnd)) return;
                                seed = next.next();
                                seeds.add(seed);
                            }
                            ChaosRun.Outcome outcome = runSeed(run, seed);
                            totalMillis.addAndGet(outcome.millis());
                            synchronized (failing) {
                                report(profile, outcome);
                                for (Violation v : outcome.violations())
                                    failing.computeIfAbsent(v.invariant(), k -> new TreeSet<>())
                                            .add(seed);
                            }
                        }
                    },
                    "chaos-lane-" + lane);
            lanes.add(t);
            t.start();
        }
        for (Thread t : lanes) t.join();
        System.out.printf(
                "[chaos %s] %d of %d planned seeds in %d ms wall, %d lane(s) (%d ms per seed)%n",
                profile,
                seeds.size(),
                planned.size(),
                (System.nanoTime() - wallStart) / 1_000_000,
                lanes.size(),
                seeds.isEmpty() ? 0 : totalMillis.get() / seeds.size());
        if (!failing.isEmpty()) {
            StringBuilder summary = new StringBuilder("chaos checker (" + profile
                    + ") found violations; re-run one with -DSEED=<n> -DPROFILE=" + profile + ":");
            failing.forEach((inv, s) -> summary.append("\n  ")
                    .append(inv)
                    .append(" in ")
                    .append(s.size())
                    .append(" of ")
                    .append(seeds.size())
                    .append(" seeds: ")
                    .append(s));
            System.out.println(summary);
            List<String> gating = gate(faults);
            if (failing.keySet().stream().anyMatch(inv -> gating == null || gating.contains(inv)))
                fail(summary.toString());
            System.out.println("[chaos " + profile + "] not failing the build: only invariants outside FAULT_GATE "
                    + gating + " were violated (open work, issue 10)");
        }
    }

    /**
     * {@code PARALLEL} seeds at a time on the one cluster (fault-free profile only: each seed has its own rooms and
     * clients, so seeds cannot see each other; a fault would hit every seed running, outside their histories). More
     * load, more interleavings, and the 10,000-seed run fits in an evening.
     */
    private static int lanes(boolean faults) {
        return faults ? 1 : Math.max(1, Integer.parseInt(knob("PARALLEL", "3")));
    }

    private static ChaosRun.Outcome runSeed(ChaosRun run, long seed) {
        try {
            return run.run(seed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("chaos run interrupted", e);
        }
    }

    /**
     * Which invariants fail a profile: {@code FAULT_GATE} / {@code NOFAULT_GATE} (the build gates everything without
     * faults; under faults I1,I2,I4,I6 — membership convergence (I3) and kicks (I5) after a node died while a session
     * moved still fail in a few seeds: reported, open work), or every invariant when unset.
     */
    private static List<String> gate(boolean faults) {
        String spec = knob(faults ? "FAULT_GATE" : "NOFAULT_GATE", null);
        if (spec == null || spec.isBlank()) return null;
        return List.of(spec.split(","));
    }

    private static void report(String profile, ChaosRun.Outcome outcome) {
        String head = String.format(
                "[chaos %s] seed %d: %d ops, %d ms (%s), faults %s",
                profile, outcome.seed(), outcome.operations(), outcome.millis(), outcome.phases(), outcome.faults());
        progress(head
                + (outcome.violations().isEmpty()
                        ? ": ok"
                        : ": " + outcome.violations().size() + " violation(s)"));
        if (outcome.violations().isEmpty()) {
            System.out.println(head + ": ok");
            return;
        }
        System.out.println(head + ": " + outcome.violations().size() + " violation(s)");
        Map<String, List<Violation>> byInvariant = new LinkedHashMap<>();
        for (Violation v : outcome.violations())
            byInvariant.computeIfAbsent(v.invariant(), k -> new ArrayList<>()).add(v);
        byInvariant.forEach((inv, list) -> {
            System.out.println("  " + inv + ": " + list.size() + " violation(s), first "
                    + Math.min(list.size(), MAX_VIOLATIONS_SHOWN) + ":");
            list.stream()
                    .limit(MAX_VIOLATIONS_SHOWN)
                    .forEach(v -> System.out.println("  seed " + outcome.seed() + " " + v));
        });
    }

    /** One line per seed as it ends, for watching a long run (surefire shows stdout only when the test is over). */
    private static void progress(String line) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of("target", "chaos", "progress.log");
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(
                    file,
                    java.time.Instant.now() + " " + line + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.out.println("chaos progress not written: " + e);
        }
    }

    private static List<Long> seeds(int defaultSeeds) {
        String one = knob("SEED", null);
        if (one != null) return List.of(Long.parseLong(one));
        long from = Long.parseLong(knob("SEED_FROM", "1"));
        int count = Integer.parseInt(knob("SEEDS", String.valueOf(defaultSeeds)));
        List<Long> seeds = new ArrayList<>();
        for (long s = from; s < from + count; s++) seeds.add(s);
        return seeds;
    }

    private static String knob(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }
}
