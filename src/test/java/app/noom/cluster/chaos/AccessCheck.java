package app.noom.cluster.chaos;

import app.noom.cluster.chaos.Messages.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * I5: a kick holds. The victim gets {@code kicked}; once the host has its ack, the victim's chats and signals in that
 * room are refused and reach nobody, nobody receives anything from it after its {@code member-left}, and its re-join
 * within the ban is refused {@code kicked} — also from a new session of the same client (same token {@code sub}).
 * A join token's {@code room} claim holds on every session of its client, on any node, across resumes.
 */
final class AccessCheck {
    record Kick(SessionLog host, Sent request, Received ack, SessionLog victim) {}

    private AccessCheck() {}

    static List<Violation> check(History h) {
        List<Violation> found = new ArrayList<>();
        for (Kick k : kicks(h)) {
            victimToldOf(h, k, found);
            victimSilenced(h, k, found);
            banHolds(h, k, found);
        }
        roomClaimsHold(h, found);
        return found;
    }

    static List<Kick> kicks(History h) {
        List<Kick> kicks = new ArrayList<>();
        for (SessionLog host : h.known()) {
            for (Sent m : host.sent()) {
                if (!"kick".equals(m.type())) continue;
                Received reply = host.reply(m.id());
                SessionLog victim = h.byId(m.msg().getString("member"));
                if (reply != null && reply.is("ack") && victim != null) kicks.add(new Kick(host, m, reply, victim));
            }
        }
        return kicks;
    }

    private static void victimToldOf(History h, Kick k, List<Violation> found) {
        SessionLog v = k.victim;
        if (v.ended() || v.detachedAtEnd() || v.lastLossyResumeAt() > k.request.at() || leaveCrossedKick(k)) return;
        boolean told = v.frames().stream()
                .anyMatch(r -> r.is("kicked") && k.request.room().equals(r.room()));
        if (!told) {
            String invariant = v.movingBetweenNodes(k.request.at(), k.ack.at()) ? "I5H" : "I5";
            found.add(new Violation(
                    invariant,
                    "kick acked but " + v.label() + " never got 'kicked'",
                    List.of(Violation.line(k.host, k.request), Violation.line(k.host, k.ack))));
        }
    }

    /**
     * The victim was leaving that room as the kick came (its leave sent before the kick's ack, answered after the kick
     * was sent): the leave is acked and the victim may not hear {@code kicked} — it is out either way, and the ban holds
     * (docs/PROTOCOL.md, "kick"; {@link #banHolds} still checks it).
     */
    private static boolean leaveCrossedKick(Kick k) {
        for (Sent m : k.victim.sent()) {
            if (!"leave".equals(m.type()) || !k.request.room().equals(m.room()) || m.at() > k.ack.at()) continue;
            Received reply = k.victim.reply(m.id());
            if (reply == null || reply.at() >= k.request.at()) return true;
        }
        return false;
    }

    private static void victimSilenced(History h, Kick k, List<Violation> found) {
        String room = k.request.room();
        for (Message m : Messages.all(h)) {
            if (m.sender() != k.victim || !room.equals(m.room())) continue;
            if (m.sent().at() > k.ack.at() && m.acked()) {
                found.add(new Violation(
                        "I5",
                        "a kicked member's " + m.kind() + " was acked after the kick",
                        List.of(
                                Violation.line(k.host, k.request),
                                Violation.line(k.host, k.ack),
                                Violation.line(m.sender(), m.sent()),
                                Violation.line(m.sender(), m.reply()))));
            }
        }
        for (SessionLog w : h.known()) {
            if (w == k.victim) continue;
            Received left = null;
            for (Received r : w.frames()) {
                if (r.is("member-left")
                        && room.equals(r.room())
                        && k.victim.id().equals(r.frame().getString("memberId"))
                        && r.at() > k.request.at()) {
                    left = left == null ? r : left;
                } else if (left != null
                        && r.is("member-joined")
                        && room.equals(r.room())
                        && k.victim
                                .id()
                                .equals(r.frame().getJsonObject("member").getString("id"))) {
                    break; // it came back (the ban did not hold: banHolds reports that); what follows is not a leak
                } else if (left != null
                        && room.equals(r.room())
                        && Messages.isRelayed(r)
                        && k.victim.id().equals(r.frame().getString("from"))) {
                    found.add(new Violation(
                            "I5",
                            w.label() + " received a kicked member's " + r.type() + " after its member-left",
                            List.of(Violation.line(k.host, k.ack), Violation.line(w, left), Violation.line(w, r))));
                    break;
                }
            }
        }
    }

    private static void banHolds(History h, Kick k, List<Violation> found) {
        String room = k.request.room();
        for (SessionLog s : h.known()) {
            if (!s.client.equals(k.victim.client)) continue;
            for (Sent m : s.sent()) {
                if (!"join".equals(m.type()) || !room.equals(m.room()) || m.at() < k.ack.at()) continue;
                Received reply = s.reply(m.id());
                if (reply != null && reply.is("joined")) {
                    String who = s == k.victim
                            ? "the kicked session"
                            : "a new session of the kicked client (same token sub)";
                    found.add(new Violation(
                            "I5",
                            who + " re-joined within the ban",
                            List.of(
                                    Violation.line(k.host, k.request),
                                    Violation.line(k.host, k.ack),
                                    Violation.line(s, m),
                                    Violation.line(s, reply))));
                }
            }
        }
    }

    private static void roomClaimsHold(History h, List<Violation> found) {
        for (SessionLog s : h.known()) {
            String allowed = h.roomClaims.get(s.client);
            if (allowed == null) continue;
            for (Received r : s.frames()) {
                if (r.is("joined") && !allowed.equals(r.room())) {
                    String where = s.conns().stream()
                            .filter(c -> c.frames().contains(r))
                            .findFirst()
                            .map(c -> "connection #" + c.index + " on " + c.node
                                    + (c.resumeFrom != null ? " (a resume)" : ""))
                            .orElse("?");
                    found.add(new Violation(
                            "I5",
                            s.label() + " has a token for '" + allowed + "' but joined '" + r.room() + "' on " + where,
                            List.of(Violation.line(s, r))));
                }
            }
        }
    }
}
