// Page entry: reads how the page was opened, builds the signalling client with its policies, and hands the page to the
// App controller, which owns all state. Also the test and debugging hooks (window.noom).

import { SIGNAL_PATH } from "./protocol.js";
import { SignalingClient } from "./signaling.js";
import { DefaultReconnectPolicy } from "./reconnect.js";
import { readPageConfig } from "./page-config.js";
import { App } from "./app.js";
import * as ui from "./ui.js";

const config = readPageConfig();
ui.byId("nickname").value = config.nickname;
ui.byId("room").value = config.room;

// hello needs a nickname before the user typed one; the real one is sent with `nickname` right before joining.
const signaling = new SignalingClient(SignalingClient.urlFor(location, SIGNAL_PATH), config.nickname.trim() || "Guest", {
  token: config.joinToken,
  reconnectPolicy: new DefaultReconnectPolicy(), // never gives up: a call's media may flow on while the server is away
});
const app = new App(signaling, config);

window.noom = {
  get call() {
    return app.call;
  },
  get signaling() {
    return signaling;
  },
  get memberId() {
    return app.call?.memberId ?? null;
  },
  get sessionId() {
    return signaling.sessionId;
  },
  /** { [memberId]: { framesDecoded, audioEnabled, sentVideo, sentAudio, media, connectionState, ... } } */
  stats: () => (app.call ? app.call.stats() : Promise.resolve({})),
  localAudioEnabled: () => app.localMedia?.microphoneTrack?.enabled ?? false,
  localVideoDeviceId: () => app.localMedia?.deviceIdOf(app.localMedia.cameraTrack) ?? null,
  rooms: () => app.lobby.snapshot(),
  /**
   * Peer-to-peer file transfer (FileTransfers): offer(file, memberId|null) → keys, list(), get(key), accept(key),
   * decline(key), cancel(key), channelStats(memberId), reachablePeers(), maxBytes (read/write), `change` events.
   */
  files: app.files,
  /** Drops the signalling connection as a network failure would; the session resumes and the call goes on. */
  dropSignalling: () => signaling.simulateNetworkDrop(),
};

signaling.start();
