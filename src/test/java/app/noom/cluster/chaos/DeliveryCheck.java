package app.noom.cluster.chaos;

import app.noom.cluster.chaos.Messages.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * I2: an acked signal reaches its recipient exactly once, an acked chat reaches every member exactly once (sender
 * included), while the recipient stayed in the room from before the send to the end; and one sender's messages
 * arrive in the order it sent them. Inside a fault window (and for a recipient that resumed with
 * {@code replayComplete:false} after the send) only at-most-once and order are required.
 */
final class DeliveryCheck {
    private DeliveryCheck() {}

    static List<Violation> check(History h) {
        List<Violation> found = new ArrayList<>();
        for (Message m : Messages.all(h)) {
            if (!m.acked()) continue;
            for (SessionLog to : recipients(h, m)) {
                List<Received> got = Messages.deliveries(h, m, to);
                if (got.size() > 1) {
                    found.add(new Violation(
                            "I2",
                            m.kind() + " delivered " + got.size() + " times to " + to.label(),
                            List.of(
                                    Violation.line(m.sender(), m.sent()),
                                    Violation.line(to, got.get(0)),
                                    Violation.line(to, got.get(1)))));
                } else if (got.isEmpty() && mustArrive(h, m, to)) {
                    String invariant =
                            to.movingBetweenNodes(m.sent().at(), m.reply().at()) ? "I2H" : "I2";
                    found.add(new Violation(
                            invariant,
                            "acked " + m.kind() + " never reached " + to.label()
                                    + " (in the room since before the send, until the end)",
                            missingEvidence(m, to)));
                }
            }
        }
        for (SessionLog to : h.known()) found.addAll(orderAt(h, to));
        return found;
    }

    private static List<SessionLog> recipients(History h, Message m) {
        if ("signal".equals(m.kind())) {
            SessionLog to = h.byId(m.sent().msg().getString("to"));
            return to == null ? List.of() : List.of(to);
        }
        return h.known();
    }

    private static boolean mustArrive(History h, Message m, SessionLog to) {
        return Presence.stayedIn(h, to, m.room(), m.sent().at())
                && to.lastLossyResumeAt() < m.sent().at()
                && !h.inFault(m.sent().at())
                && !h.inFault(m.reply().at());
    }

    private static List<String> missingEvidence(Message m, SessionLog to) {
        List<String> lines =
                new ArrayList<>(List.of(Violation.line(m.sender(), m.sent()), Violation.line(m.sender(), m.reply())));
        Received joined = Views.joined(to, m.room());
        if (joined != null) lines.add(Violation.line(to, joined) + "   <- the recipient's join, before the send");
        Received before = null;
        Received after = null;
        for (Received r : to.frames()) {
            if (!r.is(m.kind()) || !m.sender().client.equals(Messages.client(r.frame()))) continue;
            long n = Messages.number(r.frame());
            if (n < m.n()) before = r;
            else if (after == null) after = r;
        }
        if (before != null) lines.add(Violation.line(to, before) + "   <- the sender's previous one, delivered");
        if (after != null) lines.add(Violation.line(to, after) + "   <- the sender's next one, delivered");
        return lines;
    }

    /** Per receiver, per sending session and kind: numbers must rise in arrival order. */
    private static List<Violation> orderAt(History h, SessionLog to) {
        List<Violation> found = new ArrayList<>();
        Map<String, Received> last = new HashMap<>();
        for (Received r : to.frames()) {
            if (!Messages.isRelayed(r)) continue;
            String stream = r.type() + "|" + r.frame().getString("from") + "|" + r.room();
            Received previous = last.put(stream, r);
            if (previous != null && Messages.number(r.frame()) < Messages.number(previous.frame())) {
                found.add(new Violation(
                        "I2",
                        r.type() + "s from one sender arrived out of send order at " + to.label(),
                        List.of(Violation.line(to, previous), Violation.line(to, r))));
                last.put(stream, previous);
            }
        }
        return found;
    }
}
