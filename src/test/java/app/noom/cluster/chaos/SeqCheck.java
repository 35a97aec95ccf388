package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * I1: on every connection {@code seq} goes up by one per frame, never repeats, never goes back. A fresh session starts
 * where its first frame says (errors before {@code hello} may use numbers); a successful resume continues at
 * {@code lastSeq+1} — the replayed frames first, with no gap and nothing lower before them.
 */
final class SeqCheck {
    private SeqCheck() {}

    static List<Violation> check(History history) {
        List<Violation> found = new ArrayList<>();
        for (SessionLog s : history.known()) {
            for (ConnLog c : s.conns()) {
                Violation v = checkConnection(s, c);
                if (v != null) found.add(v);
            }
        }
        return found;
    }

    private static Violation checkConnection(SessionLog s, ConnLog c) {
        List<Received> frames = c.frames();
        if (frames.isEmpty()) return null;
        boolean continues = c.resumeFrom != null && c.resumedOk();
        long expected = continues ? c.resumeFrom + 1 : frames.get(0).seq();
        if (!continues && c.resumeFrom == null && expected != 1) {
            return new Violation(
                    "I1",
                    "a fresh session's first frame has seq " + expected + ", not 1",
                    List.of(Violation.line(s, frames.get(0))));
        }
        for (int i = 0; i < frames.size(); i++) {
            Received r = frames.get(i);
            if (r.seq() == expected) {
                expected++;
                continue;
            }
            List<String> evidence = new ArrayList<>();
            evidence.add("  connection #" + c.index + " on " + c.node
                    + (continues ? " resumed with lastSeq=" + c.resumeFrom : ""));
            if (i > 0) evidence.add(Violation.line(s, frames.get(i - 1)));
            evidence.add(Violation.line(s, r));
            long wanted = expected;
            frames.stream()
                    .skip(i + 1)
                    .filter(f -> f.seq() == wanted)
                    .findFirst()
                    .ifPresent(f -> evidence.add(Violation.line(s, f) + "   <- the expected seq, later"));
            String what = r.seq() < expected
                    ? "seq went back or repeated: got " + r.seq() + ", expected " + expected
                    : "seq gap: got " + r.seq() + ", expected " + expected;
            return new Violation("I1", what, evidence);
        }
        return null;
    }
}
