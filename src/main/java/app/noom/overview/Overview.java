package app.noom.overview;

import app.noom.protocol.MediaState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the admin view shows, and the only place its JSON is written. Every field is listed here explicitly: nothing
 * read from presence is copied through wholesale, so resume tokens, passwords and password hashes cannot leak into it
 * (a room only says whether it is password-protected).
 */
public record Overview(
        String answeredBy,
        boolean clustered,
        long generatedAtMillis,
        List<NodeRow> nodes,
        List<RoomRow> rooms,
        boolean truncated) {

    public record NodeRow(String id, boolean alive, Optional<NodeStats> stats) {}

    public record RoomRow(
            String name,
            String host,
            boolean locked,
            boolean privateRoom,
            boolean passwordProtected,
            List<MemberRow> members) {}

    public record MemberRow(String id, String nickname, String node, MediaState media) {}

    public static final Comparator<MemberRow> MEMBER_ORDER = Comparator.comparing(
                    (MemberRow m) -> m.nickname() == null ? "" : m.nickname().toLowerCase(java.util.Locale.ROOT))
            .thenComparing(MemberRow::id);

    public JsonObject toJson() {
        JsonArray nodeList = new JsonArray();
        long sessions = 0;
        double in = 0;
        double out = 0;
        int alive = 0;
        for (NodeRow node : nodes) {
            long hostedRooms = rooms.stream()
                    .filter(r -> r.members().stream().anyMatch(m -> node.id().equals(m.node())))
                    .count();
            long hostedMembers = rooms.stream()
                    .flatMap(r -> r.members().stream())
                    .filter(m -> node.id().equals(m.node()))
                    .count();
            JsonObject row = new JsonObject()
                    .put("id", node.id())
                    .put("alive", node.alive())
                    .put("rooms", hostedRooms)
                    .put("members", hostedMembers);
            Optional<NodeStats> stats = node.stats();
            row.put("sessions", stats.map(NodeStats::sessions).orElse(null));
            row.put(
                    "messagesInPerSecond",
                    stats.flatMap(NodeStats::inPerSecond).map(Overview::round).orElse(null));
            row.put(
                    "messagesOutPerSecond",
                    stats.flatMap(NodeStats::outPerSecond).map(Overview::round).orElse(null));
            row.put("statsAt", stats.map(NodeStats::atMillis).orElse(null));
            nodeList.add(row);
            if (node.alive()) {
                alive++;
                sessions += stats.map(NodeStats::sessions).orElse(0L);
                in += stats.flatMap(NodeStats::inPerSecond).orElse(0.0);
                out += stats.flatMap(NodeStats::outPerSecond).orElse(0.0);
            }
        }
        JsonArray roomList = new JsonArray();
        int members = 0;
        int privateRooms = 0;
        for (RoomRow room : rooms) {
            JsonArray memberList = new JsonArray();
            for (MemberRow m : room.members()) {
                memberList.add(new JsonObject()
                        .put("id", m.id())
                        .put("nickname", m.nickname())
                        .put("node", m.node())
                        .put("media", m.media() == null ? null : m.media().toJson()));
            }
            members += room.members().size();
            if (room.privateRoom()) privateRooms++;
            roomList.add(new JsonObject()
                    .put("name", room.name())
                    .put("count", room.members().size())
                    .put("private", room.privateRoom())
                    .put("passwordProtected", room.passwordProtected())
                    .put("host", room.host())
                    .put("locked", room.locked())
                    .put("members", memberList));
        }
        return new JsonObject()
                .put("node", answeredBy)
                .put("clustered", clustered)
                .put("generatedAt", generatedAtMillis)
                .put("truncated", truncated)
                .put(
                        "totals",
                        new JsonObject()
                                .put("nodes", nodes.size())
                                .put("aliveNodes", alive)
                                .put("sessions", sessions)
                                .put("rooms", rooms.size())
                                .put("privateRooms", privateRooms)
                                .put("members", members)
                                .put("messagesInPerSecond", round(in))
                                .put("messagesOutPerSecond", round(out)))
                .put("nodes", nodeList)
                .put("rooms", roomList);
    }

    private static double round(double perSecond) {
        return Math.round(perSecond * 10) / 10.0;
    }
}
