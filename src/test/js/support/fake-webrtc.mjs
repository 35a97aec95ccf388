// A stand-in for the browser's RTCPeerConnection, just deep enough for peer.js's perfect negotiation: the signalling
// state machine of JSEP (stable → have-local-offer / have-remote-offer → stable, an implicit rollback when an offer is
// applied over our own), asynchronous operations (so offers can cross), and `negotiationneeded` fired only in stable.
// No media, no ICE: descriptions are labelled strings.

export class FakeMediaStream {
  #tracks = [];
  addTrack(track) {
    this.#tracks.push(track);
  }
  getTracks() {
    return [...this.#tracks];
  }
}

export class FakeRTCPeerConnection extends EventTarget {
  static created = [];
  signalingState = "stable";
  localDescription = null;
  remoteDescription = null;
  addedCandidates = [];
  /** Every description this side applied, in order: ["local offer", "remote answer", "rollback", ...]. */
  history = [];
  #configuration;
  #transceivers = [];
  #negotiationNeeded = false;
  #owedAfterRollback = false; // our offer was rolled back: answering the other's offer does not cover our changes
  #offers = 0;

  constructor(configuration = {}) {
    super();
    this.#configuration = configuration;
    this.name = `pc${FakeRTCPeerConnection.created.push(this)}`;
  }

  addTrack(track) {
    const transceiver = { sender: fakeSender(track), receiver: { track: { kind: track.kind } }, direction: "sendrecv", currentDirection: null, stopped: false };
    this.#transceivers.push(transceiver);
    this.#updateNegotiationNeeded();
    return transceiver.sender;
  }

  addTransceiver(kind, { direction = "sendrecv" } = {}) {
    const transceiver = { sender: fakeSender(null), receiver: { track: { kind } }, direction, currentDirection: null, stopped: false };
    this.#transceivers.push(transceiver);
    this.#updateNegotiationNeeded();
    return transceiver;
  }

  createDataChannel(label, options) {
    return { label, ...options };
  }

  getTransceivers() {
    return [...this.#transceivers];
  }

  getConfiguration() {
    return { ...this.#configuration };
  }

  setConfiguration(configuration) {
    this.#configuration = configuration;
  }

  restartIce() {
    this.#updateNegotiationNeeded();
  }

  async setLocalDescription() {
    await tick();
    this.#refuseWhenClosed();
    if (this.signalingState === "have-remote-offer") {
      this.localDescription = { type: "answer", sdp: `answer from ${this.name} to ${this.remoteDescription.sdp}` };
      this.history.push("local answer");
      // The answer adopts our pending tracks (addTrack before the offer), unless we had offered them ourselves.
      this.#negotiationNeeded = this.#owedAfterRollback;
      this.#owedAfterRollback = false;
      this.#negotiated();
      return;
    }
    this.#offers += 1;
    this.localDescription = { type: "offer", sdp: `offer ${this.#offers} from ${this.name}` };
    this.#negotiationNeeded = false; // this offer carries the changes; a rollback brings the need back
    this.history.push("local offer");
    this.#setState("have-local-offer");
  }

  async setRemoteDescription(description) {
    await tick();
    this.#refuseWhenClosed();
    if (description.type === "offer") {
      if (this.signalingState === "have-local-offer") {
        // The implicit rollback of perfect negotiation's polite side: our offer is dropped, its changes still owed.
        this.history.push("rollback");
        this.localDescription = null;
        this.#owedAfterRollback = true;
      } else if (this.signalingState !== "stable") {
        throw domError("InvalidStateError", `offer in state ${this.signalingState}`);
      }
      this.remoteDescription = description;
      this.history.push("remote offer");
      this.#setState("have-remote-offer");
      return;
    }
    if (this.signalingState !== "have-local-offer") throw domError("InvalidStateError", `answer in state ${this.signalingState}`);
    if (!description.sdp.includes(this.localDescription.sdp)) throw domError("InvalidAccessError", "answer to another offer");
    this.remoteDescription = description;
    this.history.push("remote answer");
    this.#negotiated();
  }

  async addIceCandidate(candidate) {
    await tick();
    if (!this.remoteDescription) throw domError("InvalidStateError", "candidate before any remote description");
    this.addedCandidates.push(candidate);
  }

  close() {
    this.#setState("closed");
  }

  #negotiated() {
    for (const t of this.#transceivers) t.currentDirection = t.direction;
    this.#setState("stable");
    if (this.#negotiationNeeded) this.#fireNegotiationNeeded();
  }

  // Like the browser's negotiation-needed flag: an event when it becomes set (not again while it stays set).
  #updateNegotiationNeeded() {
    if (this.#negotiationNeeded) return;
    this.#negotiationNeeded = true;
    if (this.signalingState === "stable") this.#fireNegotiationNeeded();
  }

  // Queued, and only while stable.
  #fireNegotiationNeeded() {
    setTimeout(() => {
      if (this.signalingState === "stable" && this.#negotiationNeeded) this.dispatchEvent(new Event("negotiationneeded"));
    }, 0);
  }

  #setState(state) {
    if (this.signalingState === state) return;
    this.signalingState = state;
    this.dispatchEvent(new Event("signalingstatechange"));
  }

  #refuseWhenClosed() {
    if (this.signalingState === "closed") throw domError("InvalidStateError", "closed");
  }
}

function fakeSender(track) {
  return {
    track,
    async replaceTrack(next) {
      this.track = next;
    },
    getParameters: () => ({ encodings: [] }),
    async setParameters() {},
  };
}

function domError(name, message) {
  return Object.assign(new Error(message), { name });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Installs the fakes as the globals peer.js uses. */
export function installFakeWebRTC() {
  globalThis.RTCPeerConnection = FakeRTCPeerConnection;
  globalThis.MediaStream = FakeMediaStream;
}
