package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Behaviours of a call between two people. They share one call (Ada joined first, then Grace), because launching
 * and connecting browsers is most of a browser test's time; each test leaves the call usable for the others.
 */
class TwoPartyCallTest {
    private static final String HTML_LOOKALIKE = "<b>bold</b><img src=x onerror=alert(1)>";

    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    static final Browsers browsers = Browsers.perClass();

    private static CallPage ada;
    private static CallPage grace;

    @BeforeAll
    static void adaAndGraceJoinOneRoom() {
        List<CallPage> pages = browsers.launch("Ada", "Grace");
        ada = pages.get(0).join(server.baseUrl(), "two-party");
        grace = pages.get(1).join(server.baseUrl(), "two-party");
    }

    @Test
    void eachBrowserDecodesTheOthersVideo() {
        ada.assertDecodesVideoFrom(grace);
        grace.assertDecodesVideoFrom(ada);
    }

    @Test
    void chatTypedInOnePageAppearsInBothAsLiteralText() {
        sendChat(grace, HTML_LOOKALIKE);

        for (CallPage page : List.of(ada, grace)) {
            WebElement text = Eventually.until(page.nickname() + " shows Grace's message", () -> {
                List<WebElement> texts = page.driver().findElements(By.cssSelector("#chat-log .chat-text"));
                return texts.isEmpty() ? null : texts.get(texts.size() - 1);
            });
            assertEquals(HTML_LOOKALIKE, text.getText(), page.nickname() + "'s rendering of the message");
            assertTrue(
                    page.driver()
                            .findElements(By.cssSelector("#chat-log b, #chat-log img"))
                            .isEmpty(),
                    page.nickname() + "'s chat log must not contain elements made from the message");
        }
    }

    @Test
    void callSurvivesADroppedSignallingConnectionByResumingTheSession() {
        String adasSession = (String) ada.script("return window.noom.sessionId;");
        long welcomesBefore = (Long) ada.script("return window.noom.signaling.welcomeCount;");
        String whileAway = "sent while Ada's signalling was down";
        WebElement adasTileAtGrace = grace.element(".remote-tile[data-member-id='" + ada.memberId() + "']");

        ada.script("window.noom.dropSignalling();");
        sendChat(grace, whileAway);

        Eventually.until("Ada's signalling reconnects", () -> (Boolean) ada.script(
                "return window.noom.signaling.connected && window.noom.signaling.welcomeCount > arguments[0];",
                welcomesBefore));
        assertEquals(adasSession, ada.script("return window.noom.sessionId;"), "the session was resumed, not replaced");
        Eventually.until(
                "Ada shows the message sent while she was away",
                () -> chatTexts(ada).contains(whileAway));
        assertEquals(1, chatTexts(ada).stream().filter(whileAway::equals).count(), "a replayed message shows once");
        // A leave and re-join would have replaced the tile, and this reference would be stale.
        assertTrue(adasTileAtGrace.isDisplayed(), "Grace never saw Ada leave");

        String afterResume = "Ada is back";
        sendChat(ada, afterResume);
        Eventually.until(
                "Grace gets Ada's message after the resume",
                () -> chatTexts(grace).contains(afterResume));
        grace.assertDecodesVideoFrom(ada);
    }

    @Test
    void screenShareReplacesTheCameraAtThePeerAndStoppingItBringsTheCameraBack() {
        String cameraLabel = (String) ada.sentTrackTo(grace, "Video").get("label");
        String adasScreenIndicator = ".remote-tile[data-member-id='" + ada.memberId() + "'] .screen-indicator";

        ada.element("#screen").click(); // a real click: getDisplayMedia needs a user gesture
        Eventually.until(
                "Ada sends Grace her screen instead of the camera",
                () -> !cameraLabel.equals(ada.sentTrackTo(grace, "Video").get("label")));
        assertEquals("true", ada.element("#screen").getAttribute("aria-pressed"));
        Eventually.until(
                "Grace shows that Ada shares her screen",
                () -> grace.element(adasScreenIndicator).isDisplayed());
        grace.assertDecodesVideoFrom(ada);

        ada.element("#screen").click();
        Eventually.until(
                "Ada sends Grace her camera again",
                () -> cameraLabel.equals(ada.sentTrackTo(grace, "Video").get("label")));
        Eventually.until(
                "Grace no longer shows a screen share",
                () -> !grace.element(adasScreenIndicator).isDisplayed());
        grace.assertDecodesVideoFrom(ada);
    }

    private static void sendChat(CallPage page, String text) {
        page.element("#chat-input").sendKeys(text);
        page.element("#chat-send").click();
    }

    private static List<String> chatTexts(CallPage page) {
        return page.driver().findElements(By.cssSelector("#chat-log .chat-text")).stream()
                .map(WebElement::getText)
                .toList();
    }

    @Test
    void muteDisablesTheSentAudioTrackAndThePeerShowsTheMutedIndicator() {
        String adasMutedIndicator = "[data-member-id='" + ada.memberId() + "'] .muted-indicator";
        Eventually.until(
                "Ada sends Grace an enabled microphone track",
                () -> Boolean.TRUE.equals(ada.sentTrackTo(grace, "Audio").get("enabled")));
        WebElement indicator = Eventually.until("Grace shows a tile for Ada", () -> grace.element(adasMutedIndicator));
        assertFalse(indicator.isDisplayed(), "Ada is not muted yet");

        ada.element("#mute").click();

        assertEquals("true", ada.element("#mute").getAttribute("aria-pressed"));
        assertEquals(Boolean.FALSE, ada.script("return window.noom.localAudioEnabled();"));
        Eventually.until(
                "the audio track Ada sends Grace is disabled",
                () -> Boolean.FALSE.equals(ada.sentTrackTo(grace, "Audio").get("enabled")));
        Eventually.until(
                "Grace shows Ada as muted",
                () -> grace.element(adasMutedIndicator).isDisplayed());
    }
}
