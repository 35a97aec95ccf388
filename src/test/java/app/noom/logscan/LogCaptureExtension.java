package app.noom.logscan;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class through {@code META-INF/services} and {@code junit-platform.properties}
 * (extension auto-detection): installs {@link LogCapture} before the first test class of the run does anything.
 */
public final class LogCaptureExtension implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        LogCapture.install();
    }
}
