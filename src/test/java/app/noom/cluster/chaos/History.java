package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One seed's run as the oracle sees it: every session's transcript, the fault windows, and the run's own facts. */
final class History {
    /** A fault and its aftermath; messages acked inside it are only held to at-most-once, not exactly-once. */
    record FaultWindow(long from, long to, String what) {
        boolean covers(long at) {
            return at >= from - MARGIN && at <= to + MARGIN;
        }
    }

    static final long MARGIN = TimeUnit.MILLISECONDS.toNanos(1500);

    final List<SessionLog> sessions = new ArrayList<>();
    final List<FaultWindow> faults = new ArrayList<>();
    /** Client name → the room its join token is limited to (absent: no limit). */
    final Map<String, String> roomClaims = new HashMap<>();
    /** Derived facts (Presence), computed once the run is over. */
    final Map<String, Object> memo = new ConcurrentHashMap<>();

    synchronized void add(SessionLog s) {
        sessions.add(s);
    }

    synchronized List<SessionLog> sessions() {
        return List.copyOf(sessions);
    }

    synchronized void fault(long from, long to, String what) {
        faults.add(new FaultWindow(from, to, what));
    }

    synchronized boolean inFault(long at) {
        return faults.stream().anyMatch(f -> f.covers(at));
    }

    synchronized boolean anyFault() {
        return !faults.isEmpty();
    }

    /** Sessions that got a welcome (a session id); the oracle reasons only about these. */
    List<SessionLog> known() {
        return sessions().stream().filter(s -> s.id() != null).toList();
    }

    SessionLog byId(String sessionId) {
        return known().stream()
                .filter(s -> s.id().equals(sessionId))
                .findFirst()
                .orElse(null);
    }
}
