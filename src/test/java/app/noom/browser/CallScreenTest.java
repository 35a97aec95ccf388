package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * What a person meets in a call (issue 14), in one two-person call: Ada with a camera, Grace who first refused camera
 * and microphone and later allows them. Ordered, because later steps build on earlier ones (Grace turns her devices on
 * in step 9) and one call keeps the class affordable on two cores.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallScreenTest {
    private static final String ROOM = "call-screen";
    /** The controls a person needs during a call; none may be pushed out of the viewport. */
    private static final String CONTROLS = ".controls button";
    /** On a desktop the device pickers and the chat input are in view too. */
    private static final String DESKTOP_CONTROLS = CONTROLS + ", .devices select, #chat-input, #chat-send";
    /** Shown fraction of the source picture in a video element, from its box, object-fit and the source's size. */
    private static final String SHOWN_FRACTION = """
      const video = document.querySelector(arguments[0]);
      const box = video.getBoundingClientRect();
      const fit = getComputedStyle(video).objectFit;
      const [w, h] = [video.videoWidth, video.videoHeight];
      if (!w || !h) return null;
      const scale = fit === "cover" ? Math.max(box.width / w, box.height / h) : Math.min(box.width / w, box.height / h);
      const shown = (Math.min(box.width, w * scale) * Math.min(box.height, h * scale)) / (w * scale * h * scale);
      return { fit, shown, width: box.width, height: box.height };
      """;

    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    static final Browsers browsers = Browsers.perClass();

    private static CallPage ada;
    private static CallPage grace;
    private static String adasTileAtGrace;

    @BeforeAll
    static void adaJoinsWithACameraAndGraceWithout() {
        List<CallPage> pages = browsers.launchWithThreeCameras("Ada", "Grace");
        ada = pages.get(0);
        grace = pages.get(1).refusingCameraAndMicrophoneUntilAllowed();
        ada.driver().get(server.baseUrl());
        grace.driver().get(server.baseUrl());
        ada.viewport(1280, 800).join(server.baseUrl(), ROOM);
        grace.viewport(1280, 800).join(server.baseUrl(), ROOM);
        adasTileAtGrace = ".remote-tile[data-member-id='" + ada.memberId() + "']";
    }

    @Test
    @Order(1)
    void aLongBannerNeverPushesTheControlsOutOfTheViewport() {
        String banner = grace.errorText();
        assertNotNull(banner, "Grace sees why she joined without camera and microphone");
        assertTrue(banner.lines().count() >= 2, "a multi-line notice: " + banner);
        assertEquals(List.of(), grace.outsideViewport(DESKTOP_CONTROLS), "at 1280×800");
        grace.viewport(390, 844);
        assertEquals(List.of(), grace.outsideViewport(CONTROLS), "at 390×844");
        grace.viewport(1280, 800);
    }

    @Test
    @Order(2)
    void afterJoiningTheKeyboardFocusIsOnTheCallControlsNotThePage() {
        assertEquals("mute", ada.script("return document.activeElement.id;"));
        assertEquals("use-devices", grace.script("return document.activeElement.id;"), "Grace's Mute is disabled");
    }

    @Test
    @Order(3)
    void keysMAndVMuteAndTurnOffTheCameraAndTheTooltipsNameThem() {
        assertTrue(ada.element("#mute").getAttribute("title").contains("(M)"));
        assertTrue(ada.element("#camera").getAttribute("title").contains("(V)"));
        ada.script("document.activeElement.blur();");
        new Actions(ada.driver()).sendKeys("m").perform();
        assertEquals("true", ada.element("#mute").getAttribute("aria-pressed"));
        assertEquals(Boolean.FALSE, ada.script("return window.noom.localAudioEnabled();"));
        new Actions(ada.driver()).sendKeys("v").perform();
        assertEquals("true", ada.element("#camera").getAttribute("aria-pressed"));

        ada.element("#chat-input").sendKeys("mv"); // typing is never a shortcut
        assertEquals("true", ada.element("#mute").getAttribute("aria-pressed"));
        ada.element("#chat-input").clear();

        ada.script("document.activeElement.blur();");
        new Actions(ada.driver()).sendKeys("m").sendKeys("v").perform();
        assertEquals("false", ada.element("#mute").getAttribute("aria-pressed"));
        assertEquals("false", ada.element("#camera").getAttribute("aria-pressed"));
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void twoPeopleSeeTheWholePictureAndCanFillPinOrGoFullScreen() {
        grace.assertDecodesVideoFrom(ada);
        Map<String, Object> fit = Eventually.until("Grace's tile of Ada has a picture", () ->
                (Map<String, Object>) grace.script(SHOWN_FRACTION, adasTileAtGrace + " video"));
        assertEquals("contain", fit.get("fit"));
        assertEquals(1.0, ((Number) fit.get("shown")).doubleValue(), 0.001, "the whole picture is shown: " + fit);

        grace.element(adasTileAtGrace + " .fit-toggle").click();
        Map<String, Object> fill = (Map<String, Object>) grace.script(SHOWN_FRACTION, adasTileAtGrace + " video");
        assertEquals("cover", fill.get("fit"), "Fill crops to the tile");
        grace.element(adasTileAtGrace + " .fit-toggle").click();

        grace.element(adasTileAtGrace + " .pin-toggle").click();
        assertEquals("true", grace.element(adasTileAtGrace + " .pin-toggle").getAttribute("aria-pressed"));
        assertFalse(grace.element(".local-tile").isDisplayed(), "the pinned tile takes the grid");
        double tileWidth = ((Number) grace.script(
                        "return document.querySelector(arguments[0]).getBoundingClientRect().width;", adasTileAtGrace))
                .doubleValue();
        double gridWidth = ((Number)
                        grace.script("return document.getElementById('videos').getBoundingClientRect().width;"))
                .doubleValue();
        assertTrue(tileWidth > 0.95 * gridWidth, "pinned tile " + tileWidth + " of grid " + gridWidth);
        grace.element(adasTileAtGrace + " .pin-toggle").click();
        assertTrue(grace.element(".local-tile").isDisplayed());

        grace.element(adasTileAtGrace + " .fullscreen-toggle").click();
        Eventually.until("Ada's tile is full screen at Grace", Duration.ofSeconds(5), () -> (Boolean) grace.script(
                "return document.fullscreenElement === document.querySelector(arguments[0]);", adasTileAtGrace));
        grace.script("return document.exitFullscreen();");
    }

    @Test
    @Order(5)
    void theMemberWhoSpeaksIsHighlightedAndNotWhenMuted() {
        // Grace joined without a gesture (autojoin) and without devices, so her browser played the call muted; she
        // turns the sound on, as the page asks her to. Levels are read from what is played out.
        if (grace.element("#enable-sound").isDisplayed())
            grace.element("#enable-sound").click();
        Eventually.until(
                "Grace highlights Ada, who speaks (Chromium's fake microphone beeps)",
                () -> grace.element(adasTileAtGrace).getAttribute("class").contains("speaking"));
        ada.element("#mute").click();
        Eventually.until(
                "Grace stops highlighting Ada once she is muted",
                () -> !grace.element(adasTileAtGrace).getAttribute("class").contains("speaking"));
        ada.element("#mute").click();
    }

    @Test
    @Order(6)
    void eachTileShowsTheConnectionsRoundTripAndLoss() {
        String text = Eventually.until("Grace's tile of Ada shows its connection quality", () -> {
            var readout = grace.element(adasTileAtGrace + " .quality");
            return readout.isDisplayed() && readout.getText().startsWith("RTT ") ? readout.getText() : null;
        });
        assertTrue(text.matches("RTT \\d+ ms · loss \\d+\\.\\d %"), text);
        assertTrue(List.of("good", "fair", "poor")
                .contains(grace.element(adasTileAtGrace + " .quality").getAttribute("data-quality")));
    }

    @Test
    @Order(7)
    void chatThatArrivesOutOfViewIsCountedOnTheChatButton() {
        grace.viewport(390, 844);
        grace.script("document.getElementById('call-screen').scrollTop = 0;"); // back up to the videos
        assertTrue(
                (Boolean) grace.script(
                        "return document.getElementById('chat-log').getBoundingClientRect().top > innerHeight;"),
                () -> "on a phone, looking at the videos, the chat is below the fold: " + grace.script("""
            return JSON.stringify([...document.querySelectorAll('#error, .call-header, #videos, .tile, .devices, .sidebar, #chat-log, #call-controls')]
              .map((e) => [e.id || e.className, Math.round(e.getBoundingClientRect().top), Math.round(e.getBoundingClientRect().height)]));"""));
        assertFalse(grace.element("#chat-unread").isDisplayed());
        ada.element("#chat-input").sendKeys("are you there?");
        ada.element("#chat-send").click();
        Eventually.until(
                "Grace's Chat button counts one unread message",
                () -> grace.element("#chat-unread").isDisplayed()
                        && "1".equals(grace.element("#chat-unread").getText()));
        grace.element("#chat-toggle").click();
        Eventually.until(
                "opening the chat clears the badge",
                () -> !grace.element("#chat-unread").isDisplayed());
        assertTrue(grace.element("#chat-log").isDisplayed());
        assertEquals("chat-input", grace.script("return document.activeElement.id;"));
        grace.viewport(1280, 800);
    }

    @Test
    @Order(8)
    void theInviteLinkPrefillsTheRoomAndNeverJoinsByItself() {
        ada.element("#invite").click();
        String link = Eventually.until("Ada's invite link is shown", () -> {
            String value = ada.element("#invite-link").getAttribute("value");
            return value == null || value.isEmpty() ? null : value;
        });
        assertTrue(link.startsWith(server.baseUrl()) && link.contains("room=" + ROOM), link);
        assertFalse(link.contains("autojoin") || link.contains("token") || link.contains("nickname"), link);

        CallPage linus = browsers.launch("Linus").get(0).countingMediaRequests();
        linus.driver().get(link);
        Eventually.until(
                "Linus's page is connected and lists the room",
                Duration.ofSeconds(20),
                () -> linus.element("#join").isEnabled()
                        && linus.element("#room-list [data-room='" + ROOM + "']")
                                .isDisplayed());
        assertEquals(ROOM, linus.element("#room").getAttribute("value"), "the room is filled in");
        assertTrue(linus.element("#welcome-screen").isDisplayed(), "Linus is still on the join form");
        assertNull(linus.script("return window.noom.call;"), "and not in the call");
        assertEquals(
                0L, linus.script("return window.__noomMediaRequests;"), "nor were his camera and microphone opened");
    }

    @Test
    @Order(9)
    void aMemberWhoRefusedTheDevicesCanTurnThemOnInTheCall() {
        assertTrue(grace.element("#use-devices").isDisplayed());
        assertFalse(grace.element("#mute").isEnabled());
        grace.allowCameraAndMicrophone();
        grace.element("#use-devices").click();

        ada.assertDecodesVideoFrom(grace);
        Eventually.until(
                "Grace's Mute and Camera work",
                () -> grace.element("#mute").isEnabled()
                        && grace.element("#camera").isEnabled());
        assertFalse(grace.element("#use-devices").isDisplayed());
        String gracesTileAtAda = ".remote-tile[data-member-id='" + grace.memberId() + "'] ";
        Eventually.until(
                "Ada no longer shows Grace muted with her camera off",
                () -> !ada.element(gracesTileAtAda + ".muted-indicator").isDisplayed()
                        && !ada.element(gracesTileAtAda + ".camera-off-indicator")
                                .isDisplayed());
        Eventually.until(
                "Grace's camera picker names the real cameras",
                () -> grace.element("#camera-select").getText().contains("fake_device_0"));
    }

    @Test
    @Order(10)
    void screenshotsAtDesktopAndPhoneSizes() throws IOException {
        ada.assertDecodesVideoFrom(grace);
        Path directory = Files.createDirectories(Path.of("target", "screenshots"));
        for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
            ada.viewport(size[0], size[1]);
            Eventually.until("Ada's picture of Grace is playing", () -> (Boolean) ada.script(
                    "const v = document.querySelector(arguments[0]); return v.videoWidth > 0 && !v.paused;",
                    ".remote-tile[data-member-id='" + grace.memberId() + "'] video"));
            byte[] png = ada.driver().getScreenshotAs(OutputType.BYTES);
            Files.write(directory.resolve("call-" + size[0] + "x" + size[1] + ".png"), png);
            assertEquals(
                    List.of(),
                    ada.outsideViewport(size[0] > 900 ? DESKTOP_CONTROLS : CONTROLS),
                    "at " + size[0] + "×" + size[1]);
        }
        ada.viewport(1280, 800);
    }

    @Test
    @Order(11)
    void aCameraThatSendsNoPictureIsReportedAndThePreviousOneIsOffered() {
        grace.assertDecodesVideoFrom(ada);
        String cameraBefore = (String) ada.sentTrackTo(grace, "Video").get("label");
        Select picker = Eventually.until("Ada's picker lists three cameras", () -> {
            Select select = new Select(ada.element("#camera-select"));
            return select.getOptions().size() == 3 ? select : null;
        });
        String silentCamera = ada.element("#camera-select")
                .findElement(By.xpath("option[normalize-space(.)='fake_device_1']"))
                .getAttribute("value");
        picker.selectByValue(silentCamera);

        Eventually.until("Ada is told her camera sends no picture", Duration.ofSeconds(15), () -> {
            String text = ada.errorText();
            return text != null && text.contains("sending no picture");
        });
        assertEquals("Use previous camera", ada.element("#error-action").getText());
        ada.element("#error-action").click();
        Eventually.until(
                "Ada sends Grace her previous camera again",
                () -> cameraBefore.equals(ada.sentTrackTo(grace, "Video").get("label")));
        grace.assertDecodesVideoFrom(ada);
    }

    @Test
    @Order(12)
    void soundCanBeSentToAChosenSpeakerWhereTheBrowserAllowsIt() {
        boolean canChoose = (Boolean) ada.script("return 'setSinkId' in HTMLMediaElement.prototype;");
        assertTrue(canChoose, "Chromium has setSinkId");
        var speakerPicker = ada.element("#speaker-picker");
        List<String> sinks = Eventually.until("Ada's speaker picker lists the outputs", () -> {
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>)
                    ada.script(
                            "return [...document.querySelectorAll('#speaker-select option')].map((o) => o.value).filter(Boolean);");
            return speakerPicker.isDisplayed() && !ids.isEmpty() ? ids : null;
        });
        String chosen = sinks.get(sinks.size() - 1);
        new Select(ada.element("#speaker-select")).selectByValue(chosen);
        Eventually.until(
                "Ada's remote videos play on the chosen output",
                () -> chosen.equals(ada.script("return document.querySelector('.remote-tile video').sinkId;")));
    }
}
