package app.noom.protocol;

import java.util.Locale;
import java.util.Optional;

/** What a directed signal carries; anything else is refused with {@code bad_signal}. */
public enum SignalKind {
    OFFER,
    ANSWER,
    CANDIDATE,
    RENEGOTIATE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
        return wire;
    }

    public static Optional<SignalKind> fromWire(String value) {
        for (SignalKind kind : values()) {
            if (kind.wire.equals(value)) return Optional.of(kind);
        }
        return Optional.empty();
    }
}
