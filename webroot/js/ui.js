// DOM only: rendering and element lookup. No protocol, no WebRTC, no state beyond what is on screen.
// User-supplied strings (nicknames, room names) are always written with textContent.

export const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing element #${id}`);
  return element;
};

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- error banner ---

let bannerAction = null; // what the banner's action button does while it is shown

/**
 * Shows a message in the banner; `kind` lets a later clearError(kind) remove only that message. `action`, when
 * given, adds one button to the banner ({label, run}) that offers the way out the message describes.
 */
export function showError(message, kind = "general", action = null) {
  byId("error-text").textContent = message;
  byId("error").dataset.kind = kind;
  byId("error").hidden = false;
  const button = byId("error-action");
  bannerAction = action;
  button.hidden = !action;
  button.textContent = action?.label ?? "";
}

/** Runs the banner's action (wired once by the page to #error-action). */
export function runBannerAction() {
  const action = bannerAction;
  clearError();
  action?.run();
}

/** Hides the banner; with a kind, only when it still shows a message of that kind. */
export function clearError(kind) {
  const banner = byId("error");
  if (kind && banner.dataset.kind !== kind) return;
  byId("error-text").textContent = "";
  banner.hidden = true;
  bannerAction = null;
  byId("error-action").hidden = true;
}

/** Shows one of the screens: "welcome", "prejoin" or "call". */
export function showScreen(name) {
  for (const screen of ["welcome", "prejoin", "call"]) byId(`${screen}-screen`).hidden = name !== screen;
}

// --- welcome screen ---

/**
 * @param {Map<string, {count: number, locked: boolean}>} rooms name → head-count and lock
 * @param {number} maxMembers the room size limit from `welcome`: rooms at it are marked full (locked ones, locked)
 */
export function renderRoomList(rooms, onPick, maxMembers = Infinity) {
  const list = byId("room-list");
  const items = [...rooms.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { count, locked }]) => {
      const button = element("button", "room-button");
      button.type = "button";
      button.dataset.room = name;
      const full = count >= maxMembers;
      const people = `${count} ${count === 1 ? "person" : "people"}`;
      const state = [full && "full", locked && "locked"].filter(Boolean);
      button.append(element("span", "room-name", name),
        element("span", "room-count", [...state, people].join(" · ")));
      // Still a button: picking it says why it cannot be joined (instead of a silent, disabled control).
      if (state.length) button.title = `${state.join(" and ")}: nobody new can join right now`;
      button.addEventListener("click", () => onPick(name));
      const item = element("li");
      item.dataset.room = name;
      item.dataset.full = String(full);
      item.dataset.locked = String(!!locked);
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
export function fillDeviceSelect(id, devices, currentDeviceId, noun, { allowSingle = false } = {}) {
  const select = byId(id);
  const options = devices.map((device, index) => {
    const option = element("option", null, device.label || `${noun} ${index + 1}`);
    option.value = device.deviceId;
    option.selected = device.deviceId === currentDeviceId;
    return option;
  });
  if (!options.length) options.push(element("option", null, `No ${noun.toLowerCase()}`));
  select.replaceChildren(...options);
  select.disabled = allowSingle ? devices.length === 0 : devices.length < 2 || !currentDeviceId;
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
