package app.noom.browser;

import java.time.Duration;
import java.util.function.Supplier;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.FluentWait;

/** Polling with a deadline, for conditions that span several browsers (WebDriverWait covers one). */
final class Eventually {
    /** Long enough for ICE + DTLS + the first key frame on a loaded 2-core machine. */
    static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private Eventually() {}

    /**
     * Polls {@code probe} until it returns something other than null or {@code false}, and returns that.
     * Fails with {@code description} when the deadline passes.
     */
    static <T> T until(String description, Duration timeout, Supplier<T> probe) {
        return new FluentWait<>(description)
                .withTimeout(timeout)
                .pollingEvery(POLL_INTERVAL)
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waited " + timeout.toSeconds() + " s for: " + description)
                .until(ignored -> probe.get());
    }

    static <T> T until(String description, Supplier<T> probe) {
        return until(description, MEDIA_TIMEOUT, probe);
    }
}
