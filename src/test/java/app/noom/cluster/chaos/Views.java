package app.noom.cluster.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A member's view of a room, replayed from its frames: joined.members, plus member-joined, minus member-left; a
 * room-resync's list replaces it.
 */
final class Views {
    private Views() {}

    /** The member ids {@code s} believes are in {@code room} (others only), or null if it believes it is not in it. */
    static Set<String> of(SessionLog s, String room) {
        Set<String> view = null;
        Set<String> leaveIds = new HashSet<>();
        for (Sent m : s.sent()) if ("leave".equals(m.type()) && room.equals(m.room())) leaveIds.add(m.id());
        for (Received r : s.frames()) {
            if (r.re() != null && leaveIds.contains(r.re()) && r.is("ack")) {
                view = null;
            } else if (!room.equals(r.room())) {
                continue;
            } else if (r.is("joined")) {
                view = new HashSet<>();
                JsonArray members = r.frame().getJsonArray("members", new JsonArray());
                for (int i = 0; i < members.size(); i++)
                    view.add(members.getJsonObject(i).getString("id"));
            } else if (r.is("kicked")) {
                view = null;
            } else if (view != null && r.is("member-joined")) {
                view.add(r.frame().getJsonObject("member", new JsonObject()).getString("id"));
            } else if (view != null && r.is("member-left")) {
                view.remove(r.frame().getString("memberId"));
            } else if (view != null && r.is("room-resync")) { // the node missed some of the room: the list replaces all
                view = new HashSet<>();
                JsonArray members = r.frame().getJsonArray("members", new JsonArray());
                for (int i = 0; i < members.size(); i++)
                    view.add(members.getJsonObject(i).getString("id"));
                view.remove(s.id());
            }
        }
        return view;
    }

    /** The last frame of {@code s} about member {@code id} in {@code room}: the evidence of why it sees what it sees. */
    static Received lastAbout(SessionLog s, String room, String id) {
        Received last = null;
        for (Received r : s.frames()) {
            if (!room.equals(r.room())) continue;
            boolean about = r.is("joined")
                            && r.frame().getJsonArray("members", new JsonArray()).stream()
                                    .anyMatch(o -> o instanceof JsonObject j && id.equals(j.getString("id")))
                    || r.is("member-joined")
                            && id.equals(r.frame()
                                    .getJsonObject("member", new JsonObject())
                                    .getString("id"))
                    || r.is("member-left") && Objects.equals(id, r.frame().getString("memberId"))
                    || r.is("room-resync");
            if (about) last = r;
        }
        return last;
    }

    static Received joined(SessionLog s, String room) {
        Received last = null;
        for (Received r : s.frames()) if (r.is("joined") && room.equals(r.room())) last = r;
        return last;
    }
}
