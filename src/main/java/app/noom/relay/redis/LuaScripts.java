package app.noom.relay.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Every Lua script Noom runs, kept as {@code src/main/resources/redis/*.lua} so they read as Lua; each runs atomically
 * inside Redis. They are called by SHA-1 ({@code EVALSHA}): {@link RedisConnector} loads them all on every connection
 * before it calls itself healthy, and falls back to {@code EVAL} on {@code NOSCRIPT}.
 */
final class LuaScripts {
    static final Script JOIN = load("join");
    static final Script LEAVE = load("leave");
    static final Script UPDATE = load("update");
    static final Script REHOST = load("rehost");
    static final Script POLICY = load("policy");
    static final Script KICK = load("kick");
    static final Script RELAY = load("relay");
    static final Script ROOMS = load("rooms");
    static final Script ROOM_LIST = load("room-list");
    static final Script KEEP_ORPHAN = load("keep-orphan");
    static final Script TAKE_LIST = load("take-list");
    static final Script TAKE_SET = load("take-set");
    static final Script REMEMBER_SWEPT = load("remember-swept");
    static final Script FORGET_RESUME = load("forget-resume");
    static final Script SHARD_RECEIVERS = load("shard-receivers");

    static final List<Script> ALL = List.of(
            JOIN,
            LEAVE,
            UPDATE,
            REHOST,
            POLICY,
            KICK,
            RELAY,
            ROOMS,
            ROOM_LIST,
            KEEP_ORPHAN,
            TAKE_LIST,
            TAKE_SET,
            REMEMBER_SWEPT,
            FORGET_RESUME,
            SHARD_RECEIVERS);

    private LuaScripts() {}

    /** A script's source and the SHA-1 Redis knows it by. */
    record Script(String name, String source, String sha) {}

    private static Script load(String name) {
        try (InputStream in = LuaScripts.class.getResourceAsStream("/redis/" + name + ".lua")) {
            if (in == null) throw new IllegalStateException("missing /redis/" + name + ".lua");
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Script(name, source, sha1(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
