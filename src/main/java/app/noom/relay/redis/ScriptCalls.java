package app.noom.relay.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Calling {@link LuaScripts} by SHA-1. {@link #loadAll} puts every script in Redis's cache when a connection is made;
 * {@code NOSCRIPT} afterwards means someone flushed the cache: the script is then sent whole ({@code EVAL}, which
 * caches it again) — a command pipelined behind the refused one may overtake it that once, so it is told.
 */
final class ScriptCalls {
    private ScriptCalls() {}

    static Future<Response> call(
            RedisConnection connection,
            LuaScripts.Script script,
            List<String> keys,
            List<String> args,
            Runnable onNoScript) {
        return connection
                .send(request(Command.EVALSHA, script.sha(), keys, args))
                .recover(e -> {
                    if (e.getMessage() == null || !e.getMessage().startsWith("NOSCRIPT")) return Future.failedFuture(e);
                    onNoScript.run();
                    return connection.send(request(Command.EVAL, script.source(), keys, args));
                });
    }

    /**
     * Loads every script. In a Redis Cluster into every master's cache: SCRIPT LOAD names no key, so the client would
     * send it to one master only; the masters are read from {@code CLUSTER SLOTS}.
     */
    static Future<Void> loadAll(Vertx vertx, RedisTarget target, RedisConnection connection) {
        if (!target.cluster()) return connection.batch(loads()).mapEmpty();
        return connection.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).compose(slots -> {
            Set<String> masters = new LinkedHashSet<>();
            for (Response range : slots) {
                Response master = range.get(2); // start, end, master [host, port, id], replicas…
                masters.add(target.urlOf(master.get(0).toString(), master.get(1).toInteger()));
            }
            List<Future<?>> loaded = new ArrayList<>();
            for (String master : masters) {
                Redis one = Redis.createClient(vertx, new RedisOptions().setConnectionString(master));
                loaded.add(one.batch(loads()).eventually(one::close));
            }
            return Future.all(loaded).mapEmpty();
        });
    }

    private static List<Request> loads() {
        return LuaScripts.ALL.stream()
                .map(script -> Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))
                .toList();
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }
}
