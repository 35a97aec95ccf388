package app.noom.browser;

import static org.junit.jupiter.api.Assertions.*;

import app.noom.integration.support.NoomNode;
import app.noom.integration.support.ProtocolClient;
import app.noom.integration.support.Transport;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The admin page in headless Chromium: asks for the token, keeps it in sessionStorage only, shows nodes, rooms and
 * members (a nickname full of markup renders as text, under the page's CSP), and drops a refused token.
 */
class AdminPageTest {
    private static final String TOKEN = "adm-" + java.util.UUID.randomUUID();
    private static final String NASTY = "<img src=x id=pwned>";

    @Test
    void showsRoomsAndMembersAsTextBehindTheToken() throws Exception {
        try (NoomNode node = NoomNode.start(Map.of("ADMIN_TOKEN", TOKEN, "NODE_ID", "page-node"));
                ProtocolClient member = Transport.WEBSOCKET.connect(node.vertx(), node.port())) {
            String resumeToken = member.hello(NASTY).getString("resumeToken");
            member.request(new JsonObject()
                    .put("type", "join")
                    .put("room", "ops <script>")
                    .put("password", "pw-1234")
                    .put("private", true));

            Path profile = Files.createTempDirectory("noom-admin-chromium-");
            System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
            ChromeOptions options = new ChromeOptions()
                    .setBinary("/usr/bin/chromium")
                    .addArguments(
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--no-first-run",
                            "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriver browser = new ChromeDriver(options);
            try {
                browser.get("http://127.0.0.1:" + node.port() + "/admin/");
                browser.findElement(By.id("token")).sendKeys("not-the-token-at-all");
                browser.findElement(By.cssSelector("#token-form button")).click();
                Eventually.until(
                        "a wrong token is refused",
                        Duration.ofSeconds(10),
                        () -> browser.findElement(By.id("token-error")).isDisplayed());
                assertNull(session(browser), "a refused token is forgotten");

                browser.findElement(By.id("token")).sendKeys(TOKEN);
                browser.findElement(By.cssSelector("#token-form button")).click();
                WebElement room = Eventually.until(
                        "the room card appears",
                        Duration.ofSeconds(10),
                        () -> browser.findElements(By.cssSelector("#rooms .room")).stream()
                                .findFirst()
                                .orElse(null));
                assertEquals("ops <script>", room.findElement(By.tagName("h3")).getText());
                assertEquals(
                        NASTY,
                        room.findElement(By.cssSelector(".members .nick")).getText());
                assertTrue(room.getText().contains("private") && room.getText().contains("password"), room.getText());
                assertTrue(browser.findElements(By.id("pwned")).isEmpty(), "markup in a nickname is never parsed");
                assertEquals(
                        "page-node",
                        browser.findElement(By.cssSelector("#nodes td")).getText());
                assertEquals(TOKEN, session(browser), "the token lives in sessionStorage");
                assertEquals("", browser.findElement(By.id("token")).getAttribute("value"));
                String page = browser.getPageSource();
                for (String secret : List.of(TOKEN, resumeToken, "pw-1234", "pbkdf2")) {
                    assertFalse(page.contains(secret), "the page shows a secret");
                }
                List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                        .filter(e -> !e.getMessage().contains("401")) // the refused token above
                        .toList();
                assertEquals(List.of(), errors, "no console errors (CSP violations would show here)");

                browser.findElement(By.id("forget")).click();
                assertNull(session(browser));
                assertTrue(browser.findElement(By.id("token-form")).isDisplayed());
            } finally {
                browser.quit();
            }
        }
    }

    private static Object session(ChromeDriver browser) {
        return ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('noom.admin.token')");
    }
}
