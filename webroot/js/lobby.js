// The welcome screen's view of the server: the connection's status and the live list of open rooms, which this class
// owns. Picking a room from the list fills the form and presses Join, as the user would.

import { CloseCode, ServerType, roomsSubscribe } from "./protocol.js";
import * as ui from "./ui.js";

export class Lobby {
  #signaling;
  #videos;
  #describeError;
  #rooms = new Map(); // room name → { count, locked }
  #joinButton = ui.byId("join");
  #roomInput = ui.byId("room");

  /**
   * @param {{signaling: import("./signaling.js").SignalingClient, videos: import("./tiles.js").VideoGrid,
   *   describeError: (reply: object) => string}} parts describeError: the words for a server's `error`
   */
  constructor({ signaling, videos, describeError }) {
    this.#signaling = signaling;
    this.#videos = videos;
    this.#describeError = describeError;
    this.#listen();
  }

  /** What the room list says about `room` ({ count, locked }), or undefined when it is not listed. */
  listed(room) {
    return this.#rooms.get(room);
  }

  /** The room list as a plain object (for the test hooks). */
  snapshot() {
    return Object.fromEntries(this.#rooms);
  }

  #listen() {
    const signaling = this.#signaling;
    signaling.addEventListener(ServerType.WELCOME, (event) => this.#welcomed(event.detail));
    signaling.addEventListener("disconnected", (event) => this.#disconnected(event.detail));
    signaling.addEventListener(ServerType.GOAWAY, () => {
      ui.showError("The server is restarting. Reconnecting…", "connection");
    });
    signaling.addEventListener("hello-refused", (event) => {
      this.#joinButton.disabled = true;
      this.#setStatus("Not admitted");
      ui.showError(this.#describeError(event.detail), "connection");
    });
    signaling.addEventListener(ServerType.ROOM_CHANGED, ({ detail: { room, count, locked } }) => {
      if (count > 0) this.#rooms.set(room, { count, locked: !!locked });
      else this.#rooms.delete(room); // count 0: the room is gone
      this.#render();
    });
  }

  async #welcomed({ resumed }) {
    this.#setStatus("Connected");
    ui.clearError("connection");
    this.#videos.setSignallingDown(false);
    this.#joinButton.disabled = false;
    if (!resumed) await this.#subscribe();
    // A link may prefill the room (?room=, and older links' ?autojoin=1), never join: joining turns on camera and
    // microphone, which a page the user merely opened must not do without their click.
    if (this.#roomInput.value) this.#joinButton.focus();
  }

  #disconnected({ code, final, gaveUp }) {
    this.#joinButton.disabled = true;
    if (final) {
      this.#setStatus("Disconnected");
      ui.showError(
        gaveUp
          ? "Could not reach the server. Reload the page to try again."
          : "This session continued in another window. Reload the page to use Noom here.",
        "connection",
      );
      return;
    }
    this.#setStatus("Reconnecting…");
    this.#videos.setSignallingDown(true);
    if (code === CloseCode.DRAINING) return; // the goaway message already told the user
    // Calls in progress keep their media flowing peer to peer while signalling reconnects and resumes.
    ui.showError("Lost the connection to the server. Reconnecting…", "connection");
  }

  async #subscribe() {
    try {
      const reply = await this.#signaling.request(roomsSubscribe());
      this.#rooms.clear();
      for (const { name, count, locked } of reply.rooms ?? []) if (count > 0) this.#rooms.set(name, { count, locked: !!locked });
      this.#render();
    } catch {
      // shown via server-error, or the connection dropped and a new welcome will retry
    }
  }

  #render() {
    const pick = (name) => {
      this.#roomInput.value = name;
      this.#joinButton.click();
    };
    ui.renderRoomList(this.#rooms, pick, this.#signaling.limits.maxMembersPerRoom);
  }

  #setStatus(text) {
    ui.byId("connection-status").textContent = text;
  }
}
