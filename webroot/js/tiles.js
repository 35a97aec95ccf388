// The grid of video tiles: own preview first, then one tile per remote member. DOM only.
// Each remote tile has Fit/Fill, Pin and Full-screen buttons, a connection state, a quality readout and a
// speaking highlight; the page feeds those from the Call and the CallMonitor.

import { byId, element } from "./ui.js";

export class VideoGrid {
  #grid = byId("videos");
  #localVideo = byId("local-video");
  #tiles = new Map(); // member id → tile element
  #hostId = null;
  #localId = null;
  #sinkId = ""; // chosen audio output ("" = the system default)
  #signallingDown = false;
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
    for (const button of tile.querySelectorAll(".tile-actions button")) {
      button.setAttribute("aria-label", `${button.dataset.verb} ${member.nickname}'s video`);
    }
  }

  #createTile(memberId) {
    const tile = element("figure", "tile remote-tile");
    tile.dataset.memberId = memberId;
    tile.dataset.fit = "fit";
    tile.dataset.state = "connecting";
    const video = element("video");
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    if (this.#sinkId) video.setSinkId?.(this.#sinkId).catch(() => {});
    const label = element("figcaption", "tile-label");
    label.append(
      element("span", "nickname"),
      element("span", "indicator host-indicator", "host"),
      element("span", "indicator muted-indicator", "muted"),
      element("span", "indicator camera-off-indicator", "camera off"),
      element("span", "indicator screen-indicator", "screen"),
    );
    const connection = element("span", "connection-indicator", "connecting…");
    const quality = element("span", "quality");
    quality.hidden = true;
    tile.append(video, element("p", "no-video", "Camera off"), label, connection, quality, this.#tileActions(tile));
    return tile;
  }

  #tileActions(tile) {
    const actions = element("span", "tile-actions");
    const button = (className, text, verb, onClick) => {
      const b = element("button", className, text);
      b.type = "button";
      b.dataset.verb = verb;
      b.addEventListener("click", onClick);
      return b;
    };
    const fit = button("fit-toggle", "Fill", "Fill or fit", () => {
      tile.dataset.fit = tile.dataset.fit === "fit" ? "fill" : "fit";
      fit.textContent = tile.dataset.fit === "fit" ? "Fill" : "Fit";
    });
    const pin = button("pin-toggle", "Pin", "Pin", () => this.#togglePin(tile));
    pin.setAttribute("aria-pressed", "false");
    actions.append(fit, pin);
    if (document.fullscreenEnabled) {
      actions.append(button("fullscreen-toggle", "Full screen", "Full screen", () => {
        if (document.fullscreenElement === tile) document.exitFullscreen().catch(() => {});
        else tile.requestFullscreen().catch(() => {});
      }));
    }
    return actions;
  }

  // One pinned tile at a time fills the grid; the participants list still names everyone.
  #togglePin(tile) {
    const pinning = !tile.classList.contains("pinned");
    for (const other of this.#tiles.values()) {
      other.classList.remove("pinned");
      other.querySelector(".pin-toggle").setAttribute("aria-pressed", "false");
      other.querySelector(".pin-toggle").textContent = "Pin";
    }
    tile.classList.toggle("pinned", pinning);
    tile.querySelector(".pin-toggle").setAttribute("aria-pressed", String(pinning));
    tile.querySelector(".pin-toggle").textContent = pinning ? "Unpin" : "Pin";
    if (pinning) this.#grid.dataset.pinned = tile.dataset.memberId;
    else delete this.#grid.dataset.pinned;
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

  /** Plays every remote tile's sound on the chosen output (setSinkId; the caller checks it exists). */
  async setSinkId(sinkId) {
    this.#sinkId = sinkId;
    await Promise.all([...this.#tiles.values()].map((tile) => tile.querySelector("video").setSinkId(sinkId)));
  }

  /** The peer connection's state toward one member ("new", "connecting", "connected", "disconnected", "failed"). */
  setConnectionState(memberId, state) {
    const tile = this.#tiles.get(memberId);
    if (!tile) return;
    tile.dataset.peerState = state;
    this.#renderState(tile);
  }

  /** While signalling is down nothing about the others can be trusted: every tile says it is reconnecting. */
  setSignallingDown(down) {
    this.#signallingDown = down;
    for (const tile of this.#tiles.values()) this.#renderState(tile);
  }

  #renderState(tile) {
    const peerState = tile.dataset.peerState ?? "new";
    const reconnecting = this.#signallingDown || peerState === "disconnected" || peerState === "failed";
    const state = reconnecting ? "reconnecting" : peerState === "connected" ? "connected" : "connecting";
    tile.dataset.state = state;
    const indicator = tile.querySelector(".connection-indicator");
    indicator.textContent = state === "reconnecting" ? "Reconnecting…" : "Connecting…";
    indicator.hidden = state === "connected";
  }

  /** @param {{rttMs: number|null, lossPercent: number|null, grade: string}|null} quality */
  setQuality(memberId, quality) {
    const readout = this.#tiles.get(memberId)?.querySelector(".quality");
    if (!readout) return;
    readout.hidden = !quality;
    if (!quality) return;
    const rtt = quality.rttMs === null ? "RTT –" : `RTT ${Math.round(quality.rttMs)} ms`;
    const loss = quality.lossPercent === null ? "" : ` · loss ${quality.lossPercent.toFixed(1)} %`;
    readout.textContent = rtt + loss;
    readout.dataset.quality = quality.grade;
    readout.title = `Connection ${quality.grade}: round trip and packets lost over the last seconds`;
  }

  /** Highlights the tile of the member speaking now (null: nobody). */
  setActiveSpeaker(memberId) {
    for (const [id, tile] of this.#tiles) tile.classList.toggle("speaking", id === memberId);
  }

  removeMember(memberId) {
    const tile = this.#tiles.get(memberId);
    if (tile?.classList.contains("pinned")) this.#togglePin(tile);
    tile?.remove();
    this.#tiles.delete(memberId);
    this.#updateCount();
  }

  clear() {
    for (const id of [...this.#tiles.keys()]) this.removeMember(id);
    this.#localVideo.srcObject = null;
    this.setHost(null, null);
    this.#signallingDown = false;
  }

  #updateCount() {
    this.#grid.dataset.count = String(this.#tiles.size + 1);
  }
}
