// Perfect negotiation in webroot/js/peer.js, run against a fake RTCPeerConnection (support/fake-webrtc.mjs) that keeps
// JSEP's signalling states: who offers first, what each side does when offers cross, and what waits for what.
import { test } from "node:test";
import assert from "node:assert/strict";
import "./support/dom-events.mjs";
import { installFakeWebRTC } from "./support/fake-webrtc.mjs";
import { PeerLink } from "../../../webroot/js/peer.js";

installFakeWebRTC();

const tracks = () => ({ audio: { kind: "audio" }, video: { kind: "video" } });

/** Polls `condition` each timer turn until it holds; fails after `turns` turns (no fixed sleeps). */
async function until(what, condition, turns = 500) {
  for (let turn = 0; !condition(); turn++) {
    assert.ok(turn < turns, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Two linked PeerLinks: `existing` (polite: the other joined after it) and `newcomer` (impolite). Signals travel on a
 * later timer turn, as over a network; while `held`, they queue until release().
 */
function call() {
  const sent = []; // { from, kind, payload }
  const errors = [];
  const queue = [];
  const net = { held: false };
  const links = {};
  const sender = (from, to) => (kind, payload) => {
    sent.push({ from, kind, payload });
    const deliver = () => links[to].receiveSignal(kind, payload);
    if (net.held) queue.push(deliver);
    else setTimeout(deliver, 0);
  };
  const link = (name, polite, other) => {
    const peer = new PeerLink({ remoteId: other, polite, rtcConfiguration: {}, tracks: tracks(), sendSignal: sender(name, other) });
    peer.addEventListener("error", ({ detail }) => errors.push(`${name}: ${detail?.message ?? detail}`));
    return peer;
  };
  links.existing = link("existing", true, "newcomer");
  links.newcomer = link("newcomer", false, "existing");
  const offersFrom = (name) => sent.filter((s) => s.from === name && s.kind === "offer").map((s) => s.payload.sdp);
  const stable = () => Object.values(links).every((l) => l.pc.signalingState === "stable" && l.pc.remoteDescription);
  const inAgreement = () =>
    stable() &&
    links.existing.pc.localDescription.sdp === links.newcomer.pc.remoteDescription.sdp &&
    links.newcomer.pc.localDescription.sdp === links.existing.pc.remoteDescription.sdp;
  const release = () => queue.splice(0).forEach((deliver) => setTimeout(deliver, 0));
  const close = () => Object.values(links).forEach((l) => l.close());
  return { ...links, sent, errors, net, offersFrom, inAgreement, release, close };
}

test("the newcomer makes the first offer and the existing member answers it: no collision in the common case", async () => {
  const c = call();
  await until("both sides agree", c.inAgreement);
  assert.equal(c.offersFrom("newcomer").length, 1);
  assert.deepEqual(c.offersFrom("existing"), [], "the polite side waits for the newcomer's offer");
  assert.deepEqual(c.existing.pc.history, ["remote offer", "local answer"]);
  assert.deepEqual(c.errors, []);
  c.close();
});

test("crossing offers: the impolite side ignores the polite one's offer; the polite side rolls back, answers, then offers again", async () => {
  const c = call();
  await until("connected", c.inAgreement);
  c.net.held = true;
  c.existing.pc.restartIce(); // both sides need a new negotiation at the same moment
  c.newcomer.pc.restartIce();
  await until("both have an offer out", () => c.existing.pc.signalingState === "have-local-offer" && c.newcomer.pc.signalingState === "have-local-offer");
  const [collidingOffer] = c.offersFrom("existing");
  c.net.held = false;
  c.release();

  await until("both sides agree again", () => c.inAgreement() && c.offersFrom("existing").length === 2);
  assert.deepEqual(c.existing.pc.history.slice(2), ["local offer", "rollback", "remote offer", "local answer", "local offer", "remote answer"]);
  assert.deepEqual(c.newcomer.pc.history.slice(2), ["local offer", "remote answer", "remote offer", "local answer"], "impolite: no rollback");
  const answersToColliding = c.sent.filter((s) => s.kind === "answer" && s.payload.sdp.includes(collidingOffer));
  assert.deepEqual(answersToColliding, [], "the colliding offer was ignored, not answered");
  assert.deepEqual(c.errors, []);
  c.close();
});

test("candidates that arrive before any description wait for it, then are added in order", async () => {
  const answers = [];
  const peer = new PeerLink({
    remoteId: "m-B",
    polite: true,
    rtcConfiguration: {},
    tracks: tracks(),
    sendSignal: (kind, payload) => kind === "answer" && answers.push(payload),
  });
  peer.receiveSignal("candidate", { candidate: "c1" });
  peer.receiveSignal("candidate", { candidate: "c2" });
  peer.receiveSignal("offer", { type: "offer", sdp: "offer 1 from m-B" });
  peer.receiveSignal("candidate", { candidate: "c3" });
  await until("all three candidates are added", () => peer.pc.addedCandidates.length === 3);
  assert.deepEqual(peer.pc.addedCandidates.map((c) => c.candidate), ["c1", "c2", "c3"]);
  assert.equal(answers.length, 1);
  peer.close();
});

test("a renegotiate request makes the impolite side (the offerer) restart; the polite side does not offer for it", async () => {
  const c = call();
  await until("connected", c.inAgreement);
  c.existing.receiveSignal("renegotiate", { reason: "ice-failed" }); // polite: it asks, it does not restart itself
  c.newcomer.receiveSignal("renegotiate", { reason: "ice-failed" });
  await until("a second offer from the newcomer is answered", () => c.offersFrom("newcomer").length === 2 && c.inAgreement());
  assert.deepEqual(c.offersFrom("existing"), []);
  assert.deepEqual(c.errors, []);
  c.close();
});
