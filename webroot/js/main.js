// Page wiring: connects the signalling client, the welcome screen, the Call and the DOM. No logic of its own
// beyond deciding what happens when the user presses something.

import { CloseCode, SIGNAL_PATH, ServerType, nicknameProblem, roomNameProblem, roomsSubscribe, setNickname } from "./protocol.js";
import { NotConnectedError, ServerError, SignalingClient } from "./signaling.js";
import { LocalMedia, describeMediaError } from "./media.js";
import { Call } from "./call.js";
import { ChatPanel } from "./chat.js";
import { DEFAULT_MAX_FILE_BYTES, FILE_CHANNEL, FileTransfers } from "./files.js";
import { FilesPanel } from "./files-ui.js";
import * as ui from "./ui.js";

const NICKNAME_STORAGE_KEY = "noom.nickname";

const params = new URLSearchParams(location.search);
// ?relay=1 forces TURN, to check a deployment's relay works (and for the TURN tests).
const iceTransportPolicy = params.get("relay") === "1" ? "relay" : "all";

const nicknameInput = ui.byId("nickname");
const roomInput = ui.byId("room");
const joinButton = ui.byId("join");

nicknameInput.value = params.get("nickname") ?? readStoredNickname() ?? "";
roomInput.value = params.get("room") ?? "";

// hello needs a nickname before the user typed one; the real one is sent with `nickname` right before joining.
const signaling = new SignalingClient(SignalingClient.urlFor(location, SIGNAL_PATH), nicknameInput.value.trim() || "Guest");
const rooms = new Map(); // room name → head-count
let call = null;
let localMedia = null;
let autojoinPending = params.get("autojoin") === "1";

const videos = new ui.VideoGrid(() => {
  ui.byId("enable-sound").hidden = false;
});
const chatPanel = new ChatPanel((text) => (call ? call.sendChat(text) : Promise.reject(new NotConnectedError())));
// Files go peer to peer over each PeerLink's file channel; the server never sees them.
const files = new FileTransfers({ maxBytes: configuredMaxFileBytes() });
const filesPanel = new FilesPanel(files, {
  nicknameOf: (id) => call?.members.get(id)?.nickname ?? id,
  onError: (message) => ui.showError(message),
});

// --- connection and room list ---

signaling.addEventListener(ServerType.WELCOME, async (event) => {
  setConnectionStatus("Connected");
  ui.clearError("connection");
  joinButton.disabled = false;
  if (!event.detail.resumed) await subscribeToRooms();
  if (autojoinPending) {
    autojoinPending = false;
    joinButton.click(); // the very same path as a user's click
  }
});

signaling.addEventListener("disconnected", (event) => {
  joinButton.disabled = true;
  const { code, reason, final } = event.detail;
  const why = reason ? ` (${reason})` : code ? ` (code ${code})` : "";
  if (final) {
    setConnectionStatus("Disconnected");
    ui.showError(`This session continued in another window${why}. Reload the page to use Noom here.`, "connection");
    return;
  }
  setConnectionStatus("Reconnecting…");
  if (code === CloseCode.DRAINING) return; // the goaway message already told the user
  // Calls in progress keep their media flowing peer to peer while signalling reconnects and resumes.
  ui.showError(`Lost the connection to the server${why}. Reconnecting…`, "connection");
});

signaling.addEventListener(ServerType.GOAWAY, () => {
  ui.showError("The server is restarting. Reconnecting…", "connection");
});

signaling.addEventListener("server-error", (event) => {
  const { code, message } = event.detail;
  ui.showError(`${message || code} (${code})`);
});

signaling.addEventListener(ServerType.ROOM_CHANGED, ({ detail: { room, count } }) => {
  if (count > 0) rooms.set(room, count);
  else rooms.delete(room); // count 0: the room is gone
  renderRooms();
});

async function subscribeToRooms() {
  try {
    const reply = await signaling.request(roomsSubscribe());
    rooms.clear();
    for (const { name, count } of reply.rooms ?? []) if (count > 0) rooms.set(name, count);
    renderRooms();
  } catch {
    // shown via server-error, or the connection dropped and a new welcome will retry
  }
}

function renderRooms() {
  ui.renderRoomList(rooms, (name) => {
    roomInput.value = name;
    joinButton.click();
  });
}

function setConnectionStatus(text) {
  ui.byId("connection-status").textContent = text;
}

// --- joining ---

ui.byId("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  joinRoom(nicknameInput.value.trim(), roomInput.value.trim());
});

async function joinRoom(nickname, roomName) {
  if (call) return;
  const problem = nicknameProblem(nickname, signaling.limits) ?? roomNameProblem(roomName, signaling.limits);
  if (problem) {
    ui.showError(problem);
    return;
  }
  ui.clearError();
  joinButton.disabled = true;
  try {
    if (nickname !== signaling.nickname) {
      await signaling.request(setNickname(nickname));
      signaling.nickname = nickname; // also what a reconnect's hello will use
    }
    storeNickname(nickname);

    localMedia = new LocalMedia();
    const mediaProblems = await localMedia.start();
    if (mediaProblems.length) ui.showError(mediaProblems.join("\n"));

    call = new Call(signaling, localMedia, roomName, { iceTransportPolicy, dataChannels: [FILE_CHANNEL] });
    wireCall(call, localMedia);
    await call.join();
    enterCallScreen(call, localMedia);
  } catch (error) {
    call = null;
    localMedia?.stopAll();
    localMedia = null;
    videos.clear();
    if (!(error instanceof ServerError)) ui.showError(`Could not join: ${error.message}`);
  } finally {
    joinButton.disabled = !signaling.connected;
  }
}

function wireCall(activeCall, media) {
  const refreshParticipants = () => {
    ui.renderParticipants({ id: activeCall.memberId, nickname: signaling.nickname, media: media.state }, [...activeCall.members.values()]);
    filesPanel.setMembers([...activeCall.members.values()]);
  };

  activeCall.addEventListener("member-added", ({ detail }) => {
    videos.upsertMember(detail);
    refreshParticipants();
  });
  activeCall.addEventListener("member-updated", ({ detail }) => {
    videos.upsertMember(detail);
    refreshParticipants();
  });
  activeCall.addEventListener("peer-added", ({ detail: { id, peer } }) => files.attach(id, peer.channel(FILE_CHANNEL.label)));
  activeCall.addEventListener("member-removed", ({ detail }) => {
    files.detach(detail);
    videos.removeMember(detail);
    refreshParticipants();
  });
  activeCall.addEventListener("remote-media", ({ detail: { id, stream } }) => videos.setStream(id, stream));
  activeCall.addEventListener("peer-state", ({ detail: { id, state } }) => videos.setConnectionState(id, state));
  activeCall.addEventListener("chat", ({ detail }) => chatPanel.append(detail, detail.from === activeCall.memberId));
  activeCall.addEventListener("rejoined", () => refreshParticipants());
  activeCall.addEventListener("error", ({ detail }) => ui.showError(`Call problem: ${detail?.message ?? detail}`));
  media.addEventListener("change", () => {
    refreshLocalControls(media);
    refreshParticipants();
  });
}

function enterCallScreen(activeCall, media) {
  ui.byId("call-room-name").textContent = activeCall.room;
  ui.showScreen("call");
  refreshLocalControls(media);
  ui.renderParticipants({ id: activeCall.memberId, nickname: signaling.nickname, media: media.state }, [...activeCall.members.values()]);
  refreshDevicePickers();
}

function refreshLocalControls(media) {
  videos.showLocal(media.outgoingVideoTrack, { screen: media.sharingScreen, videoOff: media.state.videoOff, nickname: signaling.nickname });
  ui.setToggle("mute", media.audioMuted, media.audioMuted ? "Unmute" : "Mute", !media.microphoneTrack);
  ui.setToggle("camera", media.videoOff, media.videoOff ? "Camera on" : "Camera off", !media.cameraTrack);
  ui.setToggle("screen", media.sharingScreen, media.sharingScreen ? "Stop sharing" : "Share screen");
}

async function refreshDevicePickers() {
  if (!localMedia) return;
  const media = localMedia;
  const { cameras, microphones } = await media.listDevices();
  ui.fillDeviceSelect("camera-select", cameras, media.deviceIdOf(media.cameraTrack), "Camera");
  ui.fillDeviceSelect("mic-select", microphones, media.deviceIdOf(media.microphoneTrack), "Microphone");
}

navigator.mediaDevices?.addEventListener?.("devicechange", () => refreshDevicePickers());

// --- call controls ---

ui.byId("mute").addEventListener("click", () => call?.setAudioMuted(!localMedia.audioMuted));
ui.byId("camera").addEventListener("click", () => call?.setVideoOff(!localMedia.videoOff));

ui.byId("camera-select").addEventListener("change", async (event) => {
  if (!call) return;
  try {
    await call.switchCamera(event.target.value);
  } catch (error) {
    ui.showError(describeMediaError(error, "camera"));
  }
  refreshDevicePickers();
});

ui.byId("mic-select").addEventListener("change", async (event) => {
  if (!call) return;
  try {
    await call.switchMicrophone(event.target.value);
  } catch (error) {
    ui.showError(describeMediaError(error, "microphone"));
  }
  refreshDevicePickers();
});

ui.byId("screen").addEventListener("click", async () => {
  if (!call) return;
  try {
    if (localMedia.sharingScreen) await call.stopScreenShare();
    else await call.startScreenShare();
  } catch (error) {
    ui.showError(describeMediaError(error, "screen"));
  }
});

ui.byId("enable-sound").addEventListener("click", (event) => {
  videos.unmuteAll();
  event.currentTarget.hidden = true;
});

ui.byId("leave").addEventListener("click", () => leaveCall());

async function leaveCall() {
  if (!call) return;
  const leaving = call;
  call = null;
  await leaving.leave();
  localMedia?.stopAll();
  localMedia = null;
  videos.clear();
  chatPanel.clear();
  files.detachAll();
  filesPanel.clear();
  ui.byId("enable-sound").hidden = true;
  ui.showScreen("welcome");
}

ui.byId("error-dismiss").addEventListener("click", () => ui.clearError());

// --- configuration and storage ---

/** The operator sets the file size limit in index.html (<meta name="noom-max-file-bytes">). */
function configuredMaxFileBytes() {
  const configured = Number(document.querySelector('meta[name="noom-max-file-bytes"]')?.content);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_FILE_BYTES;
}

function readStoredNickname() {
  try {
    return localStorage.getItem(NICKNAME_STORAGE_KEY);
  } catch {
    return null; // storage can be disabled; the nickname is then simply not remembered
  }
}

function storeNickname(nickname) {
  try {
    localStorage.setItem(NICKNAME_STORAGE_KEY, nickname);
  } catch {
    // see readStoredNickname
  }
}

// --- test and debugging hooks ---

window.noom = {
  get call() {
    return call;
  },
  get signaling() {
    return signaling;
  },
  get memberId() {
    return call?.memberId ?? null;
  },
  get sessionId() {
    return signaling.sessionId;
  },
  /** { [memberId]: { framesDecoded, audioEnabled, sentVideo, sentAudio, media, connectionState, ... } } */
  stats: () => (call ? call.stats() : Promise.resolve({})),
  localAudioEnabled: () => localMedia?.microphoneTrack?.enabled ?? false,
  localVideoDeviceId: () => localMedia?.deviceIdOf(localMedia.cameraTrack) ?? null,
  rooms: () => Object.fromEntries(rooms),
  /**
   * Peer-to-peer file transfer (FileTransfers): offer(file, memberId|null) → keys, list(), get(key), accept(key),
   * decline(key), cancel(key), channelStats(memberId), reachablePeers(), maxBytes (read/write), `change` events.
   */
  files,
  /** Drops the signalling connection as a network failure would; the session resumes and the call goes on. */
  dropSignalling: () => signaling.simulateNetworkDrop(),
};

signaling.start();
