// Chat panel. Messages are untrusted plain text: they are only ever written with textContent.

import { byId } from "./ui.js";

export class ChatPanel {
  #log = byId("chat-log");
  #form = byId("chat-form");
  #input = byId("chat-input");
  #send;
  #unread = 0;
  #inView = true;

  /** @param {(text: string) => Promise<unknown>} send delivers one message; rejects when refused */
  constructor(send) {
    this.#send = send;
    this.#form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#submit();
    });
    // Messages that arrive while the chat is scrolled out of view (phones) are counted on the Chat button.
    new IntersectionObserver(([entry]) => {
      this.#inView = entry.isIntersecting;
      if (this.#inView) this.#setUnread(0);
    }).observe(this.#log);
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
    if (!own && !this.#inView) this.#setUnread(this.#unread + 1);
  }

  clear() {
    this.#log.replaceChildren();
    this.#input.value = "";
    this.#setUnread(0);
  }
}
