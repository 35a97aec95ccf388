package app.noom.relay.redis;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.LinkedHashMap;
import java.util.Map;

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
      for (int i = 0; i + 1 < reply.size(); i += 2) fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
    }
    return fields;
  }
}
