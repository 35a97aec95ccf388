package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

class ReceiveOnlyTest {
    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void memberWhoRefusedCameraAndMicrophoneSeesTheErrorAndStillReceivesTheOthers() {
        List<CallPage> pages = browsers.launch("Ada", "Grace");
        CallPage ada = pages.get(0).join(server.baseUrl(), "receive-only");
        CallPage grace = pages.get(1).refusingCameraAndMicrophone().join(server.baseUrl(), "receive-only");

        WebElement banner = grace.element("#error");
        assertTrue(banner.isDisplayed(), "the media error is shown, not only logged");
        assertTrue(banner.getText().contains("denied"), () -> "banner says why: " + banner.getText());

        grace.assertDecodesVideoFrom(ada);
        Map<String, Object> sentByGrace = grace.statsAbout(ada);
        assertNull(sentByGrace.get("sentAudio"), "Grace sends no audio");
        assertNull(sentByGrace.get("sentVideo"), "Grace sends no video");

        String gracesTile = "[data-member-id='" + grace.memberId() + "'] ";
        Eventually.until(
                "Ada shows Grace as muted with her camera off",
                () -> ada.element(gracesTile + ".muted-indicator").isDisplayed()
                        && ada.element(gracesTile + ".camera-off-indicator").isDisplayed());
        assertEquals("Grace", ada.element(gracesTile + ".nickname").getText());
    }
}
