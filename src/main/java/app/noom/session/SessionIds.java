package app.noom.session;

import java.security.SecureRandom;
import java.util.Base64;

/** Public member ids and secret resume tokens; both unguessable, only the token is a credential. */
final class SessionIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {}

    static String newMemberId() {
        return "m-" + random(9);
    }

    static String newResumeToken() {
        return random(32);
    }

    private static String random(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return URL_SAFE.encodeToString(buffer);
    }
}
