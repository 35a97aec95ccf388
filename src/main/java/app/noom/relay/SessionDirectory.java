package app.noom.relay;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Where a resumable session lives, so that a client reconnecting to another node can take its session along. Keys are
 * SHA-256 digests of resume tokens (a token itself never leaves the node that issued it). A session travels as an opaque
 * JSON snapshot made and read by the session layer.
 */
public interface SessionDirectory {

    /**
     * This node holds the session behind {@code digest}, of member {@code memberId}, with what its token allows
     * ({@code grants}, opaque here) — kept so the session, grants included, survives this node. Completes (never fails)
     * once the record is stored or could not be: a token is handed to the client only after that, so another node asked
     * for it right away finds it.
     */
    Future<Void> hosted(String digest, String memberId, String nickname, JsonObject grants);

    /** The session behind {@code digest} ended or moved. */
    void forgotten(String digest);

    /**
     * Asks the node holding {@code digest} to hand the session over: it stops serving it and answers with its snapshot
     * (including everything after {@code lastSeq}). If that node died, the session is rebuilt from shared presence
     * (member id, rooms, media; messages in flight are lost: the snapshot says {@code "complete": false}). Empty if it
     * cannot be handed over; fails with {@link UnknownResumeTokenException} if no node knows the token, and with
     * {@link RelayUnavailableException} while the cluster cannot be asked (the session may well exist: try later).
     */
    Future<Optional<JsonObject>> claim(String digest, long lastSeq, Landing landing);

    /**
     * Called once the session's member id and rooms are known, before its holder is asked to stop: the claimant starts
     * listening there (completing when the cluster confirmed it), so nothing sent during the move is lost.
     */
    interface Landing {
        Future<Void> prepare(String memberId, java.util.List<String> rooms);
    }

    /** How this node answers other nodes' claims (installed once by the node). */
    void serveClaims(BiFunction<String, Long, Future<Optional<JsonObject>>> handOver);

    /** Single node: nothing to find elsewhere. */
    SessionDirectory NONE = new SessionDirectory() {
        public Future<Void> hosted(String digest, String memberId, String nickname, JsonObject grants) {
            return Future.succeededFuture();
        }

        public void forgotten(String digest) {}

        public Future<Optional<JsonObject>> claim(String digest, long lastSeq, Landing landing) {
            return Future.failedFuture(new UnknownResumeTokenException());
        }

        public void serveClaims(BiFunction<String, Long, Future<Optional<JsonObject>>> handOver) {}
    };
}
