package app.noom.session;

import app.noom.net.AddressKey;
import app.noom.relay.SessionDirectory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which session a resume token opens, node-wide. Tokens are kept only as SHA-256 digests, and lookups from an
 * address that has presented too many unknown tokens are refused for a while (brute-force throttle).
 */
public final class ResumeRegistry {
    static final int MAX_FAILURES_PER_WINDOW = 10;

    private final Map<String, SignalingSession> byDigest = new ConcurrentHashMap<>();
    private final AttemptThrottle unknownTokens = new AttemptThrottle(MAX_FAILURES_PER_WINDOW);
    private final SessionDirectory directory;

    public ResumeRegistry(SessionDirectory directory) {
        this.directory = directory;
    }

    SessionDirectory directory() {
        return directory;
    }

    /** Completes once other nodes can find the session by {@code token} (or the cluster could not be told). */
    Future<Void> register(String token, SignalingSession session, String nickname) {
        String digest = digest(token);
        byDigest.put(digest, session);
        return directory.hosted(digest, session.id(), nickname, session.grants().toJson());
    }

    void forget(String token) {
        String digest = digest(token);
        if (byDigest.remove(digest) != null) directory.forgotten(digest);
    }

    /** The session for {@code token} on this node (a claim from another node names it by digest). */
    Optional<SignalingSession> local(String digest) {
        return Optional.ofNullable(byDigest.get(digest));
    }

    /** The id of the live session on this node that {@code token} resumes (proof of a session, e.g. for TURN). */
    public Optional<String> liveSessionId(String token) {
        return local(digest(token)).map(SignalingSession::id);
    }

    /** Serves another node's claim: the session, if held here, stops here and travels as a snapshot. */
    public Future<Optional<JsonObject>> handOver(String digest, long lastSeq) {
        SignalingSession session = byDigest.get(digest);
        if (session == null) return Future.succeededFuture(Optional.empty());
        Promise<Optional<JsonObject>> done = Promise.promise();
        // behind what this node already handed the session: the claimant only hears what was published after it asked
        session.runAfterDeliveries(() -> done.complete(session.handOver(lastSeq).map(SessionSnapshot::toJson)));
        return done.future();
    }

    /** Whether {@code address} presented too many unknown tokens lately and may not look any up now. */
    boolean throttled(String address) {
        return unknownTokens.blocked(AddressKey.of(address));
    }

    /** An unknown token from {@code address}: counts towards its throttle. */
    void failed(String address) {
        unknownTokens.failed(AddressKey.of(address));
    }

    static String digest(String token) {
        byte[] hash = SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)); // digest() also resets it
        return Base64.getEncoder().encodeToString(hash);
    }

    // one per thread: every session's register and forget digests a token, and the provider lookup costs more than it
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
