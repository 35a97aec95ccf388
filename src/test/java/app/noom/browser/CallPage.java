package app.noom.browser;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/** One participant's browser tab and what a test needs to read from it. */
final class CallPage {
    /** Resolves with window.noom.stats(): { [memberId]: { framesDecoded, sentVideo, sentAudio, ... } }. */
    private static final String READ_STATS = """
      const done = arguments[arguments.length - 1];
      window.noom.stats().then(done, (error) => done({ __error: String(error) }));
      """;

    /**
     * Resolves with, for one remote member id, the candidate pair its RTCPeerConnection selected (the transport's
     * selectedCandidatePairId; failing that a nominated, succeeded pair) and both its candidates, or null before there is one.
     */
    private static final String READ_SELECTED_PAIR = """
      const done = arguments[arguments.length - 1];
      const peer = window.noom.call?.peers.get(arguments[0]);
      if (!peer) { done(null); return; }
      peer.pc.getStats().then((report) => {
        let pair = null;
        report.forEach((s) => {
          if (s.type === "transport" && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId) ?? pair;
        });
        if (!pair) report.forEach((s) => {
          if (!pair && s.type === "candidate-pair" && (s.selected || (s.nominated && s.state === "succeeded"))) pair = s;
        });
        if (!pair) { done(null); return; }
        const local = report.get(pair.localCandidateId) ?? {};
        const remote = report.get(pair.remoteCandidateId) ?? {};
        done({
          state: pair.state, nominated: !!pair.nominated, bytesSent: pair.bytesSent ?? 0, bytesReceived: pair.bytesReceived ?? 0,
          localType: local.candidateType ?? null, localAddress: local.address ?? null, localProtocol: local.protocol ?? null,
          relayProtocol: local.relayProtocol ?? null, localUrl: local.url ?? null,
          remoteType: remote.candidateType ?? null, remoteAddress: remote.address ?? null,
        });
      }, (error) => done({ __error: String(error) }));
      """;

    private final ChromeDriver driver;
    private final String nickname;
    private String memberId;

    CallPage(ChromeDriver driver, String nickname) {
        this.driver = driver;
        this.nickname = nickname;
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    /**
     * Makes every getUserMedia call of this tab fail as if the user had refused camera and microphone
     * (the fake-UI flag otherwise grants everything). Call before {@link #join}.
     */
    CallPage refusingCameraAndMicrophone() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        navigator.mediaDevices.getUserMedia = () =>
            Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
        """));
        return this;
    }

    /**
     * Like {@link #refusingCameraAndMicrophone()}, but the refusal lasts only until {@link #allowCameraAndMicrophone()}:
     * the user who first said no and then allowed the devices in the browser's settings.
     */
    CallPage refusingCameraAndMicrophoneUntilAllowed() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        window.__noomRefuseMedia = true;
        navigator.mediaDevices.getUserMedia = (constraints) => window.__noomRefuseMedia
            ? Promise.reject(new DOMException("Permission denied", "NotAllowedError"))
            : realGetUserMedia(constraints);
        """));
        return this;
    }

    void allowCameraAndMicrophone() {
        script("window.__noomRefuseMedia = false;");
    }

    /** Counts this tab's getUserMedia calls in window.__noomMediaRequests (camera light and prompt happen there). */
    CallPage countingMediaRequests() {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
        const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        window.__noomMediaRequests = 0;
        navigator.mediaDevices.getUserMedia = (constraints) => {
          window.__noomMediaRequests += 1;
          return realGetUserMedia(constraints);
        };
        """));
        return this;
    }

    /** Removes getDisplayMedia from this tab, as on phones. Call before opening the page. */
    CallPage withoutScreenCapture() {
        driver.executeCdpCommand(
                "Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", "delete MediaDevices.prototype.getDisplayMedia;"));
        return this;
    }

    /** Makes the page's viewport (innerWidth × innerHeight) exactly width × height (DevTools device metrics). */
    CallPage viewport(int width, int height) {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
        Eventually.until(
                nickname + "'s viewport becomes " + width + "×" + height, Duration.ofSeconds(5), () -> (Boolean) script(
                        "return window.innerWidth === arguments[0] && window.innerHeight === arguments[1];",
                        width,
                        height));
        return this;
    }

    /** Visible elements matching the selector whose box is not wholly inside the viewport, described for a failure. */
    @SuppressWarnings("unchecked")
    java.util.List<String> outsideViewport(String cssSelector) {
        return (java.util.List<String>) script("""
        return [...document.querySelectorAll(arguments[0])]
          .filter((e) => e.offsetParent !== null)
          .map((e) => [e, e.getBoundingClientRect()])
          .filter(([, r]) => r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5)
          .map(([e, r]) => `${e.id || e.className} at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
        """, cssSelector);
    }

    /**
     * Opens the client with the room prefilled, presses Join and then "Join now" on the pre-join screen (as a user must:
     * a link never joins by itself) and waits until the server said `joined`.
     */
    CallPage join(String baseUrl, String room) {
        return join(baseUrl, room, "");
    }

    /** Like {@link #join(String, String)}, with more query parameters for the client (e.g. "relay=1"). */
    CallPage join(String baseUrl, String room, String extraQuery) {
        driver.get(baseUrl + "/?nickname=" + encode(nickname) + "&room=" + encode(room)
                + (extraQuery.isEmpty() ? "" : "&" + extraQuery));
        Eventually.until(
                nickname + " can press Join",
                Duration.ofSeconds(20),
                () -> element("#join").isEnabled());
        element("#join").click();
        boolean preJoin =
                Eventually.until(nickname + " reaches the pre-join screen or joins", Duration.ofSeconds(20), () -> {
                    if (element("#prejoin-screen").isDisplayed()) return Boolean.TRUE;
                    return script("return (window.noom && window.noom.memberId) || null;") != null
                            ? Boolean.FALSE
                            : null;
                });
        if (preJoin) element("#prejoin-join").click();
        memberId = Eventually.until(nickname + " joins room " + room, Duration.ofSeconds(20), () ->
                (String) script("return (window.noom && window.noom.memberId) || null;"));
        return this;
    }

    /** Opens the welcome screen (no auto-join) and waits until it may join: connected to the node. */
    CallPage open(String baseUrl) {
        driver.get(baseUrl + "/?nickname=" + encode(nickname));
        Eventually.until(
                nickname + " can press Join",
                Duration.ofSeconds(20),
                () -> element("#join").isEnabled());
        return this;
    }

    /** Fills the welcome form (room, password, private) and presses Join; does not wait for the answer. */
    void submitJoin(String room, String password, boolean privateRoom) {
        Eventually.until(
                nickname + " is on the welcome screen and can press Join",
                Duration.ofSeconds(20),
                () -> element("#welcome-screen").isDisplayed()
                        && element("#join").isEnabled());
        for (String[] field : new String[][] {{"#room", room}, {"#room-password", password}}) {
            WebElement input = element(field[0]);
            input.clear();
            input.sendKeys(field[1]);
        }
        if (element("#room-private").isSelected() != privateRoom)
            element("#room-private").click();
        element("#join").click();
        // The pre-join screen (preview, devices) comes next unless the page refused at once; then "Join now" asks the
        // server.
        // (a String, not a Boolean: Eventually treats false as "not yet" and would wait out an immediate refusal)
        String reached = Eventually.until(
                nickname + " reaches the pre-join screen or is refused", Duration.ofSeconds(20), () -> {
                    if (element("#prejoin-screen").isDisplayed()) return "prejoin";
                    boolean refused = element("#welcome-screen").isDisplayed()
                            && element("#error").isDisplayed()
                            && element("#join").isEnabled();
                    return refused ? "refused" : null;
                });
        if (reached.equals("prejoin")) element("#prejoin-join").click();
    }

    /** Waits until this page is in a room (after {@link #submitJoin}) and remembers its member id. */
    CallPage awaitJoined(String room) {
        memberId = Eventually.until(nickname + " joins room " + room, Duration.ofSeconds(20), () ->
                (String) script("return (window.noom && window.noom.call && window.noom.memberId) || null;"));
        return this;
    }

    /** The error banner's text while it is shown, else null. */
    String errorText() {
        WebElement banner = element("#error");
        return banner.isDisplayed() ? element("#error-text").getText() : null;
    }

    String nickname() {
        return nickname;
    }

    String memberId() {
        return memberId;
    }

    ChromeDriver driver() {
        return driver;
    }

    WebElement element(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector));
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /** Per remote member id, the stats the client exposes for tests. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> stats() {
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(READ_STATS);
        Map<String, Object> raw = (Map<String, Object>) result;
        if (raw.containsKey("__error"))
            throw new IllegalStateException(nickname + ": stats failed: " + raw.get("__error"));
        return (Map<String, Map<String, Object>>) (Map<String, ?>) raw;
    }

    /** Stats about one remote member, or an empty map while there is no peer connection to them yet. */
    Map<String, Object> statsAbout(CallPage other) {
        return stats().getOrDefault(other.memberId(), Map.of());
    }

    /** Video frames this page decoded from {@code other} so far (0 before the first one). */
    long framesDecodedFrom(CallPage other) {
        Object frames = statsAbout(other).get("framesDecoded");
        return frames instanceof Number number ? number.longValue() : 0;
    }

    /**
     * The ICE candidate pair this page's connection to {@code other} uses now: state, localType/remoteType
     * ("host", "srflx", "prflx", "relay"), addresses, localUrl (the TURN server of a relay candidate); empty while none.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> selectedCandidatePairWith(CallPage other) {
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(READ_SELECTED_PAIR, other.memberId());
        if (result == null) return Map.of();
        Map<String, Object> pair = (Map<String, Object>) result;
        if (pair.containsKey("__error"))
            throw new IllegalStateException(nickname + ": getStats failed: " + pair.get("__error"));
        return pair;
    }

    /** The track this page sends {@code other} of a kind ("Audio" or "Video"), as the client describes it. */
    @SuppressWarnings("unchecked")
    Map<String, Object> sentTrackTo(CallPage other, String kind) {
        Object track = statsAbout(other).get("sent" + kind);
        return track instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /**
     * Asserts that video from {@code other} is being decoded right now: frames arrive at all, and a later
     * reading is higher than an earlier one.
     */
    void assertDecodesVideoFrom(CallPage other) {
        long first = Eventually.until(nickname + " decodes the first video frames from " + other.nickname(), () -> {
            long frames = framesDecodedFrom(other);
            return frames > 0 ? frames : null;
        });
        Eventually.until(
                nickname + " keeps decoding video from " + other.nickname() + " beyond " + first + " frames",
                () -> framesDecodedFrom(other) > first);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, UTF_8);
    }
}
