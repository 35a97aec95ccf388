package app.noom.cluster.chaos;

import app.noom.cluster.chaos.Messages.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * I6: a chat or signal answered with an error reaches nobody — except {@code relay_interrupted}, which says the
 * Redis connection broke mid-relay and the message may or may not have been delivered.
 */
final class AllOrNothingCheck {
    static final String MAYBE_DELIVERED = "relay_interrupted";

    private AllOrNothingCheck() {}

    static List<Violation> check(History h) {
        List<Violation> found = new ArrayList<>();
        for (Message m : Messages.all(h)) {
            String code = m.errorCode();
            if (code == null || MAYBE_DELIVERED.equals(code)) continue;
            for (SessionLog s : h.known()) {
                List<Received> copies = Messages.deliveries(h, m, s);
                Received delivered = copies.isEmpty() ? null : copies.get(0);
                if (delivered != null) {
                    found.add(new Violation(
                            "I6",
                            m.kind() + " answered '" + code + "' was delivered anyway to " + s.label(),
                            List.of(
                                    Violation.line(m.sender(), m.sent()),
                                    Violation.line(m.sender(), m.reply()),
                                    Violation.line(s, delivered))));
                    break;
                }
            }
        }
        return found;
    }
}
