package app.noom.cluster.chaos;

import java.util.List;

/** One broken invariant, with the few transcript lines (per client, with seq) that show it. */
record Violation(String invariant, String what, List<String> evidence) {
    static String line(SessionLog s, Received r) {
        return "  " + s.label() + " recv seq=" + r.seq() + " " + r.brief();
    }

    static String line(SessionLog s, Sent m) {
        return "  " + s.label() + " sent " + m.brief();
    }

    @Override
    public String toString() {
        return invariant + ": " + what + "\n" + String.join("\n", evidence);
    }
}
