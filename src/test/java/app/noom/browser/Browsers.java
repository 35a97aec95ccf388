package app.noom.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Launches headless Chromium instances with fake camera and microphone, and quits all of them after each test
 * ({@code @RegisterExtension final Browsers browsers = Browsers.perTest();}) or after the test class
 * ({@code static final Browsers browsers = Browsers.perClass();}, for tests sharing one call). When a test fails,
 * each browser's console is printed, since that is where a WebRTC failure explains itself.
 */
final class Browsers implements AfterEachCallback, AfterAllCallback {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final List<String> COMMON_FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--use-fake-ui-for-media-stream",
            "--allow-loopback-in-peer-connection",
            // A laptop's window, not headless Chromium's 780×437 default; phone sizes are set per test
            // (CallPage.viewport).
            "--window-size=1280,800");
    private static final String ONE_FAKE_CAMERA = "--use-fake-device-for-media-stream";
    /**
     * Chromium's fake cameras differ by index: fake_device_0 is I420, fake_device_1 a 16-bit depth camera (Y16)
     * whose frames WebRTC silently drops, fake_device_2 MJPEG. Three devices give two cameras a call can send.
     */
    private static final String THREE_FAKE_CAMERAS = "--use-fake-device-for-media-stream=device-count=3";

    private final List<Launched> launched = new ArrayList<>();
    private final boolean sharedByTheClass;
    private volatile boolean acceptSelfSigned;

    private Browsers(boolean sharedByTheClass) {
        this.sharedByTheClass = sharedByTheClass;
    }

    static Browsers perTest() {
        return new Browsers(false);
    }

    static Browsers perClass() {
        return new Browsers(true);
    }

    /** For a stack serving its self-signed certificate (the compose stack without PUBLIC_HOST). */
    Browsers acceptingSelfSignedCertificates() {
        acceptSelfSigned = true;
        return this;
    }

    private record Launched(ChromeDriver driver, Path profile, String name) {}

    /** Launches one browser per nickname, in parallel (start-up dominates the suite's run time). */
    List<CallPage> launch(String... nicknames) {
        return launch(false, nicknames);
    }

    /** Like {@link #launch(String...)} but every browser sees the fake cameras fake_device_0..2. */
    List<CallPage> launchWithThreeCameras(String... nicknames) {
        return launch(true, nicknames);
    }

    private List<CallPage> launch(boolean threeCameras, String... nicknames) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        List<CompletableFuture<Launched>> starting = Stream.of(nicknames)
                .map(nickname -> CompletableFuture.supplyAsync(() -> start(nickname, threeCameras, acceptSelfSigned)))
                .toList();
        List<Launched> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Launched> future : starting) {
            try {
                started.add(future.join());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        synchronized (launched) {
            launched.addAll(started); // quit in afterEach even when a sibling failed to start
        }
        if (failure != null) throw failure;
        return IntStream.range(0, nicknames.length)
                .mapToObj(i -> new CallPage(started.get(i).driver(), nicknames[i]))
                .toList();
    }

    private static Launched start(String nickname, boolean threeCameras, boolean acceptSelfSigned) {
        Path profile;
        try {
            profile = Files.createTempDirectory("noom-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(COMMON_FLAGS);
        options.addArguments(threeCameras ? THREE_FAKE_CAMERAS : ONE_FAKE_CAMERA);
        options.addArguments("--user-data-dir=" + profile);
        if (acceptSelfSigned) {
            options.setAcceptInsecureCerts(true);
            options.addArguments("--ignore-certificate-errors");
        }
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        try {
            return new Launched(new ChromeDriver(options), profile, nickname);
        } catch (RuntimeException e) {
            deleteQuietly(profile);
            throw e;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            List<Launched> failed;
            synchronized (launched) {
                failed = new ArrayList<>(launched);
            }
            failed.forEach(Browsers::printConsole);
        }
        if (!sharedByTheClass) quitAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && sharedByTheClass) {
            synchronized (launched) {
                launched.forEach(Browsers::printConsole); // e.g. a @BeforeAll that could not set the call up
            }
        }
        quitAll();
    }

    private void quitAll() {
        List<Launched> toQuit;
        synchronized (launched) {
            toQuit = new ArrayList<>(launched);
            launched.clear();
        }
        for (Launched browser : toQuit) {
            try {
                browser.driver().quit();
            } catch (RuntimeException e) {
                System.err.println("could not quit browser " + browser.name() + ": " + e);
            } finally {
                deleteQuietly(browser.profile());
            }
        }
    }

    private static void printConsole(Launched browser) {
        try {
            System.out.println("---- console of " + browser.name() + " ----");
            for (LogEntry entry : browser.driver().manage().logs().get(LogType.BROWSER)) {
                System.out.println(entry.getLevel() + " " + entry.getMessage());
            }
        } catch (RuntimeException e) {
            System.out.println("(console not available: " + e + ")");
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp profile is harmless
        }
    }
}
