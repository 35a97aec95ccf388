package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.support.ui.Select;

/**
 * Before the call: the pre-join screen, a full or locked room shown in the list and said in words before any device
 * opens, phone-only buttons.
 */
class PreJoinTest {
    @RegisterExtension
    static final NoomServer server = new NoomServer(Map.of("MAX_MEMBERS_PER_ROOM", "2"));

    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void preJoinShowsAPreviewAMicrophoneLevelAndJoinsWithTheChosenCamera() throws IOException {
        List<CallPage> pages = browsers.launchWithThreeCameras("Ada", "Grace");
        CallPage ada = pages.get(0).open(server.baseUrl()).viewport(1280, 800);
        CallPage grace = pages.get(1).withoutScreenCapture();
        ada.element("#room").sendKeys("prejoin");
        ada.element("#join").click();

        Eventually.until(
                "Ada sees the pre-join screen",
                Duration.ofSeconds(20),
                () -> ada.element("#prejoin-screen").isDisplayed());
        assertEquals("prejoin", ada.element("#prejoin-room").getText());
        assertEquals(null, ada.script("return window.noom.call;"), "nobody in the room sees or hears Ada yet");
        Eventually.until("the camera preview plays", () -> (Boolean) ada.script(
                "const v = document.getElementById('preview-video'); return v.videoWidth > 0 && !v.paused;"));
        Eventually.until("the microphone level moves", () ->
                (Boolean) ada.script("return document.getElementById('mic-level').value > 0.01;"));
        assertTrue(ada.element("#prejoin-speaker-picker").isDisplayed(), "Chromium can choose the speaker");
        screenshot(ada, "prejoin-1280x800.png");
        ada.viewport(390, 844);
        screenshot(ada, "prejoin-390x844.png");
        assertEquals(
                List.of(), ada.outsideViewport("#prejoin-join, #prejoin-back"), "Join now stays reachable on a phone");
        ada.viewport(1280, 800);

        String colourCamera = Eventually.until("the pre-join camera picker lists three cameras", () -> {
            Select picker = new Select(ada.element("#prejoin-camera"));
            return picker.getOptions().size() == 3
                    ? ada.element("#prejoin-camera")
                            .findElement(By.xpath("option[normalize-space(.)='fake_device_2']"))
                            .getAttribute("value")
                    : null;
        });
        new Select(ada.element("#prejoin-camera")).selectByValue(colourCamera);
        Eventually.until(
                "the preview shows fake_device_2",
                () -> "fake_device_2"
                        .equals(
                                ada.script(
                                        "return document.getElementById('preview-video').srcObject?.getVideoTracks()[0]?.label ?? null;")));

        ada.element("#prejoin-join").click();
        ada.awaitJoined("prejoin");
        assertEquals(
                colourCamera,
                ada.script("return window.noom.localVideoDeviceId();"),
                "the call sends the chosen camera");
        assertTrue(ada.element("#screen").isDisplayed(), "a desktop browser can share its screen");

        grace.join(server.baseUrl(), "prejoin");
        grace.assertDecodesVideoFrom(ada);
        assertFalse(
                grace.element("#screen").isDisplayed(), "no Share screen button where getDisplayMedia does not exist");
    }

    @Test
    void aFullRoomIsMarkedInTheListAndSaidInWordsBeforeAnyDeviceOpens() {
        List<CallPage> pages = browsers.launch("Ada", "Grace", "Linus");
        pages.get(0).join(server.baseUrl(), "tiny");
        pages.get(1).join(server.baseUrl(), "tiny");
        CallPage linus = pages.get(2).countingMediaRequests().open(server.baseUrl());

        String entry = "#room-list li[data-room='tiny']";
        Eventually.until(
                "Linus's room list marks tiny as full",
                Duration.ofSeconds(20),
                () -> "true".equals(linus.element(entry).getAttribute("data-full")));
        assertTrue(
                linus.element(entry).getText().contains("full"),
                linus.element(entry).getText());
        linus.element(entry + " button").click();

        String banner = Eventually.until("Linus is told the room is full", Duration.ofSeconds(10), linus::errorText);
        assertEquals(
                "Room “tiny” is full (2 of 2 people). Try again when someone leaves, or choose another room.", banner);
        assertTrue(linus.element("#welcome-screen").isDisplayed());
        assertEquals(0L, linus.script("return window.__noomMediaRequests;"), "camera and microphone were never opened");
    }

    @Test
    void aLockedRoomIsMarkedInTheListAndSaidInWordsBeforeAnyDeviceOpens() throws IOException {
        List<CallPage> pages = browsers.launch("Ada", "Linus");
        CallPage ada = pages.get(0).join(server.baseUrl(), "shut");
        CallPage linus = pages.get(1).countingMediaRequests().open(server.baseUrl());
        String entry = "#room-list li[data-room='shut']";
        Eventually.until(
                "Linus's room list shows shut",
                Duration.ofSeconds(20),
                () -> "false".equals(linus.element(entry).getAttribute("data-locked")));

        ada.element("#lock-toggle").click();
        Eventually.until(
                "Linus's room list marks shut as locked",
                Duration.ofSeconds(10),
                () -> "true".equals(linus.element(entry).getAttribute("data-locked")));
        assertEquals("false", linus.element(entry).getAttribute("data-full"), "one of two: not full");
        assertTrue(
                linus.element(entry).getText().contains("locked"),
                linus.element(entry).getText());
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            linus.viewport(size[0], size[1]);
            screenshot(linus, "rooms-" + size[0] + "x" + size[1] + ".png");
        }
        linus.viewport(1280, 800);
        linus.element(entry + " button").click();
        String banner = Eventually.until("Linus is told the room is locked", Duration.ofSeconds(10), linus::errorText);
        assertEquals(
                "Room “shut” is locked by its host: nobody new can join right now. Try again later, or choose another"
                        + " room.",
                banner);
        assertTrue(linus.element("#welcome-screen").isDisplayed());
        assertEquals(0L, linus.script("return window.__noomMediaRequests;"), "camera and microphone were never opened");

        ada.element("#lock-toggle").click();
        Eventually.until(
                "Linus's room list shows shut unlocked again",
                Duration.ofSeconds(10),
                () -> "false".equals(linus.element(entry).getAttribute("data-locked"))
                        && !linus.element(entry).getText().contains("locked"));
    }

    private static void screenshot(CallPage page, String name) throws IOException {
        Path directory = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(directory.resolve(name), page.driver().getScreenshotAs(OutputType.BYTES));
    }
}
