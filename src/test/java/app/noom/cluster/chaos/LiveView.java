package app.noom.cluster.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a client currently believes (rooms, their other members, their host, rooms it was kicked from): only used to
 * pick plausible operations. The oracle never trusts it; it replays the transcripts instead.
 */
final class LiveView {
    private final Map<String, Set<String>> members = new HashMap<>();
    private final Map<String, String> hosts = new HashMap<>();
    private final Set<String> kickedFrom = new HashSet<>();

    synchronized void apply(Received r) {
        String room = r.room();
        switch (r.type()) {
            case "joined" -> {
                Set<String> others = new TreeSet<>();
                JsonArray list = r.frame().getJsonArray("members", new JsonArray());
                for (int i = 0; i < list.size(); i++)
                    others.add(list.getJsonObject(i).getString("id"));
                members.put(room, others);
                JsonObject policy = r.frame().getJsonObject("policy", new JsonObject());
                hosts.put(room, policy.getString("host"));
            }
            case "member-joined" -> {
                if (members.containsKey(room))
                    members.get(room).add(r.frame().getJsonObject("member").getString("id"));
            }
            case "member-left" -> {
                if (members.containsKey(room))
                    members.get(room).remove(r.frame().getString("memberId"));
            }
            case "room-updated" -> hosts.put(room, r.frame().getString("host"));
            case "kicked" -> {
                members.remove(room);
                kickedFrom.add(room);
            }
            default -> {}
        }
    }

    synchronized void left(String room) {
        members.remove(room);
    }

    synchronized void clear() {
        members.clear();
        hosts.clear();
    }

    synchronized List<String> rooms() {
        return new ArrayList<>(new TreeSet<>(members.keySet()));
    }

    synchronized List<String> others(String room) {
        return new ArrayList<>(members.getOrDefault(room, Set.of()));
    }

    synchronized boolean isHost(String room, String me) {
        return members.containsKey(room) && me != null && me.equals(hosts.get(room));
    }

    synchronized List<String> kickedFrom() {
        return new ArrayList<>(new TreeSet<>(kickedFrom));
    }
}
