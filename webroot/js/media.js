// Local capture: camera, microphone and screen. Owns the local tracks and their on/off state.
// It never talks to peers; the Call swaps the tracks it hands out into the RTCRtpSenders.

/** Front camera on phones; modest size so a 6-way mesh stays within a laptop's CPU. */
const CAMERA_DEFAULTS = Object.freeze({ facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } });

/** A human explanation of a getUserMedia/getDisplayMedia failure, for the error banner. */
export function describeMediaError(error, what = "camera or microphone") {
  switch (error?.name) {
    case "NotAllowedError":
      return `Permission to use the ${what} was denied.`;
    case "NotFoundError":
      return `No ${what} was found.`;
    case "NotReadableError":
      return `The ${what} is in use by another application or could not be started.`;
    case "OverconstrainedError":
      return `The ${what} cannot satisfy the requested settings${error.constraint ? ` (${error.constraint})` : ""}.`;
    case "SecurityError":
      return `The browser blocked access to the ${what} on this page.`;
    case "AbortError":
      return `Starting the ${what} was aborted.`;
    default:
      return `Could not start the ${what}: ${error?.message || error}`;
  }
}

function mediaDevices() {
  // Missing outside secure contexts (plain http on a non-localhost address).
  if (!navigator.mediaDevices?.getUserMedia) {
    const error = new Error("camera and microphone need a secure (https) page");
    error.name = "SecurityError";
    throw error;
  }
  return navigator.mediaDevices;
}

export class LocalMedia extends EventTarget {
  cameraTrack = null;
  microphoneTrack = null;
  screenTrack = null;
  audioMuted = false;
  videoOff = false;

  /**
   * Captures what it can: camera+microphone, else microphone only, else nothing (receive-only).
   * @returns {Promise<string[]>} human descriptions of what failed, empty when everything worked.
   */
  async start() {
    const problems = await this.#capture([
      { audio: true, video: CAMERA_DEFAULTS },
      { audio: true, video: false },
    ]);
    if (problems.length) {
      problems.push(this.microphoneTrack ? "Joining with audio only." : "Joining without camera and microphone: you can still see and hear the others.");
    }
    return problems;
  }

  /** Whether camera or microphone is missing (refused, absent or failed): the call then offers to ask again. */
  get missingDevices() {
    return !this.cameraTrack || !this.microphoneTrack;
  }

  /**
   * Asks again for what is missing (after the user allowed it in the browser, or plugged a device in).
   * @returns {Promise<string[]>} human descriptions of what still failed
   */
  async addMissing() {
    const wantAudio = !this.microphoneTrack;
    const wantVideo = !this.cameraTrack;
    const attempts = [{ audio: wantAudio, video: wantVideo && CAMERA_DEFAULTS }];
    if (wantAudio && wantVideo) attempts.push({ audio: true, video: false }, { audio: false, video: CAMERA_DEFAULTS });
    return this.#capture(attempts.filter((c) => c.audio || c.video));
  }

  async #capture(attempts) {
    const problems = [];
    for (const constraints of attempts) {
      try {
        const stream = await mediaDevices().getUserMedia(constraints);
        this.microphoneTrack ??= stream.getAudioTracks()[0] ?? null;
        this.cameraTrack ??= stream.getVideoTracks()[0] ?? null;
        if (this.microphoneTrack) this.microphoneTrack.enabled = !this.audioMuted;
        if (this.cameraTrack) this.cameraTrack.enabled = !this.videoOff;
        problems.length = 0;
        break;
      } catch (error) {
        const what = constraints.video && constraints.audio ? "camera or microphone" : constraints.video ? "camera" : "microphone";
        problems.push(describeMediaError(error, what));
      }
    }
    this.#changed();
    return problems;
  }

  /** Video that peers should receive: the screen while sharing, else the camera. */
  get outgoingVideoTrack() {
    return this.screenTrack ?? this.cameraTrack;
  }

  get sharingScreen() {
    return this.screenTrack !== null;
  }

  /** The state every other member sees, as the protocol's `media` message wants it. */
  get state() {
    return {
      audioMuted: this.audioMuted || !this.microphoneTrack,
      videoOff: !this.screenTrack && (this.videoOff || !this.cameraTrack),
      screen: this.sharingScreen,
    };
  }

  setAudioMuted(muted) {
    this.audioMuted = muted;
    if (this.microphoneTrack) this.microphoneTrack.enabled = !muted;
    this.#changed();
  }

  setVideoOff(off) {
    this.videoOff = off;
    if (this.cameraTrack) this.cameraTrack.enabled = !off;
    this.#changed();
  }

  /** @returns {Promise<{cameras: MediaDeviceInfo[], microphones: MediaDeviceInfo[], speakers: MediaDeviceInfo[]}>} */
  async listDevices() {
    if (!navigator.mediaDevices?.enumerateDevices) return { cameras: [], microphones: [], speakers: [] };
    const devices = await navigator.mediaDevices.enumerateDevices();
    return {
      cameras: devices.filter((d) => d.kind === "videoinput"),
      microphones: devices.filter((d) => d.kind === "audioinput"),
      speakers: devices.filter((d) => d.kind === "audiooutput"),
    };
  }

  deviceIdOf(track) {
    return track?.getSettings?.().deviceId ?? null;
  }

  /**
   * Opens the given camera. Resolves to { previous, next }; the caller swaps `next` into the senders
   * and then stops `previous`, so peers never see a gap longer than the swap itself.
   */
  async openCamera(deviceId) {
    const open = () => mediaDevices().getUserMedia({ video: { ...CAMERA_DEFAULTS, facingMode: undefined, deviceId: { exact: deviceId } } });
    const previous = this.cameraTrack;
    const next = (await this.#openAllowingExclusiveDevices(open, previous)).getVideoTracks()[0];
    next.enabled = !this.videoOff;
    this.cameraTrack = next;
    this.#changed();
    return { previous, next };
  }

  async openMicrophone(deviceId) {
    const open = () => mediaDevices().getUserMedia({ audio: { deviceId: { exact: deviceId } } });
    const previous = this.microphoneTrack;
    const next = (await this.#openAllowingExclusiveDevices(open, previous)).getAudioTracks()[0];
    next.enabled = !this.audioMuted;
    this.microphoneTrack = next;
    this.#changed();
    return { previous, next };
  }

  // Many phones cannot keep two cameras open at once and answer NotReadableError: release the old one and retry.
  async #openAllowingExclusiveDevices(open, previous) {
    try {
      return await open();
    } catch (error) {
      if (error.name !== "NotReadableError" || !previous) throw error;
      previous.stop();
      return await open();
    }
  }

  /** Starts a screen capture; `onEnded` runs when the user stops it from the browser's own UI. */
  async startScreen(onEnded) {
    if (!navigator.mediaDevices?.getDisplayMedia) {
      const error = new Error("this browser cannot share the screen");
      error.name = "NotFoundError";
      throw error;
    }
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = stream.getVideoTracks()[0];
    track.addEventListener("ended", onEnded, { once: true });
    this.screenTrack = track;
    this.#changed();
    return track;
  }

  stopScreen() {
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.#changed();
  }

  stopAll() {
    for (const track of [this.cameraTrack, this.microphoneTrack, this.screenTrack]) track?.stop();
    this.cameraTrack = this.microphoneTrack = this.screenTrack = null;
    this.#changed();
  }

  #changed() {
    this.dispatchEvent(new Event("change"));
  }
}
