package app.noom.relay;

/**
 * A message that had to cross nodes and could not: the sender gets {@code relay_unavailable} (nothing was delivered), or,
 * when the connection to the broker broke after the message was handed to it, {@code relay_interrupted} (it may or may
 * not have been delivered: the broker's answer was lost with the connection).
 */
public final class RelayUnavailableException extends RuntimeException {
    private final boolean maybeDelivered;

    public RelayUnavailableException(String message) {
        this(message, false);
    }

    public RelayUnavailableException(String message, boolean maybeDelivered) {
        super(message, null, false, false);
        this.maybeDelivered = maybeDelivered;
    }

    /** True when the message left this node before the failure: its outcome is unknown. */
    public boolean maybeDelivered() {
        return maybeDelivered;
    }
}
