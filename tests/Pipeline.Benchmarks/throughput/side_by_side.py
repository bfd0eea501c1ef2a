#!/usr/bin/env python3
"""Two builds of pipeline side by side on the same corpora, in one stretch of rounds (the order reversed every other
round, outputs moved aside untimed before each run, as run.sh does), so that a change can be shown not to slow a
workload down: the ratio of medians within one run, not figures from two different days.

    python3 side_by_side.py OLD_BIN NEW_BIN WORK [ROUNDS] [WORKLOADS...]

WORK holds the corpora (made with NEW_BIN's `generate` when missing). Workloads: hash-small, gzip-small, verify-small.
Prints a markdown table: each build's median seconds, the new build's time over the old's, and the rounds' spread."""
import os, shutil, statistics, subprocess, sys, time, uuid

old, new, work = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 7
workloads = sys.argv[5:] or ["hash-small", "gzip-small", "verify-small"]
corpus = lambda kind: os.path.join(work, "corpus", kind)
trash = os.path.join(work, "trash")
os.makedirs(trash, exist_ok=True)

for kind in {{"verify-small": "hash-small"}.get(w, w) for w in workloads}:
    if not os.path.isdir(corpus(kind)):
        subprocess.run([new, "generate", kind, corpus(kind)], check=True, stdout=subprocess.DEVNULL)
manifest = os.path.join(work, "hash-small.SHA256SUMS")
if "verify-small" in workloads and not os.path.exists(manifest):
    with open(manifest, "w") as out:
        subprocess.run("find . -type f -print0 | sort -z | xargs -0 sha256sum", shell=True, cwd=corpus("hash-small"), stdout=out, check=True)


def command(binary, workload, out):
    if workload == "verify-small":
        return [binary, "verify", manifest, "--root", corpus("hash-small"), "--quiet"]
    transform = workload.split("-")[0]
    return [binary, "run", transform, corpus(workload), "-o", out, "--quiet"]


times = {(w, b): [] for w in workloads for b in ("old", "new")}
for workload in workloads:
    for r in range(rounds + 1):  # round 0 warms the page cache and is not counted
        order = [("old", old), ("new", new)] if r % 2 == 0 else [("new", new), ("old", old)]
        for name, binary in order:
            out = os.path.join(work, "out")
            if os.path.exists(out):
                shutil.move(out, os.path.join(trash, uuid.uuid4().hex))
            subprocess.run(["sync"])
            started = time.perf_counter()
            subprocess.run(command(binary, workload, out), check=True)
            if r > 0:
                times[(workload, name)].append(time.perf_counter() - started)

print(f"| workload | old build, median s | new build, median s | new ÷ old | rounds (old; new) |")
print("|---|---:|---:|---:|---|")
for workload in workloads:
    o, n = times[(workload, "old")], times[(workload, "new")]
    fmt = lambda xs: " ".join(f"{x:.3f}" for x in xs)
    print(f"| {workload} | {statistics.median(o):.3f} | {statistics.median(n):.3f} | {statistics.median(n) / statistics.median(o):.3f} | {fmt(o)}; {fmt(n)} |")
shutil.rmtree(trash, ignore_errors=True)
