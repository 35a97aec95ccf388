// Chat panel. Messages are untrusted plain text: they are only ever written with textContent.

import { byId } from "./ui.js";

export class ChatPanel {
  #log = byId("chat-log");
  #form = byId("chat-form");
  #input = byId("chat-input");
  #send;
  #unread = 0;

  /** @param {(text: string) => Promise<unknown>} send delivers one message; rejects when refused */
  constructor(send) {
    this.#send = send;
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    // Messages that arrive while the chat is scrolled out of view (phones) are counted on the Chat button, and
    // the count goes once the newest message has been scrolled into view.
    const clearWhenSeen = () => {
      if (this.#unread && this.#newestIsInView()) this.#setUnread(0);
    };
    byId("call-screen").addEventListener("scroll", clearWhenSeen, { passive: true }); // phones: the page scrolls
    this.#log.addEventListener("scroll", clearWhenSeen, { passive: true }); // desktops: the log scrolls
    byId("chat-toggle").addEventListener("click", () => {
      byId("chat-panel").scrollIntoView({ block: "end" });
      this.#input.focus({ preventScroll: true });
      this.#setUnread(0);
    });
  }

  #setUnread(count) {
    this.#unread = count;
    const badge = byId("chat-unread");
    badge.textContent = String(count);
    badge.hidden = count === 0;
    byId("chat-toggle").setAttribute("aria-label", count ? `Chat, ${count} unread` : "Chat");
  }

  async #submit() {
    const text = this.#input.value;
    if (!text.trim()) return;
    try {
      await this.#send(text);
      this.#input.value = ""; // only once accepted, so a refused message can be fixed and resent
    } catch {
      // The error banner already shows why.
    }
  }

  /** @param {{from: string, nickname: string, text: string, ts: number}} message @param {boolean} own */
  append(message, own) {
    const item = document.createElement("li");
    item.className = own ? "chat-message own" : "chat-message";
    item.dataset.from = message.from ?? "";
    const time = document.createElement("time");
    time.className = "chat-time";
    const when = new Date(typeof message.ts === "number" ? message.ts : Date.now());
    time.dateTime = when.toISOString();
    time.textContent = when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    const nickname = document.createElement("span");
    nickname.className = "chat-nick";
    nickname.textContent = message.nickname ?? "";
    const text = document.createElement("span");
    text.className = "chat-text";
    text.textContent = message.text ?? "";
    item.append(time, nickname, text);

    const atBottom = this.#log.scrollHeight - this.#log.scrollTop - this.#log.clientHeight < 24;
    this.#log.append(item);
    if (atBottom || own) this.#log.scrollTop = this.#log.scrollHeight;
    if (!own && !this.#newestIsInView()) this.#setUnread(this.#unread + 1);
  }

  /** A line from the page itself, not from a member (e.g. that messages may be missing). */
  appendNotice(text) {
    const item = document.createElement("li");
    item.className = "chat-message system";
    item.textContent = text;
    this.#log.append(item);
    this.#log.scrollTop = this.#log.scrollHeight;
  }

  // In view means inside the viewport and above the call controls, which stay over the page's bottom on phones.
  #newestIsInView() {
    const newest = this.#log.lastElementChild;
    if (!newest || newest.offsetParent === null) return false;
    const box = newest.getBoundingClientRect();
    const logBox = this.#log.getBoundingClientRect();
    const controls = byId("call-controls").getBoundingClientRect();
    const controlsCoverLog = controls.left < logBox.right && controls.right > logBox.left && controls.top > 0;
    const visibleBottom = Math.min(innerHeight, controlsCoverLog ? controls.top : innerHeight, logBox.bottom);
    const visibleTop = Math.max(0, logBox.top);
    return box.bottom > visibleTop && box.top < visibleBottom;
  }

  clear() {
    this.#log.replaceChildren();
    this.#input.value = "";
    this.#setUnread(0);
  }
}
