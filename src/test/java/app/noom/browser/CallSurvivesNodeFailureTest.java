package app.noom.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.noom.integration.support.NodeProcess;
import app.noom.integration.support.NoomNode;
import app.noom.integration.support.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * "Many nodes, one room": two nodes share a room through Redis; Ada reaches the cluster through a load balancer that
 * lands her on node A, Grace is on node B. Node A is killed (SIGKILL). Ada's signalling drops, reconnects through
 * the load balancer (now to B) and resumes her session; the call's media, peer to peer, never stops.
 */
class CallSurvivesNodeFailureTest {
    private static final String TAG = "[CallSurvivesNodeFailureTest] ";
    /** Records every welcome after the call was set up: what the reconnection got. */
    private static final String RECORD_WELCOMES = """
      window.__testWelcomes = [];
      window.noom.signaling.addEventListener("welcome", (event) => window.__testWelcomes.push({
        resumed: event.detail.resumed === true, sessionId: event.detail.sessionId,
        replayComplete: event.detail.replayComplete ?? null, at: Date.now() }));
      """;

    @RegisterExtension
    final Browsers browsers = Browsers.perTest();

    @Test
    void killingTheNodeOfOneParticipantNeitherStopsTheMediaNorEndsTheirSession() throws Exception {
        long started = System.nanoTime();
        String suffix = Long.toString(System.nanoTime(), 36);
        String nodeA = "browser-a-" + suffix;
        // Browsers start while the cluster does: both take seconds, and neither needs the other yet.
        CompletableFuture<List<CallPage>> launching = CompletableFuture.supplyAsync(() -> {
            List<CallPage> launched = browsers.launch("Ada", "Grace");
            System.out.printf(TAG + "browsers up after %.1f s%n", seconds(started));
            return launched;
        });
        try (RedisServer redis = RedisServer.start();
                NodeProcess a = NodeProcess.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", nodeA, "STUN_URLS", ""));
                NoomNode b = NoomNode.start(Map.of("REDIS_URL", redis.url(), "NODE_ID", "browser-b-" + suffix));
                FailoverProxy loadBalancer = FailoverProxy.preferring(a.port(), b.port())) {
            System.out.printf(TAG + "redis and nodes up after %.1f s%n", seconds(started));
            String room = "failover-" + suffix;
            List<CallPage> pages = launching.join();
            System.out.printf(TAG + "cluster and browsers up after %.1f s%n", seconds(started));
            CallPage grace = pages.get(1).join("http://127.0.0.1:" + b.port(), room);
            CallPage ada = pages.get(0).join(loadBalancer.baseUrl(), room);
            assertEquals(0, loadBalancer.connectionsForwardedTo(b.port()), "the load balancer sent Ada to node A");
            ada.assertDecodesVideoFrom(grace);
            grace.assertDecodesVideoFrom(ada);
            System.out.printf(
                    TAG + "call up after %.1f s (Ada %s on node A, Grace %s on node B)%n",
                    seconds(started),
                    ada.memberId(),
                    grace.memberId());

            String adasMemberId = ada.memberId();
            String adasSessionId = (String) ada.script("return window.noom.sessionId;");
            long welcomesBefore = (Long) ada.script("return window.noom.signaling.welcomeCount;");
            WebElement adasTileAtGrace = grace.element(".remote-tile[data-member-id='" + adasMemberId + "']");
            ada.script(RECORD_WELCOMES);
            List<Long> framesAtGrace = new ArrayList<>();
            framesAtGrace.add(grace.framesDecodedFrom(ada));

            long killedAt = System.nanoTime();
            a.kill();
            System.out.printf(
                    TAG + "node A killed (SIGKILL) at %.1f s, Grace had decoded %d frames from Ada%n",
                    seconds(started),
                    framesAtGrace.get(0));

            // While Ada's signalling is down and comes back, sample Grace's frames from Ada at every poll.
            Eventually.until("Ada's client reconnects through the load balancer", Duration.ofSeconds(20), () -> {
                framesAtGrace.add(grace.framesDecodedFrom(ada));
                return (Boolean) ada.script(
                        "return window.noom.signaling.connected && window.noom.signaling.welcomeCount > arguments[0];",
                        welcomesBefore);
            });
            double reconnectedAfter = seconds(killedAt);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> welcomes =
                    (List<Map<String, Object>>) ada.script("return window.__testWelcomes;");
            Map<String, Object> welcome = welcomes.get(welcomes.size() - 1);
            String memberIdNow = (String) ada.script("return window.noom.memberId;");
            System.out.printf(
                    TAG + "RESUME OUTCOME: reconnected %.2f s after the kill; welcome resumed=%s replayComplete=%s;"
                            + " sessionId %s -> %s; member id %s -> %s (same: %s); welcomes since the kill: %s%n",
                    reconnectedAfter,
                    welcome.get("resumed"),
                    welcome.get("replayComplete"),
                    adasSessionId,
                    welcome.get("sessionId"),
                    adasMemberId,
                    memberIdNow,
                    adasMemberId.equals(memberIdNow),
                    welcomes.size());
            assertTrue(loadBalancer.connectionsForwardedTo(b.port()) > 0, "Ada's reconnection went to node B");

            // Signalling works again: a chat typed after the failover reaches Grace.
            String afterFailover = "Ada is back after node A died";
            ada.element("#chat-input").sendKeys(afterFailover);
            ada.element("#chat-send").click();
            Eventually.until("Grace gets the chat Ada typed after the failover", () -> {
                framesAtGrace.add(grace.framesDecodedFrom(ada));
                return chatTexts(grace).contains(afterFailover);
            });

            // The survivor sweeps the dead node 5-7 s after its death; Ada's resumed session must survive that sweep.
            Eventually.until("node B sweeps the dead node A", Duration.ofSeconds(20), () -> {
                framesAtGrace.add(grace.framesDecodedFrom(ada));
                return !isNodeRegistered(redis, nodeA);
            });
            System.out.printf(TAG + "node A swept %.1f s after the kill%n", seconds(killedAt));
            long atSweep = grace.framesDecodedFrom(ada);
            Eventually.until("Grace keeps decoding Ada's video after the sweep", () -> {
                long frames = grace.framesDecodedFrom(ada);
                framesAtGrace.add(frames);
                return frames > atSweep;
            });
            ada.assertDecodesVideoFrom(grace);
            System.out.println(TAG + "Grace's frames decoded from Ada, sampled from the kill on: " + framesAtGrace);

            // Media continuity: the peer connection Grace holds for Ada's member id never went away (a leave would have
            // closed it and its count would have dropped to 0) and its count grew during the failover and after it.
            for (int i = 1; i < framesAtGrace.size(); i++) {
                assertTrue(
                        framesAtGrace.get(i) >= framesAtGrace.get(i - 1),
                        "Grace's decoded-frame count from Ada went down (peer connection replaced?): " + framesAtGrace);
            }
            assertTrue(
                    framesAtGrace.get(framesAtGrace.size() - 1) > framesAtGrace.get(0),
                    "frames grew across the failover");
            assertTrue(adasTileAtGrace.isDisplayed(), "Grace never saw Ada leave (her tile is the same element)");

            assertEquals(Boolean.TRUE, welcome.get("resumed"), "the survivor resumed Ada's session: " + welcome);
            assertEquals(adasSessionId, welcome.get("sessionId"), "same session id after the failover");
            assertEquals(adasMemberId, memberIdNow, "same member id after the failover");
        } finally {
            launching.exceptionally(failed -> null).join(); // whatever started is registered, so afterEach quits it
            System.out.printf(TAG + "took %.1f s%n", seconds(started));
        }
    }

    private static List<String> chatTexts(CallPage page) {
        return page.driver().findElements(By.cssSelector("#chat-log .chat-text")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Whether the node is still in Redis's node set (survivors remove it when they sweep it). */
    private static boolean isNodeRegistered(RedisServer redis, String nodeId) {
        try {
            Process check = new ProcessBuilder("redis-cli", "-u", redis.url(), "SISMEMBER", "noom:nodes", nodeId)
                    .redirectErrorStream(true)
                    .start();
            String answer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            check.waitFor();
            return !"0".equals(answer);
        } catch (IOException e) {
            throw new AssertionError("redis-cli failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
