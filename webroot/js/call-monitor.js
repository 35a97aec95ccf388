// Reads getStats() of every peer once a second and turns the numbers into what a person needs to see:
// who is speaking, how good each connection is, and whether our own camera actually sends pictures.

const TICK_MS = 1000;
/** Average audio level (0..1, RMS from totalAudioEnergy) above which a member counts as speaking. */
const SPEAKING_LEVEL = 0.01;
/** Our camera sent no frame to any peer for this long while it should: it is broken (or yields nothing). */
const NO_OUTGOING_FRAMES_MS = 3000;

/** Good/fair/poor from round-trip time and loss, the two numbers people can act on (move, change network). */
export function gradeQuality(rttMs, lossPercent) {
  const rtt = rttMs ?? 0;
  const loss = lossPercent ?? 0;
  if (rtt > 400 || loss > 8) return "poor";
  if (rtt > 150 || loss > 2) return "fair";
  return "good";
}

/**
 * Events (CustomEvent): `quality` { id, rttMs, lossPercent, grade }, `speaker` { id } (null: nobody),
 * `camera-silent` { track } once per camera track that sends nothing while it should.
 */
export class CallMonitor extends EventTarget {
  #call;
  #timer = null;
  #previous = new Map(); // member id → last raw counters
  #speaker = null;
  #outgoing = { track: null, frames: -1, since: 0, reported: false };

  /** @param {import("./call.js").Call} call */
  constructor(call) {
    super();
    this.#call = call;
  }

  start() {
    this.#timer = setInterval(() => this.#tick().catch(() => {}), TICK_MS);
  }

  stop() {
    clearInterval(this.#timer);
  }

  async #tick() {
    const peers = [...this.#call.peers.entries()].filter(([, peer]) => peer.pc.connectionState === "connected");
    const readings = await Promise.all(peers.map(async ([id, peer]) => [id, readCounters(await peer.pc.getStats())]));
    let loudest = { id: null, level: SPEAKING_LEVEL };
    let framesSent = 0;
    for (const [id, now] of readings) {
      const before = this.#previous.get(id);
      this.#previous.set(id, now);
      framesSent += now.framesSent;
      if (!before) continue;
      const level = audioLevelBetween(before, now);
      if (level > loudest.level) loudest = { id, level };
      const lossPercent = lossBetween(before, now);
      this.#emit("quality", { id, rttMs: now.rttMs, lossPercent, grade: gradeQuality(now.rttMs, lossPercent) });
    }
    if (loudest.id !== this.#speaker) {
      this.#speaker = loudest.id;
      this.#emit("speaker", { id: loudest.id });
    }
    this.#watchOutgoingVideo(readings.length > 0, framesSent);
  }

  // Checked on what peers get (framesSent), not on the local preview: a camera can show frames locally that the
  // encoder drops (Chromium's fake depth camera does), and the far side would then freeze without a word.
  #watchOutgoingVideo(anyPeer, framesSent) {
    const media = this.#call.localMedia;
    const track = media.cameraTrack;
    const expected = anyPeer && track && !media.videoOff && !media.sharingScreen && track.readyState === "live";
    const watch = this.#outgoing;
    if (!expected) {
      watch.track = null;
      return;
    }
    const now = Date.now();
    if (watch.track !== track) {
      Object.assign(watch, { track, frames: framesSent, since: now, reported: false });
      return;
    }
    if (framesSent > watch.frames) {
      Object.assign(watch, { frames: framesSent, since: now });
      return;
    }
    if (!watch.reported && now - watch.since >= NO_OUTGOING_FRAMES_MS) {
      watch.reported = true;
      this.#emit("camera-silent", { track });
    }
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function readCounters(report) {
  const counters = { energy: 0, duration: 0, packetsLost: 0, packetsReceived: 0, rttMs: null, framesSent: 0 };
  report.forEach((entry) => {
    if (entry.type === "inbound-rtp") {
      counters.packetsLost += entry.packetsLost ?? 0;
      counters.packetsReceived += entry.packetsReceived ?? 0;
      if (entry.kind === "audio") {
        counters.energy += entry.totalAudioEnergy ?? 0;
        counters.duration += entry.totalSamplesDuration ?? 0;
      }
    } else if (entry.type === "outbound-rtp" && entry.kind === "video") {
      counters.framesSent += entry.framesSent ?? 0;
    } else if (entry.type === "candidate-pair" && entry.nominated && entry.state === "succeeded") {
      if (typeof entry.currentRoundTripTime === "number") counters.rttMs = entry.currentRoundTripTime * 1000;
    }
  });
  return counters;
}

function audioLevelBetween(before, now) {
  const duration = now.duration - before.duration;
  return duration > 0 ? Math.sqrt(Math.max(0, now.energy - before.energy) / duration) : 0;
}

function lossBetween(before, now) {
  const lost = now.packetsLost - before.packetsLost;
  const received = now.packetsReceived - before.packetsReceived;
  return lost + received > 0 ? (100 * Math.max(0, lost)) / (lost + received) : null;
}
