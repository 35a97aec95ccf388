// DOM only: rendering and element lookup. No protocol, no WebRTC, no state beyond what is on screen.
// User-supplied strings (nicknames, room names) are always written with textContent.

export const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing element #${id}`);
  return element;
};

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- error banner ---

/** Shows a message in the banner; `kind` lets a later clearError(kind) remove only that message. */
export function showError(message, kind = "general") {
  byId("error-text").textContent = message;
  byId("error").dataset.kind = kind;
  byId("error").hidden = false;
}

/** Hides the banner; with a kind, only when it still shows a message of that kind. */
export function clearError(kind) {
  const banner = byId("error");
  if (kind && banner.dataset.kind !== kind) return;
  byId("error-text").textContent = "";
  banner.hidden = true;
}

export function showScreen(name) {
  byId("welcome-screen").hidden = name !== "welcome";
  byId("call-screen").hidden = name !== "call";
}

// --- welcome screen ---

/** @param {Map<string, number>} rooms name → head-count */
export function renderRoomList(rooms, onPick) {
  const list = byId("room-list");
  const items = [...rooms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => {
      const button = element("button", "room-button");
      button.type = "button";
      button.dataset.room = name;
      button.append(element("span", "room-name", name), element("span", "room-count", `${count} ${count === 1 ? "person" : "people"}`));
      button.addEventListener("click", () => onPick(name));
      const item = element("li");
      item.dataset.room = name;
      item.append(button);
      return item;
    });
  list.replaceChildren(...items);
  byId("room-list-empty").hidden = items.length > 0;
}

// --- call controls ---

export function setToggle(id, pressed, label, disabled = false) {
  const button = byId(id);
  button.setAttribute("aria-pressed", String(pressed));
  button.textContent = label;
  button.disabled = disabled;
}

/** Fills a device <select>, pre-selecting the device in use. */
export function fillDeviceSelect(id, devices, currentDeviceId, noun) {
  const select = byId(id);
  const options = devices.map((device, index) => {
    const option = element("option", null, device.label || `${noun} ${index + 1}`);
    option.value = device.deviceId;
    option.selected = device.deviceId === currentDeviceId;
    return option;
  });
  if (!options.length) options.push(element("option", null, `No ${noun.toLowerCase()}`));
  select.replaceChildren(...options);
  select.disabled = devices.length < 2 || !currentDeviceId;
}

/**
 * Participants list (self first) and its count. With `host` options, marks the host and, when we are the host
 * (`manage`), gives every other member a "Make host" and a "Remove" button. "Remove" asks for a second click:
 * `confirmingKick` is the member whose Remove button currently waits for it.
 *
 * @param {{hostId?: string|null, manage?: boolean, confirmingKick?: string|null,
 *   onMakeHost?: (id: string) => void, onKick?: (id: string) => void}} host
 */
export function renderParticipants(self, members, { hostId = null, manage = false, confirmingKick = null, onMakeHost, onKick } = {}) {
  const rows = [{ ...self, self: true }, ...members].map((member) => {
    const item = element("li");
    item.dataset.memberId = member.id ?? "";
    const isHost = !!hostId && member.id === hostId;
    item.classList.toggle("host", isHost);
    item.append(element("span", "participant-name", member.self ? `${member.nickname} (you)` : member.nickname));
    if (isHost) item.append(element("span", "badge host-badge", "host"));
    const flags = describeMedia(member.media);
    if (flags) item.append(element("span", "participant-state", flags));
    if (manage && !member.self && member.id) {
      const actions = element("span", "participant-actions");
      const makeHost = element("button", "small make-host", "Make host");
      makeHost.type = "button";
      makeHost.addEventListener("click", () => onMakeHost?.(member.id));
      const confirming = confirmingKick === member.id;
      const remove = element("button", "small danger kick", confirming ? "Confirm remove" : "Remove");
      remove.type = "button";
      remove.dataset.confirm = String(confirming);
      remove.setAttribute("aria-label", confirming ? `Click again to remove ${member.nickname}` : `Remove ${member.nickname}`);
      remove.addEventListener("click", () => onKick?.(member.id));
      actions.append(makeHost, remove);
      item.append(actions);
    }
    return item;
  });
  byId("participants").replaceChildren(...rows);
  byId("participant-count").textContent = String(rows.length);
}

/**
 * The room's access state in the call header: lock, private and password indicators, and the host's Lock toggle.
 * @param {{locked: boolean, private: boolean, passwordProtected: boolean}|null} policy
 */
export function renderRoomPolicy(policy, isHost) {
  byId("lock-indicator").hidden = !policy?.locked;
  byId("private-indicator").hidden = !policy?.private;
  byId("password-indicator").hidden = !policy?.passwordProtected;
  const toggle = byId("lock-toggle");
  toggle.hidden = !isHost;
  setToggle("lock-toggle", !!policy?.locked, policy?.locked ? "Unlock room" : "Lock room");
}

function describeMedia(media) {
  if (!media) return "";
  return [media.audioMuted && "muted", media.videoOff && "camera off", media.screen && "sharing screen"].filter(Boolean).join(", ");
}

// --- videos ---

/** The grid of video tiles: own preview first, then one tile per remote member. */
export class VideoGrid {
  #grid = byId("videos");
  #localVideo = byId("local-video");
  #tiles = new Map(); // member id → tile element
  #hostId = null;
  #localId = null;
  #onAutoplayBlocked;

  /** @param {() => void} onAutoplayBlocked called when a remote video could only start muted */
  constructor(onAutoplayBlocked) {
    this.#onAutoplayBlocked = onAutoplayBlocked;
  }

  showLocal(track, { screen, videoOff, nickname }) {
    const tile = this.#localVideo.closest(".tile");
    byId("local-nickname").textContent = `${nickname} (you)`;
    tile.classList.toggle("screen", screen);
    tile.dataset.videoOff = String(!track || videoOff);
    const placeholder = byId("local-no-video");
    placeholder.textContent = track ? "Camera off" : "No camera";
    placeholder.hidden = !!track && !videoOff;
    const current = this.#localVideo.srcObject?.getVideoTracks()[0] ?? null;
    if (current === track) return;
    this.#localVideo.srcObject = track ? new MediaStream([track]) : null;
  }

  /** Marks the host's tile (ours when `localId` is the host). */
  setHost(hostId, localId) {
    this.#hostId = hostId ?? null;
    this.#localId = localId ?? null;
    byId("local-host-indicator").hidden = !this.#hostId || this.#hostId !== this.#localId;
    for (const [id, tile] of this.#tiles) this.#markHost(id, tile);
  }

  #markHost(memberId, tile) {
    const isHost = !!this.#hostId && memberId === this.#hostId;
    tile.querySelector(".host-indicator").hidden = !isHost;
    tile.classList.toggle("host", isHost);
  }

  upsertMember(member) {
    let tile = this.#tiles.get(member.id);
    if (!tile) {
      tile = this.#createTile(member.id);
      this.#tiles.set(member.id, tile);
      this.#grid.append(tile);
      this.#updateCount();
      this.#markHost(member.id, tile);
    }
    tile.querySelector(".nickname").textContent = member.nickname;
    const media = member.media ?? {};
    tile.querySelector(".muted-indicator").hidden = !media.audioMuted;
    tile.querySelector(".camera-off-indicator").hidden = !media.videoOff;
    tile.querySelector(".screen-indicator").hidden = !media.screen;
    tile.querySelector(".no-video").hidden = !media.videoOff;
    tile.dataset.videoOff = String(!!media.videoOff);
    tile.classList.toggle("screen", !!media.screen);
  }

  #createTile(memberId) {
    const tile = element("figure", "tile remote-tile");
    tile.dataset.memberId = memberId;
    const video = element("video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    const label = element("figcaption", "tile-label");
    label.append(
      element("span", "nickname"),
      element("span", "indicator host-indicator", "host"),
      element("span", "indicator muted-indicator", "muted"),
      element("span", "indicator camera-off-indicator", "camera off"),
      element("span", "indicator screen-indicator", "screen"),
    );
    const connection = element("span", "connection-indicator", "connecting…");
    tile.append(video, element("p", "no-video", "Camera off"), label, connection);
    return tile;
  }

  setStream(memberId, stream) {
    const video = this.#tiles.get(memberId)?.querySelector("video");
    if (!video) return;
    if (video.srcObject !== stream) video.srcObject = stream;
    this.#play(video);
  }

  // Browsers refuse unmuted autoplay without a user gesture (e.g. a page opened with ?autojoin=1):
  // keep the picture by playing muted and let the user turn sound on with one click.
  #play(video) {
    video.play().catch(() => {
      if (video.muted) return;
      video.muted = true;
      video.play().catch(() => {});
      this.#onAutoplayBlocked();
    });
  }

  unmuteAll() {
    for (const tile of this.#tiles.values()) {
      const video = tile.querySelector("video");
      video.muted = false;
      video.play().catch(() => {});
    }
  }

  setConnectionState(memberId, state) {
    const indicator = this.#tiles.get(memberId)?.querySelector(".connection-indicator");
    if (!indicator) return;
    indicator.textContent = state;
    indicator.hidden = state === "connected";
  }

  removeMember(memberId) {
    this.#tiles.get(memberId)?.remove();
    this.#tiles.delete(memberId);
    this.#updateCount();
  }

  clear() {
    for (const id of [...this.#tiles.keys()]) this.removeMember(id);
    this.#localVideo.srcObject = null;
    this.setHost(null, null);
  }

  #updateCount() {
    this.#grid.dataset.count = String(this.#tiles.size + 1);
  }
}
