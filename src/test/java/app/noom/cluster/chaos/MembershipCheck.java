package app.noom.cluster.chaos;

import app.noom.cluster.chaos.Presence.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * I3: once the run has quiesced, every member's view of each room equals who is really in it (the run's own record,
 * {@link Presence}); whoever left, said bye or was kicked is in nobody's view. Members whose own state is unknown (a
 * request without answer) are left out of the comparison; a member that resumed with {@code replayComplete:false}
 * may legitimately have missed member events, so its own view is not judged.
 */
final class MembershipCheck {
    private MembershipCheck() {}

    static List<Violation> check(History h) {
        List<Violation> found = new ArrayList<>();
        for (String room : rooms(h)) {
            Set<String> in = new TreeSet<>();
            Set<String> unknown = new TreeSet<>();
            for (SessionLog s : h.known()) {
                State state = Presence.of(h, s, room).state();
                if (state == State.IN) in.add(s.id());
                if (state == State.UNKNOWN) unknown.add(s.id());
            }
            for (String id : in) {
                SessionLog s = h.byId(id);
                if (s.hadLossyResume()) continue;
                Set<String> view = Views.of(s, room);
                Violation v = compare(h, s, room, view, in, unknown);
                if (v != null) found.add(v);
            }
        }
        return found;
    }

    private static Violation compare(
            History h, SessionLog s, String room, Set<String> view, Set<String> in, Set<String> unknown) {
        if (view == null) {
            return new Violation(
                    "I3",
                    s.label() + " is in '" + room + "' but its frames say it is not",
                    List.of(Violation.line(s, Views.joined(s, room))));
        }
        Set<String> missing = new TreeSet<>(in);
        missing.remove(s.id());
        missing.removeAll(view);
        missing.removeAll(unknown);
        Set<String> extra = new TreeSet<>(view);
        extra.removeAll(in);
        extra.removeAll(unknown);
        if (missing.isEmpty() && extra.isEmpty()) return null;
        List<String> evidence = new ArrayList<>();
        Received joined = Views.joined(s, room);
        if (joined != null) evidence.add(Violation.line(s, joined));
        for (String id : missing) {
            Received last = Views.lastAbout(s, room, id);
            SessionLog other = h.byId(id);
            evidence.add("  " + other.label() + " is in the room since its joined"
                    + (Views.joined(other, room) == null
                            ? ""
                            : " seq=" + Views.joined(other, room).seq())
                    + (last == null ? ", and " + s.label() + " never heard of it" : ""));
            if (last != null) evidence.add(Violation.line(s, last) + "   <- last word about it");
        }
        for (String id : extra) {
            Received last = Views.lastAbout(s, room, id);
            SessionLog other = h.byId(id);
            String why =
                    other == null ? "an unknown member" : other.label() + " is out (" + outBecause(other, room) + ")";
            evidence.add("  " + why);
            if (last != null) evidence.add(Violation.line(s, last) + "   <- last word about it");
        }
        return new Violation(
                "I3", s.label() + "'s view of '" + room + "' misses " + missing + ", has extra " + extra, evidence);
    }

    private static String outBecause(SessionLog s, String room) {
        if (s.ended()) return "session ended: bye or replaced";
        for (Sent m : s.sent()) if ("leave".equals(m.type()) && room.equals(m.room())) return "left: " + m.brief();
        return s.frames().stream().anyMatch(r -> r.is("kicked") && room.equals(r.room()))
                ? "kicked"
                : "never joined/kicked";
    }

    static Set<String> rooms(History h) {
        Set<String> rooms = new TreeSet<>();
        for (SessionLog s : h.known()) for (Sent m : s.sent()) if ("join".equals(m.type())) rooms.add(m.room());
        return rooms;
    }
}
