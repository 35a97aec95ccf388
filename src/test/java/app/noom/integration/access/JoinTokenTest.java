package app.noom.integration.access;

import static app.noom.integration.support.ProtocolClient.msg;
import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signed join tokens (RS256 pinned): every malformed, expired, misdirected or forged token is refused. */
@ExtendWith(VertxExtension.class)
class JoinTokenTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static KeyPair keys;
    private static String publicPem;
    private static NoomNode node;
    private final List<ProtocolClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        publicPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        node = NoomNode.start(Map.of(
                "AUTH_JWT_ALGORITHM",
                "RS256",
                "AUTH_JWT_PUBLIC_KEY",
                publicPem,
                "AUTH_JWT_ISSUER",
                "https://id.example",
                "AUTH_JWT_AUDIENCE",
                "noom"));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    @AfterEach
    void close() {
        clients.forEach(ProtocolClient::close);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static JsonObject claims() {
        return new JsonObject()
                .put("iss", "https://id.example")
                .put("aud", "noom")
                .put("sub", "user-1")
                .put("iat", now())
                .put("exp", now() + 600);
    }

    private static String rs256(JsonObject claims) throws Exception {
        String signingInput = part(new JsonObject().put("alg", "RS256").put("typ", "JWT")) + "." + part(claims);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(signature.sign());
    }

    private static String part(JsonObject json) {
        return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
    }

    private JsonObject hello(Vertx vertx, String token) {
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(client);
        JsonObject hello = msg("hello").put("version", 1).put("nickname", "Bearer");
        if (token != null) hello.put("token", token);
        JsonObject answer = client.request(hello);
        if ("welcome".equals(answer.getString("type"))) client.sessionId = answer.getString("sessionId");
        return answer;
    }

    private static void assertRefused(JsonObject answer, String code) {
        assertEquals("error", answer.getString("type"), answer::encode);
        assertEquals(code, answer.getString("code"), answer::encode);
    }

    @Test
    void validTokenIsAccepted(Vertx vertx) throws Exception {
        JsonObject answer = hello(vertx, rs256(claims()));
        assertEquals("welcome", answer.getString("type"), answer::encode);
    }

    @Test
    void missingTokenIsRefused(Vertx vertx) {
        assertRefused(hello(vertx, null), "auth_required");
    }

    @Test
    void expiredTokenIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().put("exp", now() - 60))), "bad_token");
    }

    @Test
    void notYetValidTokenIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().put("nbf", now() + 3600))), "bad_token");
    }

    @Test
    void wrongAudienceIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().put("aud", "another-service"))), "bad_token");
    }

    @Test
    void wrongIssuerIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().put("iss", "https://evil.example"))), "bad_token");
    }

    @Test
    void validlySignedTokenWithNullExpIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().putNull("exp"))), "bad_token");
    }

    @Test
    void validlySignedTokenWithTextExpIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().put("exp", String.valueOf(now() + 600)))), "bad_token");
    }

    @Test
    void validlySignedTokenWithTextNbfIsRefused(Vertx vertx) throws Exception {
        assertRefused(hello(vertx, rs256(claims().put("nbf", "yesterday"))), "bad_token");
    }

    @Test
    void tamperedTokenIsRefused(Vertx vertx) throws Exception {
        String token = rs256(claims());
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + part(claims().put("role", "host")) + "." + parts[2];
        assertRefused(hello(vertx, forged), "bad_token");
    }

    @Test
    void unsignedAlgNoneTokenIsRefused(Vertx vertx) {
        String token = part(new JsonObject().put("alg", "none").put("typ", "JWT")) + "." + part(claims()) + ".";
        assertRefused(hello(vertx, token), "bad_token");
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused(Vertx vertx) throws Exception {
        // algorithm confusion: a verifier that takes "alg" from the token would check this HMAC with the public key
        String signingInput = part(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + part(claims());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(publicPem.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String token =
                signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertRefused(hello(vertx, token), "bad_token");
    }

    @Test
    void roomClaimLimitsWhichRoomOpens(Vertx vertx) throws Exception {
        String room = "claimed-" + System.nanoTime();
        ProtocolClient client = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(client);
        client.request(msg("hello")
                .put("version", 1)
                .put("nickname", "Scoped")
                .put("token", rs256(claims().put("room", room))));
        client.expectError(msg("join").put("room", "elsewhere"), "room_not_allowed");
        assertEquals("joined", client.request(msg("join").put("room", room)).getString("type"));
    }

    @Test
    void hostRoleMakesTheBearerHostOfAnExistingRoom(Vertx vertx) throws Exception {
        String room = "hosted-" + System.nanoTime();
        ProtocolClient first = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(first);
        first.request(msg("hello").put("version", 1).put("nickname", "First").put("token", rs256(claims())));
        first.request(msg("join").put("room", room));
        first.request(msg("lock").put("room", room).put("locked", true));

        ProtocolClient moderator = Transport.WEBSOCKET.connect(vertx, node.port());
        clients.add(moderator);
        JsonObject welcome = moderator.request(msg("hello")
                .put("version", 1)
                .put("nickname", "Moderator")
                .put("token", rs256(claims().put("role", "host").put("room", room))));
        JsonObject joined = moderator.request(msg("join").put("room", room));
        assertEquals("joined", joined.getString("type"), "a token-granted host passes the lock: " + joined.encode());
        JsonObject update = first.next(m -> "room-updated".equals(m.getString("type"))
                && welcome.getString("sessionId").equals(m.getString("host")));
        assertTrue(update.getBoolean("locked"));
    }
}
