package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Room access and host controls as the web client shows them. One story in order, sharing three browsers: Ada opens
 * a room (host) and Grace joins it; Ada locks it against Linus, then removes Grace; Linus opens a password room that
 * Grace can only join with the right password, and he then hands her the host role.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostControlsTest {
    private static final String ROOM = "host-room";
    private static final String SECRET_ROOM = "secret-room";
    private static final String PASSWORD = "correct horse";

    @RegisterExtension
    static final NoomServer server = new NoomServer();

    @RegisterExtension
    static final Browsers browsers = Browsers.perClass();

    private static CallPage ada;
    private static CallPage grace;
    private static CallPage linus;

    @BeforeAll
    static void adaOpensTheRoomAndGraceJoins() {
        List<CallPage> pages = browsers.launch("Ada", "Grace", "Linus");
        ada = pages.get(0).join(server.baseUrl(), ROOM);
        grace = pages.get(1).join(server.baseUrl(), ROOM);
        linus = pages.get(2).open(server.baseUrl());
    }

    @Test
    @Order(1)
    void theFirstToJoinIsHostAndOnlyTheHostSeesHostControls() {
        String gracesRow = "#participants li[data-member-id='" + grace.memberId() + "']";
        Eventually.until(
                "Ada's list offers to remove Grace",
                () -> ada.element(gracesRow + " .kick").isDisplayed());
        assertTrue(ada.element(gracesRow + " .make-host").isDisplayed(), "Ada may hand the host role to Grace");
        assertTrue(ada.element("#lock-toggle").isDisplayed(), "Ada has the lock toggle");
        assertTrue(
                ada.element("#participants li[data-member-id='" + ada.memberId() + "'] .host-badge")
                        .isDisplayed(),
                "Ada's own row says she is host");
        assertTrue(ada.element("#local-host-indicator").isDisplayed(), "Ada's own tile says she is host");

        Eventually.until(
                "Grace's list marks Ada as host",
                () -> grace.element("#participants li[data-member-id='" + ada.memberId() + "'] .host-badge")
                        .isDisplayed());
        Eventually.until(
                "Grace's tile of Ada marks her as host",
                () -> grace.element(".remote-tile[data-member-id='" + ada.memberId() + "'] .host-indicator")
                        .isDisplayed());
        assertFalse(grace.element("#lock-toggle").isDisplayed(), "Grace has no lock toggle");
        assertTrue(
                grace.driver()
                        .findElements(By.cssSelector("#participants .kick, #participants .make-host"))
                        .isEmpty(),
                "Grace has no host buttons");
        assertFalse(grace.element("#local-host-indicator").isDisplayed(), "Grace is not host");
        assertFalse(grace.element("#lock-indicator").isDisplayed(), "the room is not locked yet");
    }

    @Test
    @Order(2)
    void aLockedRoomRefusesANewcomerWithAClearError() {
        ada.element("#lock-toggle").click();
        Eventually.until(
                "Ada's page shows the room locked",
                () -> ada.element("#lock-indicator").isDisplayed());
        Eventually.until(
                "Grace's page shows the room locked",
                () -> grace.element("#lock-indicator").isDisplayed());
        assertEquals("true", ada.element("#lock-toggle").getAttribute("aria-pressed"));
        assertEquals("Unlock room", ada.element("#lock-toggle").getText());

        linus.submitJoin(ROOM, "", false);
        String error = Eventually.until("Linus is told the room is locked", () -> {
            String text = linus.errorText();
            return text != null && text.contains("locked") ? text : null;
        });
        assertTrue(error.contains(ROOM), error);
        assertTrue(linus.element("#welcome-screen").isDisplayed(), "Linus stays on the welcome screen");
        assertNull(linus.script("return window.noom.call;"), "Linus is in no call");

        ada.element("#lock-toggle").click();
        Eventually.until(
                "Grace's page shows the room unlocked",
                () -> !grace.element("#lock-indicator").isDisplayed());
    }

    @Test
    @Order(3)
    void theHostRemovesAMemberAfterConfirming() {
        String gracesRow = "#participants li[data-member-id='" + grace.memberId() + "']";
        ada.element(gracesRow + " .kick").click();
        Eventually.until(
                "Ada's Remove button asks for confirmation",
                () -> "true".equals(ada.element(gracesRow + " .kick").getAttribute("data-confirm")));
        assertEquals("Confirm remove", ada.element(gracesRow + " .kick").getText());
        assertTrue(grace.element("#call-screen").isDisplayed(), "one click removes nobody");

        ada.element(gracesRow + " .kick").click();

        String message = Eventually.until("Grace is back on the welcome screen with the removal message", () -> {
            String text = grace.errorText();
            return grace.element("#welcome-screen").isDisplayed() && text != null && text.contains("removed")
                    ? text
                    : null;
        });
        assertTrue(message.startsWith("You were removed from " + ROOM + " by the host"), message);
        assertFalse(grace.element("#call-screen").isDisplayed());
        assertNull(grace.script("return window.noom.call;"), "Grace's call is over");
        Eventually.until(
                "Ada's page no longer shows Grace",
                () -> ada.driver()
                        .findElements(
                                By.cssSelector(gracesRow + ", .remote-tile[data-member-id='" + grace.memberId() + "']"))
                        .isEmpty());
        assertEquals("1", ada.element("#participant-count").getText());

        grace.submitJoin(ROOM, "", false);
        Eventually.until("Grace's attempt to return is refused with the time she may return", () -> {
            String text = grace.errorText();
            // "may rejoin it at hh:mm": the time comes from the refusal's `until` field (not "cannot rejoin it for a
            // while")
            return text != null && text.contains("removed from room") && text.contains("may rejoin it at");
        });
    }

    @Test
    @Order(4)
    void aPasswordRoomAdmitsOnlyWithTheRightPassword() {
        linus.submitJoin(SECRET_ROOM, PASSWORD, true);
        linus.awaitJoined(SECRET_ROOM);
        Eventually.until(
                "Linus's page shows a private, password-protected room",
                () -> linus.element("#password-indicator").isDisplayed()
                        && linus.element("#private-indicator").isDisplayed());
        assertTrue(linus.element("#lock-toggle").isDisplayed(), "Linus created the room, so he is host");

        grace.submitJoin(SECRET_ROOM, "", false);
        Eventually.until("Grace is asked for the password", () -> {
            String text = grace.errorText();
            return text != null && text.contains("needs a password");
        });
        assertEquals(
                "room-password",
                grace.driver().switchTo().activeElement().getAttribute("id"),
                "the password field has the focus");

        grace.submitJoin(SECRET_ROOM, "wrong horse", false);
        Eventually.until("Grace is told the password is wrong", () -> {
            String text = grace.errorText();
            return text != null && text.contains("Wrong password");
        });
        assertNull(grace.script("return window.noom.call;"));

        grace.submitJoin(SECRET_ROOM, PASSWORD, false);
        grace.awaitJoined(SECRET_ROOM);
        Eventually.until(
                "Linus sees Grace arrive",
                () -> linus.element("#participants li[data-member-id='" + grace.memberId() + "']")
                        .isDisplayed());
        Eventually.until("Grace's room list shows the public room", () ->
                (Boolean) grace.script("return Object.keys(window.noom.rooms()).includes(arguments[0]);", ROOM));
        assertEquals(
                Boolean.FALSE,
                grace.script("return Object.keys(window.noom.rooms()).includes(arguments[0]);", SECRET_ROOM),
                "a private room is never listed");

        linus.element("#participants li[data-member-id='" + grace.memberId() + "'] .make-host")
                .click();
        Eventually.until(
                "Grace gets the host controls",
                () -> grace.element("#lock-toggle").isDisplayed()
                        && grace.element("#participants li[data-member-id='" + linus.memberId() + "'] .kick")
                                .isDisplayed());
        Eventually.until(
                "Linus loses them",
                () -> !linus.element("#lock-toggle").isDisplayed()
                        && linus.driver()
                                .findElements(By.cssSelector("#participants .kick, #participants .make-host"))
                                .isEmpty());
        assertTrue(
                linus.element(".remote-tile[data-member-id='" + grace.memberId() + "'] .host-indicator")
                        .isDisplayed(),
                "Linus's tile of Grace marks her as host");
    }
}
