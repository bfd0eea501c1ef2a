#!/usr/bin/env python3
"""Turns the suite's hyperfine results into the markdown table docs/benchmarks-throughput.md quotes."""
import datetime, json, os, platform, subprocess, sys

work, runs = sys.argv[1], int(sys.argv[2])
results = os.path.join(work, "results")
WORKLOADS = [w for w in ["hash-small", "hash-large", "gzip-large-text", "gzip-one-large", "gzip-small", "gunzip", "csv", "verify-small",
                          "exec-small", "exec-gzip", "zstd-small", "zstd-one-large", "unzstd", "blake3-small", "blake3-large",
                          "xxh128-small", "xxh128-large"] if os.path.exists(os.path.join(results, f"{w}.json"))]
openssl_path = os.path.join(results, "openssl-sha256.kb")
openssl_kb = float(open(openssl_path).read().strip() or 0) if os.path.exists(openssl_path) else 0
# The corpus a workload reads when it is another workload's (as run.sh's corpus_of), and the compressed files the
# decompressing workloads read (the other workloads read everything else).
CORPUS = {"verify-small": "hash-small", "blake3-small": "hash-small", "xxh128-small": "hash-small", "blake3-large": "hash-large",
          "xxh128-large": "hash-large", "zstd-small": "gzip-small", "zstd-one-large": "gzip-one-large"}
COMPRESSED = {"gunzip": ".gz", "unzstd": ".zst"}
# Issue 28's targets (run.sh names them beside each workload): the pipeline's time at least `speed` times faster than
# the peer's (None: the faster of the workload's peers), and its output at most `size` times the peer's (from the
# .sizes file run.sh's check writes: its first number is ours, the `size_of`-th the peer's).
TARGETS = {
    "zstd-small": dict(peer=None, speed=1.3, size=1.01, size_of=1, size_peer="zstd -3 -r"),
    "zstd-one-large": dict(peer="zstd -3 -T2", speed=1.0, size=1.01, size_of=1, size_peer="zstd -3 -T2"),
    "unzstd": dict(peer=None, speed=1.3),
    "blake3-small": dict(peer="b3sum", speed=2.0),
    "blake3-large": dict(peer="b3sum", speed=0.9),
    "xxh128-small": dict(peer="xxh128sum", speed=2.0),
    "xxh128-large": dict(peer="xxh128sum", speed=1.3),
    "gzip-one-large": dict(peer="pigz -p2 -6", speed=1.5, size=1.01, size_of=2, size_peer="pigz -p2 -6"),
    "hash-small": dict(peer="xargs -P2 sha256sum", speed=2.0),
}


def corpus_bytes(workload):
    total, files = 0, 0
    corpus = CORPUS.get(workload, workload)
    for folder, _, names in os.walk(os.path.join(work, "corpus", corpus)):
        for name in names:
            ext = COMPRESSED.get(workload)
            if name.endswith(ext) if ext else not name.endswith((".gz", ".zst")):
                total += os.path.getsize(os.path.join(folder, name))
                files += 1
    return total, files


def sizes_of(workload):
    path = os.path.join(results, f"{workload}.sizes")
    return list(map(int, open(path).read().split())) if os.path.exists(path) else None


cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
if os.environ.get("SMALL"):
    print("**A smoke test (`SMALL=1`): every corpus at 1% of its size. These figures say nothing about speed.**")
    print()
version_path = os.path.join(results, "version.txt")
version = [line.strip() for line in open(version_path) if line.strip()] if os.path.exists(version_path) else []
print(f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}; "
      f"whole processes, median of {runs} rounds (each round runs every command of a workload once, hyperfine, in the order "
      f"reversed every other round; one untimed run of each first), page cache warm; "
      f"before each run, untimed, the previous outputs are moved aside (nothing is deleted until the end: see run.sh) and `sync`ed; "
      f"pipeline published as {os.environ.get('PIPELINE_BUILD', 'Native AOT')}"
      + (f" (`pipeline --version` {version[0]}, engines: {'; '.join(version[1:])})" if len(version) > 1 else "") + ".")
timed = [(w, datetime.datetime.fromtimestamp(os.path.getmtime(os.path.join(results, f"{w}.json")), datetime.timezone.utc)) for w in WORKLOADS]
print()
print("Each workload's rows come from one stretch of rounds, finished at (UTC): "
      + ", ".join(f"{w} {t:%Y-%m-%d %H:%M}" for w, t in timed) + ".")
print()
print("| workload | tool | median s | MB/s | files/s | its time ÷ pipeline's |")
print("|---|---|---:|---:|---:|---:|")
summary = []
for workload in WORKLOADS:
    data = json.load(open(os.path.join(results, f"{workload}.json")))["results"]
    size, files = corpus_bytes(workload)
    ours = next(r["median"] for r in data if r["command"] == "pipeline")
    peers = [r for r in data if not r["command"].startswith("pipeline")]
    fastest = min(peers, key=lambda r: r["median"])
    for r in data:
        ratio = "" if r["command"] == "pipeline" else f"{r['median'] / ours:.2f}"
        print(f"| {workload} | {r['command']} | {r['median']:.3f} | {size / 1e6 / r['median']:.1f} | {files / r['median']:.0f} | {ratio} |")
    seq = next(r["median"] for r in data if r["command"] == "pipeline --sequential")
    target = ""
    if workload in TARGETS:
        t = TARGETS[workload]
        peer = fastest if t["peer"] is None else next((r for r in data if r["command"] == t["peer"]), None)
        if peer is not None:
            speed = peer["median"] / ours
            target = f"≥ {t['speed']:.1f}x {'the faster peer' if t['peer'] is None else t['peer']}: {speed:.2f}x, {'met' if speed >= t['speed'] else '**not met**'}"
        if "size" in t and (s := sizes_of(workload)):
            ratio = s[0] / s[t["size_of"]]
            target += f"; size ≤ {t['size']:.2f}x {t['size_peer']}'s: {ratio:.4f}x, {'met' if ratio <= t['size'] else '**not met**'}"
    elif workload == "hash-large" and openssl_kb:  # 85% of two cores' OpenSSL limit
        share = size / 1e6 / ours / (2 * openssl_kb / 1000)
        target = f"≥ 85% of 2 x `openssl speed -evp sha256`: {share:.0%}, {'met' if share >= 0.85 else '**not met**'}"
    summary.append((workload, fastest["command"], fastest["median"] / ours, seq / ours, size / 1e6 / ours, target))

print()
print("| workload | fastest peer's time ÷ pipeline's | own sequential's time ÷ pipeline's | pipeline MB/s | issue's target (#28) |")
print("|---|---:|---:|---:|---|")
for workload, peer, vs_peer, vs_seq, mbs, target in summary:
    print(f"| {workload} | {vs_peer:.2f}x ({peer}) | {vs_seq:.2f}x | {mbs:.0f} | {target} |")
if openssl_kb:
    print()
    print(f"Machine limit for hashing: `openssl speed -evp sha256` = {openssl_kb / 1000:.0f} MB/s on one core, so {2 * openssl_kb / 1000:.0f} MB/s on two.")
for workload in ["gzip-large-text", "gzip-small"]:
    sizes = os.path.join(results, f"{workload}.sizes")
    if os.path.exists(sizes):
        ours, theirs = map(int, open(sizes).read().split())
        print(f"{workload}: pipeline's .gz total is {ours / theirs:.3f}x the size of `gzip -6`'s.")
if one_large := sizes_of("gzip-one-large"):
    ours, single, pigz = one_large[:3]
    libdeflate = f", {ours / one_large[3]:.3f}x libdeflate-gzip -6's" if len(one_large) > 3 else ""
    print(f"gzip-one-large: pipeline's .gz (its chunks compressed apart and joined) is {ours / single:.4f}x the size of one stream at level 6, {ours / pigz:.3f}x pigz -p2 -6's{libdeflate}.")
if zstd_small := sizes_of("zstd-small"):
    ours, zstd, xargs = zstd_small
    print(f"zstd-small: pipeline's .zst total is {ours / zstd:.4f}x the size of `zstd -3 -T2 -r`'s, {ours / xargs:.4f}x `xargs -P2 zstd -3`'s.")
if zstd_one_large := sizes_of("zstd-one-large"):
    ours, zstd = zstd_one_large
    print(f"zstd-one-large: pipeline's .zst (a frame per chunk) is {ours / zstd:.4f}x the size of `zstd -3 -T2`'s.")
memory_tsv = os.path.join(results, "memory.tsv")
if os.path.exists(memory_tsv):
    rows = [line.rstrip("\n").split("\t") for line in open(memory_tsv) if line.strip()]
    sizes = sorted({(int(r[2]), r[1]) for r in rows})
    if len(sizes) == 2:
        (small, small_name), (large, large_name) = sizes
        peaks = {(r[0], r[1]): (int(r[3]) / 1000, float(r[4])) for r in rows}  # /usr/bin/time reports KB
        print()
        print(f"Peak resident memory against the number of files (`WORKLOADS=memory`): each command once under `/usr/bin/time -f %M`, "
              f"on {small:,} and {large:,} tiny files, 500 to a folder (`pipeline generate many-small`; for `run csv`, `many-small-csv`: "
              f"one file in four has a malformed row, so `bad-rows.csv` lists rows from a quarter of the files); the resume skips every other file.")
        print()
        print(f"| command | peak MB, {small:,} files | peak MB, {large:,} files | {large_name} ÷ {small_name} | s, {large:,} files |")
        print("|---|---:|---:|---:|---:|")
        for command in dict.fromkeys(r[0] for r in rows):
            if (command, small_name) in peaks and (command, large_name) in peaks:
                (a, _), (b, seconds) = peaks[(command, small_name)], peaks[(command, large_name)]
                print(f"| `{command}` | {a:.0f} | {b:.0f} | {b / a:.2f} | {seconds:.0f} |")

for workload in ["csv"]:  # issue 15's second csv target is per core of CPU time, so the CPU time is shown too
    path = os.path.join(results, f"{workload}.json")
    if os.path.exists(path):
        size = corpus_bytes(workload)[0]
        for r in json.load(open(path))["results"]:
            if r["command"] == "pipeline":
                cpu = r["user"] + r["system"]
                print(f"{workload}: pipeline's CPU time {cpu:.2f} s (user + system, mean of the runs): {size / 1e6 / cpu:.0f} MB/s of CSV per core of CPU time.")
for check in sorted(f for f in os.listdir(results) if f.endswith(".check")):
    print(f"- {open(os.path.join(results, check)).read().strip()}")

# `pipeline bench` in one process (run.sh's last block) against the whole processes above, workload by workload.
bench_path, startup_path = os.path.join(results, "bench.json"), os.path.join(results, "startup.json")
if os.path.exists(bench_path) and os.path.exists(startup_path):
    bench = {r["workload"]: r for r in json.load(open(bench_path))["results"]}
    startup = json.load(open(startup_path))["results"][0]["median"]

    def whole(workload, command, less=0.0):
        r = next(r for r in json.load(open(os.path.join(results, f"{workload}.json")))["results"] if r["command"] == command)
        return r["median"] - less, r["min"] - less, r["max"] - less

    print()
    print("#### `pipeline bench` in process, against the whole processes above")
    print()
    print(f"`bench --size large --work-dir <the suite's corpora> --rounds {runs}` in one process, right after the suite: each speedup is "
          f"sequential median ÷ pipeline median, and the interval in brackets runs from the fastest sequential run over the slowest "
          f"pipeline run to the slowest over the fastest. The whole processes' own ratio includes the start-up of a process "
          f"(`pipeline run hash` on an empty folder: {startup * 1000:.0f} ms, median of 20) in both timings; the in-process rounds have none, "
          f"so the third column takes it off both. The two agree when their intervals overlap.")
    print()
    print("| workload | whole processes: sequential ÷ pipeline | the same, start-up taken off | `bench`, in process | agree | pipeline MB/s: whole process, start-up off / in process |")
    print("|---|---:|---:|---:|---|---:|")
    for workload in [w for w in WORKLOADS if w in bench]:
        size, _ = corpus_bytes(workload)
        b = bench[workload]
        row = []
        for less in (0.0, startup):
            s, p = whole(workload, "pipeline --sequential", less), whole(workload, "pipeline", less)
            row.append((s[0] / p[0], s[1] / p[2], s[2] / p[1]))
        lo, hi = b["speedup_low"], b["speedup_high"]
        agree = "yes" if lo <= row[1][2] and row[1][1] <= hi else "**no**"
        pipe = whole(workload, "pipeline", startup)[0]
        print(f"| {workload} | {row[0][0]:.2f}x ({row[0][1]:.2f}-{row[0][2]:.2f}) | {row[1][0]:.2f}x ({row[1][1]:.2f}-{row[1][2]:.2f}) | "
              f"{b['speedup']:.2f}x ({lo:.2f}-{hi:.2f}) | {agree} | {size / 1e6 / pipe:.0f} / {b['pipeline']['mb_per_s']:.0f} |")
    for workload in [w for w in WORKLOADS if w in bench]:
        for note in bench[workload]["notes"]:
            print(f"- bench, {workload}: {note}")
