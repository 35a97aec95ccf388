"""The --pairs table (wsload rows): closed-loop pairs on one node and across two nodes + Redis, and the join storm,
Noom beside socket.io, with the generator's CPU beside every cell and which side bounds each row."""
import json
import statistics
from pathlib import Path

SATURATED = 90  # % of one core: at or above it a process is taken as the bound of its row


def load(path):
    rows = []
    for line in Path(path).read_text().splitlines():
        if line.strip().startswith("{"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return rows


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def server_pct(r):
    """CPU of every server process of the row (nodes + redis, all on core 0), in % of one core."""
    parts = str(r.get("cpuPct", "")).split(",")[1:]
    try:
        return sum(float(p) for p in parts) if parts else None
    except ValueError:
        return None


def num(v, digits=0):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}"


def cell(rows, wl, proto):
    rs = [r for r in rows if r.get("wl") == wl and r.get("proto") == proto and "error" not in r]
    if not rs:
        return None
    keys = ("deliveredPerSec", "p50us", "p99us", "p999us", "genCpuPct")
    d = {k: med([r.get(k) for r in rs]) for k in keys}
    d["server"] = med([server_pct(r) for r in rs])
    d["runs"] = len(rs)
    d["errors"] = sum(r.get("errors", 0) + r.get("closed", 0) for r in rs)
    return d


def bound(d):
    if not d:
        return "—"
    if d["genCpuPct"] is not None and d["genCpuPct"] >= SATURATED:
        return "**generator**"
    if d["server"] is not None and d["server"] >= SATURATED:
        return "server (core 0 full)"
    return "neither"


def ratio(a, b, digits=2):
    return "—" if a is None or not b else f"{a / b:.{digits}f}"


def pair_row(prefix, where, p, w, n, s):
    lat = lambda d: "—" if not d else " / ".join(num(d[k], 1) for k in ("p50us", "p99us", "p999us"))
    g = lambda d, k: num((d or {}).get(k))
    if p == 1:
        rat = f"p50 {ratio(n and n['p50us'], s and s['p50us'])}, p99 {ratio(n and n['p99us'], s and s['p99us'])}"
        lim = (80, 150) if prefix == "pairs" else (180, 350)
        ok = n and n["p50us"] <= lim[0] and n["p99us"] <= lim[1]
        tgt = f"p50 ≤ {lim[0]}, p99 ≤ {lim[1]} µs: **{'met' if ok else 'missed'}**"
    else:
        rat = f"{ratio(n and n['deliveredPerSec'], s and s['deliveredPerSec'])}×"
        tgt = "—"
        if (p, w) == (200, 8):
            x = (n["deliveredPerSec"] / s["deliveredPerSec"]) if n and s and s["deliveredPerSec"] else 0
            p99ok = prefix != "pairs" or (n and n["p99us"] <= 5000)
            verdict = 'met' if x >= 3 and p99ok else 'first milestone met' if x >= 2 and p99ok else 'missed'
            if bound(n) != "server (core 0 full)" or bound(s) != "server (core 0 full)":
                verdict = "not judged: a side is not server-bound, so the ratio is not one of capacities"
            tgt = f"≥ 3× (≥ 2× first){', p99 ≤ 5 ms' if prefix == 'pairs' else ''}: **{verdict}**"
    errs = (n or {}).get("errors", 0) + (s or {}).get("errors", 0)
    return (f"| {where}, {p} pair{'s' if p > 1 else ''} × {w} in flight{' ⚠ errors ' + str(errs) if errs else ''} "
            f"| {g(n, 'deliveredPerSec')} | {lat(n)} | {g(s, 'deliveredPerSec')} | {lat(s)} | {rat} "
            f"| {g(n, 'genCpuPct')} · {g(s, 'genCpuPct')} | {g(n, 'server')} · {g(s, 'server')} "
            f"| {bound(n)} · {bound(s)} | {tgt} |")


def pairs_table(rows, L):
    L.append("| workload | Noom msgs/s | Noom p50 / p99 / p99.9 µs | socket.io msgs/s | socket.io p50 / p99 / p99.9 µs "
             "| Noom / socket.io | wsload CPU % (Noom · sio) | server core CPU % (Noom · sio) | bound by (Noom · sio) | target |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for prefix, where in (("pairs", "one node"), ("pairs-x", "two nodes + Redis"),
                          ("pairs-rc", "two nodes + **Redis Cluster** (3 masters; socket.io: sharded adapter)")):
        for p, w in ((1, 1), (50, 1), (200, 8)):
            wl = f"{prefix}-{p}x{w}"
            n = cell(rows, wl, "noom")
            for suffix, note in (("", ", every signal acked"),
                                 ("-noack", ", no acks (the issue's baseline; Noom: signals without id)")):
                s = cell(rows, wl + suffix, "sio")
                n = cell(rows, wl + suffix, "noom") or cell(rows, wl, "noom")
                if (not n and not s) or (suffix and not s):
                    continue
                L.append(pair_row(prefix, where + note, p, w, n, s))
    L.append("")


def storm_table(rows, L):
    def c(proto):
        rs = [r for r in rows if r.get("wl") == "c-storm" and r.get("proto") == proto and "error" not in r]
        if not rs:
            return None
        return {"jps": med([r["joinsPerSec"] for r in rs]), "p50": med([r["join"]["p50us"] for r in rs]),
                "p99": med([r["join"]["p99us"] for r in rs]), "chj": med([r["connectHelloJoin"]["p99us"] for r in rs]),
                "gen": med([r.get("genCpuPct") for r in rs]), "srv": med([server_pct(r) for r in rs]),
                "per": med([r["serverCpuS"] * 1e6 / r["n"] for r in rs]), "runs": len(rs)}
    n, s = c("noom"), c("sio")
    if not n and not s:
        return
    g = lambda d, k, dg=0, sc=1: "—" if not d or d[k] is None else num(d[k] / sc, dg)
    L.append("| join storm (5,000 clients, 500 in flight, rooms of 2) | Noom | socket.io | Noom / socket.io | target |")
    L.append("|---|---|---|---|---|")
    ok = n and n["jps"] >= 5000 and n["p99"] <= 20000
    L.append(f"| sessions joined/s (connect + hello + join) | {g(n, 'jps')} | {g(s, 'jps')} | "
             f"{ratio(n and n['jps'], s and s['jps'])}× | ≥ 5,000/s and p99 ≤ 20 ms: **{'met' if ok else 'missed'}** |")
    L.append(f"| join → joined p50 / p99 ms | {g(n, 'p50', 1, 1000)} / {g(n, 'p99', 1, 1000)} | "
             f"{g(s, 'p50', 1, 1000)} / {g(s, 'p99', 1, 1000)} | {ratio(n and n['p99'], s and s['p99'])} (p99) | |")
    L.append(f"| connect → joined p99 ms | {g(n, 'chj', 1, 1000)} | {g(s, 'chj', 1, 1000)} | "
             f"{ratio(n and n['chj'], s and s['chj'])} | |")
    okc = n and s and n["per"] <= s["per"]
    L.append(f"| server CPU per connect + hello + join, µs | {g(n, 'per')} | {g(s, 'per')} | "
             f"{ratio(n and n['per'], s and s['per'])} | ≤ socket.io's: **{'met' if okc else 'missed'}** |")
    L.append(f"| server core CPU % during the storm | {g(n, 'srv')} | {g(s, 'srv')} | | |")
    L.append(f"| wsload CPU % during the storm | {g(n, 'gen')} | {g(s, 'gen')} | | "
             f"bound by: {bound({'genCpuPct': n and n['gen'], 'server': n and n['srv']})} · "
             f"{bound({'genCpuPct': s and s['gen'], 'server': s and s['srv']})} |")
    L.append("")


def idle_table(rows, L):
    """IDLE=1: idle sessions joined to 2-person rooms, RSS and heap after a collection per session (Java generator)."""
    pick = lambda proto: next((r for r in rows if r.get("wl", "").startswith("idle-") and r.get("proto") == proto
                               and "error" not in r), None)
    n, s = pick("noom"), pick("sio")
    if not n and not s:
        return
    g = lambda d, k: "—" if not d or d.get(k) is None else num(d[k], 1)
    ok = n and n.get("rssPerSessionKB") is not None and n["rssPerSessionKB"] <= 10
    base = (n or s).get("base", 0)
    L.append("| idle sessions, each joined to a 2-person room | Noom | socket.io | Noom / socket.io | target |")
    L.append("|---|---|---|---|---|")
    L.append(f"| RSS per session, KB ({num((n or s).get('n'))} sessions joined after the first {num(base)}) "
             f"| {g(n, 'rssPerSessionKB')} | {g(s, 'rssPerSessionKB')} "
             f"| {ratio(n and n.get('rssPerSessionKB'), s and s.get('rssPerSessionKB'))} "
             f"| ≤ 10 KB: **{'met' if ok else 'missed'}** |")
    L.append(f"| heap after a collection per session, KB (the same sessions) | {g(n, 'heapPerSessionKB')} "
             f"| {g(s, 'heapPerSessionKB')} | {ratio(n and n.get('heapPerSessionKB'), s and s.get('heapPerSessionKB'))} | |")
    if base:
        L.append(f"| RSS per session from the fresh server, KB (all {num((n or s).get('n', 0) + base)}) "
                 f"| {g(n, 'rssPerSessionFromFreshKB')} | {g(s, 'rssPerSessionFromFreshKB')} "
                 f"| {ratio(n and n.get('rssPerSessionFromFreshKB'), s and s.get('rssPerSessionFromFreshKB'))} | |")
    L.append("")


SHARD_COMMANDS = ("spublish", "ssubscribe", "sunsubscribe", "evalsha", "publish")


def shard_table(outdir, L):
    """Per master of each stack's Redis Cluster (CLUSTER=1): commands and CPU over the warm-up and every cluster row."""
    path = Path(outdir) / "shards.jsonl"
    rows = load(path) if path.exists() else []
    if not rows:
        return
    m = dict(l.split("=", 1) for l in (Path(outdir) / "machine.txt").read_text().splitlines() if "=" in l)
    L.append("Per shard, two nodes + Redis Cluster (`INFO commandstats` and `INFO cpu` of each master, reset before the "
             "stack's warm-up, read after its last row; socket.io's sharded adapter in subscription mode "
             f"`{m.get('sio_subscription_mode', '?')}`):")
    L.append("")
    L.append("| stack | master (slots) | " + " | ".join(f"`{c}`" for c in SHARD_COMMANDS)
             + " | all commands | master CPU s |")
    L.append("|---|---|" + "---|" * len(SHARD_COMMANDS) + "---|---|")
    for r in rows:
        calls = r.get("calls", {})
        L.append(f"| {'Noom' if r['proto'] == 'noom' else 'socket.io'} | {r['master']} ({r.get('slots', '')}) | "
                 + " | ".join(num(calls.get(c, 0)) for c in SHARD_COMMANDS)
                 + f" | {num(r.get('total'))} | {num(r.get('cpuS'), 2)} |")
    L.append("")


def table(outdir):
    outdir = Path(outdir)
    rows = load(outdir / "results.jsonl")
    m = dict(l.split("=", 1) for l in (outdir / "machine.txt").read_text().splitlines() if "=" in l)
    L = [f"Run **{m.get('date')}** · commit `{m.get('commit')}` · {m.get('nproc')} cores ({m.get('cpu')}) · "
         f"{m.get('java')} · node {m.get('node')} · redis {m.get('redis')} · socket.io {m.get('socketio')} + redis-adapter "
         f"{m.get('adapter')} · **load average at start {m.get('loadavg_start')}, at end {m.get('loadavg_end')}** · "
         f"priority `{m.get('prio')}` · generator: wsload (C, one thread, epoll) on core 1, every server on core 0 · "
         f"{m.get('runs')} runs per row (medians), {m.get('pairs_warmup')} s warm-up + {m.get('pairs_secs')} s measured, "
         f"payload {m.get('bytes')} B, socket.io signals acknowledged: {'yes' if m.get('sio_ack') == '1' else 'no'}, "
         f"{m.get('storm_warmups', '0')} discarded join storms per stack before the storm rows.", ""]
    try:
        load1 = float(str(m.get("loadavg_start", "0")).split()[0])
    except ValueError:
        load1 = 0.0
    if load1 > 1.0:
        L.append(f"⚠ **Load average {load1} at the start on {m.get('nproc')} cores: other work shared the machine. "
                 f"The verdicts below are this run's, not evidence about the stacks.**")
        L.append("")
    pairs_table(rows, L)
    shard_table(outdir, L)
    storm_table(rows, L)
    idle_table(rows, L)
    return "\n".join(L)
