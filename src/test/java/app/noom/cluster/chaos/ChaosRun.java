package app.noom.cluster.chaos;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One seed: fresh rooms and clients, concurrent operations (and faults in the fault profile), then heal, quiesce and
 * hand the transcripts to the {@link Oracle}. The seed fixes every choice; the interleaving is whatever happens.
 */
final class ChaosRun {
    record Settings(int clients, int minOps, int maxOps, boolean faults) {}

    record Outcome(
            long seed,
            List<Violation> violations,
            List<Faults.Fault> faults,
            long millis,
            int operations,
            String phases) {}

    private static final long QUIET_MILLIS = 700;
    /** After a fault, membership has this long to converge (the contract's bound for a dead node's ghosts). */
    private static final long CONVERGENCE_MILLIS = 10_000;

    private static final long QUIESCE_LIMIT_MILLIS = 15_000;

    private final ChaosCluster cluster;
    private final Settings settings;
    private final String runId;

    ChaosRun(ChaosCluster cluster, Settings settings, String runId) {
        this.cluster = cluster;
        this.settings = settings;
        this.runId = runId;
    }

    Outcome run(long seed) throws InterruptedException {
        long started = System.nanoTime();
        Random random = new Random(seed);
        History history = new History();
        List<String> rooms = new ArrayList<>();
        for (int i = 0; i < 4; i++) rooms.add(runId + "-s" + seed + "-r" + i);
        AtomicLong frames = new AtomicLong();
        List<ChaosClient> clients = new ArrayList<>();
        for (int i = 0; i < settings.clients(); i++) {
            String name = "c" + i;
            String claim = i == 0 ? rooms.get(0) : null; // one client's token only admits it to room 0
            if (claim != null) history.roomClaims.put(name, claim);
            clients.add(
                    new ChaosClient(name, history, cluster, token(runId + "-s" + seed + "-" + name, claim), frames));
        }
        int operations = settings.minOps() + random.nextInt(settings.maxOps() - settings.minOps() + 1);
        List<Faults.Fault> faultPlan = settings.faults() ? Faults.plan(random) : List.of();
        List<Thread> threads = new ArrayList<>();
        long opsStart = System.nanoTime();
        for (int i = 0; i < clients.size(); i++) {
            ChaosClient client = clients.get(i);
            Operations ops = new Operations(client, new Random(seed * 1_000_003L + i), rooms, cluster);
            int steps = operations / clients.size();
            int firstNode = random.nextInt(ChaosCluster.NODES);
            threads.add(start("chaos-" + client.name, () -> {
                client.hello(firstNode);
                for (int s = 0; s < steps; s++) ops.step();
            }));
        }
        Thread faults = start("chaos-faults", new Faults(cluster, history, faultPlan, opsStart));
        for (Thread t : threads) t.join();
        faults.join();
        long opsDone = System.nanoTime();
        cluster.heal();
        reconnectAll(clients, new Random(seed ^ 0x5eed));
        if (!faultPlan.isEmpty())
            Operations.pause(CONVERGENCE_MILLIS); // I3: a dead node's members are gone within 10 s
        long healed = System.nanoTime();
        quiesce(frames);
        long quiet = System.nanoTime();
        List<Violation> violations = Oracle.check(history);
        long checked = System.nanoTime();
        if (!violations.isEmpty()) dump(seed, history, violations);
        for (ChaosClient c : clients) c.bye();
        String phases = String.format(
                "ops %d ms, heal %d ms, quiesce %d ms, oracle %d ms; %s",
                (opsDone - opsStart) / 1_000_000,
                (healed - opsDone) / 1_000_000,
                (quiet - healed) / 1_000_000,
                (checked - quiet) / 1_000_000,
                mix(history));
        return new Outcome(seed, violations, faultPlan, (System.nanoTime() - started) / 1_000_000, operations, phases);
    }

    /** What the seed actually exercised: requests by type, resumes, acked kicks. */
    private static String mix(History h) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        int resumes = 0;
        for (SessionLog s : h.known()) {
            for (Sent m : s.sent()) counts.merge(m.type(), 1, Integer::sum);
            for (ConnLog c : s.conns()) if (c.resumeFrom != null) resumes++;
        }
        return "sent " + counts + ", resumes " + resumes + ", acked kicks "
                + AccessCheck.kicks(h).size();
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    /** Every client back on a live connection, so the end state is a quiet, fully connected cluster. */
    private void reconnectAll(List<ChaosClient> clients, Random random) {
        for (ChaosClient c : clients) {
            Operations ops = new Operations(c, random, List.of(), cluster);
            ops.ensureConnected();
            c.markDetachedAtEnd();
        }
    }

    /** Waits until no frame has arrived for a while (bounded): everything in flight has landed. */
    private static void quiesce(AtomicLong frames) {
        long deadline = System.nanoTime() + QUIESCE_LIMIT_MILLIS * 1_000_000;
        long seen = -1;
        while (System.nanoTime() < deadline) {
            long now = frames.get();
            if (now == seen) return;
            seen = now;
            Operations.pause(QUIET_MILLIS);
        }
    }

    /** An HS256 join token; {@code sub} gives the client an identity that outlives its sessions (bans hold on it). */
    static String token(String sub, String room) {
        JsonObject claims = new JsonObject().put("sub", sub).put("exp", System.currentTimeMillis() / 1000 + 3600);
        if (room != null) claims.put("room", room);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ChaosCluster.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every transcript of a failing seed, for reading beside the short evidence: target/chaos/seed-N.txt. */
    private static void dump(long seed, History history, List<Violation> violations) {
        StringBuilder out = new StringBuilder();
        violations.forEach(v -> out.append("!! ").append(v).append('\n'));
        for (SessionLog s : history.known()) {
            out.append("== ").append(s.label()).append('\n');
            for (ConnLog c : s.conns()) {
                out.append("  -- connection #")
                        .append(c.index)
                        .append(" on ")
                        .append(c.node)
                        .append(c.resumeFrom != null ? " resume lastSeq=" + c.resumeFrom : "")
                        .append('\n');
                java.util.List<Object[]> lines = new java.util.ArrayList<>();
                for (Sent x : c.sentRequests())
                    lines.add(new Object[] {x.at(), "  > " + x.msg().encode()});
                for (Received r : c.frames())
                    lines.add(new Object[] {r.at(), "  < " + r.frame().encode()});
                lines.sort(java.util.Comparator.comparingLong(l -> (Long) l[0]));
                for (Object[] l : lines) out.append(l[0]).append(l[1]).append('\n');
            }
        }
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "chaos");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("seed-" + seed + ".txt"), out);
        } catch (java.io.IOException e) {
            System.out.println("could not write the transcripts of seed " + seed + ": " + e);
        }
    }
}
