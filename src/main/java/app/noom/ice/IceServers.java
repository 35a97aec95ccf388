package app.noom.ice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the RTCPeerConnection {@code iceServers} list a client receives in {@code welcome}:
 * {@code [{"urls":[stun…]}, {"urls":[turn…],"username":…,"credential":…}]}.
 *
 * <p>TURN is offered only when both TURN urls and a secret are configured: a TURN entry without valid
 * credentials would only make the browser waste an ICE round on a 401. An empty STUN list gives no STUN entry
 * (an entry with {@code urls: []} is rejected by browsers).
 *
 * <p>Credentials are minted per call, so every session (and every ICE restart that asks again) gets fresh ones.
 */
public final class IceServers {

    /**
     * What to offer. {@code secret} is the coturn {@code static-auth-secret}; {@link #toString()} never prints it.
     */
    public record Config(List<String> stunUrls, List<String> turnUrls, Optional<String> secret, long ttlSeconds) {
        public Config {
            stunUrls = List.copyOf(stunUrls);
            turnUrls = List.copyOf(turnUrls);
            secret = secret.filter(s -> !s.isEmpty());
            // Catches swapped STUN_URLS/TURN_URLS at start-up instead of as a silent ICE failure in the browser.
            stunUrls.forEach(u -> requireScheme(u, "stun:", "stuns:"));
            turnUrls.forEach(u -> requireScheme(u, "turn:", "turns:"));
        }

        public Config(List<String> stunUrls, List<String> turnUrls, Optional<String> secret) {
            this(stunUrls, turnUrls, secret, TurnCredentials.DEFAULT_TTL_SECONDS);
        }

        private static void requireScheme(String url, String... schemes) {
            for (String scheme : schemes) {
                if (url.startsWith(scheme)) return;
            }
            throw new IllegalArgumentException(
                    "ICE url '" + url + "' must start with one of " + Arrays.toString(schemes));
        }

        @Override
        public String toString() {
            return "IceServers.Config[stunUrls=" + stunUrls + ", turnUrls=" + turnUrls + ", secret="
                    + (secret.isPresent() ? "<set>" : "<unset>") + ", ttlSeconds=" + ttlSeconds + "]";
        }
    }

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final Optional<TurnCredentials> credentials;

    public IceServers(Config config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        this.stunUrls = config.stunUrls();
        this.turnUrls = config.turnUrls();
        this.credentials = config.turnUrls().isEmpty()
                ? Optional.empty()
                : config.secret().map(s -> new TurnCredentials(s, config.ttlSeconds(), clock));
    }

    public IceServers(Config config) {
        this(config, Clock.systemUTC());
    }

    /** True when {@link #forSession} includes a TURN entry (i.e. it mints credentials; count them there). */
    public boolean offersTurn() {
        return credentials.isPresent();
    }

    /** The {@code iceServers} array for one session; a new JsonArray on every call. */
    public JsonArray forSession(String sessionId) {
        JsonArray servers = new JsonArray();
        if (!stunUrls.isEmpty()) {
            servers.add(new JsonObject().put("urls", new JsonArray(new ArrayList<>(stunUrls))));
        }
        credentials.ifPresent(minter -> {
            TurnCredentials.Credential c = minter.mint(sessionId);
            servers.add(new JsonObject()
                    .put("urls", new JsonArray(new ArrayList<>(turnUrls)))
                    .put("username", c.username())
                    .put("credential", c.password()));
        });
        return servers;
    }

    @Override
    public String toString() {
        return "IceServers[stunUrls=" + stunUrls + ", turnUrls=" + turnUrls + ", turn="
                + credentials.map(Object::toString).orElse("off") + "]";
    }
}
