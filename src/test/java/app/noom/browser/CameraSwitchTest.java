package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

class CameraSwitchTest {
    /** fake_device_1 is a depth camera WebRTC cannot encode (see Browsers); fake_device_2 is a colour one. */
    private static final String OTHER_CAMERA = "fake_device_2";

    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void switchingCameraMidCallKeepsVideoFlowingToThePeer() {
        List<CallPage> pages = browsers.launchWithThreeCameras("Ada", "Grace");
        CallPage ada = pages.get(0).join(server.baseUrl(), "camera-switch");
        CallPage grace = pages.get(1).join(server.baseUrl(), "camera-switch");
        grace.assertDecodesVideoFrom(ada);
        Map<String, Object> cameraBefore = ada.sentTrackTo(grace, "Video");

        // The page re-renders the options when devices change, so read what is needed and then act, in one go.
        String cameraInUse =
                Eventually.until("Ada's camera picker lists the fake cameras and shows the one in use", () -> {
                    Select picker = new Select(ada.element("#camera-select"));
                    return picker.getOptions().size() == 3
                            ? picker.getFirstSelectedOption().getAttribute("value")
                            : null;
                });
        assertEquals(cameraBefore.get("deviceId"), cameraInUse, "the picker pre-selects the camera in use");
        String otherCameraId = ada.element("#camera-select")
                .findElement(By.xpath("option[normalize-space(.)='" + OTHER_CAMERA + "']"))
                .getAttribute("value");
        new Select(ada.element("#camera-select")).selectByValue(otherCameraId);

        Map<String, Object> cameraAfter = Eventually.until("Ada sends Grace " + OTHER_CAMERA, () -> {
            Map<String, Object> sent = ada.sentTrackTo(grace, "Video");
            return otherCameraId.equals(sent.get("deviceId")) && "live".equals(sent.get("readyState")) ? sent : null;
        });
        assertEquals(OTHER_CAMERA, cameraAfter.get("label"));
        assertNotEquals(cameraBefore.get("label"), cameraAfter.get("label"), "the sent track's label");
        assertNotEquals(cameraBefore.get("id"), cameraAfter.get("id"), "the sent track");
        grace.assertDecodesVideoFrom(ada);
    }
}
