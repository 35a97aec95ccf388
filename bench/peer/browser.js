// Browser workload: two headless Chromium processes on loopback against a Noom node. A is in the room already;
// B loads the page, waits until it is connected, presses Join and waits on the pre-join screen until its camera preview
// plays (devices open before the measured span, as for a person), then: "Join now" click → first remote video frame
// decoded (framesDecoded > 0 in window.noom.stats(), polled every 5 ms). Prints "RESULT {json}" with every run and the median.
// usage: node browser.js http://127.0.0.1:PORT RUNS
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");

const base = process.argv[2] || "http://127.0.0.1:8080";
const runs = parseInt(process.argv[3] || "5", 10);
const FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--no-sandbox", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection", ...(process.env.EXTRA_FLAGS ? process.env.EXTRA_FLAGS.split(" ") : [])];

async function browser() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "noom-bench-chromium-"));
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: "/usr/bin/chromium", headless: true, args: FLAGS });
  return { ctx, dir };
}

// waitForFunction evaluates a string, which Noom's CSP (script-src 'self') refuses: poll with evaluate instead
async function waitFor(page, fn, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await page.evaluate(fn).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("timed out waiting for " + fn);
}

async function close(b) {
  await b.ctx.close().catch(() => {});
  fs.rmSync(b.dir, { recursive: true, force: true });
}

async function one(i) {
  const room = `browser-${process.pid}-${i}`;
  const a = await browser();
  const b = await browser();
  try {
    const pa = a.ctx.pages()[0] || (await a.ctx.newPage());
    // A link only prefills (issue 14): A joins as a person does, Join then "Join now" on the pre-join screen
    await pa.goto(`${base}/?nickname=A${i}&room=${room}`);
    await waitFor(pa, () => !document.getElementById("join").disabled, 20000);
    await pa.click("#join");
    await waitFor(pa, () => { const b = document.getElementById("prejoin-join"); return b.offsetParent !== null && !b.disabled; }, 20000);
    await pa.click("#prejoin-join");
    await waitFor(pa, () => !!(window.noom && window.noom.memberId), 20000);
    const pb = b.ctx.pages()[0] || (await b.ctx.newPage());
    await pb.goto(`${base}/?nickname=B${i}&room=${room}`);
    await waitFor(pb, () => !document.getElementById("join").disabled, 20000);
    await pb.click("#join");
    await waitFor(pb, () => { const v = document.getElementById("preview-video"); return v.videoWidth > 0 && !v.paused; }, 20000);
    // phases (ms after the click, first poll that sees each): media = the call object exists (devices were opened on
    // the pre-join screen, so this is ~0), joined = the server's `joined` arrived, connected = the peer connection is
    // up (ICE + DTLS), frame = first remote video frame decoded
    // The first frame is the first one presented by the remote tile's <video> (requestVideoFrameCallback): an event, not
    // a getStats() poll, so measuring does not load the renderer it measures. Phases are cheap property reads every 5 ms.
    const r = await pb.evaluate(() => new Promise((resolve) => {
      const t0 = performance.now();
      const at = {};
      const since = () => Math.round(performance.now() - t0);
      const timer = setInterval(() => {
        if (at.media === undefined && window.noom.call) at.media = since();
        if (at.joined === undefined && window.noom.memberId) at.joined = since();
        const peers = window.noom.call ? [...window.noom.call.peers.values()] : [];
        if (at.connected === undefined && peers.some((p) => p.pc.connectionState === "connected")) at.connected = since();
        if (performance.now() - t0 > 20000) {
          clearInterval(timer);
          resolve({ ms: -1, at });
        }
      }, 5);
      new MutationObserver((records, observer) => {
        const video = document.querySelector(".remote-tile video");
        if (!video) return;
        observer.disconnect();
        video.requestVideoFrameCallback(() => {
          clearInterval(timer);
          resolve({ ms: performance.now() - t0, at });
        });
      }).observe(document.getElementById("videos"), { childList: true });
      document.getElementById("prejoin-join").click();
    }));
    phases.push(r.at);
    return r.ms;
  } finally {
    await close(a);
    await close(b);
  }
}

const phases = [];

(async () => {
  const all = [];
  for (let i = 0; i < runs + 1; i++) {
    const ms = await one(i);
    if (i > 0) all.push(Math.round(ms)); // run 0 warms the server and the disk cache
    console.error(`browser run ${i}: ${Math.round(ms)} ms${i === 0 ? " (warm-up, discarded)" : ""}`);
  }
  const ok = all.filter((x) => x >= 0).sort((x, y) => x - y);
  const median = ok.length ? ok[Math.floor((ok.length - 1) / 2)] : -1;
  const measured = phases.slice(1); // run 0 is the discarded warm-up
  const medianOf = (k) => {
    const v = measured.map((p) => p[k]).filter((x) => x !== undefined).sort((x, y) => x - y);
    return v.length ? v[Math.floor((v.length - 1) / 2)] : null;
  };
  const phaseMedians = Object.fromEntries(["media", "joined", "connected"].map((k) => [k, medianOf(k)]));
  console.log("RESULT " + JSON.stringify({ mode: "browser", wl: "browser", runs: all, medianMs: median, failed: all.length - ok.length,
    phaseMediansMs: phaseMedians, phases: measured }));
})().catch((e) => {
  console.log("RESULT " + JSON.stringify({ mode: "browser", wl: "browser", error: String(e) }));
  process.exit(1);
});
