package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Who is in which room, as the run itself knows it from requests and their replies — never from the member views
 * under test. A join answered {@code joined} puts a session in (from the reply's arrival); a leave, a kick, a
 * {@code kicked} frame, {@code bye} or a replaced session takes it out (from the moment it was sent: conservative);
 * a request without an answer makes the state unknown until a later answered one.
 */
final class Presence {
    enum State {
        IN,
        OUT,
        UNKNOWN
    }

    /** The final state and since when it has held without interruption. */
    record Standing(State state, long since) {}

    private record Change(long at, State to) {}

    private Presence() {}

    static Standing of(History h, SessionLog s, String room) {
        return (Standing) h.memo.computeIfAbsent("presence|" + s.label() + "|" + room, k -> compute(h, s, room));
    }

    private static Standing compute(History h, SessionLog s, String room) {
        List<Change> changes = new ArrayList<>();
        for (Sent m : s.sent()) {
            if (!room.equals(m.room()) && !"bye".equals(m.type())) continue;
            Received reply = s.reply(m.id());
            switch (m.type()) {
                case "join" -> {
                    if (reply == null) changes.add(new Change(m.at(), State.UNKNOWN));
                    else if (reply.is("joined")) changes.add(new Change(reply.at(), State.IN));
                }
                case "leave" -> changes.add(new Change(m.at(), reply == null ? State.UNKNOWN : State.OUT));
                case "bye" -> changes.add(new Change(m.at(), State.OUT));
                default -> {}
            }
        }
        for (Received r : s.frames()) {
            if (r.is("kicked") && room.equals(r.room())) changes.add(new Change(r.at(), State.OUT));
        }
        for (SessionLog host : h.known()) {
            for (Sent m : host.sent()) {
                if (!"kick".equals(m.type())
                        || !room.equals(m.room())
                        || !s.id().equals(m.msg().getString("member"))) continue;
                Received reply = host.reply(m.id());
                if (reply == null) changes.add(new Change(m.at(), State.UNKNOWN));
                else if (reply.is("ack")) changes.add(new Change(m.at(), State.OUT));
            }
        }
        changes.sort(Comparator.comparingLong(Change::at));
        State state = State.OUT;
        long since = Long.MIN_VALUE;
        for (Change c : changes) {
            if (c.to() != state) {
                state = c.to();
                since = c.at();
            }
        }
        if (s.ended()) return new Standing(State.OUT, since);
        if (s.detachedAtEnd() && state == State.IN) return new Standing(State.UNKNOWN, since);
        return new Standing(state, since);
    }

    /** True when {@code s} was in {@code room} from before {@code at} until the end of the run, for certain. */
    static boolean stayedIn(History h, SessionLog s, String room, long at) {
        Standing st = of(h, s, room);
        return st.state() == State.IN && st.since() < at;
    }
}
