// Page wiring: connects the signalling client, the welcome screen, the Call and the DOM. No logic of its own
// beyond deciding what happens when the user presses something.

import { CloseCode, ErrorCode, SIGNAL_PATH, ServerType, nicknameProblem, passwordProblem, roomNameProblem, roomsSubscribe, setNickname } from "./protocol.js";
import { NotConnectedError, ServerError, SignalingClient } from "./signaling.js";
import { LocalMedia, describeMediaError } from "./media.js";
import { Call } from "./call.js";
import { CallMonitor } from "./call-monitor.js";
import { ChatPanel } from "./chat.js";
import { DEFAULT_MAX_FILE_BYTES, FILE_CHANNEL, FileTransfers } from "./files.js";
import { FilesPanel } from "./files-ui.js";
import { describeFullRoom, describeReturn, describeServerError as describeError } from "./messages.js";
import { PreJoin, canChooseSpeaker } from "./prejoin.js";
import { installShortcuts } from "./shortcuts.js";
import { VideoGrid } from "./tiles.js";
import * as ui from "./ui.js";

const NICKNAME_STORAGE_KEY = "noom.nickname";
/** Phones and some browsers have no screen capture: no button that can only fail. */
const canShareScreen = !!navigator.mediaDevices?.getDisplayMedia;
/** How long a "Remove" button waits for its confirming second click. */
const KICK_CONFIRM_MS = 4000;

const params = new URLSearchParams(location.search);
// ?relay=1 forces TURN, to check a deployment's relay works (and for the TURN tests).
const iceTransportPolicy = params.get("relay") === "1" ? "relay" : "all";
// ?token=<JWT>: an invitation (join token) for servers that require one. It is a secret: kept in memory only (never
// stored, shown or logged) and taken out of the address bar, so it is not shared along with a screenshot or a copied link.
const joinToken = takeTokenFromAddress();

const nicknameInput = ui.byId("nickname");
const roomInput = ui.byId("room");
const passwordInput = ui.byId("room-password");
const privateInput = ui.byId("room-private");
const joinButton = ui.byId("join");

nicknameInput.value = params.get("nickname") ?? readStoredNickname() ?? "";
roomInput.value = params.get("room") ?? roomClaimOf(joinToken) ?? "";

// hello needs a nickname before the user typed one; the real one is sent with `nickname` right before joining.
const signaling = new SignalingClient(SignalingClient.urlFor(location, SIGNAL_PATH), nicknameInput.value.trim() || "Guest", {
  token: joinToken,
});
const rooms = new Map(); // room name → head-count
let call = null;
let localMedia = null;
let monitor = null; // the CallMonitor of the current call
let pendingJoin = null; // { roomName, password, privateRoom } while the pre-join screen is shown
let previousCameraId = null; // the camera before the last switch, offered back when the new one sends nothing
const prejoin = new PreJoin();
// ?autojoin=1 (tests, kiosks) joins at once, skipping the pre-join screen. Invite links never carry it.
const autojoinRequested = params.get("autojoin") === "1";
let autojoinPending = autojoinRequested;
let confirmingKick = null; // { id, timer }: the member whose Remove button waits for a second click
const bans = new Map(); // room → epoch ms until which the host's removal bars us from it

const videos = new VideoGrid(() => {
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
  videos.setSignallingDown(false);
  joinButton.disabled = false;
  if (!event.detail.resumed) await subscribeToRooms();
  if (autojoinPending) {
    autojoinPending = false;
    joinButton.click(); // the very same path as a user's click
  }
});

signaling.addEventListener("disconnected", (event) => {
  joinButton.disabled = true;
  const { code, final } = event.detail;
  if (final) {
    setConnectionStatus("Disconnected");
    ui.showError("This session continued in another window. Reload the page to use Noom here.", "connection");
    return;
  }
  setConnectionStatus("Reconnecting…");
  videos.setSignallingDown(true);
  if (code === CloseCode.DRAINING) return; // the goaway message already told the user
  // Calls in progress keep their media flowing peer to peer while signalling reconnects and resumes.
  ui.showError("Lost the connection to the server. Reconnecting…", "connection");
});

signaling.addEventListener(ServerType.GOAWAY, () => {
  ui.showError("The server is restarting. Reconnecting…", "connection");
});

signaling.addEventListener("hello-refused", (event) => {
  joinButton.disabled = true;
  setConnectionStatus("Not admitted");
  ui.showError(describeServerError(event.detail), "connection");
});

signaling.addEventListener("server-error", (event) => ui.showError(describeServerError(event.detail)));

/** A human explanation of an `error` message; `room` is the room a join was for, when there was one. */
function describeServerError(reply, room = null) {
  return describeError(reply, {
    room,
    passwordTyped: !!passwordInput.value,
    banUntil: banUntil(room, reply.message),
    maxMembers: signaling.limits.maxMembersPerRoom,
  });
}

/** The end of our ban from `room`: remembered from `kicked`, else read from the refusal's text. */
function banUntil(room, message) {
  if (room && bans.has(room)) return bans.get(room);
  const stamp = /\b(\d{12,})\b/.exec(message ?? "");
  return stamp ? Number(stamp[1]) : null;
}

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
  const pick = (name) => {
    roomInput.value = name;
    joinButton.click();
  };
  ui.renderRoomList(rooms, pick, signaling.limits.maxMembersPerRoom);
}

function setConnectionStatus(text) {
  ui.byId("connection-status").textContent = text;
}

// --- joining ---

ui.byId("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  joinRoom(nicknameInput.value.trim(), roomInput.value.trim(), passwordInput.value, privateInput.checked);
});

// Join is two steps: the welcome form checks what can be known without devices (valid names, a room the list shows
// as full), then opens camera and microphone for the pre-join screen; "Join now" there asks the server.
async function joinRoom(nickname, roomName, password, privateRoom) {
  if (call || pendingJoin) return;
  const problem = nicknameProblem(nickname, signaling.limits) ?? roomNameProblem(roomName, signaling.limits) ?? passwordProblem(password);
  if (problem) {
    ui.showError(problem);
    return;
  }
  const max = signaling.limits.maxMembersPerRoom;
  if ((rooms.get(roomName) ?? 0) >= max) {
    ui.showError(describeFullRoom(roomName, max, rooms.get(roomName)), "room-full");
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
    pendingJoin = { roomName, password, privateRoom };
    if (autojoinRequested) {
      await enterRoom();
      return;
    }
    ui.showScreen("prejoin");
    await prejoin.show(localMedia, roomName);
    ui.byId("prejoin-join").focus();
  } catch (error) {
    abandonJoin();
    ui.showError(`Could not join: ${error.message}`);
  } finally {
    joinButton.disabled = !signaling.connected;
  }
}

async function enterRoom() {
  const { roomName, password, privateRoom } = pendingJoin;
  prejoin.hide();
  ui.byId("prejoin-join").disabled = true;
  try {
    call = new Call(signaling, localMedia, roomName, { iceTransportPolicy, dataChannels: [FILE_CHANNEL], password, privateRoom });
    wireCall(call, localMedia);
    await call.join();
    pendingJoin = null;
    enterCallScreen(call, localMedia);
  } catch (error) {
    abandonJoin();
    if (error instanceof ServerError) showJoinRefusal(error, roomName);
    else ui.showError(`Could not join: ${error.message}`);
  } finally {
    ui.byId("prejoin-join").disabled = false;
  }
}

/** Back to the welcome screen with the devices closed: the user went back, or the server said no. */
function abandonJoin() {
  call = null;
  pendingJoin = null;
  prejoin.hide();
  localMedia?.stopAll();
  localMedia = null;
  videos.clear();
  ui.showScreen("welcome");
}

ui.byId("prejoin-join").addEventListener("click", () => {
  if (pendingJoin && !call) enterRoom();
});
ui.byId("prejoin-back").addEventListener("click", () => {
  if (call) return;
  abandonJoin();
  joinButton.focus();
});
ui.byId("prejoin-camera").addEventListener("change", (event) =>
  prejoin.chooseCamera(event.target.value).catch((error) => ui.showError(describeMediaError(error, "camera"))),
);
ui.byId("prejoin-mic").addEventListener("change", (event) =>
  prejoin.chooseMicrophone(event.target.value).catch((error) => ui.showError(describeMediaError(error, "microphone"))),
);
ui.byId("prejoin-speaker").addEventListener("change", (event) => {
  prejoin.speakerId = event.target.value;
});

function showJoinRefusal(error, roomName) {
  ui.showError(describeServerError(error.reply, roomName));
  if (error.code === ErrorCode.BAD_PASSWORD) {
    passwordInput.focus();
    passwordInput.select();
  }
}

function renderParticipants(activeCall, media) {
  if (activeCall !== call) return;
  ui.renderParticipants({ id: activeCall.memberId, nickname: signaling.nickname, media: media.state }, [...activeCall.members.values()], {
    hostId: activeCall.policy?.host ?? null,
    manage: activeCall.isHost,
    confirmingKick: confirmingKick?.id ?? null,
    onMakeHost: (id) => activeCall.makeHost(id).catch(() => {}), // a refusal is shown via server-error
    onKick: (id) => askToKick(activeCall, media, id),
  });
}

// "Remove" needs a second click within KICK_CONFIRM_MS: no modal dialog, and a stray click removes nobody.
function askToKick(activeCall, media, memberId) {
  const confirmed = confirmingKick?.id === memberId;
  clearTimeout(confirmingKick?.timer);
  confirmingKick = null;
  if (confirmed) {
    activeCall.kick(memberId).catch(() => {}); // a refusal is shown via server-error
  } else {
    const timer = setTimeout(() => {
      if (confirmingKick?.timer !== timer) return;
      confirmingKick = null;
      renderParticipants(activeCall, media);
    }, KICK_CONFIRM_MS);
    confirmingKick = { id: memberId, timer };
  }
  renderParticipants(activeCall, media);
}

function renderPolicy(activeCall) {
  videos.setHost(activeCall.policy?.host ?? null, activeCall.memberId);
  ui.renderRoomPolicy(activeCall.policy, activeCall.isHost);
}

function wireCall(activeCall, media) {
  const refreshParticipants = () => {
    renderParticipants(activeCall, media);
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
  activeCall.addEventListener("policy", () => {
    if (activeCall !== call) return;
    renderPolicy(activeCall);
    refreshParticipants();
  });
  activeCall.addEventListener("kicked", ({ detail }) => {
    if (Number.isFinite(detail.until)) bans.set(detail.room, detail.until);
    endCall(activeCall);
    const by = detail.byNickname ? ` (${detail.byNickname})` : "";
    ui.showError(`You were removed from ${detail.room} by the host${by}. ${describeReturn(detail.until)}`, "kicked");
  });
  activeCall.addEventListener("error", ({ detail }) =>
    ui.showError(detail instanceof ServerError ? describeServerError(detail.reply, activeCall.room) : `Call problem: ${detail?.message ?? detail}`),
  );
  media.addEventListener("change", () => {
    refreshLocalControls(media);
    refreshParticipants();
  });
}

function enterCallScreen(activeCall, media) {
  ui.byId("call-room-name").textContent = activeCall.room;
  ui.byId("invite-link").hidden = true;
  ui.byId("invite-status").textContent = "";
  ui.showScreen("call");
  refreshLocalControls(media);
  renderPolicy(activeCall);
  renderParticipants(activeCall, media);
  refreshDevicePickers();
  if (canChooseSpeaker && prejoin.speakerId) videos.setSinkId(prejoin.speakerId).catch(() => {});
  monitor = watchCall(activeCall);
  // Keyboard users land on the call's first control, not on the page body.
  const firstControl = ["mute", "use-devices", "leave"].map(ui.byId).find((b) => !b.hidden && !b.disabled);
  firstControl?.focus();
}

function watchCall(activeCall) {
  const watcher = new CallMonitor(activeCall);
  watcher.addEventListener("quality", ({ detail }) => videos.setQuality(detail.id, detail));
  watcher.addEventListener("speaker", ({ detail }) => videos.setActiveSpeaker(detail.id));
  watcher.addEventListener("camera-silent", ({ detail }) => {
    if (activeCall !== call) return;
    const name = detail.track.label || "The camera";
    const back = previousCameraId;
    const action = back ? { label: "Use previous camera", run: () => switchCameraTo(back) } : null;
    ui.showError(`${name} is sending no picture: the others see a frozen image.${back ? " Switch back to the previous camera?" : " Choose another camera."}`, "camera-silent", action);
  });
  watcher.start();
  return watcher;
}

function refreshLocalControls(media) {
  videos.showLocal(media.outgoingVideoTrack, { screen: media.sharingScreen, videoOff: media.state.videoOff, nickname: signaling.nickname });
  ui.setToggle("mute", media.audioMuted, media.audioMuted ? "Unmute" : "Mute", !media.microphoneTrack);
  ui.setToggle("camera", media.videoOff, media.videoOff ? "Camera on" : "Camera off", !media.cameraTrack);
  ui.setToggle("screen", media.sharingScreen, media.sharingScreen ? "Stop sharing" : "Share screen");
  ui.byId("screen").hidden = !canShareScreen;
  ui.byId("use-devices").hidden = !media.missingDevices;
  ui.byId("mute").title = "Mute or unmute the microphone (M)";
  ui.byId("camera").title = "Turn the camera off or on (V)";
}

async function refreshDevicePickers() {
  if (!localMedia) return;
  const media = localMedia;
  const { cameras, microphones, speakers } = await media.listDevices();
  ui.fillDeviceSelect("camera-select", cameras, media.deviceIdOf(media.cameraTrack), "Camera");
  ui.fillDeviceSelect("mic-select", microphones, media.deviceIdOf(media.microphoneTrack), "Microphone");
  ui.byId("speaker-picker").hidden = !canChooseSpeaker || speakers.length === 0;
  if (canChooseSpeaker) ui.fillDeviceSelect("speaker-select", speakers, prejoin.speakerId || speakers[0]?.deviceId, "Speaker", { allowSingle: true });
  prejoin.refreshDevices();
}

navigator.mediaDevices?.addEventListener?.("devicechange", () => refreshDevicePickers());

// --- call controls ---

ui.byId("mute").addEventListener("click", () => call?.setAudioMuted(!localMedia.audioMuted));
ui.byId("camera").addEventListener("click", () => call?.setVideoOff(!localMedia.videoOff));

ui.byId("camera-select").addEventListener("change", (event) => switchCameraTo(event.target.value));

async function switchCameraTo(deviceId) {
  if (!call) return;
  const before = localMedia.deviceIdOf(localMedia.cameraTrack);
  try {
    await call.switchCamera(deviceId);
    if (before !== deviceId) previousCameraId = before;
    ui.clearError("camera-silent");
  } catch (error) {
    ui.showError(describeMediaError(error, "camera"));
  }
  refreshDevicePickers();
}

ui.byId("speaker-select").addEventListener("change", (event) => {
  prejoin.speakerId = event.target.value;
  videos.setSinkId(event.target.value).catch((error) => ui.showError(`Could not play sound on that speaker: ${error.message}`));
});

ui.byId("use-devices").addEventListener("click", async () => {
  if (!call) return;
  const problems = await call.addMissingDevices();
  if (problems.length) ui.showError(`${problems.join("\n")}\nAllow the camera and microphone for this page in the browser, then try again.`);
  else ui.clearError();
  refreshDevicePickers();
});

ui.byId("invite").addEventListener("click", async () => {
  if (!call) return;
  const link = inviteLinkFor(call.room);
  const field = ui.byId("invite-link");
  field.value = link;
  field.hidden = false;
  let copied = false;
  try {
    await navigator.clipboard.writeText(link);
    copied = true;
  } catch {
    field.select(); // no clipboard access (e.g. an unfocused or insecure page): the link is selected to copy by hand
  }
  ui.byId("invite-status").textContent = copied ? "Link copied" : "Copy the link";
});

/** A link that opens the join form with the room filled in. No autojoin, no token, no password: joining stays a choice. */
function inviteLinkFor(room) {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set("room", room);
  return url.href;
}

installShortcuts(
  {
    m: () => ui.byId("mute").disabled || ui.byId("mute").click(),
    v: () => ui.byId("camera").disabled || ui.byId("camera").click(),
  },
  () => !!call,
);

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

ui.byId("lock-toggle").addEventListener("click", () => {
  if (!call?.isHost) return;
  call.setLocked(!call.policy?.locked).catch(() => {}); // the change shows when room-updated arrives
});

ui.byId("leave").addEventListener("click", () => leaveCall());

async function leaveCall() {
  if (!call) return;
  const leaving = call;
  await leaving.leave();
  endCall(leaving);
}

/** Back to the welcome screen once `ended` is over (left, or removed by the host). */
function endCall(ended) {
  if (call !== ended) return;
  call = null;
  monitor?.stop();
  monitor = null;
  previousCameraId = null;
  clearTimeout(confirmingKick?.timer);
  confirmingKick = null;
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
ui.byId("error-action").addEventListener("click", () => ui.runBannerAction());

// --- configuration and storage ---

/** Reads ?token= and removes it from the address bar (history.replaceState; the page is not reloaded). */
function takeTokenFromAddress() {
  const token = params.get("token");
  if (token === null) return null;
  params.delete("token");
  const query = params.toString();
  try {
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  } catch {
    // replaceState can be refused (e.g. sandboxed frames); the token then stays in the address bar
  }
  return token.trim() || null;
}

/** The room an invitation is for, to pre-fill the room field. Only a hint: the server verifies the token. */
function roomClaimOf(token) {
  if (!token) return null;
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
    return typeof claims.room === "string" ? claims.room : null;
  } catch {
    return null;
  }
}

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
