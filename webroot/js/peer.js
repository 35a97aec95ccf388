// One RTCPeerConnection toward one remote member, negotiated with the "perfect negotiation" pattern
// (webrtc/samples): the polite side yields on offer collisions, the impolite side ignores colliding offers.

import { SignalKind } from "./protocol.js";

/** If the newcomer's offer never comes (it failed to start), the polite side offers itself after this. */
const POLITE_OFFER_FALLBACK_MS = 5000;

const SENDING_DIRECTIONS = new Set(["sendrecv", "sendonly"]);

/**
 * Events: `track` (a remote track arrived; see `remoteStream`), `connectionstatechange`, `error`.
 * Data channels are negotiated (`negotiated: true`, the same fixed id on both sides): neither side has to be the one
 * that creates them, so they cannot race with perfect negotiation, and they exist before the first offer.
 */
export class PeerLink extends EventTarget {
  remoteId;
  polite;
  pc;
  /** Everything the remote member sends us, ready for a <video>. */
  remoteStream = new MediaStream();

  #sendSignal;
  #freshIceServers;
  #senders = { audio: null, video: null }; // our RTCRtpSender per kind, for replaceTrack
  #makingOffer = false;
  #ignoreOffer = false;
  #isSettingRemoteAnswerPending = false;
  #pendingCandidates = []; // candidates that arrived before any remote description
  #inbox = Promise.resolve(); // incoming signals are handled one at a time, in arrival order
  #offerDeferred = false;
  #fallbackTimer = null;
  #videoEncoding = null; // limits for our video sender, see setVideoEncoding
  #encodingUpdates = Promise.resolve(); // getParameters/setParameters pairs must not interleave
  /** @type {Map<string, RTCDataChannel>} negotiated data channels by label */
  #channels = new Map();

  /**
   * @param {object} options
   * @param {string} options.remoteId member id of the other side
   * @param {boolean} options.polite true when the other side joined after us
   * @param {RTCConfiguration} options.rtcConfiguration ICE servers and transport policy
   * @param {{audio: MediaStreamTrack|null, video: MediaStreamTrack|null}} options.tracks what we send
   * @param {(kind: string, payload: object) => void} options.sendSignal delivers a signal to the other side
   * @param {() => Promise<RTCIceServer[]>} [options.freshIceServers] current ICE servers, read before an ICE restart
   * @param {{label: string, id: number}[]} [options.dataChannels] ordered negotiated channels to open on this connection
   */
  constructor({ remoteId, polite, rtcConfiguration, tracks, sendSignal, freshIceServers, dataChannels = [] }) {
    super();
    this.remoteId = remoteId;
    this.polite = polite;
    this.#sendSignal = sendSignal;
    this.#freshIceServers = freshIceServers;
    this.pc = new RTCPeerConnection(rtcConfiguration);
    this.#wireEvents();
    for (const kind of ["audio", "video"]) {
      if (tracks[kind]) {
        // addTrack (not addTransceiver) so that, on the polite side, the remote offer's m-lines adopt these senders.
        this.#senders[kind] = this.pc.addTrack(tracks[kind]);
      } else if (!polite) {
        // Nothing to send of this kind, but the offer must still ask for the other side's media.
        this.pc.addTransceiver(kind, { direction: "recvonly" });
      }
    }
    // After the tracks, so audio and video keep the first m-lines; before any offer, so the first offer carries the data m-line.
    for (const { label, id } of dataChannels) {
      this.#channels.set(label, this.pc.createDataChannel(label, { negotiated: true, id, ordered: true }));
    }
  }

  /** The negotiated data channel with this label, or null. */
  channel(label) {
    return this.#channels.get(label) ?? null;
  }

  #wireEvents() {
    const pc = this.pc;
    pc.addEventListener("negotiationneeded", () => this.#onNegotiationNeeded());
    pc.addEventListener("icecandidate", ({ candidate }) => {
      // A null candidate only means "gathering finished"; the protocol carries real candidates only.
      if (candidate) this.#sendSignal(SignalKind.CANDIDATE, candidate.toJSON());
    });
    pc.addEventListener("track", ({ track }) => {
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      this.dispatchEvent(new CustomEvent("track", { detail: track }));
    });
    pc.addEventListener("signalingstatechange", () => {
      // Encodings exist only once a description with our sender was applied: (re)apply the limits then.
      if (pc.signalingState === "stable") this.#applyVideoEncoding();
    });
    pc.addEventListener("connectionstatechange", () => {
      this.dispatchEvent(new CustomEvent("connectionstatechange", { detail: pc.connectionState }));
    });
    pc.addEventListener("iceconnectionstatechange", () => {
      if (pc.iceConnectionState === "failed") this.#recoverFromIceFailure();
    });
  }

  // A network change broke the path. The offerer (impolite side) restarts ICE; the polite side asks it to with a
  // `renegotiate` signal, so one restart happens however many sides noticed. TURN credentials may have expired
  // meanwhile, hence the fresh ICE servers first.
  async #recoverFromIceFailure() {
    await this.#useFreshIceServers();
    if (this.pc.signalingState === "closed") return;
    if (this.polite) this.#sendSignal(SignalKind.RENEGOTIATE, { reason: "ice-failed" });
    else this.pc.restartIce();
  }

  /**
   * Signals between us may have been lost (the server's `room-resync`): restart ICE the way a broken path does, so an
   * offer, answer or candidate that went missing is negotiated afresh.
   */
  restart() {
    return this.#recoverFromIceFailure();
  }

  async #useFreshIceServers() {
    if (!this.#freshIceServers) return;
    try {
      const iceServers = await this.#freshIceServers();
      if (this.pc.signalingState !== "closed") this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
    } catch (error) {
      console.warn("noom: could not refresh ICE servers, restarting ICE with the old ones", error);
    }
  }

  #onNegotiationNeeded() {
    // By protocol convention the newcomer (impolite) makes the first offer; the polite side waits for it,
    // so the common case has no glare at all.
    if (this.polite && !this.pc.remoteDescription) {
      this.#offerDeferred = true;
      clearTimeout(this.#fallbackTimer);
      this.#fallbackTimer = setTimeout(() => {
        if (!this.pc.remoteDescription && this.pc.signalingState !== "closed") this.#makeOffer();
      }, POLITE_OFFER_FALLBACK_MS);
      return;
    }
    this.#makeOffer();
  }

  async #makeOffer() {
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      this.#sendSignal(SignalKind.OFFER, descriptionPayload(this.pc.localDescription));
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  /** Feed a signal received from the remote member. */
  receiveSignal(kind, payload) {
    this.#inbox = this.#inbox.then(() => this.#handleSignal(kind, payload)).catch((error) => this.#fail(error));
  }

  async #handleSignal(kind, payload) {
    if (this.pc.signalingState === "closed") return;
    switch (kind) {
      case SignalKind.OFFER:
      case SignalKind.ANSWER:
        return this.#handleDescription(payload);
      case SignalKind.CANDIDATE:
        if (!this.pc.remoteDescription) this.#pendingCandidates.push(payload);
        else await this.#addCandidate(payload);
        return;
      case SignalKind.RENEGOTIATE:
        // The other side lost the connection and asks the offerer (us, when we are impolite) for an ICE restart.
        if (!this.polite) {
          await this.#useFreshIceServers();
          this.pc.restartIce();
        }
        return;
      default:
        console.warn("noom: ignoring signal of unknown kind", kind);
    }
  }

  async #handleDescription(description) {
    const pc = this.pc;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === "stable" || this.#isSettingRemoteAnswerPending);
    const offerCollision = description.type === "offer" && !readyForOffer;
    this.#ignoreOffer = !this.polite && offerCollision;
    if (this.#ignoreOffer) return;

    this.#isSettingRemoteAnswerPending = description.type === "answer";
    await pc.setRemoteDescription(description); // on collision the polite side rolls back implicitly
    this.#isSettingRemoteAnswerPending = false;
    await this.#flushPendingCandidates();
    if (description.type !== "offer") return;

    await pc.setLocalDescription();
    this.#sendSignal(SignalKind.ANSWER, descriptionPayload(pc.localDescription));
    this.#offerIfDeferredTracksWereLeftOut();
  }

  // The answer can only send what the offer asked for. If the newcomer offered no m-line for a kind we send,
  // the negotiation we deferred is still owed: make it now that we are allowed to offer.
  #offerIfDeferredTracksWereLeftOut() {
    if (!this.#offerDeferred) return;
    this.#offerDeferred = false;
    clearTimeout(this.#fallbackTimer);
    const leftOut = this.pc
      .getTransceivers()
      .some((t) => t.sender.track && !SENDING_DIRECTIONS.has(t.currentDirection));
    if (leftOut) this.#makeOffer();
  }

  async #flushPendingCandidates() {
    const queued = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const candidate of queued) await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate) {
    try {
      await this.pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates belonging to an offer we ignored are expected to fail; anything else is worth a log.
      if (!this.#ignoreOffer) console.warn("noom: could not add ICE candidate", error);
    }
  }

  /** Swaps what we send of one kind without renegotiation when a sender already exists. */
  async replaceTrack(kind, track) {
    const sender = this.#senders[kind];
    if (sender) {
      await sender.replaceTrack(track);
      return;
    }
    if (!track) return;
    // We never sent this kind (e.g. joined audio-only and now share the screen): this one needs negotiation.
    const idle = this.pc
      .getTransceivers()
      .find((t) => t.receiver.track.kind === kind && !t.sender.track && !t.stopped && t.direction !== "stopped");
    if (idle) {
      idle.direction = "sendrecv";
      await idle.sender.replaceTrack(track);
      this.#senders[kind] = idle.sender;
    } else {
      this.#senders[kind] = this.pc.addTrack(track);
    }
  }

  /**
   * Limits what we encode for this peer (maxBitrate, maxFramerate, scaleResolutionDownBy). Kept and re-applied
   * after every negotiation, so it may be set before the connection exists.
   */
  setVideoEncoding(encoding) {
    this.#videoEncoding = encoding;
    this.#applyVideoEncoding();
  }

  #applyVideoEncoding() {
    this.#encodingUpdates = this.#encodingUpdates.then(async () => {
      const sender = this.#senders.video;
      if (!sender || !this.#videoEncoding || this.pc.signalingState === "closed") return;
      const parameters = sender.getParameters();
      if (!parameters.encodings?.length) return; // not negotiated yet: the next "stable" comes back here
      parameters.encodings[0] = { ...parameters.encodings[0], ...this.#videoEncoding };
      try {
        await sender.setParameters(parameters);
      } catch (error) {
        console.warn("noom: could not limit the video encoding", error);
      }
    });
  }

  /** The track we currently send of a kind (for tests and diagnostics). */
  sentTrack(kind) {
    return this.#senders[kind]?.track ?? null;
  }

  /** Receive-side numbers the tests (and a future quality indicator) need. */
  async stats() {
    const summary = { framesDecoded: 0, videoBytesReceived: 0, audioBytesReceived: 0, framesPerSecond: 0 };
    const report = await this.pc.getStats();
    report.forEach((entry) => {
      if (entry.type !== "inbound-rtp") return;
      if (entry.kind === "video") {
        summary.framesDecoded += entry.framesDecoded ?? 0;
        summary.videoBytesReceived += entry.bytesReceived ?? 0;
        summary.framesPerSecond += entry.framesPerSecond ?? 0;
      } else if (entry.kind === "audio") {
        summary.audioBytesReceived += entry.bytesReceived ?? 0;
      }
    });
    return summary;
  }

  close() {
    clearTimeout(this.#fallbackTimer);
    this.pc.close();
    for (const track of this.remoteStream.getTracks()) track.stop();
  }

  #fail(error) {
    console.error(`noom: peer ${this.remoteId}`, error);
    this.dispatchEvent(new CustomEvent("error", { detail: error }));
  }
}

function descriptionPayload(description) {
  return { type: description.type, sdp: description.sdp };
}
