package app.noom.cluster.chaos;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * I4: any two members of a room see the broadcasts they both received in the same relative order. Compared: chats
 * (unique text) and member-joined/left of members that joined the room once (a second join would make the event
 * ambiguous). Media/nickname updates and room-updated are not unique enough to compare.
 */
final class RoomOrderCheck {
    private RoomOrderCheck() {}

    static List<Violation> check(History h) {
        List<Violation> found = new ArrayList<>();
        for (String room : MembershipCheck.rooms(h)) {
            Set<String> rejoiners = rejoiners(h, room);
            List<SessionLog> members = new ArrayList<>();
            Map<SessionLog, Map<String, Received>> events = new HashMap<>();
            for (SessionLog s : h.known()) {
                Map<String, Received> seen = broadcasts(s, room, rejoiners);
                if (!seen.isEmpty()) {
                    members.add(s);
                    events.put(s, seen);
                }
            }
            for (int i = 0; i < members.size(); i++) {
                for (int j = i + 1; j < members.size(); j++) {
                    Violation v = compare(
                            members.get(i), events.get(members.get(i)), members.get(j), events.get(members.get(j)));
                    if (v != null) found.add(v);
                }
            }
        }
        return found;
    }

    /**
     * The session's broadcasts in the room, keyed by identity, in arrival order (first copy of each). A member-joined
     * of someone the receiver already knew (its join raced with ours) or a member-left of someone it never knew is
     * legitimate noise, not an ordering fact: those are skipped.
     */
    private static Map<String, Received> broadcasts(SessionLog s, String room, Set<String> rejoiners) {
        Map<String, Received> seen = new java.util.LinkedHashMap<>();
        Set<String> known = new HashSet<>();
        for (Received r : s.frames()) {
            if (!room.equals(r.room())) continue;
            String key = key(r, rejoiners);
            if (r.is("joined")) {
                known.clear();
                r.frame().getJsonArray("members", new io.vertx.core.json.JsonArray()).stream()
                        .filter(o -> o instanceof JsonObject)
                        .forEach(o -> known.add(((JsonObject) o).getString("id")));
            } else if (r.is("member-joined")) {
                if (!known.add(
                        r.frame().getJsonObject("member", new JsonObject()).getString("id"))) key = null;
            } else if (r.is("member-left")) {
                if (!known.remove(r.frame().getString("memberId"))) key = null;
            }
            if (key != null) seen.putIfAbsent(key, r);
        }
        return seen;
    }

    private static String key(Received r, Set<String> rejoiners) {
        JsonObject f = r.frame();
        return switch (r.type()) {
            case "chat" -> "chat:" + f.getString("text");
            case "member-joined" -> {
                String id = f.getJsonObject("member", new JsonObject()).getString("id");
                yield rejoiners.contains(id) ? null : "joined:" + id;
            }
            case "member-left" ->
                rejoiners.contains(f.getString("memberId")) ? null : "left:" + f.getString("memberId");
            default -> null;
        };
    }

    private static Set<String> rejoiners(History h, String room) {
        Set<String> ids = new HashSet<>();
        for (SessionLog s : h.known()) {
            long joins = s.sent().stream()
                    .filter(m -> "join".equals(m.type()) && room.equals(m.room()))
                    .filter(m -> s.reply(m.id()) == null || s.reply(m.id()).is("joined"))
                    .count();
            if (joins > 1) ids.add(s.id());
        }
        return ids;
    }

    private static Violation compare(
            SessionLog a, Map<String, Received> aSeen, SessionLog b, Map<String, Received> bSeen) {
        List<String> common = aSeen.keySet().stream().filter(bSeen::containsKey).toList(); // in a's order
        String previous = null;
        for (String key : common) {
            if (previous != null && bSeen.get(key).at() < bSeen.get(previous).at()) {
                return new Violation(
                        "I4",
                        a.label() + " and " + b.label() + " saw two room broadcasts in opposite orders",
                        List.of(
                                Violation.line(a, aSeen.get(previous)),
                                Violation.line(a, aSeen.get(key)),
                                Violation.line(b, bSeen.get(key)),
                                Violation.line(b, bSeen.get(previous))));
            }
            if (previous == null || bSeen.get(key).at() > bSeen.get(previous).at()) previous = key;
        }
        return null;
    }
}
