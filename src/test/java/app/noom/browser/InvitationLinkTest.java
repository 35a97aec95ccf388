package app.noom.browser;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A link can prefill a room (also the old {@code ?autojoin=1} links) but never join it: joining turns on camera and
 * microphone, which must take the user's click even where the site already has media permission (here: always).
 */
class InvitationLinkTest {
    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    static final Browsers browsers = Browsers.perTest();

    @Test
    void autojoinLinkPrefillsButJoinsOnlyOnTheUsersClick() {
        CallPage page = browsers.launch("Visitor").get(0);
        page.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        window.__mediaRequests = 0;
        const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = (constraints) => { window.__mediaRequests++; return original(constraints); };
        """));
        page.driver().get(server.baseUrl() + "/?nickname=Visitor&room=lured&autojoin=1");
        Eventually.until(
                "the page is connected and has its room list",
                Duration.ofSeconds(20),
                () -> page.element("#join").isEnabled()
                        && (page.element("#room-list-empty").isDisplayed()
                                || !page.driver()
                                        .findElements(org.openqa.selenium.By.cssSelector("#room-list li"))
                                        .isEmpty()));
        assertEquals("lured", page.element("#room").getAttribute("value"), "the link prefills the room");

        // the old client clicked Join itself right after this point: give it ample time to (wrongly) do so
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < until) {
            assertNull(page.script("return (window.noom && window.noom.memberId) || null;"), "joined without a click");
            assertEquals(
                    0L, page.script("return window.__mediaRequests;"), "camera/microphone requested without a click");
            sleepQuietly(100); // polling an absence over a fixed window: there is no event to wait for
        }

        page.element("#join")
                .click(); // the user's click: the pre-join screen opens the devices, "Join now" asks the server
        Eventually.until(
                "Visitor sees the pre-join screen",
                Duration.ofSeconds(20),
                () -> page.element("#prejoin-screen").isDisplayed() ? Boolean.TRUE : null);
        page.element("#prejoin-join").click();
        Eventually.until("Visitor joins after clicking", Duration.ofSeconds(20), () ->
                (String) page.script("return (window.noom && window.noom.memberId) || null;"));
        assertTrue((Long) page.script("return window.__mediaRequests;") >= 1);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
