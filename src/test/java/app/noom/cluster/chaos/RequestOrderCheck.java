package app.noom.cluster.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-session request order: every request is answered at most once, replies come in the order the requests were
 * sent, and a chat or media right after a successful join of the same room is never answered {@code not_in_room}.
 * Without faults every request of a session that is still alive at the end is answered.
 */
final class RequestOrderCheck {
    private RequestOrderCheck() {}

    static List<Violation> check(History h) {
        List<Violation> found = new ArrayList<>();
        for (SessionLog s : h.known()) {
            List<Sent> sent = s.sent();
            Map<String, Integer> order = new HashMap<>();
            for (int i = 0; i < sent.size(); i++) order.put(sent.get(i).id(), i);
            Map<String, Received> answered = new HashMap<>();
            Received latest = null;
            for (Received r : s.frames()) {
                Integer index = r.re() == null ? null : order.get(r.re());
                if (index == null) continue;
                Received first = answered.putIfAbsent(r.re(), r);
                if (first != null && first.seq() != r.seq()) {
                    found.add(new Violation(
                            "REQ",
                            "request answered twice",
                            List.of(
                                    Violation.line(s, sent.get(index)),
                                    Violation.line(s, first),
                                    Violation.line(s, r))));
                } else if (first == null && latest != null && order.get(latest.re()) > index) {
                    found.add(new Violation(
                            "REQ",
                            "replies out of request order",
                            List.of(
                                    Violation.line(s, sent.get(index)),
                                    Violation.line(s, sent.get(order.get(latest.re()))),
                                    Violation.line(s, latest),
                                    Violation.line(s, r))));
                }
                if (first == null && (latest == null || order.get(latest.re()) < index)) latest = r;
            }
            found.addAll(notInRoomAfterJoin(s, sent));
            if (!h.anyFault() && !s.ended() && !s.detachedAtEnd()) {
                for (Sent m : sent) {
                    // bye: the close may overtake the ack; hello: a resume attempt we gave up on took its answer along
                    if (!answered.containsKey(m.id()) && !"bye".equals(m.type()) && !"hello".equals(m.type())) {
                        found.add(new Violation(
                                "REQ",
                                "a request of a live session was never answered",
                                List.of(Violation.line(s, m))));
                    }
                }
            }
        }
        return found;
    }

    private static List<Violation> notInRoomAfterJoin(SessionLog s, List<Sent> sent) {
        List<Violation> found = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Sent join = sent.get(i);
            Received joined = "join".equals(join.type()) ? s.reply(join.id()) : null;
            if (joined == null || !joined.is("joined")) continue;
            for (int j = i + 1; j < sent.size(); j++) {
                Sent next = sent.get(j);
                if (!join.room().equals(next.room())) continue;
                if (!"chat".equals(next.type()) && !"media".equals(next.type())) break;
                Received reply = s.reply(next.id());
                if (reply != null
                        && reply.is("error")
                        && "not_in_room".equals(reply.frame().getString("code"))
                        && !kickedAfter(s, join.room(), joined)) {
                    found.add(new Violation(
                            "REQ",
                            "a " + next.type() + " right after a successful join was answered not_in_room",
                            List.of(
                                    Violation.line(s, join),
                                    Violation.line(s, next),
                                    Violation.line(s, reply),
                                    Violation.line(s, joined))));
                }
                break;
            }
        }
        return found;
    }

    /**
     * A kick Redis ordered between the join and the chat refuses the chat; its {@code kicked} notice travels on the room
     * channel and may arrive after the refusal (docs/PROTOCOL.md, "kicked"), so any kick from that room after the
     * {@code joined} explains it.
     */
    private static boolean kickedAfter(SessionLog s, String room, Received joined) {
        return s.frames().stream()
                .anyMatch(r ->
                        r.is("kicked") && room.equals(r.room()) && r.seq() > joined.seq() && r.at() >= joined.at());
    }
}
