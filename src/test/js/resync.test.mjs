// The Call's answer to the server's `room-resync` (webroot/js/call.js): members reconciled, ICE restarted with the
// peers still there, newcomers added, the departed dropped — against a fake signalling client and fake WebRTC.
import { test } from "node:test";
import assert from "node:assert/strict";
import "./support/dom-events.mjs";
import { FakeRTCPeerConnection, installFakeWebRTC } from "./support/fake-webrtc.mjs";
import { Call } from "../../../webroot/js/call.js";

installFakeWebRTC();

class FakeSignaling extends EventTarget {
  iceServers = [];
  sent = [];
  constructor(joined) {
    super();
    this.joined = joined;
  }
  async request(message) {
    this.sent.push(message);
    return message.type === "join" ? this.joined : { type: "ack" };
  }
  push(message) {
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
  }
}

const media = { state: {}, microphoneTrack: null, outgoingVideoTrack: null, cameraTrack: null, sharingScreen: false };
const member = (id) => ({ id, nickname: id, media: {} });

test("a room-resync drops who is gone, adds who is new, restarts ICE with who stayed, and says so", async () => {
  const signaling = new FakeSignaling({ type: "joined", room: "standup", memberId: "m-me", members: [member("m-B"), member("m-C")] });
  const call = new Call(signaling, media, "standup");
  const events = [];
  for (const type of ["member-added", "member-removed", "resync"]) {
    call.addEventListener(type, ({ detail }) => events.push(`${type} ${typeof detail === "string" ? detail : detail.id}`));
  }
  await call.join();
  const pcOfB = call.peers.get("m-B").pc;
  let restarts = 0;
  pcOfB.restartIce = () => restarts++;
  events.length = 0;

  signaling.push({ type: "room-resync", room: "standup", members: [member("m-me"), member("m-B"), member("m-D")] });
  await new Promise((resolve) => setTimeout(resolve, 0)); // the ICE restart first asks for fresh ICE servers

  assert.deepEqual([...call.members.keys()].sort(), ["m-B", "m-D"], "members as the server listed them, us aside");
  assert.deepEqual([...call.peers.keys()].sort(), ["m-B", "m-D"]);
  assert.equal(call.peers.get("m-B").pc, pcOfB, "the peer still here keeps its connection");
  assert.equal(restarts, 1, "and restarts ICE on it (we are its offerer)");
  assert.deepEqual(events, ["member-removed m-C", "member-added m-D", "resync standup"]);
  assert.ok(FakeRTCPeerConnection.created.length >= 3);
  call.leave?.();
});

test("a room-resync for another room changes nothing", async () => {
  const signaling = new FakeSignaling({ type: "joined", room: "standup", memberId: "m-me", members: [member("m-B")] });
  const call = new Call(signaling, media, "standup");
  let resyncs = 0;
  call.addEventListener("resync", () => resyncs++);
  await call.join();
  signaling.push({ type: "room-resync", room: "elsewhere", members: [member("m-me")] });
  assert.deepEqual([...call.members.keys()], ["m-B"]);
  assert.equal(resyncs, 0);
  call.leave?.();
});
