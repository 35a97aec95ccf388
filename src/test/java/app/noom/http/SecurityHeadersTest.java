package app.noom.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {
    private static final Pattern META_POLICY =
            Pattern.compile("http-equiv=\"Content-Security-Policy\"\\s+content=\"([^\"]*)\"");

    @Test
    void thePagesMetaPolicyIsTheHeaderPolicyMinusWhatAMetaTagCannotSet() throws Exception {
        Matcher meta = META_POLICY.matcher(Files.readString(Path.of("webroot/index.html")));
        assertTrue(meta.find(), "index.html carries its policy in a meta tag");
        String header = SecurityHeaders.CONTENT_SECURITY_POLICY;
        assertTrue(header.endsWith("; frame-ancestors 'none'"), header);
        assertEquals(header.substring(0, header.length() - "; frame-ancestors 'none'".length()), meta.group(1));
    }
}
