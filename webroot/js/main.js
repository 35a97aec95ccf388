// Page wiring: connects the signalling client, the welcome screen, the Call and the DOM. No logic of its own
// beyond deciding what happens when the user presses something.

import { CloseCode, ErrorCode, SIGNAL_PATH, ServerType, nicknameProblem, passwordProblem, roomNameProblem, roomsSubscribe, setNickname } from "./protocol.js";
import { NotConnectedError, ServerError } from "./signaling-errors.js";
import { SignalingClient } from "./signaling.js";
import { LocalMedia, describeMediaError } from "./media.js";
import { Call } from "./call.js";
import { CallControls } from "./call-controls.js";
import { ChatPanel } from "./chat.js";
import { DEFAULT_MAX_FILE_BYTES, FILE_CHANNEL, FileTransfers } from "./files.js";
import { FilesPanel } from "./files-ui.js";
import { describeFullRoom, describeLockedRoom, describeReturn, describeServerError as describeError } from "./messages.js";
import { PreJoin } from "./prejoin.js";
import { VideoGrid } from "./tiles.js";
import * as ui from "./ui.js";

const NICKNAME_STORAGE_KEY = "noom.nickname";
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
const rooms = new Map(); // room name → { count, locked }
let call = null;
let localMedia = null;
let pendingJoin = null; // { roomName, password, privateRoom } while the pre-join screen is shown
const prejoin = new PreJoin((error, what) => ui.showError(describeMediaError(error, what)));
let confirmingKick = null; // { id, timer }: the member whose Remove button waits for a second click
const bans = new Map(); // room → epoch ms until which the host's removal bars us from it

const videos = new VideoGrid(() => {
  ui.byId("enable-sound").hidden = false;
});
const controls = new CallControls({ videos, prejoin, nickname: () => signaling.nickname });
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
  // A link may prefill the room (?room=, and older links' ?autojoin=1), never join: joining turns on camera and
  // microphone, which a page the user merely opened must not do without their click.
  if (roomInput.value) joinButton.focus();
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

signaling.addEventListener(ServerType.ROOM_CHANGED, ({ detail: { room, count, locked } }) => {
  if (count > 0) rooms.set(room, { count, locked: !!locked });
  else rooms.delete(room); // count 0: the room is gone
  renderRooms();
});

async function subscribeToRooms() {
  try {
    const reply = await signaling.request(roomsSubscribe());
    rooms.clear();
    for (const { name, count, locked } of reply.rooms ?? []) if (count > 0) rooms.set(name, { count, locked: !!locked });
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
  const direct = false; // every join goes through the pre-join screen after the user's click (a link only prefills)
  const problem = nicknameProblem(nickname, signaling.limits) ?? roomNameProblem(roomName, signaling.limits) ?? passwordProblem(password);
  if (problem) {
    ui.showError(problem);
    return;
  }
  const max = signaling.limits.maxMembersPerRoom;
  const listed = rooms.get(roomName);
  if ((listed?.count ?? 0) >= max) {
    ui.showError(describeFullRoom(roomName, max, listed.count), "room-full");
    return;
  }
  if (listed?.locked && !joinToken) { // an invitation may make us host, and a host passes the lock: let the server say
    ui.showError(describeLockedRoom(roomName), "room-locked");
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
    if (direct) {
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
    controls.refresh();
    refreshParticipants();
  });
}

function enterCallScreen(activeCall, media) {
  ui.byId("call-room-name").textContent = activeCall.room;
  ui.showScreen("call");
  renderPolicy(activeCall);
  renderParticipants(activeCall, media);
  controls.attach(activeCall, media);
}

// --- call controls ---

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
  controls.detach();
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
