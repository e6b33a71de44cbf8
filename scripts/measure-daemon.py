#!/usr/bin/env python3
"""Measures `newsdigest run` (a release build) on this machine and prints the figures:

  idle     CPU ticks the daemon uses over 10 s with nothing arriving (utime + stime, /proc)
  latency  drop-to-digest seconds for single files at rest (p50 / p99), at the default
           digest_delay_ms and at 0
  flood    N files written as fast as a scraper can, no file lost; seconds, articles per
           second, peak RSS (VmHWM)

    scripts/measure-daemon.py [--binary PATH] [--flood N] [--latency-files N]

Our own synthetic articles (scripts/make-flood.py), in a temp folder that is removed after.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class Daemon:
    def __init__(self, binary, root, delay_ms):
        self.root = root
        self.drop = os.path.join(root, "drop")
        self.digests = os.path.join(root, "digests")
        os.makedirs(self.drop, exist_ok=True)
        config = os.path.join(root, "config.toml")
        with open(config, "w") as f:
            f.write(f'[digest]\ntimezone = "UTC"\n[daemon]\ndigest_delay_ms = {delay_ms}\nsyslog = false\n')
        self.log = open(os.path.join(root, "daemon.log"), "w")
        self.p = subprocess.Popen(
            [binary, "run", "--config", config, "--drop", self.drop, "--state", os.path.join(root, "state"),
             "--digests", self.digests],
            stderr=self.log, stdout=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            with open(self.log.name) as f:
                if "watching " in f.read():
                    return
            time.sleep(0.05)
        raise SystemExit("daemon did not start: " + open(self.log.name).read())

    def digest_path(self):
        return os.path.join(self.digests, time.strftime("%Y-%m-%d", time.gmtime()) + ".json")

    def accounted(self):
        try:
            with open(self.digest_path()) as f:
                d = json.load(f)
        except (OSError, ValueError):
            return 0, {}
        return d["counts"]["files"], d

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        started = time.time()
        status = self.p.wait(timeout=60)
        return status, time.time() - started


def measure_idle(binary, root):
    d = Daemon(binary, os.path.join(root, "idle"), 500)
    time.sleep(2)  # the start-up digest write is done
    before = cpu_ticks(d.p.pid)
    time.sleep(10)
    used = cpu_ticks(d.p.pid) - before
    status, seconds = d.stop()
    return used, status, seconds


def measure_latency(binary, root, n, delay_ms):
    d = Daemon(binary, os.path.join(root, f"latency-{delay_ms}"), delay_ms)
    time.sleep(1)
    sys.path.insert(0, HERE)
    samples = []
    for i in range(n):
        name = f"single{i:04d}.txt"
        text = (f"Single report {i} on the harbour works\n\nWorkers finished stage {i} of the harbour works on "
                f"Friday, officials said. The next stage, number {i + 1}, starts soon.\n")
        tmp = os.path.join(d.drop, "." + name + ".part")
        with open(tmp, "w") as f:
            f.write(text)
        path = d.digest_path()
        t0 = time.monotonic()
        os.rename(tmp, os.path.join(d.drop, name))
        # Wait for the digest that holds it: check only when the file changes.
        last = None
        while True:
            try:
                st = os.stat(path).st_mtime_ns
            except OSError:
                st = None
            if st != last:
                last = st
                try:
                    with open(path) as f:
                        if f'"file": "{name}"' in f.read():
                            break
                except OSError:
                    pass
            time.sleep(0.001)
        samples.append(time.monotonic() - t0)
        time.sleep(0.05 + delay_ms / 1000)  # at rest: the writer is idle again
    d.stop()
    samples.sort()
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    return p(0.5), p(0.99), statistics.mean(samples)


def measure_flood(binary, root, n):
    d = Daemon(binary, os.path.join(root, "flood"), 500)
    t0 = time.monotonic()
    gen = subprocess.run([sys.executable, os.path.join(HERE, "make-flood.py"), d.drop, str(n), "--seed", "5"])
    written = time.monotonic() - t0
    if gen.returncode != 0:
        raise SystemExit("generator failed")
    # Done when the drop folder is empty and the digest accounts for every file.
    while True:
        left = sum(len(files) for _, _, files in os.walk(d.drop))
        if left == 0:
            break
        time.sleep(0.25)
    committed = time.monotonic() - t0
    while d.accounted()[0] < n:
        time.sleep(0.25)
    in_digest = time.monotonic() - t0
    rss = peak_rss_kib(d.p.pid)
    files, digest = d.accounted()
    seen = set()
    for s in digest["stories"]:
        for a in s["articles"]:
            seen.add(a["file"])
    for e in digest["exact_duplicates"]:
        seen.add(e["file"])
    for r in digest["rejected"]:
        seen.add(r["file"])
    status, stop_seconds = d.stop()
    return dict(files=files, distinct=len(seen), written=written, committed=committed, in_digest=in_digest,
                rss_mib=rss / 1024, status=status, stop=stop_seconds, stories=len(digest["stories"]))


def measure_once(binary, root, n):
    """The peer in the same run: `once` over the same files, written beforehand."""
    base = os.path.join(root, "once")
    drop = os.path.join(base, "drop")
    os.makedirs(drop)
    subprocess.run([sys.executable, os.path.join(HERE, "make-flood.py"), drop, str(n), "--seed", "5"], check=True)
    config = os.path.join(base, "config.toml")
    with open(config, "w") as f:
        f.write('[digest]\ntimezone = "UTC"\n')
    t0 = time.monotonic()
    # Its own peak RSS through a wait4 of its own (RUSAGE_CHILDREN would include the daemons).
    p = subprocess.Popen([binary, "once", "--config", config, "--drop", drop, "--state", os.path.join(base, "state"),
                          "--digests", os.path.join(base, "digests")], stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.monotonic() - t0
    if status != 0:
        raise SystemExit("once failed")
    return seconds, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "release", "newsdigest"))
    ap.add_argument("--flood", type=int, default=50000)
    ap.add_argument("--latency-files", type=int, default=100)
    a = ap.parse_args()
    root = tempfile.mkdtemp(prefix="newsdigest-measure-")
    try:
        ticks, status, seconds = measure_idle(a.binary, root)
        print(f"idle: {ticks} CPU ticks in 10 s (tick = 1/{TICK} s); SIGTERM -> exit {status} in {seconds:.2f} s")
        for delay in (250, 0):  # the default, and none
            p50, p99, mean = measure_latency(a.binary, root, a.latency_files, delay)
            print(f"latency, digest_delay_ms = {delay}: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
                  f"mean {mean * 1000:.0f} ms over {a.latency_files} single files")
        f = measure_flood(a.binary, root, a.flood)
        print(f"flood: {a.flood} files written in {f['written']:.1f} s; all committed and moved at {f['committed']:.1f} s "
              f"({a.flood / f['committed']:.0f} articles/s), all in the digest at {f['in_digest']:.1f} s; "
              f"digest holds {f['files']} files, {f['distinct']} distinct ({f['stories']} stories); "
              f"peak RSS {f['rss_mib']:.0f} MiB; SIGTERM -> exit {f['status']} in {f['stop']:.2f} s")
        once_seconds, once_rss = measure_once(a.binary, root, a.flood)
        print(f"peer, `once` on the same {a.flood} files already in place: {once_seconds:.1f} s "
              f"({a.flood / once_seconds:.0f} articles/s, digest included), peak RSS {once_rss:.0f} MiB; "
              f"daemon/once: {a.flood / f['in_digest'] / (a.flood / once_seconds):.2f}x the rate to the digest, "
              f"{f['rss_mib'] / once_rss:.2f}x the memory")
        if f["distinct"] != a.flood or f["files"] != a.flood:
            print("FILES LOST OR DOUBLED", file=sys.stderr)
            return 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
