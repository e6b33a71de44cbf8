#!/usr/bin/env python3
"""A flood into `newsdigest run`, for each build given, plotted side by side: resident memory
(VmRSS, sampled every 100 ms) and the duration of each digest write, over time.

    scripts/flood-plot.py --corpus DIR --out docs/flood.png [--label NAME=BINARY ...] [--limit N]

DIR is a drop-folder tree of article files (Benchmarks/make_corpus.py makes one; it is not part
of the repository). Its files are hard-linked into the daemon's drop folder as fast as the
kernel takes them (the daemon moves them out, so the corpus itself is left in place only if it
is on another file system or copied first: this script copies it once into a staging folder).
The run of each build ends when its digest accounts for every file. Figures are printed as
JSON; the PNG is made with matplotlib (installed into .build-bench/venv when missing).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(
    r"digest (\d{4}-\d\d-\d\d): (\d+) stories, (\d+) articles \((\d+) exact, \d+ near duplicates, (\d+) rejected\) in ([\d.]+) s"
)


def rss_kib(pid, key="VmRSS:"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def flood(binary, files, staging, limit_s):
    work = tempfile.mkdtemp(prefix="nd-flood-", dir=os.path.dirname(staging))
    drop, state, digests = (os.path.join(work, d) for d in ("drop", "state", "digests"))
    for d in (drop, state, digests):
        os.makedirs(d)
    config = os.path.join(work, "c.toml")
    with open(config, "w") as f:
        f.write('[digest]\ntimezone = "UTC"\n')
    log = open(os.path.join(work, "log"), "w+")
    proc = subprocess.Popen(
        [binary, "run", "--drop", drop, "--state", state, "--digests", digests, "--config", config],
        stdout=subprocess.DEVNULL, stderr=log)
    while "watching" not in open(log.name).read():
        time.sleep(0.05)
    start = time.time()
    samples, writes = [], []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append((time.time() - start, rss_kib(proc.pid) / 1024))
            time.sleep(0.1)

    t = threading.Thread(target=sample)
    t.start()
    for rel in files:
        target = os.path.join(drop, rel)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(os.path.join(staging, rel), target + ".part")
        os.rename(target + ".part", target)
    written = time.time() - start
    seen_files, pos = 0, 0
    while time.time() - start < limit_s:
        text = open(log.name).read()
        for m in LINE.finditer(text, pos):
            files_now = int(m.group(3)) + int(m.group(4)) + int(m.group(5))
            writes.append((time.time() - start, float(m.group(6)), files_now))
            seen_files = max(seen_files, files_now)
            pos = m.end()
        if seen_files >= len(files):
            break
        time.sleep(0.2)
    took = time.time() - start
    done.set()
    t.join()
    peak = rss_kib(proc.pid, "VmHWM:") / 1024
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    shutil.rmtree(work, ignore_errors=True)
    return {"files": len(files), "in_digest": seen_files, "seconds": took, "written_in": written,
            "peak_mib": peak, "samples": samples, "writes": writes}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--label", action="append", default=[], help="NAME=BINARY (repeatable)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many files")
    ap.add_argument("--timeout", type=float, default=900)
    a = ap.parse_args()
    labels = [l.split("=", 1) for l in a.label] or [["this build", os.path.join(ROOT, ".build/release/newsdigest")]]
    files = sorted(
        os.path.relpath(os.path.join(d, f), a.corpus) for d, _, fs in os.walk(a.corpus) for f in fs)
    if a.limit:
        files = files[: a.limit]
    staging = tempfile.mkdtemp(prefix="nd-corpus-", dir=os.path.join(ROOT, ".build-bench"))
    for rel in files:
        os.makedirs(os.path.dirname(os.path.join(staging, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(a.corpus, rel), os.path.join(staging, rel))
    results = {}
    for name, binary in labels:
        print(f"flood of {len(files)} files into {name} ({binary})", file=sys.stderr, flush=True)
        results[name] = flood(binary, files, staging, a.timeout)
        r = results[name]
        print(f"  {r['in_digest']}/{r['files']} in the digest after {r['seconds']:.1f} s, peak {r['peak_mib']:.0f} MiB",
              file=sys.stderr, flush=True)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        import matplotlib
    except ImportError:
        venv = os.path.join(ROOT, ".build-bench", "venv")
        if not os.path.exists(os.path.join(venv, "bin", "python3")):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "matplotlib"], check=True)
        data = os.path.join(ROOT, ".build-bench", "flood.json")
        json.dump(results, open(data, "w"))
        subprocess.run([os.path.join(venv, "bin", "python3"), __file__, "--plot-only", data, a.out], check=True)
    else:
        plot(results, a.out)
    print(json.dumps({k: {x: v[x] for x in ("files", "in_digest", "seconds", "written_in", "peak_mib")}
                      for k, v in results.items()}, indent=1))


def plot(results, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    for name, r in results.items():
        xs, ys = zip(*r["samples"]) if r["samples"] else ([], [])
        top.plot(xs, ys, label=f"{name} (peak {r['peak_mib']:.0f} MiB)")
        if r["writes"]:
            wx, wy, _ = zip(*r["writes"])
            bottom.plot(wx, wy, marker=".", linestyle="-", label=name)
    top.set_ylabel("resident memory (MiB)")
    top.set_title(f"newsdigest run: a flood of {next(iter(results.values()))['files']:,} files")
    top.legend()
    top.grid(alpha=0.3)
    bottom.set_ylabel("digest write (s)")
    bottom.set_xlabel("seconds since the first file")
    bottom.legend()
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--plot-only":
        plot(json.load(open(sys.argv[2])), sys.argv[3])
    else:
        main()
