package app.noom.relay;

/** A message that had to cross nodes while the cluster relay was down; the sender gets {@code relay_unavailable}. */
public final class RelayUnavailableException extends RuntimeException {
  public RelayUnavailableException(String message) {
    super(message, null, false, false);
  }
}
