package app.noom.relay.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The presence scripts, kept as .lua resources so they read as Lua; each runs atomically inside Redis. */
final class LuaScripts {
  static final String JOIN = load("join");
  static final String LEAVE = load("leave");
  static final String UPDATE = load("update");
  static final String REHOST = load("rehost");
  static final String POLICY = load("policy");
  static final String KICK = load("kick");
  static final String RELAY = load("relay");
  static final String ROOMS = load("rooms");

  private LuaScripts() {}

  private static String load(String name) {
    try (InputStream in = LuaScripts.class.getResourceAsStream("/redis/" + name + ".lua")) {
      if (in == null) throw new IllegalStateException("missing /redis/" + name + ".lua");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
