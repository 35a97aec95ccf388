// "Remove" needs a second click within a few seconds: no modal dialog, and a stray click removes nobody.

export class KickConfirmation {
  #windowMs;
  #onExpired;
  #pending = null; // { id, timer }: the member whose Remove button waits for its confirming click

  /** @param {{windowMs?: number, onExpired: () => void}} options onExpired: the wait ran out (redraw the buttons) */
  constructor({ windowMs = 4000, onExpired }) {
    this.#windowMs = windowMs;
    this.#onExpired = onExpired;
  }

  /** The member whose Remove button asks for confirmation, or null. */
  get pendingId() {
    return this.#pending?.id ?? null;
  }

  /** A click on `memberId`'s Remove: true when it confirms the click before it; otherwise it starts the wait. */
  click(memberId) {
    const confirmed = this.#pending?.id === memberId;
    this.cancel();
    if (!confirmed) {
      const timer = setTimeout(() => {
        if (this.#pending?.timer !== timer) return;
        this.#pending = null;
        this.#onExpired();
      }, this.#windowMs);
      this.#pending = { id: memberId, timer };
    }
    return confirmed;
  }

  /** Forget a pending confirmation (the call ended). */
  cancel() {
    clearTimeout(this.#pending?.timer);
    this.#pending = null;
  }
}
