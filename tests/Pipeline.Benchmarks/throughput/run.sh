#!/usr/bin/env bash
# The side-by-side throughput suite: pipeline against the tools a user would pick instead, timed as whole
# processes with hyperfine on the same seeded corpora, in one run, outputs checked against each other.
#
#   bash tests/Pipeline.Benchmarks/throughput/run.sh            # all workloads, 5 measured runs each
#   RUNS=3 WORKLOADS="hash-small csv" bash tests/.../run.sh     # fewer
#   WORKLOADS=verify-small bash tests/.../run.sh                  # pipeline verify against sha256sum -c (hash-small's corpus)
#   WORKLOADS=gzip-one-large bash tests/.../run.sh                # one 512 MiB text file: pipeline against pigz -p2 and gzip
#   WORKLOADS=gunzip bash tests/.../run.sh                        # the gzip corpora, compressed by the pipeline, decompressed
#   WORKLOADS="exec-small exec-gzip" bash tests/.../run.sh          # run exec: 3,000 x 4 KiB through tr, 48 x 4 MiB through gzip -6 -c, against xargs -P2 and GNU parallel
#   WORKLOADS=memory bash tests/.../run.sh                        # peak RSS at 50,000 and 1,000,000 tiny files (not in the default set: ~15 min, 2M files on disk)
#   WORKLOADS="hash-small csv bench" bash tests/.../run.sh         # and `pipeline bench` in process on the same corpora (see the end)
#
# Issue 28's formats, not in the default set either (each names its target where its commands are defined, below):
#   WORKLOADS="zstd-small zstd-one-large unzstd" bash tests/.../run.sh            # run zstd / unzstd against zstd -3 -T2 -r --output-dir-mirror, xargs -P2 zstd -3, zstd -d both ways
#   WORKLOADS="blake3-small blake3-large xxh128-small xxh128-large" bash ...      # hash --algorithm blake3 / xxh128 against b3sum and xxh128sum
#   (gzip-one-large, in the default set, also times libdeflate-gzip -6 beside pigz -p2 -6.)
#
#   SMALL=1 RUNS=1 WORKLOADS="zstd-small unzstd" bash tests/.../run.sh            # smoke test of the script itself: every corpus at 1% of
#       its size (generate --scale 0.01; exec's and memory's likewise), in $WORK-small, no 61 s pauses, the table written to
#       $WORK-small/RESULTS.md instead of RESULTS.md. Its figures mean nothing; it only shows that the commands and checks run.
#
# Installs what it needs with apt-get (hyperfine, GNU parallel, pigz, Miller; zstd, b3sum, xxhash, libdeflate-tools for the
# workloads above). Corpora are generated once into $WORK/corpus (seeded, so the same bytes every time) and kept; results
# go to $WORK/results and the markdown table to tests/Pipeline.Benchmarks/throughput/RESULTS.md, which
# docs/benchmarks-throughput.md quotes. PIPELINE_BIN=/path/to/pipeline skips the publish (see below).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
export SMALL="${SMALL:-}" # report.py says so at the top of a smoke test's table
if [ -n "$SMALL" ]; then
  WORK="${WORK:-/tmp/pipeline-throughput}-small" # never the full-size corpora's folder: both kept, neither mistaken for the other
  SCALE=0.01
  RESULTS="${RESULTS:-$WORK/RESULTS.md}"
else
  WORK="${WORK:-/tmp/pipeline-throughput}"
  SCALE=1
fi
RUNS="${RUNS:-5}"
WORKLOADS="${WORKLOADS:-hash-small hash-large gzip-large-text gzip-one-large gzip-small gunzip csv verify-small bench}"
export LC_ALL=C

need=()
tools="hyperfine parallel pigz mlr python3 openssl gzip sha256sum"
for w in $WORKLOADS; do
  case $w in
    zstd-*|unzstd) tools+=" zstd" ;;
    blake3-*) tools+=" b3sum" ;;
    xxh128-*) tools+=" xxh128sum" ;;
    gzip-one-large) tools+=" libdeflate-gzip" ;;
  esac
done
for tool in $tools; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
# Native AOT links with a C toolchain: gcc unless clang is there (only when this script publishes the tool itself).
[ -z "${PIPELINE_BIN:-}" ] && ! command -v clang >/dev/null && ! command -v gcc >/dev/null && need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  packages=$(printf '%s\n' "${need[@]}" | sed -e 's/^mlr$/miller/' -e 's/^sha256sum$/coreutils/' -e 's/^xxh128sum$/xxhash/' -e 's/^libdeflate-gzip$/libdeflate-tools/' | sort -u | tr '\n' ' ')
  echo "installing: $packages"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $packages >/dev/null
fi
# GNU parallel asks for a citation once; this run is not interactive.
mkdir -p ~/.parallel && touch ~/.parallel/will-cite

# Published the way docs/deploying.md recommends for short, frequent runs: Native AOT (machine code, no JIT and no
# runtime to load: a run starts in milliseconds, and nothing is compiled while the work runs on the same two cores).
# Its own artifacts folder keeps this build apart from the source tree's. tests/aot/run.sh (in CI) checks that this
# build does what the JIT build does. PIPELINE_BIN=/path/to/pipeline measures another build instead; PIPELINE_BUILD
# then says in the table how it was built (e.g. "self-contained, ReadyToRun composite, tiering off").
if [ -n "${PIPELINE_BIN:-}" ]; then
  P="$PIPELINE_BIN"
  PIPELINE_BUILD="${PIPELINE_BUILD:-$P}"
else
  echo "publishing pipeline (Release, Native AOT; takes a minute or two)"
  dotnet publish "$ROOT/src/Pipeline.Cli" -c Release -r linux-x64 -p:PublishAot=true \
    --artifacts-path "$WORK/artifacts" -o "$WORK/bin" -nologo -v q >/dev/null
  P="$WORK/bin/pipeline"
  PIPELINE_BUILD="Native AOT"
fi
export PIPELINE_BUILD # report.py names it
mkdir -p "$WORK/results"
"$P" --version > "$WORK/results/version.txt" # its version and the engines it uses here (gzip: libdeflate or zlib-ng), which report.py quotes
PY="$HERE/asyncio_peer.py"

corpus_of() { # the corpus a workload reads: where the issue's sizes match an existing corpus, that one
  case $1 in
    verify-small|blake3-small|xxh128-small) echo hash-small ;; # 20,000 files of 1-8 KiB
    blake3-large|xxh128-large) echo hash-large ;;              # 4 x 256 MiB
    zstd-small) echo gzip-small ;;                             # 20,000 small text files
    zstd-one-large) echo gzip-one-large ;;                     # one 512 MiB text file
    memory|bench|exec-*) ;;                                    # their own (bench uses the others')
    *) echo "$1" ;;
  esac
}
sources_of() { case $1 in gunzip|unzstd) echo gzip-small gzip-large-text ;; *) corpus_of "$1" ;; esac; } # the generated corpora a workload needs
mkdir -p "$WORK/corpus" "$WORK/results"
for kind in $(for w in $WORKLOADS; do sources_of "$w"; done | sort -u); do
  if [ ! -d "$WORK/corpus/$kind" ]; then
    echo "generating $kind"
    "$P" generate "$kind" "$WORK/corpus/$kind" --scale "$SCALE" >/dev/null
  fi
done
# exec's corpora, seeded: one flat folder each, as the peers' one-line commands expect (no folders to make).
# exec-small: 3,000 text files of 4 KiB (process start-up bound); exec-gzip: 48 text files of 4 MiB (CPU bound).
for w in $WORKLOADS; do
  case $w in exec-small|exec-gzip)
    if [ ! -d "$WORK/corpus/$w" ]; then
      echo "generating $w"
      python3 - "$WORK/corpus/$w.partial" "$w" "$SCALE" <<'PYGEN'
import os, random, sys
root, kind, scale = sys.argv[1], sys.argv[2], float(sys.argv[3])
count, size = (3000, 4096) if kind == "exec-small" else (48, 4 << 20)
count = max(1, round(count * scale))
rng = random.Random(27)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
os.makedirs(root)
for i in range(count):
    text, n = [], 0
    while n < size:
        line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14))) + "\n"
        text.append(line)
        n += len(line)
    with open(os.path.join(root, f"f{i:04d}.txt"), "w") as f:
        f.write("".join(text)[:size])
PYGEN
      mv "$WORK/corpus/$w.partial" "$WORK/corpus/$w"
    fi
    ;;
  esac
done

# gunzip's corpus: the two gzip corpora compressed by the pipeline, laid out as `pipeline bench` lays out its own
# (gunzip/gzip-small/, gunzip/gzip-large-text/), so the bench below decompresses the very files timed here.
if [[ " $WORKLOADS " == *" gunzip "* ]] && [ ! -d "$WORK/corpus/gunzip" ]; then
  echo "compressing gzip-small and gzip-large-text for gunzip"
  for source in gzip-small gzip-large-text; do
    "$P" run gzip "$WORK/corpus/$source" -o "$WORK/corpus/gunzip.partial/$source" --quiet
    rm -rf "$WORK/corpus/gunzip.partial/$source/.pipeline"
  done
  mv "$WORK/corpus/gunzip.partial" "$WORK/corpus/gunzip"
fi
# unzstd's, likewise: the same two corpora compressed by `pipeline run zstd` (a frame per chunk; unzstd decompresses a
# file's frames one after another, as zstd -d does, so that layout gives it no head start), as `pipeline bench` lays out its own.
if [[ " $WORKLOADS " == *" unzstd "* ]] && [ ! -d "$WORK/corpus/unzstd" ]; then
  echo "compressing gzip-small and gzip-large-text with zstd for unzstd"
  for source in gzip-small gzip-large-text; do
    "$P" run zstd "$WORK/corpus/$source" -o "$WORK/corpus/unzstd.partial/$source" --quiet
    rm -rf "$WORK/corpus/unzstd.partial/$source/.pipeline"
  done
  mv "$WORK/corpus/unzstd.partial" "$WORK/corpus/unzstd"
fi
sync

# Nothing is deleted between timed runs. On ext4 without a journal (these machines), inodes freed in the last
# 60 s are skipped when a new file is created, so a run that follows the deletion of a previous 20,000-file
# output spends most of its time in the kernel's inode allocator (perf: find_inode_bit / recently_deleted),
# whatever the tool. So each run's outputs are moved aside into $WORK/trash (a rename), the in-place peers
# (gzip -k, pigz -k) work on a fresh hard-linked copy of the corpus ($WORK/inplace), and the trash is deleted
# once, at the end, followed by a pause that lets the freed inodes age before anything else is timed.
OUT="$WORK/out"
INPLACE="$WORK/inplace"
TRASH="$WORK/trash"
settle() { # delete the trash, then wait out ext4's reuse window for the freed inodes
  if [ -e "$TRASH" ] || [ -e "$OUT" ] || [ -e "$INPLACE" ]; then
    rm -rf "$TRASH" "$OUT" "$INPLACE"; sync
    [ -n "$SMALL" ] && return 0 # a smoke test: its figures mean nothing, so no pause
    echo "waiting 61 s for freed inodes to age (ext4 skips inodes freed in the last 60 s)"; sleep 61
  fi
}
settle
mkdir -p "$TRASH"
clean_for() { # the untimed step before each run of a workload; only the gzip peers write beside their inputs
  local link=""
  case $1 in gzip-*|gunzip) link="mkdir -p '$INPLACE/$1'; cp -al '$WORK/corpus/$1/.' '$INPLACE/$1/'; " ;; esac
  echo "mkdir -p '$OUT' '$INPLACE'; mv '$OUT' '$INPLACE' \"\$(mktemp -d '$TRASH/XXXXXX')/\"; mkdir -p '$OUT' '$INPLACE'; ${link}sync"
}

# A workload's commands are timed in rounds: each round runs every command once, and the order is reversed every
# other round, so that no command always runs first, or always right after the same one (the machine's state drifts
# over a minute: writeback, other jobs, the kernel's caches), and a command's runs are spread over the whole stretch
# instead of back to back. The first round runs each command once more, untimed, right before its timed run.
bench() { # workload, then pairs of name and command
  local workload=$1; shift
  local names=() commands=()
  while [ $# -gt 0 ]; do names+=("$1"); commands+=("$2"); shift 2; done
  echo "== $workload"
  local round files=() i order args
  for round in $(seq 1 "$RUNS"); do
    order=$(seq 0 $((${#names[@]} - 1)))
    [ $((round % 2)) -eq 0 ] && order=$(echo "$order" | tac)
    args=()
    for i in $order; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
    hyperfine --warmup $((round == 1 ? 1 : 0)) --runs 1 --prepare "$(clean_for "$workload")" \
      --export-json "$WORK/results/$workload.round$round.json" --style basic "${args[@]}"
    files+=("$WORK/results/$workload.round$round.json")
  done
  python3 "$HERE/rounds.py" "$WORK/results/$workload.json" "${files[@]}"
  rm -f "${files[@]}"
}

# Peak resident memory against the number of files: the same commands on 50,000 and on 1,000,000 tiny files
# (many-small: one byte each; many-small-csv: a header and one to three rows, one file in four with a malformed row),
# 500 to a folder. Each command runs once per size under /usr/bin/time (peak RSS, %M), on a fresh output folder.
# The resume half: a first run takes the even-numbered files only (--include, so its journal holds every other file,
# interleaved with the rest: the resume's skips and its work alternate all the way through the walk), then
# `--resume` over the whole tree skips that half and hashes the other; only the resume is measured.
memory_workload() {
  local sizes="50k:0.05 1m:1" tsv="$WORK/results/memory.tsv"
  [ -n "$SMALL" ] && sizes="500:0.0005 10k:0.01"
  : > "$tsv"
  for size in $sizes; do
    local name=${size%%:*} scale=${size#*:}
    for kind in many-small many-small-csv; do
      if [ ! -d "$WORK/corpus/$kind-$name" ]; then
        echo "generating $kind at --scale $scale"
        "$P" generate "$kind" "$WORK/corpus/$kind-$name" --scale "$scale" >/dev/null
      fi
    done
    local IN="$WORK/corpus/many-small-$name" CSV="$WORK/corpus/many-small-csv-$name" files
    files=$(find "$IN" -type f | wc -l)
    sync
    peak() { # label, then the command; exit 1 (some files failed) is not expected, so any non-zero exit stops the suite
      local label=$1; shift
      /usr/bin/time -f "%M %e" -o "$WORK/results/memory.time" "$@" >/dev/null
      read -r kb seconds < "$WORK/results/memory.time"
      printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$files" "$kb" "$seconds" | tee -a "$tsv"
    }
    rm -rf "$OUT"; mkdir -p "$OUT"
    peak "run hash" "$P" run hash "$IN" -o "$OUT/hash" --quiet
    peak "run csv" "$P" run csv "$CSV" -o "$OUT/csv" --quiet
    peak "run gzip" "$P" run gzip "$IN" -o "$OUT/gzip" --quiet
    "$P" run hash "$IN" -o "$OUT/resume" --quiet --include '**/*0.bin' --include '**/*2.bin' --include '**/*4.bin' --include '**/*6.bin' --include '**/*8.bin'
    peak "run hash --resume (half skipped)" "$P" run hash "$IN" -o "$OUT/resume" --quiet --resume

    # The outputs are right: the manifests of the whole run and of the resume are one, sha256sum -c passes on it,
    # the bad rows are listed, the .gz files are valid.
    cmp "$OUT/hash/SHA256SUMS" "$OUT/resume/SHA256SUMS"
    [ "$(wc -l < "$OUT/hash/SHA256SUMS")" -eq "$files" ]
    (cd "$IN" && sha256sum -c --quiet "$OUT/hash/SHA256SUMS")
    local bad
    bad=$(($(wc -l < "$OUT/csv/bad-rows.csv") - 1))
    [ "$bad" -gt 0 ]
    (cd "$OUT/gzip" && find . -name '*.gz' -print0 | xargs -0 -n 2000 gzip -t)
    echo "check memory $name: $files files; whole-run and resumed manifests identical, sha256sum -c passes; $bad bad rows listed; gzip -t passes" | tee "$WORK/results/memory-$name.check"
    mv "$OUT" "$(mktemp -d "$TRASH/XXXXXX")/"
  done
  rm -f "$WORK/results/memory.time"
}

for workload in $WORKLOADS; do
  if [ "$workload" = memory ]; then
    memory_workload
    continue
  fi
  [ "$workload" = bench ] && continue # timed last, below
  IN="$WORK/corpus/$(corpus_of "$workload")"
  case $workload in exec-*) IN="$WORK/corpus/$workload" ;; esac
  if [ "$workload" = verify-small ]; then # the manifest a user has: GNU sha256sum's, written once, outside the tree
    M="$WORK/verify-small.SHA256SUMS"
    [ -f "$M" ] || (cd "$IN" && find . -type f -print0 | sort -z | xargs -0 sha256sum > "$M")
  fi
  case $workload in # the BLAKE3 and XXH128 workloads: the algorithm, its tool, our manifest's name and the tool's check
    blake3-*) algorithm=blake3 tool=b3sum sums=B3SUMS check="b3sum --check --quiet" ;;
    xxh128-*) algorithm=xxh128 tool=xxh128sum sums=XXH128SUMS check="xxh128sum -c --quiet" ;;
  esac
  case $workload in
    verify-small)
      bench "$workload" \
        "pipeline" "'$P' verify '$M' --root '$IN' --quiet" \
        "pipeline --sequential" "'$P' verify '$M' --root '$IN' --quiet --sequential" \
        "sha256sum -c" "cd '$IN' && sha256sum -c --quiet '$M'"
      ;;
    hash-small|hash-large)
      bench "$workload" \
        "pipeline" "'$P' run hash '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run hash '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "sha256sum" "cd '$IN' && find . -type f -print0 | sort -z | xargs -0 sha256sum > '$OUT/sha256sum.txt'" \
        "xargs -P2 sha256sum" "cd '$IN' && find . -type f -print0 | xargs -0 -P2 -n 1000 sha256sum > '$OUT/xargs.txt'" \
        "parallel -X -j2 sha256sum" "cd '$IN' && find . -type f -print0 | parallel -0 -X -j2 sha256sum > '$OUT/parallel.txt'" \
        "python asyncio" "python3 '$PY' hash '$IN' '$OUT/asyncio'"
      ;;
    gzip-large-text|gzip-small)
      bench "$workload" \
        "pipeline" "'$P' run gzip '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run gzip '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "xargs -P2 gzip -6" "cd '$INPLACE/$workload' && find . -type f -print0 | xargs -0 -P2 -n 100 gzip -6 -k -f" \
        "pigz -p2 -6" "cd '$INPLACE/$workload' && find . -type f -print0 | xargs -0 -n 100 pigz -p2 -6 -k -f" \
        "parallel -X -j2 gzip -6" "cd '$INPLACE/$workload' && find . -type f -print0 | parallel -0 -X -j2 gzip -6 -k -f" \
        "python asyncio" "python3 '$PY' gzip '$IN' '$OUT/asyncio'"
      ;;
    gunzip)
      bench "$workload" \
        "pipeline" "'$P' run gunzip '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run gunzip '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "xargs -P2 gzip -d" "cd '$INPLACE/$workload' && find . -name '*.gz' -print0 | xargs -0 -P2 -n 100 gzip -d -k -f" \
        "parallel -X -j2 gzip -d" "cd '$INPLACE/$workload' && find . -name '*.gz' -print0 | parallel -0 -X -j2 gzip -d -k -f"
      ;;
    gzip-one-large) # one file: the pipeline's parallelism comes from compressing its chunks at once
      bench "$workload" \
        "pipeline" "'$P' run gzip '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run gzip '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "pigz -p2 -6" "cd '$INPLACE/$workload' && pigz -p2 -6 -k -f large00.txt" \
        "libdeflate-gzip -6" "libdeflate-gzip -6 -c '$IN/large00.txt' > '$OUT/libdeflate.gz'" \
        "gzip -6" "cd '$INPLACE/$workload' && gzip -6 -k -f large00.txt"
      ;; # target (#28): at least 1.5x pigz -p2 -6, at most 1.01x its size, gzip -t passes (with libdeflate; without it, the figures above hold)
    zstd-small) # target (#28): at least 1.3x the faster of the two zstd peers, total size within 1% of theirs; zstd -t accepts every output
      bench "$workload" \
        "pipeline" "'$P' run zstd '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run zstd '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "zstd -3 -T2 -r" "cd '$IN' && zstd -3 -T2 -q -r . --output-dir-mirror '$OUT/zstd'" \
        "xargs -P2 zstd -3" "cd '$IN' && find . -type f -print0 | xargs -0 -P2 -n 100 zstd -3 -q --output-dir-mirror '$OUT/xargs'"
      ;;
    zstd-one-large) # target (#28): at least 1.0x zstd -3 -T2, at most 1.01x its size; zstd -t and zstd -d accept the output
      bench "$workload" \
        "pipeline" "'$P' run zstd '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run zstd '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "zstd -3 -T2" "zstd -3 -T2 -q '$IN/large00.txt' -o '$OUT/zstd.zst'"
      ;;
    unzstd) # target (#28): at least 1.3x the faster of the two zstd -d peers; every output identical to the original
      bench "$workload" \
        "pipeline" "'$P' run unzstd '$IN' -o '$OUT/pipeline' --quiet" \
        "pipeline --sequential" "'$P' run unzstd '$IN' -o '$OUT/sequential' --quiet --sequential" \
        "zstd -d -r" "cd '$IN' && zstd -d -q -r . --output-dir-mirror '$OUT/zstd'" \
        "xargs -P2 zstd -d" "cd '$IN' && find . -name '*.zst' -print0 | xargs -0 -P2 -n 100 zstd -d -q --output-dir-mirror '$OUT/xargs'"
      ;;
    blake3-small|blake3-large|xxh128-small|xxh128-large)
      # targets (#28): blake3-small at least 2x b3sum, blake3-large at least 0.9x b3sum (which hashes a large file on both
      # cores); xxh128-small at least 2x xxh128sum, xxh128-large at least 1.3x; manifests identical to the tool's own
      # output (the same order: the tool is given the paths sorted as the pipeline sorts them) and its check passes.
      bench "$workload" \
        "pipeline" "'$P' run hash '$IN' -o '$OUT/pipeline' --algorithm $algorithm --quiet" \
        "pipeline --sequential" "'$P' run hash '$IN' -o '$OUT/sequential' --algorithm $algorithm --quiet --sequential" \
        "$tool" "cd '$IN' && find . -type f -printf '%P\\0' | sort -z | xargs -0 $tool > '$OUT/$tool.txt'"
      ;;
    exec-small) # a process per file: what it costs to start one is the figure (the peers start sh and tr, or perl, sh and tr)
      bench "$workload" \
        "pipeline" "'$P' run exec '$IN' -o '$OUT/pipeline' --quiet -- tr a-z A-Z" \
        "pipeline --sequential" "'$P' run exec '$IN' -o '$OUT/sequential' --quiet --sequential -- tr a-z A-Z" \
        "xargs -P2 sh -c" "mkdir -p '$OUT/xargs' && cd '$IN' && find . -type f -print0 | O='$OUT/xargs' xargs -0 -P2 -n1 sh -c 'tr a-z A-Z < \"\$0\" > \"\$O/\$0\"'" \
        "parallel -j2" "mkdir -p '$OUT/parallel' && cd '$IN' && find . -type f | parallel -j2 'tr a-z A-Z < {} > $OUT/parallel/{}'"
      ;;
    exec-gzip) # CPU bound: gzip -6 -c on 4 MiB files, two at a time
      bench "$workload" \
        "pipeline" "'$P' run exec '$IN' -o '$OUT/pipeline' --quiet --output-name '{rel}.gz' -- gzip -6 -c" \
        "pipeline --sequential" "'$P' run exec '$IN' -o '$OUT/sequential' --quiet --sequential --output-name '{rel}.gz' -- gzip -6 -c" \
        "xargs -P2 sh -c" "mkdir -p '$OUT/xargs' && cd '$IN' && find . -type f -print0 | O='$OUT/xargs' xargs -0 -P2 -n1 sh -c 'gzip -6 -c < \"\$0\" > \"\$O/\$0.gz\"'"
      ;;
    csv)
      mlr_cmd="mlr --icsv --ocsv --allow-ragged-csv-input filter '\$amount > 500' then cut -o -f id,city,amount"
      bench "$workload" \
        "pipeline" "'$P' run csv '$IN' -o '$OUT/pipeline' --select id,city,amount --where 'amount>500' --quiet" \
        "pipeline --sequential" "'$P' run csv '$IN' -o '$OUT/sequential' --select id,city,amount --where 'amount>500' --quiet --sequential" \
        "mlr" "mkdir -p '$OUT/mlr' && cd '$IN' && for f in *.csv; do $mlr_cmd \"\$f\" > '$OUT/mlr/'\"\$f\"; done" \
        "parallel -j2 mlr" "mkdir -p '$OUT/mlrp' && cd '$IN' && ls *.csv | parallel -j2 \"${mlr_cmd//\$/\\\$} {} > '$OUT/mlrp/{}'\"" \
        "python asyncio" "python3 '$PY' csv '$IN' '$OUT/asyncio'" \
        "python processes" "python3 '$PY' csv-processes '$IN' '$OUT/processes'"
      ;;
  esac

  if [ "$workload" = hash-large ]; then # the machine's hashing limit, measured next to the timings it is compared with
    openssl speed -evp sha256 -bytes 1048576 -seconds 2 2>/dev/null | awk '/^sha256/ {print $NF}' | sed 's/k$//' > "$WORK/results/openssl-sha256.kb"
  fi

  # Outputs checked against each other, from one more untimed run of each.
  eval "$(clean_for "$workload")"
  case $workload in
    verify-small)
      "$P" verify "$M" --root "$IN" --quiet
      (cd "$IN" && sha256sum -c --quiet "$M")
      echo "check verify-small: pipeline verify and sha256sum -c both pass on the same $(wc -l < "$M")-line manifest" | tee "$WORK/results/$workload.check"
      ;;
    hash-small|hash-large)
      "$P" run hash "$IN" -o "$OUT/pipeline" --quiet
      (cd "$IN" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sed 's#  \./#  #' | sort -k2 > "$OUT/sha256sum.txt")
      python3 "$PY" hash "$IN" "$OUT/asyncio"
      sort -k2 "$OUT/pipeline/SHA256SUMS" | cmp - "$OUT/sha256sum.txt"
      cmp "$OUT/pipeline/SHA256SUMS" "$OUT/asyncio/SHA256SUMS"
      (cd "$IN" && sha256sum -c --quiet "$OUT/pipeline/SHA256SUMS")
      echo "check $workload: manifest = sha256sum = asyncio; sha256sum -c passes" | tee "$WORK/results/$workload.check"
      ;;
    gzip-large-text|gzip-small)
      "$P" run gzip "$IN" -o "$OUT/pipeline" --quiet
      (cd "$INPLACE/$workload" && find . -type f ! -name '*.gz' -print0 | xargs -0 -P2 -n 100 gzip -6 -k -f)
      ours=$(find "$OUT/pipeline" -name '*.gz' -printf '%s\n' | awk '{s+=$1} END {print s}')
      theirs=$(find "$INPLACE/$workload" -name '*.gz' -printf '%s\n' | awk '{s+=$1} END {print s}')
      (cd "$OUT/pipeline" && find . -name '*.gz' -print0 | xargs -0 -n 500 gzip -t)
      (cd "$IN" && find . -type f ! -name '*.gz' | sort | awk 'NR <= 200' | while read -r f; do gzip -dc "$OUT/pipeline/$f.gz" | cmp -s - "$f" || { echo "round trip differs: $f"; exit 1; }; done)
      echo "check $workload: gzip -t passes; round trip identical; size vs gzip -6: $(python3 -c "print(f'{$ours/$theirs:.3f}')")" | tee "$WORK/results/$workload.check"
      echo "$ours $theirs" > "$WORK/results/$workload.sizes"
      ;;
    gunzip)
      "$P" run gunzip "$IN" -o "$OUT/pipeline" --quiet
      "$P" run gunzip "$IN" -o "$OUT/sequential" --quiet --sequential
      for source in gzip-small gzip-large-text; do
        diff -r -x .pipeline "$OUT/pipeline/$source" "$WORK/corpus/$source"
        diff -r -x .pipeline "$OUT/sequential/$source" "$WORK/corpus/$source"
      done
      (cd "$INPLACE/$workload" && find . -name '*.gz' -print0 | xargs -0 -P2 -n 100 gzip -d -k -f)
      diff -r -x '*.gz' "$INPLACE/$workload" "$OUT/pipeline" -x .pipeline
      echo "check gunzip: pipeline = --sequential = gzip -d = the original corpora, file for file" | tee "$WORK/results/$workload.check"
      ;;
    gzip-one-large)
      "$P" run gzip "$IN" -o "$OUT/pipeline" --quiet
      "$P" run gzip "$IN" -o "$OUT/sequential" --quiet --sequential
      (cd "$INPLACE/$workload" && pigz -p2 -6 -k -f large00.txt)
      # The single-stream reference: the whole file as one GZipStream at level 6, what a file that fits one chunk gets.
      dotnet run "$HERE/single_stream_gzip.cs" -- "$IN/large00.txt" "$OUT/single-stream.gz"
      cmp "$OUT/pipeline/large00.txt.gz" "$OUT/sequential/large00.txt.gz"
      gzip -t "$OUT/pipeline/large00.txt.gz"
      gzip -dc "$OUT/pipeline/large00.txt.gz" | cmp - "$IN/large00.txt"
      ours=$(stat -c %s "$OUT/pipeline/large00.txt.gz"); single=$(stat -c %s "$OUT/single-stream.gz"); pigz_size=$(stat -c %s "$INPLACE/$workload/large00.txt.gz")
      echo "check gzip-one-large: pipeline = --sequential byte for byte; gzip -t passes; round trip identical; size vs one stream at level 6: $(python3 -c "print(f'{$ours/$single:.4f}')"), vs pigz -p2 -6: $(python3 -c "print(f'{$ours/$pigz_size:.3f}')")" | tee "$WORK/results/$workload.check"
      libdeflate-gzip -6 -c "$IN/large00.txt" > "$OUT/libdeflate.gz"
      libdeflate_size=$(stat -c %s "$OUT/libdeflate.gz")
      echo "check gzip-one-large: pipeline = --sequential byte for byte; gzip -t passes; round trip identical; size vs one stream at level 6: $(python3 -c "print(f'{$ours/$single:.4f}')"), vs pigz -p2 -6: $(python3 -c "print(f'{$ours/$pigz_size:.3f}')"), vs libdeflate-gzip -6: $(python3 -c "print(f'{$ours/$libdeflate_size:.3f}')"); gzip engine: $(sed -n 's/^ *gzip: //p' "$WORK/results/version.txt")" | tee "$WORK/results/$workload.check"
      echo "$ours $single $pigz_size $libdeflate_size" > "$WORK/results/$workload.sizes"
      ;;
    zstd-small)
      "$P" run zstd "$IN" -o "$OUT/pipeline" --quiet
      "$P" run zstd "$IN" -o "$OUT/sequential" --quiet --sequential
      (cd "$IN" && zstd -3 -T2 -q -r . --output-dir-mirror "$OUT/zstd")
      (cd "$IN" && find . -type f -print0 | xargs -0 -P2 -n 100 zstd -3 -q --output-dir-mirror "$OUT/xargs")
      diff -r -x .pipeline "$OUT/pipeline" "$OUT/sequential"
      files=$(find "$IN" -type f | wc -l)
      for out in pipeline zstd xargs; do
        [ "$(find "$OUT/$out" -name '*.zst' | wc -l)" -eq "$files" ] || { echo "$out wrote $(find "$OUT/$out" -name '*.zst' | wc -l) .zst files for $files inputs"; exit 1; }
      done
      (cd "$OUT/pipeline" && find . -name '*.zst' -print0 | xargs -0 -n 500 zstd -t -q)
      (cd "$IN" && find . -type f | sort | awk 'NR <= 200' | while read -r f; do zstd -dcq "$OUT/pipeline/$f.zst" | cmp -s - "$f" || { echo "round trip differs: $f"; exit 1; }; done)
      total() { find "$1" -name '*.zst' -printf '%s\n' | awk '{s+=$1} END {print s}'; }
      ours=$(total "$OUT/pipeline"); theirs=$(total "$OUT/zstd"); xargs_size=$(total "$OUT/xargs")
      echo "check zstd-small: pipeline = --sequential byte for byte; zstd -t passes on all $files; round trip identical; size vs zstd -3 -r: $(python3 -c "print(f'{$ours/$theirs:.4f}')"), vs xargs -P2 zstd -3: $(python3 -c "print(f'{$ours/$xargs_size:.4f}')")" | tee "$WORK/results/$workload.check"
      echo "$ours $theirs $xargs_size" > "$WORK/results/$workload.sizes"
      ;;
    zstd-one-large)
      "$P" run zstd "$IN" -o "$OUT/pipeline" --quiet
      "$P" run zstd "$IN" -o "$OUT/sequential" --quiet --sequential
      zstd -3 -T2 -q "$IN/large00.txt" -o "$OUT/zstd.zst"
      cmp "$OUT/pipeline/large00.txt.zst" "$OUT/sequential/large00.txt.zst"
      zstd -t -q "$OUT/pipeline/large00.txt.zst"
      zstd -dcq "$OUT/pipeline/large00.txt.zst" | cmp - "$IN/large00.txt"
      ours=$(stat -c %s "$OUT/pipeline/large00.txt.zst"); theirs=$(stat -c %s "$OUT/zstd.zst")
      echo "check zstd-one-large: pipeline = --sequential byte for byte; zstd -t passes; zstd -d gives the original; size vs zstd -3 -T2: $(python3 -c "print(f'{$ours/$theirs:.4f}')")" | tee "$WORK/results/$workload.check"
      echo "$ours $theirs" > "$WORK/results/$workload.sizes"
      ;;
    unzstd)
      "$P" run unzstd "$IN" -o "$OUT/pipeline" --quiet
      "$P" run unzstd "$IN" -o "$OUT/sequential" --quiet --sequential
      (cd "$IN" && zstd -d -q -r . --output-dir-mirror "$OUT/zstd")
      (cd "$IN" && find . -name '*.zst' -print0 | xargs -0 -P2 -n 100 zstd -d -q --output-dir-mirror "$OUT/xargs")
      for out in pipeline sequential zstd xargs; do
        for source in gzip-small gzip-large-text; do
          diff -r -x .pipeline "$OUT/$out/$source" "$WORK/corpus/$source"
        done
      done
      echo "check unzstd: pipeline = --sequential = zstd -d -r = xargs -P2 zstd -d = the original corpora, byte for byte ($(find "$IN" -name '*.zst' | wc -l) files)" | tee "$WORK/results/$workload.check"
      ;;
    blake3-small|blake3-large|xxh128-small|xxh128-large)
      "$P" run hash "$IN" -o "$OUT/pipeline" --algorithm "$algorithm" --quiet
      "$P" run hash "$IN" -o "$OUT/sequential" --algorithm "$algorithm" --quiet --sequential
      (cd "$IN" && find . -type f -printf '%P\0' | sort -z | xargs -0 "$tool") > "$OUT/$tool.txt"
      cmp "$OUT/pipeline/$sums" "$OUT/sequential/$sums"
      cmp "$OUT/pipeline/$sums" "$OUT/$tool.txt"
      (cd "$IN" && $check "$OUT/pipeline/$sums")
      echo "check $workload: $sums = --sequential's = $tool's own output byte for byte ($(wc -l < "$OUT/pipeline/$sums") lines, same order); $check passes" | tee "$WORK/results/$workload.check"
      ;;
    exec-small|exec-gzip)
      command=(tr a-z A-Z); name='{rel}'; ext=
      [ "$workload" = exec-gzip ] && { command=(gzip -6 -c); name='{rel}.gz'; ext=.gz; }
      "$P" run exec "$IN" -o "$OUT/pipeline" --quiet --output-name "$name" -- "${command[@]}"
      "$P" run exec "$IN" -o "$OUT/sequential" --quiet --sequential --output-name "$name" -- "${command[@]}"
      mkdir -p "$OUT/xargs"; (cd "$IN" && find . -type f -print0 | O="$OUT/xargs" E="$ext" C="${command[*]}" xargs -0 -P2 -n1 sh -c '$C < "$0" > "$O/$0$E"')
      diff -r -x .pipeline "$OUT/pipeline" "$OUT/sequential"
      if [ "$workload" = exec-gzip ]; then # gzip stamps a regular file's time in its header and a pipe's as 0: compare contents
        for f in "$OUT"/xargs/*.gz; do gzip -dc "$f" | cmp -s - <(gzip -dc "$OUT/pipeline/${f##*/}") || { echo "differs: ${f##*/}"; exit 1; }; done
      else
        diff -r -x .pipeline "$OUT/pipeline" "$OUT/xargs"
      fi
      echo "check $workload: pipeline = --sequential byte for byte, = xargs -P2 file for file$([ "$workload" = exec-gzip ] && echo ' (decompressed)') ($(find "$OUT/xargs" -type f | wc -l) files)" | tee "$WORK/results/$workload.check"
      ;;
    csv)
      "$P" run csv "$IN" -o "$OUT/pipeline" --select id,city,amount --where 'amount>500' --quiet
      python3 "$PY" csv "$IN" "$OUT/asyncio"
      python3 "$PY" csv-processes "$IN" "$OUT/processes"
      mkdir -p "$OUT/mlr"; (cd "$IN" && for f in *.csv; do mlr --icsv --ocsv --allow-ragged-csv-input filter '$amount > 500' then cut -o -f id,city,amount "$f" > "$OUT/mlr/$f"; done)
      for f in "$IN"/*.csv; do
        cmp "$OUT/pipeline/$(basename "$f")" "$OUT/asyncio/$(basename "$f")"
        cmp "$OUT/pipeline/$(basename "$f")" "$OUT/processes/$(basename "$f")"
      done
      python3 - "$OUT" <<'PYCHECK' | tee "$WORK/results/csv.check"
import csv, glob, os, sys
out = sys.argv[1]
ours = {r[0] for f in glob.glob(f"{out}/pipeline/*.csv") if not f.endswith("bad-rows.csv") for r in list(csv.reader(open(f)))[1:]}
mlr = {r[0] for f in glob.glob(f"{out}/mlr/*.csv") for r in list(csv.reader(open(f)))[1:]}
bad = {int(r[1]) for r in list(csv.reader(open(f"{out}/pipeline/bad-rows.csv")))[1:]}
assert ours <= mlr, "pipeline kept rows Miller did not"
print(f"check csv: pipeline = asyncio = python processes byte for byte; pipeline rows {len(ours)} are Miller's {len(mlr)} less {len(mlr - ours)} malformed rows Miller keeps ({len(bad)} bad rows listed)")
PYCHECK
      ;;
  esac
done

settle

# `pipeline bench` in one process on the very corpora timed above (a bench at --size large generates the same seeded
# files, and --work-dir points it at them), so report.py can set its in-process speedups against the whole processes'.
# The start-up of a process, timed here too, is in both whole-process timings and in neither in-process one.
if [[ " $WORKLOADS " == *" bench "* ]]; then
  timed=$(for w in $WORKLOADS; do case $w in hash-small|hash-large|gzip-small|gzip-large-text|gunzip|csv|zstd-small|unzstd) printf '%s,' "$w" ;; esac; done)
  if [ -n "$timed" ]; then
    mkdir -p "$WORK/empty"
    echo "== start-up"
    hyperfine --warmup 2 --runs 20 --export-json "$WORK/results/startup.json" --style basic -n "pipeline run hash (empty folder)" "'$P' run hash '$WORK/empty' -o '$WORK/startup-out' --quiet"
    rm -rf "$WORK/startup-out"
    echo "== bench (in process) on ${timed%,}"
    "$P" bench --size large --work-dir "$WORK/corpus" --transforms "${timed%,}" --rounds "$RUNS" --json > "$WORK/results/bench.json"
  fi
fi

RESULTS="${RESULTS:-$HERE/RESULTS.md}" # RESULTS=file writes the table elsewhere (a run of a few workloads)
python3 "$HERE/report.py" "$WORK" "$RUNS" > "$RESULTS"
echo
cat "$RESULTS"
