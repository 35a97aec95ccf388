package app.noom.relay.redis;

import app.noom.protocol.MemberInfo;
import app.noom.relay.RoomPolicy;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading Redis replies that differ between RESP2 and RESP3, in one place. */
final class RedisReplies {
    private RedisReplies() {}

    /**
     * A hash (HGETALL, or a script returning one) as field → value: RESP3 sends a map, RESP2 (and every Lua table) a flat
     * list {@code field, value, field, value…}. Empty for a missing key or a null reply.
     */
    static Map<String, String> hash(Response reply) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (reply == null || reply.size() == 0) return fields;
        if (reply.type() == ResponseType.MULTI && !reply.getKeys().isEmpty()) {
            for (String key : reply.getKeys()) {
                Response value = reply.get(key);
                fields.put(key, value == null ? null : value.toString());
            }
        } else {
            for (int i = 0; i + 1 < reply.size(); i += 2)
                fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
        }
        return fields;
    }

    /** A policy hash as Redis returns it (map or flat list); empty when the room does not exist. */
    static Optional<RoomPolicy> policy(Response hash) {
        if (hash == null || hash.size() == 0) return Optional.empty();
        Map<String, String> fields = hash(hash);
        if (!fields.containsKey("host")) return Optional.empty();
        String password = fields.getOrDefault("password", "");
        return Optional.of(new RoomPolicy(
                fields.get("host"),
                "1".equals(fields.get("locked")),
                "1".equals(fields.get("private")),
                password.isEmpty() ? Optional.empty() : Optional.of(password)));
    }

    /** The members of a flat {@code id, member JSON, …} list (join.lua's snapshot), but {@code selfId}. */
    static List<MemberInfo> members(Response flat, String selfId) {
        List<MemberInfo> others = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (!flat.get(i).toString().equals(selfId)) {
                others.add(MemberInfo.fromJson(new JsonObject(flat.get(i + 1).toString())));
            }
        }
        return others;
    }
}
