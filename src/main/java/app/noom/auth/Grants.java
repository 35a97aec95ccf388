package app.noom.auth;

import java.util.Optional;

/**
 * What a verified join token allows: {@code room} limits which room the session may enter (empty: any), {@code host}
 * makes the bearer host of the rooms it may enter. Anonymous sessions (no token configured) get {@link #ANONYMOUS}.
 */
public record Grants(Optional<String> room, boolean host) {
  public static final Grants ANONYMOUS = new Grants(Optional.empty(), false);

  public boolean mayEnter(String roomName) {
    return room.isEmpty() || room.get().equals(roomName);
  }

  public boolean hostOf(String roomName) {
    return host && mayEnter(roomName);
  }
}
