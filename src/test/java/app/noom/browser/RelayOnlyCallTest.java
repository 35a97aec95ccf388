package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.noom.integration.support.NoomNode;
import app.noom.integration.turn.CoturnProcess;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Connect through any NAT": when only a TURN relay can connect two browsers (forced here with ?relay=1, i.e.
 * iceTransportPolicy "relay"), the call still works, with the TURN credentials Noom hands out and a real coturn.
 */
class RelayOnlyCallTest {
    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void twoBrowsersForcedOntoTurnDecodeEachOthersVideoThroughTheRelay() throws Exception {
        long started = System.nanoTime();
        String secret = CoturnProcess.randomSecret();
        try (CoturnProcess coturn = CoturnProcess.startTestVariant(List.of(secret));
                NoomNode node =
                        NoomNode.start(Map.of("TURN_SECRET", secret, "TURN_URLS", udpUrl(coturn), "STUN_URLS", ""))) {
            String baseUrl = "http://127.0.0.1:" + node.port();
            String room = "relay-only-" + System.nanoTime();
            List<CallPage> pages = browsers.launch("Ada", "Grace");
            CallPage ada = pages.get(0).join(baseUrl, room, "relay=1");
            CallPage grace = pages.get(1).join(baseUrl, room, "relay=1");

            try {
                ada.assertDecodesVideoFrom(grace);
                grace.assertDecodesVideoFrom(ada);

                for (CallPage[] sides : new CallPage[][] {{ada, grace}, {grace, ada}}) {
                    CallPage page = sides[0];
                    CallPage other = sides[1];
                    Map<String, Object> pair = Eventually.until(
                            page.nickname() + " has selected a candidate pair to " + other.nickname(), () -> {
                                Map<String, Object> selected = page.selectedCandidatePairWith(other);
                                return "succeeded".equals(selected.get("state")) ? selected : null;
                            });
                    System.out.println("[RelayOnlyCallTest] " + page.nickname() + " -> " + other.nickname()
                            + " selected pair: " + pair);
                    assertEquals(
                            "relay",
                            pair.get("localType"),
                            () -> page.nickname() + "'s selected local candidate: " + pair);
                    assertEquals(
                            "relay",
                            pair.get("remoteType"),
                            () -> page.nickname() + "'s selected remote candidate: " + pair);
                    assertEquals(
                            udpUrl(coturn), pair.get("localUrl"), () -> "the relay is the coturn Noom named: " + pair);
                }
            } catch (AssertionError | RuntimeException e) {
                System.out.println("---- coturn log ----\n" + coturn.log());
                throw e;
            }
        } finally {
            System.out.printf("[RelayOnlyCallTest] took %.1f s%n", (System.nanoTime() - started) / 1e9);
        }
    }

    private static String udpUrl(CoturnProcess coturn) {
        return "turn:127.0.0.1:" + coturn.port() + "?transport=udp";
    }
}
