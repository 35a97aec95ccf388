// The call's own controls: mute, camera, screen share, device pickers (camera, microphone, speaker), "use camera &
// mic" after a refusal, the invite link, keyboard shortcuts, and what the CallMonitor finds (speaker, quality, a
// camera that sends nothing). One instance for the page; attach() binds it to the call in progress.

import { describeMediaError } from "./media.js";
import { CallMonitor } from "./call-monitor.js";
import { canChooseSpeaker } from "./prejoin.js";
import { installShortcuts } from "./shortcuts.js";
import * as ui from "./ui.js";

/** Phones and some browsers have no screen capture: no button that can only fail. */
const canShareScreen = typeof navigator !== "undefined" && !!navigator.mediaDevices?.getDisplayMedia;

/** A link that opens the join form with the room filled in. No autojoin, no token, no password: joining stays a choice. */
export function inviteLinkFor(location, room) {
  const url = new URL(location.pathname, location.origin);
  url.searchParams.set("room", room);
  return url.href;
}

export class CallControls {
  #videos;
  #prejoin;
  #nickname;
  #call = null;
  #media = null;
  #monitor = null;
  #previousCameraId = null; // the camera before the last switch, offered back when the new one sends nothing

  /**
   * @param {{videos: import("./tiles.js").VideoGrid, prejoin: import("./prejoin.js").PreJoin, nickname: () => string}} parts
   */
  constructor({ videos, prejoin, nickname }) {
    this.#videos = videos;
    this.#prejoin = prejoin;
    this.#nickname = nickname;
    this.#wire();
  }

  /** Binds the controls to a call that has just been joined, and puts the keyboard focus on them. */
  attach(call, media) {
    this.#call = call;
    this.#media = media;
    ui.byId("invite-link").hidden = true;
    ui.byId("invite-status").textContent = "";
    this.refresh();
    this.refreshDevicePickers();
    if (canChooseSpeaker && this.#prejoin.speakerId) this.#videos.setSinkId(this.#prejoin.speakerId).catch(() => {});
    this.#monitor = this.#watch(call);
    // Keyboard users land on the call's first control, not on the page body.
    const firstControl = ["mute", "use-devices", "leave"].map(ui.byId).find((b) => !b.hidden && !b.disabled);
    firstControl?.focus();
  }

  detach() {
    this.#monitor?.stop();
    this.#monitor = null;
    this.#call = null;
    this.#media = null;
    this.#previousCameraId = null;
  }

  /** Buttons and the local tile from the local media's state. */
  refresh() {
    const media = this.#media;
    if (!media) return;
    this.#videos.showLocal(media.outgoingVideoTrack, { screen: media.sharingScreen, videoOff: media.state.videoOff, nickname: this.#nickname() });
    ui.setToggle("mute", media.audioMuted, media.audioMuted ? "Unmute" : "Mute", !media.microphoneTrack);
    ui.setToggle("camera", media.videoOff, media.videoOff ? "Camera on" : "Camera off", !media.cameraTrack);
    ui.setToggle("screen", media.sharingScreen, media.sharingScreen ? "Stop sharing" : "Share screen");
    ui.byId("screen").hidden = !canShareScreen;
    ui.byId("use-devices").hidden = !media.missingDevices;
  }

  async refreshDevicePickers() {
    const media = this.#media;
    if (media) {
      const { cameras, microphones, speakers } = await media.listDevices();
      ui.fillDeviceSelect("camera-select", cameras, media.deviceIdOf(media.cameraTrack), "Camera");
      ui.fillDeviceSelect("mic-select", microphones, media.deviceIdOf(media.microphoneTrack), "Microphone");
      ui.byId("speaker-picker").hidden = !canChooseSpeaker || speakers.length === 0;
      const speaker = this.#prejoin.speakerId || speakers[0]?.deviceId;
      if (canChooseSpeaker) ui.fillDeviceSelect("speaker-select", speakers, speaker, "Speaker", { allowSingle: true });
    }
    this.#prejoin.refreshDevices();
  }

  #watch(call) {
    const monitor = new CallMonitor(call);
    monitor.addEventListener("quality", ({ detail }) => this.#videos.setQuality(detail.id, detail));
    monitor.addEventListener("speaker", ({ detail }) => this.#videos.setActiveSpeaker(detail.id));
    monitor.addEventListener("camera-silent", ({ detail }) => {
      if (call !== this.#call) return;
      const name = detail.track.label || "The camera";
      const back = this.#previousCameraId;
      const action = back ? { label: "Use previous camera", run: () => this.#switchCamera(back) } : null;
      const advice = back ? " Switch back to the previous camera?" : " Choose another camera.";
      ui.showError(`${name} is sending no picture: the others see a frozen image.${advice}`, "camera-silent", action);
    });
    monitor.start();
    return monitor;
  }

  async #switchCamera(deviceId) {
    const call = this.#call;
    if (!call) return;
    const before = this.#media.deviceIdOf(this.#media.cameraTrack);
    try {
      await call.switchCamera(deviceId);
      if (before !== deviceId) this.#previousCameraId = before;
      ui.clearError("camera-silent");
    } catch (error) {
      ui.showError(describeMediaError(error, "camera"));
    }
    this.refreshDevicePickers();
  }

  async #switchMicrophone(deviceId) {
    if (!this.#call) return;
    try {
      await this.#call.switchMicrophone(deviceId);
    } catch (error) {
      ui.showError(describeMediaError(error, "microphone"));
    }
    this.refreshDevicePickers();
  }

  async #toggleScreen() {
    if (!this.#call) return;
    try {
      if (this.#media.sharingScreen) await this.#call.stopScreenShare();
      else await this.#call.startScreenShare();
    } catch (error) {
      ui.showError(describeMediaError(error, "screen"));
    }
  }

  async #useMissingDevices() {
    if (!this.#call) return;
    const problems = await this.#call.addMissingDevices();
    if (problems.length) ui.showError(`${problems.join("\n")}\nAllow the camera and microphone for this page in the browser, then try again.`);
    else ui.clearError();
    this.refreshDevicePickers();
  }

  async #copyInvite() {
    if (!this.#call) return;
    const link = inviteLinkFor(location, this.#call.room);
    const field = ui.byId("invite-link");
    field.value = link;
    field.hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      field.select(); // no clipboard access (e.g. an unfocused or insecure page): the link is selected to copy by hand
    }
    ui.byId("invite-status").textContent = copied ? "Link copied" : "Copy the link";
  }

  #wire() {
    const on = (id, type, handler) => ui.byId(id).addEventListener(type, handler);
    on("mute", "click", () => this.#call?.setAudioMuted(!this.#media.audioMuted));
    on("camera", "click", () => this.#call?.setVideoOff(!this.#media.videoOff));
    on("screen", "click", () => this.#toggleScreen());
    on("use-devices", "click", () => this.#useMissingDevices());
    on("invite", "click", () => this.#copyInvite());
    on("camera-select", "change", (event) => this.#switchCamera(event.target.value));
    on("mic-select", "change", (event) => this.#switchMicrophone(event.target.value));
    on("speaker-select", "change", (event) => {
      this.#prejoin.speakerId = event.target.value;
      this.#videos.setSinkId(event.target.value).catch((error) => ui.showError(`Could not play sound on that speaker: ${error.message}`));
    });
    const press = (id) => () => ui.byId(id).disabled || ui.byId(id).click();
    installShortcuts({ m: press("mute"), v: press("camera") }, () => !!this.#call);
    navigator.mediaDevices?.addEventListener?.("devicechange", () => this.refreshDevicePickers());
  }
}
