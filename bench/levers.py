#!/usr/bin/env python3
"""What each performance lever gained, before -> after, in one sitting.

    python3 bench/levers.py REV[:ack=0] ...      e.g.  python3 bench/levers.py 113af39 916965d HEAD HEAD:ack=0

Builds one Noom jar per git revision (a temporary worktree each, `mvn -B -q package -DskipTests`), then drives each
with wsload (bench/wsload, C) on one node: 200 pairs x 8 signals in flight, 64-byte payloads, the same settings as
`bash bench/run.sh --pairs` (rate limits off, HTTP_INSTANCES=1, -Xmn32m, server on core 0, generator on core 1).
Revisions alternate, RUNS times each (default 3), so drift on a shared machine hits them alike; the medians are
printed as a Markdown table. `:ack=0` makes the clients send signals without `id` (no `ack` since the
protocol change). Beside throughput and latency: the event loop thread's CPU per delivered signal (from
/proc/<pid>/task/<tid>/stat, less sensitive to a noisy neighbour than the rate) and, when `perf` can count
tracepoints, the system calls the loop made per delivered signal. Env: RUNS=3, WARM=12 (s of warm-up per start),
SECS=5, PAIRS=200, WINDOW=8, TWO=1 adds the same rows on two nodes + one redis-server (all on core 0).
STORM=1 measures the join storm instead (one node, 5,000 clients, 500 in flight, STORM_WARMUPS=12 discarded storms per
start, as `--pairs` does): joins/s, join -> joined p50/p99, and the server's CPU per join split into its event loop,
its collector (VM thread + GC threads) and its JIT compilers.
"""
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("RUNS", "3"))
WARM = int(os.environ.get("WARM", "12"))
SECS = int(os.environ.get("SECS", "5"))
PAIRS = int(os.environ.get("PAIRS", "200"))
WINDOW = int(os.environ.get("WINDOW", "8"))
LIMITS = {"RATE_SIGNALS_PER_SECOND": "0", "RATE_CHAT_PER_SECOND": "0", "RATE_JOINS_PER_SECOND": "0",
          "MAX_CONNECTIONS_PER_IP": "0", "HTTP_INSTANCES": "1", "STUN_URLS": ""}
PRIO = ["nice", "-n", "-19"] if os.geteuid() == 0 else []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(rev, work):
    sha = subprocess.check_output(["git", "-C", ROOT, "rev-parse", "--short", rev], text=True).strip()
    jar = os.path.join(work, f"noom-{sha}.jar")
    if os.path.exists(jar):
        return sha, jar
    tree = os.path.join(work, f"tree-{sha}")
    subprocess.check_call(["git", "-C", ROOT, "worktree", "add", "-q", "--detach", tree, sha])
    try:
        offline = ["-o"] if os.environ.get("OFFLINE") else []
        subprocess.check_call(["mvn", "-B", "-q", *offline, "package", "-DskipTests"], cwd=tree,
                              stdout=subprocess.DEVNULL)
        shutil.copy(os.path.join(tree, "target", "noom.jar"), jar)
    finally:
        subprocess.call(["git", "-C", ROOT, "worktree", "remove", "--force", tree])
    return sha, jar


def wait_http(url):
    for _ in range(160):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.25)
    raise SystemExit(f"not up: {url}")


def start_noom(jar, port, redis=None, node="lever"):
    env = dict(os.environ, **LIMITS, PORT=str(port), NODE_ID=node, REDIS_URL=redis or "")
    log = open(os.path.join(tempfile.gettempdir(), f"levers-{node}-{port}.log"), "w")
    p = subprocess.Popen([*PRIO, "taskset", "-c", "0", "java", "-XX:+ExitOnOutOfMemoryError", "-Xmn32m", "-jar", jar],
                         env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         start_new_session=True)
    wait_http(f"http://127.0.0.1:{port}/health")
    if redis:
        wait_http(f"http://127.0.0.1:{port}/ready")
    return p


def event_loop_tids(pid):
    tids = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            if f.read().startswith("vert.x-eventloo"):
                tids.append(tid)
    return tids


def cpu_ticks(pid, tids):
    total = 0
    for tid in tids:
        with open(f"/proc/{pid}/task/{tid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def wsload(urls, ack, secs, warmup, pids=""):
    cmd = [*PRIO, "taskset", "-c", "1", os.path.join(ROOT, "bench", "target", "wsload"), "pairs", "proto=noom",
           f"urls={urls}", f"pairs={PAIRS}", f"window={WINDOW}", "bytes=64", f"warmup={warmup}", f"secs={secs}",
           f"ack={ack}"] + ([f"pids={pids}"] if pids else [])
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=secs + warmup + 120).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit("wsload gave no RESULT: " + out[-500:])
    return json.loads(line[7:])


def syscalls(pids_tids, secs):
    """Starts `perf stat` counting the loops' system calls for `secs`; returns a function giving the count (or None)."""
    if not shutil.which("perf"):
        return lambda: None
    out = tempfile.NamedTemporaryFile(delete=False, suffix=".perf").name
    tids = ",".join(t for _, ts in pids_tids for t in ts)
    p = subprocess.Popen(["perf", "stat", "-x,", "-e", "raw_syscalls:sys_enter", "-t", tids, "-o", out, "--",
                          "sleep", str(secs)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def count():
        p.wait()
        try:
            with open(out) as f:
                m = re.search(r"^(\d+),", f.read(), re.M)
            return int(m.group(1)) if m else None
        finally:
            os.unlink(out)
    return count


def thread_ticks(pid):
    """CPU ticks of a process's threads by kind: loop (Vert.x event loops), gc, jit, other."""
    kinds = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        kind = ("loop" if name.startswith("vert.x-eventloo") else "gc" if name.startswith(("VM Thread", "GC ", "G1 "))
                else "jit" if name.startswith(("C1 ", "C2 ")) else "other")
        kinds[kind] = kinds.get(kind, 0) + int(fields[11]) + int(fields[12])
    return kinds


def storm(urls, n=5000):
    cmd = [*PRIO, "taskset", "-c", "1", os.path.join(ROOT, "bench", "target", "wsload"), "storm", "proto=noom",
           f"urls={urls}", f"n={n}", "window=500"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=180).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit("wsload storm gave no RESULT: " + out[-500:])
    return json.loads(line[7:])


def storm_row(jar):
    port = free_port()
    proc = start_noom(jar, port)
    try:
        urls = f"127.0.0.1:{port}"
        for _ in range(int(os.environ.get("STORM_WARMUPS", "12"))):
            storm(urls)
        before = thread_ticks(proc.pid)
        r = storm(urls)
        after = thread_ticks(proc.pid)
        hz = os.sysconf("SC_CLK_TCK")
        for kind in ("loop", "gc", "jit", "other"):
            r[f"{kind}UsPerJoin"] = (after.get(kind, 0) - before.get(kind, 0)) / hz * 1e6 / r["n"]
        return r
    finally:
        proc.kill()
        proc.wait()


def storm_table(configs):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # 5,000 clients, and the server their sockets
    results = {}
    for run in range(RUNS):
        for label, jar, _ in configs:
            r = storm_row(jar)
            results.setdefault(label, []).append(r)
            print(f"# run {run + 1} storm {label}: {r['joinsPerSec']:.0f} joins/s", file=sys.stderr, flush=True)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"join storm: 5,000 clients, 500 in flight, one node, medians of {RUNS}, load average at the end "
          f"{' '.join(load)}\n")
    print("| revision | joins/s | join → joined p50 / p99 (ms) | server CPU µs per join: loop · GC · JIT · other "
          "| generator CPU % |")
    print("|---|---|---|---|---|")
    for label, rs in results.items():
        med = lambda f: statistics.median(f(x) for x in rs)
        print(f"| {label} | {med(lambda x: x['joinsPerSec']):,.0f} | {med(lambda x: x['join']['p50us']) / 1000:.1f} / "
              f"{med(lambda x: x['join']['p99us']) / 1000:.1f} | {med(lambda x: x['loopUsPerJoin']):.0f} · "
              f"{med(lambda x: x['gcUsPerJoin']):.0f} · {med(lambda x: x['jitUsPerJoin']):.0f} · "
              f"{med(lambda x: x['otherUsPerJoin']):.0f} | {med(lambda x: x['genCpuPct']):.0f} |")


def one_row(jar, ack, two):
    procs, redis = [], None
    try:
        if two:
            rport = free_port()
            redis = subprocess.Popen([*PRIO, "taskset", "-c", "0", "redis-server", "--port", str(rport), "--bind",
                                      "127.0.0.1", "--save", "", "--appendonly", "no"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            time.sleep(0.3)
            ports = [free_port(), free_port()]
            procs = [start_noom(jar, ports[0], f"redis://127.0.0.1:{rport}", "leverA"),
                     start_noom(jar, ports[1], f"redis://127.0.0.1:{rport}", "leverB")]
        else:
            ports = [free_port()]
            procs = [start_noom(jar, ports[0])]
        urls = ",".join(f"127.0.0.1:{p}" for p in ports)
        wsload(urls, ack, 1, WARM)
        loops = [(p.pid, event_loop_tids(p.pid)) for p in procs]
        before = sum(cpu_ticks(pid, tids) for pid, tids in loops)
        counted = syscalls(loops, SECS)
        r = wsload(urls, ack, SECS, 0, ",".join(str(p.pid) for p in procs))
        after = sum(cpu_ticks(pid, tids) for pid, tids in loops)
        calls = counted()
        hz = os.sysconf("SC_CLK_TCK")
        delivered = max(1, r["received"])
        r["loopCpuUsPerSignal"] = (after - before) / hz * 1e6 / delivered
        r["syscallsPerSignal"] = None if calls is None else calls / delivered
        return r
    finally:
        for p in procs:
            p.kill()
            p.wait()
        if redis:
            redis.kill()
            redis.wait()


def main():
    specs = sys.argv[1:]
    if not specs:
        raise SystemExit(__doc__)
    subprocess.check_call(["gcc", "-O2", "-Wall", "-o", os.path.join(ROOT, "bench", "target", "wsload")]
                          + [os.path.join(ROOT, "bench", "wsload", f) for f in ("wsload.c", "ws.c", "proto.c", "hist.c")])
    work = tempfile.mkdtemp(prefix="noom-levers-")
    configs = []
    for spec in specs:
        rev, _, opt = spec.partition(":")
        sha, jar = build(rev, work)
        configs.append((f"{rev} ({sha})" + (", signals without id" if opt == "ack=0" else ""), jar,
                        0 if opt == "ack=0" else 1))
    if os.environ.get("STORM") == "1":
        storm_table(configs)
        shutil.rmtree(work, ignore_errors=True)
        return
    topologies = [False, True] if os.environ.get("TWO") == "1" else [False]
    results = {}
    for two in topologies:
        for run in range(RUNS):
            for label, jar, ack in configs:
                r = one_row(jar, ack, two)
                results.setdefault((two, label), []).append(r)
                print(f"# run {run + 1} {'two nodes' if two else 'one node'} {label}: {r['deliveredPerSec']} msgs/s",
                      file=sys.stderr, flush=True)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"{PAIRS} pairs x {WINDOW} in flight, 64-byte signals, medians of {RUNS}, load average at the end "
          f"{' '.join(load)}\n")
    print("| topology | revision | msgs/s | p50 / p99 (µs) | loop CPU µs / signal | syscalls / signal | acks/s "
          "| generator CPU % |")
    print("|---|---|---|---|---|---|---|---|")
    for (two, label), rs in results.items():
        med = lambda k: statistics.median(x[k] for x in rs)
        sc = [x["syscallsPerSignal"] for x in rs if x["syscallsPerSignal"] is not None]
        calls = f"{statistics.median(sc):.2f}" if sc else "—"
        acks = statistics.median(x["acks"] / x["secs"] for x in rs)
        print(f"| {'two nodes + Redis' if two else 'one node'} | {label} | {med('deliveredPerSec'):,.0f} "
              f"| {med('p50us'):,.0f} / {med('p99us'):,.0f} | {med('loopCpuUsPerSignal'):.2f} | {calls} "
              f"| {acks:,.0f} | {med('genCpuPct'):.0f} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
