#!/usr/bin/env bash
# Proves the Native AOT build (the fastest to start; the throughput suite measures it) does what the JIT build does.
# Publishes the tool with -p:PublishAot=true and builds it as the tests do (framework-dependent, JIT), then runs each
# command line below with both, on copies of the shipped testdata and of small generated corpora, and checks:
#   1. the same exit code, the same stdout and stderr (--quiet or --json without its timings: nothing that varies),
#      and the same output files byte for byte (the .pipeline state folder aside), pipeline and --sequential;
#   2. SIGINT and SIGTERM stop an AOT run with exit 130 and 143 and leave no partial output (every file written is the
#      JIT run's, whole), and --resume finishes it to the JIT run's outputs.
# Prints one line per check and "aot: PASSED" or "aot: FAILED: <why>"; exits 0 only if every check passed.
# Usage: tests/aot/run.sh   (AOT_BIN=/path/to/pipeline checks a binary published beforehand instead of publishing)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-aot.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
say() { printf 'aot: %s\n' "$*"; }
fail() { printf 'aot: FAILED: %s\n' "$*" >&2; exit 1; }

started=$(date +%s)
# Native AOT links with the machine's C toolchain (clang, or gcc): Debian's gcc is installed if there is neither.
if [ -z "${AOT_BIN:-}" ] && ! command -v clang > /dev/null && ! command -v gcc > /dev/null; then
  say "installing gcc with apt-get (Native AOT links with it)"
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gcc libc6-dev; } > "$work/apt.log" 2>&1 \
    || { tail -n 20 "$work/apt.log" >&2; fail "apt-get install gcc failed (needs root)"; }
fi
if [ -n "${AOT_BIN:-}" ]; then
  aot="$AOT_BIN"
else
  # Its own artifacts folder: the SDK otherwise reuses the JIT build's intermediate files (see docs/deploying.md).
  dotnet publish "$repo/src/Pipeline.Cli" -c Release -r linux-x64 -p:PublishAot=true --artifacts-path "$work/aot-artifacts" \
    -o "$work/aot-bin" -nologo -v q > "$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; fail "dotnet publish -p:PublishAot=true failed"; }
  aot="$work/aot-bin/pipeline"
fi
dotnet build "$repo/src/Pipeline.Cli" -c Release --artifacts-path "$work/jit-artifacts" -nologo -v q > "$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; fail "dotnet build failed"; }
jit="$work/jit-artifacts/bin/Pipeline.Cli/release/pipeline"
[ -x "$aot" ] && [ -x "$jit" ] || fail "no binary at $aot or $jit"
say "built in $(( $(date +%s) - started )) s: $(du -h "$aot" | cut -f1) AOT binary"

cd "$work"
mkdir data
cp -r "$repo/testdata" data/testdata
"$jit" generate hash-small data/small --scale 0.05 > /dev/null
"$jit" generate csv data/csv --scale 0.02 > /dev/null
"$jit" generate gzip-one-large data/large --scale 0.05 > /dev/null # chunks compressed at once, then written in order
"$jit" generate hash-small data/many --scale 0.5 > /dev/null # 10,000 files: seconds of gzip, for the signals
"$jit" run gzip data/testdata -o data/gz --quiet
"$jit" run zstd data/testdata -o data/zst --quiet

# Runs one command line with a binary inside "case/<name>/<kind>", from the folder "run" (so both print the same
# paths), and keeps its exit code, stdout and stderr there; the outputs it wrote under run/out are moved there too.
run_case() { # kind, binary, name, arguments...
  local kind=$1 bin=$2 name=$3; shift 3
  local dir="$work/case/$name/$kind"
  mkdir -p "$dir" "$work/run"
  local rc=0
  (cd "$work/run" && "$bin" "$@" > "$dir/stdout" 2> "$dir/stderr") || rc=$?
  echo "$rc" > "$dir/exit"
  # --json carries the run's duration and rates; nothing else in it varies between two runs.
  sed -i -E 's/"(seconds|files_per_s|mb_per_s)":[0-9.eE+-]+/"\1":_/g' "$dir/stdout"
  if [ -d "$work/run/out" ]; then
    rm -rf "$work/run/out/.pipeline"
    mv "$work/run/out" "$dir/out"
  fi
}

same() { # name, arguments...: the AOT binary does what the JIT build does
  local name=$1; shift
  run_case jit "$jit" "$name" "$@"
  run_case aot "$aot" "$name" "$@"
  if ! diff -r "$work/case/$name/jit" "$work/case/$name/aot" > "$work/case/$name.diff"; then
    head -n 20 "$work/case/$name.diff" >&2
    fail "$name: the AOT binary differs from the JIT build (pipeline $*)"
  fi
  say "ok   $name: exit $(cat "$work/case/$name/aot/exit"), same output ($*)"
}

D="$work/data"
same version --version
same help --help
same transforms transforms
same list list "$D/testdata"
same bad-args run hash "$D/testdata" # no --output: exit 2, one line
same missing-input run hash "$D/nowhere" -o out
for mode in "" --sequential; do
  m=${mode:+-sequential}
  same "hash$m" run hash "$D/testdata" -o out --quiet $mode
  same "hash-md5-csv$m" run hash "$D/small" -o out --quiet -a md5 --format csv --json $mode
  same "hash-blake3$m" run hash "$D/testdata" -o out --quiet -a blake3 $mode
  same "hash-xxh128$m" run hash "$D/large" -o out --quiet -a xxh128 $mode
  same "gzip$m" run gzip "$D/testdata" -o out --quiet $mode
  same "gzip-large$m" run gzip "$D/large" -o out --quiet $mode
  same "gunzip$m" run gunzip "$D/gz" -o out --quiet $mode
  same "zstd$m" run zstd "$D/testdata" -o out --quiet $mode
  same "zstd-large$m" run zstd "$D/large" -o out --quiet --level 1 $mode
  same "unzstd$m" run unzstd "$D/zst" -o out --quiet $mode
  same "csv$m" run csv "$D/testdata/csv" -o out --select id,name --where 'id>1' --quiet $mode
  same "csv-generated$m" run csv "$D/csv" -o out --select id,city,amount --where 'amount>500' --quiet --json $mode
  same "shard-0$m" run hash "$D/small" -o out --quiet --shard 0/2 $mode
  same "exec-filter$m" run exec "$D/testdata" -o out --quiet $mode -- tr a-z A-Z
  same "exec-shell$m" run exec "$D/testdata" -o out --quiet $mode --output-name '{rel}.n' --shell 'wc -c < {} > {out}'
  same "exec-concat$m" run exec "$D/testdata" -o out --quiet $mode --concat all.txt --tag -- head -c 20
  same "exec-fails$m" run exec "$D/testdata" -o out --quiet --json $mode -- sh -c 'echo bad >&2; exit 3'
done
same exec-missing run exec "$D/testdata" -o out -- no-such-command-xyz

# verify: a clean tree, then one with a file changed, one deleted, one added and one moved.
"$jit" run hash "$D/small" -o "$D/sums" --quiet
same verify-ok verify "$D/sums/SHA256SUMS" --root "$D/small" --quiet
cp -r "$D/small" "$D/changed"
mapfile -t first < <(cd "$D/changed" && find . -type f | sort | head -n 3)
echo changed >> "$D/changed/${first[0]}"
rm "$D/changed/${first[1]}"
mv "$D/changed/${first[2]}" "$D/changed/moved.bin"
echo new > "$D/changed/new.txt"
for mode in "" --sequential; do
  same "verify-changed${mode:+-sequential}" verify "$D/sums/SHA256SUMS" --root "$D/changed" --quiet --json $mode
done
grep -q '^FAILED' "$work/case/verify-changed/aot/stderr" && grep -q '^MOVED' "$work/case/verify-changed/aot/stderr" \
  || fail "verify-changed: expected FAILED and MOVED lines, got: $(head -c 300 "$work/case/verify-changed/aot/stderr")"

# merge: the two shards of one output folder, written by the AOT binary, joined by each.
mkdir -p "$work/shards"
"$aot" run hash "$D/small" -o "$work/shards/out" --quiet --shard 0/2
"$aot" run hash "$D/small" -o "$work/shards/out" --quiet --shard 1/2
for kind in jit aot; do cp -r "$work/shards/out" "$work/shards/$kind"; done
"$jit" merge "$work/shards/jit" > /dev/null
"$aot" merge "$work/shards/aot" > /dev/null
cmp "$work/shards/jit/SHA256SUMS" "$work/shards/aot/SHA256SUMS" || fail "merge: the manifests differ"
cmp "$work/shards/aot/SHA256SUMS" <("$jit" run hash "$D/small" -o "$work/shards/whole" --quiet && cat "$work/shards/whole/SHA256SUMS") \
  || fail "merge: the merged manifest is not the unsharded run's"
say "ok   merge: two AOT shards merge to the unsharded manifest, by either binary"

# Signals: a gzip run of many files stopped part way; whatever it left is whole, and --resume completes it.
"$jit" run gzip "$D/many" -o "$work/gz-whole" --quiet
for signal in INT TERM; do
  out="$work/stopped-$signal"
  # A background job of a script starts with SIGINT ignored (and so does every child of a shell started that way),
  # and the tool keeps an ignored SIGINT ignored, as programs should: env --default-signal gives it the default back.
  env --default-signal=INT "$aot" run gzip "$D/many" -o "$out" --quiet -p 1 & pid=$!
  for _ in $(seq 200); do # until it has written some files, or 4 s
    [ "$(find "$out" -name '*.gz' 2>/dev/null | head -n 20 | wc -l)" -ge 20 ] && break
    sleep 0.02
  done
  kill -s "$signal" "$pid"
  rc=0; wait "$pid" || rc=$?
  want=$([ "$signal" = INT ] && echo 130 || echo 143)
  [ "$rc" -eq "$want" ] || fail "SIG$signal: exit $rc, expected $want (or the run had finished before the signal)"
  written=$(find "$out" -path "$out/.pipeline" -prune -o -type f -print | wc -l)
  total=$(find "$work/gz-whole" -path "$work/gz-whole/.pipeline" -prune -o -type f -print | wc -l)
  [ "$written" -lt "$total" ] || fail "SIG$signal: the run had finished ($written files) before the signal reached it"
  while IFS= read -r -d '' f; do
    cmp -s "$f" "$work/gz-whole/${f#"$out"/}" || fail "SIG$signal: ${f#"$out"/} is not whole (or is not the JIT run's)"
  done < <(find "$out" -path "$out/.pipeline" -prune -o -type f -print0)
  "$aot" run gzip "$D/many" -o "$out" --quiet --resume
  rm -rf "$out/.pipeline"
  diff -r -x .pipeline "$out" "$work/gz-whole" > /dev/null || fail "SIG$signal: after --resume the outputs differ from a whole run's"
  say "ok   SIG$signal: exit $rc with $written of $total files written, each whole; --resume completes it to the same bytes"
done

say "PASSED in $(( $(date +%s) - started )) s"
