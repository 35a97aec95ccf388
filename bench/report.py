#!/usr/bin/env python3
"""Turns the generator's RESULT lines into the markdown table of docs/BENCHMARKS.md.

  report.py check  results.jsonl          smoke: every result present, no error, messages delivered
  report.py table  OUTDIR                 markdown for OUTDIR/results.jsonl + OUTDIR/machine.txt
  report.py pairs  OUTDIR                 markdown for the --pairs rows (wsload: closed-loop pairs, join storm)
  report.py splice results.md BENCHMARKS.md [pairs]   replace the text between the results (or pairs) markers
  report.py jfr    file.jfr               hottest frames (self and inclusive) from jdk.ExecutionSample
"""
import collections
import json
import statistics
import subprocess
import sys
from pathlib import Path

import pairs_report

BEGIN = "<!-- results:begin (written by bench/run.sh) -->"
END = "<!-- results:end -->"
MARKERS = {"results": (BEGIN, END),
           "pairs": ("<!-- pairs:begin (written by bench/run.sh --pairs) -->", "<!-- pairs:end -->")}


def load(path):
    out = []
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return out


def check(path):
    rows = load(path)
    problems = []
    seen = {r.get("wl") for r in rows}
    for wl in ["smoke-relay", "smoke-chat", "smoke-pingpong", "smoke-storm", "smoke-setup", "smoke-idle",
               "smoke-c-pairs", "smoke-c-storm"]:
        if wl not in seen:
            problems.append(f"{wl}: no result")
    for r in rows:
        if "error" in r:
            problems.append(f"{r.get('wl')}: {r['error']}")
        if r.get("mode") == "relay" and (r.get("received", 0) == 0 or r.get("received", 0) < r.get("expected", 1) * 0.99):
            problems.append(f"{r.get('wl')}: received {r.get('received')} of {r.get('expected')}")
        if r.get("mode") == "pairs" and (r.get("received", 0) == 0 or r.get("errors") or r.get("closed")):
            problems.append(f"{r.get('wl')}: received {r.get('received')}, errors {r.get('errors')}, closed {r.get('closed')}")
        if r.get("mode") == "storm" and r.get("generator") == "wsload" and (r.get("errors") or r.get("closed")):
            problems.append(f"{r.get('wl')}: errors {r.get('errors')}, closed {r.get('closed')}")
        if r.get("mode") == "pingpong" and r.get("received", 0) == 0:
            problems.append(f"{r.get('wl')}: no round trip completed")
    for r in rows:
        print(json.dumps(r))
    if problems:
        print("SMOKE FAILED: " + "; ".join(problems))
        print(f"0 passed, {len(problems)} failed")
        return 1
    print(f"smoke ok: {len(rows)} results")
    print(f"{len(rows)} passed, 0 failed")
    return 0


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, unit=""):
    if v is None:
        return "—"
    if isinstance(v, float) and v >= 100:
        v = round(v)
    elif isinstance(v, float):
        v = round(v, 1)
    return f"{v:,}{unit}" if isinstance(v, int) else f"{v}{unit}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.2f}"


def cpu_per_msg(r):
    """Server CPU (all server pids: nodes + redis) in µs per delivered message; robust to other load on the machine."""
    try:
        parts = [int(x) for x in str(r.get("cpuPct", "")).split(",")]
    except ValueError:
        return None
    if len(parts) < 2 or not r.get("deliveredPerSec"):
        return None
    return sum(parts[1:]) / 100 * 1e6 / r["deliveredPerSec"]


def latency_verdict(noom, target):
    """'p50 ≤ a, p99 ≤ b: met/missed' for Noom's medians, or — when the row has no target."""
    if not target or not noom:
        return "—"
    ok = noom["p50us"] <= target[0] and noom["p99us"] <= target[1]
    return f"p50 ≤ {target[0]}, p99 ≤ {target[1]}: **{'met' if ok else 'missed'}**"


def pick(rows, wl, proto=None):
    return [r for r in rows if r.get("wl") == wl and (proto is None or r.get("proto") == proto) and "error" not in r]


def table(outdir):
    outdir = Path(outdir)
    rows = load(outdir / "results.jsonl")
    machine = dict(l.split("=", 1) for l in (outdir / "machine.txt").read_text().splitlines() if "=" in l)
    L = []
    L.append(f"Run **{machine.get('date')}** · commit `{machine.get('commit')}` · {machine.get('nproc')} cores "
             f"({machine.get('cpu')}) · kernel {machine.get('kernel')} · {machine.get('java')} · node {machine.get('node')} · "
             f"redis {machine.get('redis')} · socket.io {machine.get('socketio')} + redis-adapter {machine.get('adapter')} · "
             f"load average at start {machine.get('loadavg_start')}, at end {machine.get('loadavg_end')} · "
             f"`ulimit -n` {machine.get('ulimit_n')}")
    L.append("")
    L.append("Pinning: every server process (Noom nodes, socket.io nodes, redis-server, the TCP echo server) `taskset -c 0`; "
             "the generator and the browsers `taskset -c 1`. Noom runs `HTTP_INSTANCES=1 STUN_URLS=` (one event loop on its "
             "one core; the JVM picks SerialGC there) with the Dockerfile's JVM flags (`-Xmn32m`). Both stacks are warmed up "
             "for ~30 s before the single-node and again before the cross-node rows. Medians of the repeated runs; latency = receive time − send time "
             "stamped in the payload, one generator clock. Raw rows: `bench/results/<stamp>/results.jsonl`.")
    L.append("")

    # floors
    L.append("### Floors (64 B): closed loop, and open loop with a 1 ms pause between round trips")
    L.append("")
    L.append("| floor | p50 µs | p99 µs | p99.9 µs | max µs | runs |")
    L.append("|---|---|---|---|---|---|")
    for wl, name in [("floor-tcp", "raw TCP round trip, loopback, closed loop (echo server on core 0)"),
                     ("floor-tcp-open", "raw TCP round trip, loopback, one per ms (cores idle between)"),
                     ("floor-redis", "Redis PUBLISH → subscriber, one hop, closed loop"),
                     ("floor-redis-open", "Redis PUBLISH → subscriber, one hop, one per ms")]:
        rs = pick(rows, wl)
        if not rs:
            continue
        L.append(f"| {name} | {fmt(med([r['p50us'] for r in rs]))} | {fmt(med([r['p99us'] for r in rs]))} | "
                 f"{fmt(med([r['p999us'] for r in rs]))} | {fmt(med([r['maxus'] for r in rs]))} | {len(rs)} |")
    L.append("")

    # closed-loop latency: the baseline method, where the latency targets are judged
    L.append("### 1a. Unloaded 1:1 relay latency, closed loop (one signal in flight; the receiver answers with the next)")
    L.append("")
    L.append("| workload | Noom p50 / p99 / p99.9 µs | peer p50 / p99 / p99.9 µs | Noom/peer p50 | Noom/peer p99 | round trips/s Noom · peer | target (Noom) |")
    L.append("|---|---|---|---|---|---|---|")
    ptargets = {"pp-same-64": (80, 150), "pp-cross-64": (180, 350)}
    for wl, name in [("pp-same-64", "same node, 64 B"), ("pp-same-3000", "same node, 3 KB (SDP)"),
                     ("pp-cross-64", "across 2 nodes via Redis, 64 B")]:
        cell = {}
        for p in ("noom", "sio"):
            rs = pick(rows, wl, p)
            cell[p] = {k: med([r[k] for r in rs]) for k in ("p50us", "p99us", "p999us", "deliveredPerSec")} if rs else None
        if not cell["noom"] and not cell["sio"]:
            continue
        def cc(p):
            d = cell[p]
            return "—" if not d else " / ".join(fmt(d[k]) for k in ("p50us", "p99us", "p999us"))
        tgt = latency_verdict(cell["noom"], ptargets.get(wl))
        n, sp = cell["noom"] or {}, cell["sio"] or {}
        L.append(f"| {name} | {cc('noom')} | {cc('sio')} | {ratio(n.get('p50us'), sp.get('p50us'))} | "
                 f"{ratio(n.get('p99us'), sp.get('p99us'))} | {fmt(n.get('deliveredPerSec'))} · {fmt(sp.get('deliveredPerSec'))} | {tgt} |")
    L.append("")

    # latency
    L.append("### 1b. Unloaded 1:1 relay latency, open loop (directed `signal` at 1,000 msgs/s; compare with the open-loop floor)")
    L.append("")
    L.append("| workload | Noom p50 / p99 / p99.9 / max µs | peer p50 / p99 / p99.9 / max µs | Noom/peer p50 | Noom/peer p99 | server CPU µs/msg Noom · peer | target (Noom) |")
    L.append("|---|---|---|---|---|---|---|")
    for wl, name in [("lat-same-64", "same node, 64 B"), ("lat-same-250", "same node, 250 B (ICE candidate)"),
                     ("lat-same-3000", "same node, 3 KB (SDP)"), ("lat-cross-64", "across 2 nodes via Redis, 64 B")]:
        cell = {}
        for p in ("noom", "sio"):
            rs = pick(rows, wl, p)
            cell[p] = {k: med([r[k] for r in rs]) for k in ("p50us", "p99us", "p999us", "maxus")} if rs else None
        def c(p):
            d = cell[p]
            return "—" if not d else " / ".join(fmt(d[k]) for k in ("p50us", "p99us", "p999us", "maxus"))
        tgt = "judged in 1a" if wl in ("lat-same-64", "lat-cross-64") else "—"  # idle cores cost a wake-up per hop here
        n, s = cell["noom"] or {}, cell["sio"] or {}
        cn = med([cpu_per_msg(r) for r in pick(rows, wl, "noom")])
        cs = med([cpu_per_msg(r) for r in pick(rows, wl, "sio")])
        L.append(f"| {name} | {c('noom')} | {c('sio')} | {ratio(n.get('p50us'), s.get('p50us'))} | "
                 f"{ratio(n.get('p99us'), s.get('p99us'))} | {fmt(cn)} · {fmt(cs)} | {tgt} |")
    L.append("")

    # curves
    L.append("### 2. Throughput–latency: highest offered rate held with p99 ≤ 5 ms (steps of 2 s warm-up + 4 s measured)")
    L.append("")
    L.append("| workload | Noom held sends/s (delivered/s) | p99 at held µs | CPU % gen,server(s) | peer held sends/s (delivered/s) | p99 at held µs | CPU % | Noom/peer | server CPU µs/msg at held, Noom · peer | first failing step (Noom · peer) | target |")
    L.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for wl, name, tgt in [("curve-500x2", "500 rooms × 2, directed signal 64 B, one node", "≥ 3× peer and ≥ 150k/s"),
                          ("curve-100x5", "100 rooms × 5, chat broadcast 64 B, one node", "—"),
                          ("curve-cross-500x2", "500 rooms × 2, signal, 2 nodes + Redis", "≥ 3× peer")]:
        cur = {p: next(iter(r for r in rows if r.get("wl") == wl and r.get("mode") == "curve" and r.get("proto") == p), None)
               for p in ("noom", "sio")}
        fail = {}
        for p in ("noom", "sio"):
            steps = [r for r in rows if r.get("wl") == wl and r.get("mode") == "relay" and r.get("proto") == p]
            bad = [r for r in steps if not r.get("ok")]
            fail[p] = (f"{bad[0]['offered']:,}: p99 {fmt(bad[0]['p99us'])} µs, got {bad[0]['received']:,}/{bad[0]['expected']:,}"
                       f", blocked {bad[0]['blocked']}, cpu {bad[0].get('cpuPct')}") if bad else "none (top step held)"
        def held(p):
            c = cur[p]
            if not c:
                return "—", "—", "—", None
            at = c.get("at") or {}
            return (f"{c['heldRate']:,} ({c['heldDelivered']:,})", fmt(at.get("p99us")), at.get("cpuPct", "—"), c["heldRate"])
        hn, hs = held("noom"), held("sio")
        met = ""
        if hn[3] is not None and hs[3] and tgt != "—":
            met = f": **{'met' if hn[3] >= 3 * hs[3] and (wl != 'curve-500x2' or hn[3] >= 150000) else 'missed'}**"
        cpm = " · ".join(fmt(cpu_per_msg((cur[p] or {}).get("at") or {})) for p in ("noom", "sio"))
        L.append(f"| {name} | {hn[0]} | {hn[1]} | {hn[2]} | {hs[0]} | {hs[1]} | {hs[2]} | {ratio(hn[3], hs[3])} | {cpm} | "
                 f"{fail['noom']} · {fail['sio']} | {tgt}{met} |")
    L.append("")

    # idle
    L.append("### 3. Idle sessions, each joined to a 2-person room")
    L.append("")
    L.append("| sessions | Noom RSS/session KB | Noom heap-after-GC/session KB | peer RSS/session KB | peer heap-after-GC/session KB | Noom/peer RSS | target |")
    L.append("|---|---|---|---|---|---|---|")
    for r in sorted({r["n"] for r in rows if r.get("mode") == "idle" and "n" in r}):
        n = next(iter(x for x in rows if x.get("mode") == "idle" and x.get("n") == r and x.get("proto") == "noom"), {})
        s = next(iter(x for x in rows if x.get("mode") == "idle" and x.get("n") == r and x.get("proto") == "sio"), {})
        ok = n.get("rssPerSessionKB")
        L.append(f"| {r:,} | {fmt(n.get('rssPerSessionKB'))} | {fmt(n.get('heapPerSessionKB'))} | {fmt(s.get('rssPerSessionKB'))} | "
                 f"{fmt(s.get('heapPerSessionKB'))} | {ratio(n.get('rssPerSessionKB'), s.get('rssPerSessionKB'))} | "
                 f"≤ 10 KB RSS: **{'met' if ok is not None and ok <= 10 else 'missed'}** |")
    L.append("")

    # storm + setup
    L.append("### 4–5. Join storm (5,000 clients, 500 in flight) and call-setup burst (1,000 pairs at once)")
    L.append("")
    L.append("| workload | Noom | peer | Noom/peer | target |")
    L.append("|---|---|---|---|---|")
    sn, ss = pick(rows, "storm", "noom"), pick(rows, "storm", "sio")
    def m(rs, f):
        return med([f(r) for r in rs]) if rs else None
    jn, js = m(sn, lambda r: r["joinsPerSec"]), m(ss, lambda r: r["joinsPerSec"])
    pn, ps = m(sn, lambda r: r["join"]["p99us"]), m(ss, lambda r: r["join"]["p99us"])
    cn, cs = m(sn, lambda r: r["connectHelloJoin"]["p99us"]), m(ss, lambda r: r["connectHelloJoin"]["p99us"])
    okst = jn is not None and jn >= 5000 and pn is not None and pn <= 20000
    L.append(f"| join storm: sessions joined/s (connect + hello + join) | {fmt(jn)} | {fmt(js)} | {ratio(jn, js)} | ≥ 5k joins/s, p99 ≤ 20 ms: **{'met' if okst else 'missed'}** |")
    L.append(f"| join storm: join → joined p99 | {fmt(pn and pn / 1000, ' ms')} | {fmt(ps and ps / 1000, ' ms')} | {ratio(pn, ps)} | |")
    L.append(f"| join storm: connect → joined p99 | {fmt(cn and cn / 1000, ' ms')} | {fmt(cs and cs / 1000, ' ms')} | {ratio(cn, cs)} | |")
    un, us_ = pick(rows, "setup", "noom"), pick(rows, "setup", "sio")
    bn, bs = m(un, lambda r: r["burstSecs"]), m(us_, lambda r: r["burstSecs"])
    qn, qs = m(un, lambda r: r["perPair"]["p50us"]), m(us_, lambda r: r["perPair"]["p50us"])
    rn, rs_ = m(un, lambda r: r["perPair"]["p99us"]), m(us_, lambda r: r["perPair"]["p99us"])
    L.append(f"| call setup: whole burst, first join → last candidate delivered | {fmt(bn, ' s')} | {fmt(bs, ' s')} | {ratio(bn, bs)} | — |")
    L.append(f"| call setup: per pair, join → last candidate, p50 / p99 | {fmt(qn and qn / 1000, ' ms')} / {fmt(rn and rn / 1000, ' ms')} | "
             f"{fmt(qs and qs / 1000, ' ms')} / {fmt(rs_ and rs_ / 1000, ' ms')} | {ratio(rn, rs_)} (p99) | — |")
    L.append("")

    b = next(iter(r for r in rows if r.get("mode") == "browser"), None)
    L.append("### 6. Browser: join click → first remote video frame decoded (two headless Chromium, loopback, Noom only)")
    L.append("")
    if b and "error" not in b:
        L.append(f"Median **{b['medianMs']} ms** over runs {b['runs']} (ms; a discarded warm-up run before them). "
                 f"Target ≤ 500 ms median: **{'met' if 0 <= b['medianMs'] <= 500 else 'missed'}**.")
        ph = b.get("phaseMediansMs")
        if ph:
            L.append("")
            L.append(f"Where the time goes (median ms after the click at which each was first seen, 5 ms polling): camera and "
                     f"microphone open {ph.get('media')} · server's `joined` {ph.get('joined')} · peer connection "
                     f"`connected` (ICE + DTLS) {ph.get('connected')} · first remote frame decoded {b['medianMs']}.")
    else:
        L.append(f"Not measured in this run ({(b or {}).get('error', 'skipped')}).")
    L.append("")
    return "\n".join(L)


def splice(results_md, doc, which="results"):
    begin, end = MARKERS[which]
    text = Path(results_md).read_text()
    d = Path(doc)
    body = d.read_text() if d.exists() else f"# Benchmarks\n\n{begin}\n{end}\n"
    if begin not in body:
        body += f"\n{begin}\n{end}\n"
    head, rest = body.split(begin, 1)
    _, tail = rest.split(end, 1)
    d.write_text(f"{head}{begin}\n{text}\n{end}{tail}")


def jfr(path):
    out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "64", path],
                         capture_output=True, text=True).stdout
    self_c, incl_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    stack, in_stack, thread = [], False, None
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("sampledThread"):
            thread = s.split("=", 1)[1].strip().split(" (")[0].strip('"')
        elif s.startswith("stackTrace = ["):
            in_stack, stack = True, []
        elif in_stack and s == "]":
            in_stack = False
            if stack:
                total += 1
                threads[thread] += 1
                self_c[stack[0]] += 1
                for f in set(stack):
                    incl_c[f] += 1
        elif in_stack and s and s != "...":
            stack.append(s.split("  line:")[0].split(" line:")[0])
    print(f"jdk.ExecutionSample: {total} samples")
    print("\nby thread:")
    for t, c in threads.most_common(8):
        print(f"  {100 * c / max(total, 1):5.1f}%  {t}")
    print("\nself (top frame):")
    for f, c in self_c.most_common(30):
        print(f"  {100 * c / max(total, 1):5.1f}%  {f}")
    print("\ninclusive (frame anywhere on the stack), app.noom / io.vertx / netty / jdk json:")
    for f, c in incl_c.most_common(200)[:60]:
        print(f"  {100 * c / max(total, 1):5.1f}%  {f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "check":
        sys.exit(check(sys.argv[2]))
    elif cmd == "table":
        print(table(sys.argv[2]))
    elif cmd == "pairs":
        print(pairs_report.table(sys.argv[2]))
    elif cmd == "splice":
        splice(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else "results")
    elif cmd == "jfr":
        jfr(sys.argv[2])
