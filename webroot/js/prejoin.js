// The pre-join screen: camera preview, a live microphone level and the choice of camera, microphone and speaker,
// before anyone in the room sees or hears us. Opening the devices here also takes them out of the join → first
// frame path: by the time "Join now" is pressed, the tracks exist.

import { byId, fillDeviceSelect } from "./ui.js";

/** Whether this browser can choose where sound plays (HTMLMediaElement.setSinkId). */
export const canChooseSpeaker = typeof HTMLMediaElement !== "undefined" && "setSinkId" in HTMLMediaElement.prototype;

export class PreJoin {
  #media = null;
  #meter = null; // { context, timer }
  #preview = byId("preview-video");
  speakerId = "";

  /** @param {(error: Error, what: string) => void} onDeviceError shows why a chosen device could not be opened */
  constructor(onDeviceError) {
    byId("prejoin-camera").addEventListener("change", (event) =>
      this.chooseCamera(event.target.value).catch((error) => onDeviceError(error, "camera")));
    byId("prejoin-mic").addEventListener("change", (event) =>
      this.chooseMicrophone(event.target.value).catch((error) => onDeviceError(error, "microphone")));
    byId("prejoin-speaker").addEventListener("change", (event) => {
      this.speakerId = event.target.value;
    });
  }

  /** Shows `media`'s tracks in the preview and starts the microphone meter. */
  async show(media, roomName) {
    this.#media = media;
    byId("prejoin-room").textContent = roomName;
    byId("prejoin-speaker-picker").hidden = !canChooseSpeaker;
    this.#render();
    await this.refreshDevices();
  }

  #render() {
    const media = this.#media;
    const camera = media.cameraTrack;
    const current = this.#preview.srcObject?.getVideoTracks()[0] ?? null;
    if (current !== camera) this.#preview.srcObject = camera ? new MediaStream([camera]) : null;
    byId("preview-no-video").hidden = !!camera;
    this.#startMeter(media.microphoneTrack);
  }

  async refreshDevices() {
    if (!this.#media) return;
    const media = this.#media;
    const { cameras, microphones, speakers } = await media.listDevices();
    fillDeviceSelect("prejoin-camera", cameras, media.deviceIdOf(media.cameraTrack), "Camera");
    fillDeviceSelect("prejoin-mic", microphones, media.deviceIdOf(media.microphoneTrack), "Microphone");
    if (canChooseSpeaker) fillDeviceSelect("prejoin-speaker", speakers, this.speakerId || speakers[0]?.deviceId, "Speaker", { allowSingle: true });
  }

  async chooseCamera(deviceId) {
    const { previous, next } = await this.#media.openCamera(deviceId);
    if (previous !== next) previous?.stop();
    this.#render();
  }

  async chooseMicrophone(deviceId) {
    const { previous, next } = await this.#media.openMicrophone(deviceId);
    if (previous !== next) previous?.stop();
    this.#render();
  }

  // An AnalyserNode on the microphone track; the meter shows the recent peak of the RMS level, decaying, so a
  // voice (or Chromium's fake beep) reads as a steady bar rather than flicker.
  #startMeter(track) {
    this.#stopMeter();
    if (!track || typeof AudioContext === "undefined") return;
    const context = new AudioContext();
    context.resume().catch(() => {}); // allowed: we are inside the Join click's user activation
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const meter = byId("mic-level");
    let shown = 0;
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const rms = Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
      shown = Math.max(Math.min(1, rms * 4), shown * 0.85);
      meter.value = shown;
    }, 100);
    this.#meter = { context, timer };
  }

  #stopMeter() {
    if (!this.#meter) return;
    clearInterval(this.#meter.timer);
    this.#meter.context.close().catch(() => {});
    this.#meter = null;
    byId("mic-level").value = 0;
  }

  /** Leaves the screen; the media stays open (it becomes the call's) unless the caller stops it. */
  hide() {
    this.#stopMeter();
    this.#preview.srcObject = null;
    this.#media = null;
  }
}
