#!/usr/bin/env bash
# Proves --shard and `pipeline merge` on a real single-node Slurm cluster, started here and torn down at the end:
#   munged, slurmctld and slurmd on localhost, a minimal configuration in a temporary folder (no cgroups: proctrack/linuxproc,
#   task/none), Debian's slurm-wlm and munge packages installed with apt-get if missing. Needs root (it starts daemons);
#   no systemd needed.
# For `hash` and for `csv`, on generated corpora plus the shipped testdata, it submits the published tool as an array of 4
# tasks (--shard auto/4, the index from SLURM_ARRAY_TASK_ID) and a merge job that depends on it (afterok), and checks:
#   1. the merged outputs are byte-identical to one unsharded run's (every output file, the manifest or bad-rows.csv);
#   2. after one task is cancelled mid-run (scancel) a merge refuses (exit 2, naming that shard); the task resubmitted
#      alone resumes from its journal (it skips files), and the merge is again byte-identical;
#   3. a merge job with a shard missing exits 2 and names it.
# Prints one line per check and "slurm: PASSED" or "slurm: FAILED: <why>"; exits 0 only if every check passed.
# Usage: tests/slurm/run.sh   (PIPELINE_SLURM_HASH_SCALE and PIPELINE_SLURM_CSV_SCALE multiply the corpora of
# `pipeline generate`: hash-small x2 = 40,000 files, csv x3 = 300 files of 20,000 rows; large enough that a task is
# still running when scancel reaches it, and the script says so if it was not)
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
hash_scale="${PIPELINE_SLURM_HASH_SCALE:-2}"
csv_scale="${PIPELINE_SLURM_CSV_SCALE:-3}"
shards=4
cancelled_shard=1
missing_shard=2
deadline_seconds=900
started_at=$(date +%s)

say() { printf 'slurm: %s\n' "$*"; }
fail() { printf 'slurm: FAILED: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  fail "needs root: it installs packages and starts munged, slurmctld and slurmd"
fi

# On tmpfs when it has room (the corpora and outputs take about 2 GB): tens of thousands of small files are written and
# removed much faster there than on a disk mounted with discard.
base=/tmp
if [ -d /dev/shm ] && [ "$(df --output=avail -k /dev/shm 2>/dev/null | tail -n 1)" -gt 3000000 ] 2>/dev/null; then
  base=/dev/shm
fi
work="$(mktemp -d "$base/pipeline-slurm.XXXXXX")"
chmod 755 "$work" # munged refuses a socket in a folder others cannot enter
export SLURM_CONF="$work/slurm.conf"
daemons_started=0

# Whether a process still runs (a zombie, which a daemon that forked leaves until its parent reaps it, does not).
running() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z ' "/proc/$1/stat"; }

cleanup() {
  local status=$? stopping
  stopping=$(date +%s)
  set +e
  if [ "$daemons_started" -eq 1 ]; then
    scancel --full --quiet --user=root >/dev/null 2>&1
    scontrol shutdown >/dev/null 2>&1
    munged --stop --socket="$work/munge.sock" >/dev/null 2>&1
    # Only the daemons this script started, by the pid files it gave them: a clean stop first, then a kill.
    for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid" "$work/munged.pid"; do
      [ -f "$pidfile" ] || continue
      pid="$(cat "$pidfile")"
      for _ in $(seq 100); do running "$pid" || break; sleep 0.1; done
      running "$pid" && kill -9 "$pid" 2>/dev/null
    done
  fi
  if [ "$status" -ne 0 ]; then
    for log in "$work"/slurmctld.log "$work"/slurmd.log; do
      [ -f "$log" ] && { echo "--- tail of $log" >&2; tail -n 20 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  [ "$daemons_started" -eq 1 ] && say "cluster stopped, $work removed ($(( $(date +%s) - stopping )) s)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- the cluster

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update"; }
  apt-get install -y -qq --no-install-recommends slurm-wlm munge >>"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; fail "apt-get install slurm-wlm munge"; }
fi

host="$(hostname -s)"
cpus="$(nproc)"
mkdir -p "$work/state" "$work/spool"
head -c 1024 /dev/urandom >"$work/munge.key"
chmod 400 "$work/munge.key"
munged --force --socket="$work/munge.sock" --key-file="$work/munge.key" --log-file="$work/munged.log" \
  --pid-file="$work/munged.pid" --seed-file="$work/munged.seed" || fail "munged did not start: $(tail -n 5 "$work/munged.log")"
daemons_started=1

cat >"$SLURM_CONF" <<CONF
ClusterName=pipelineci
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
AuthInfo=socket=$work/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${PIPELINE_SLURMCTLD_PORT:-16817}
SlurmdPort=${PIPELINE_SLURMD_PORT:-16818}
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=10
MinJobAge=3600
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
for _ in $(seq 100); do
  sinfo -h -o '%t' 2>/dev/null | grep -qx idle && break
  sleep 0.2
done
sinfo -h -o '%t' | grep -qx idle || fail "the node did not come up: $(sinfo 2>&1)"
say "cluster up: $(sinfo -h -o '%P %D node(s) %c cpus %t') ($(slurmctld -V))"

# ---------------------------------------------------------------- the tool and the data

dotnet="$(command -v dotnet)"
say "publishing the tool"
dotnet publish "$repo/src/Pipeline.Cli" -c Release -o "$work/tool" --nologo -v quiet >"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; fail "dotnet publish"; }
pipeline() { "$dotnet" "$work/tool/pipeline.dll" "$@"; }

say "generating corpora (hash-small x$hash_scale, csv x$csv_scale, each with testdata)"
pipeline generate hash-small "$work/in-hash" --scale "$hash_scale" >/dev/null
pipeline generate csv "$work/in-csv" --scale "$csv_scale" >/dev/null
cp -r "$repo/testdata/." "$work/in-hash/testdata"
cp -r "$repo/testdata/." "$work/in-csv/testdata"

# ---------------------------------------------------------------- helpers

# Waits until none of the given jobs is in the queue any more.
wait_jobs() {
  local until=$(( $(date +%s) + deadline_seconds ))
  while [ -n "$(squeue -h -j "$(IFS=,; echo "$*")" -o %i 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$until" ] || fail "jobs $* still queued after ${deadline_seconds}s: $(squeue)"
    sleep 0.5
  done
}

# The state and exit code of a job (or one array task, jobid_index), as scontrol keeps them.
job_state() { scontrol show job "$1" | grep -o 'JobState=[A-Z_]*' | head -n1 | cut -d= -f2; }
job_exit() { scontrol show job "$1" | grep -o ' ExitCode=[0-9]*' | head -n1 | cut -d= -f2; }

# Every output file of one run against another's, the run's own state (.pipeline) left out.
same_tree() {
  diff -r --exclude=.pipeline "$1" "$2" >"$work/diff.txt" 2>&1 || { head -n 20 "$work/diff.txt" >&2; return 1; }
}

# A shard's batch script: 1 (some files failed) is recorded for the merge, which reports it, so it counts as success
# for afterok; anything else (cancelled 143, bad arguments 2, locked 75) fails the task.
write_scripts() {
  local transform=$1 input=$2 out=$3 dir=$4
  cat >"$dir/shard.sh" <<JOB
#!/bin/bash
#SBATCH --job-name=pipeline-$transform
#SBATCH --output=$dir/logs/shard-%A_%a.log
"$dotnet" "$work/tool/pipeline.dll" run $transform "$input" -o "$out" --shard auto/$shards --resume --report "$dir/report.csv" --quiet
status=\$?
[ \$status -eq 1 ] && exit 0
exit \$status
JOB
  cat >"$dir/merge.sh" <<JOB
#!/bin/bash
#SBATCH --job-name=pipeline-$transform-merge
#SBATCH --output=$dir/logs/merge-%j.log
"$dotnet" "$work/tool/pipeline.dll" merge "\$1" --shards $shards
JOB
  mkdir -p "$dir/logs"
}

# ---------------------------------------------------------------- the checks

check_transform() {
  local transform=$1 input=$2
  local dir="$work/$transform"
  mkdir -p "$dir"

  # One unsharded run: the reference.
  local single_rc=0
  pipeline run "$transform" "$input" -o "$dir/single" --report "$dir/single-report.csv" --quiet 2>"$dir/single-errors.txt" || single_rc=$?
  [ "$single_rc" -le 1 ] || fail "$transform: the unsharded run exited $single_rc"

  # 1. An array of 4 and a merge that waits for it.
  write_scripts "$transform" "$input" "$dir/sharded" "$dir"
  local t0 array merge
  t0=$(date +%s.%N)
  array=$(sbatch --parsable --array=0-$((shards - 1))%$shards "$dir/shard.sh")
  merge=$(sbatch --parsable --dependency=afterok:"$array" "$dir/merge.sh" "$dir/sharded")
  wait_jobs "$array" "$merge"
  [ "$(job_state "$merge")" != PENDING ] || fail "$transform: the merge never ran: $(cat "$dir"/logs/shard-*.log)"
  [ "$(job_exit "$merge")" = "$single_rc" ] || fail "$transform: the merge job exited $(job_exit "$merge"), the unsharded run $single_rc: $(cat "$dir"/logs/merge-"$merge".log)"
  same_tree "$dir/single" "$dir/sharded" || fail "$transform: merged outputs differ from the unsharded run's"
  [ "$(wc -l <"$dir/report.csv")" = "$(wc -l <"$dir/single-report.csv")" ] || fail "$transform: the merged report has $(wc -l <"$dir/report.csv") lines, the unsharded one $(wc -l <"$dir/single-report.csv")"
  say "ok   $transform: array of $shards + merge (afterok) in $(awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $t0 }") s: outputs byte-identical to one run ($(find "$dir/single" -type f -not -path '*/.pipeline/*' | wc -l) files), merge exit $single_rc as the run's"

  # 2. One task cancelled mid-run: a merge refuses, the task resubmitted alone resumes, the merge is identical again.
  local out="$dir/cancelled" journal record
  write_scripts "$transform" "$input" "$out" "$dir"
  journal="$out/.pipeline/shard-$cancelled_shard-of-$shards/journal"
  record="$out/.pipeline/shard-$cancelled_shard-of-$shards/complete.json"
  array=$(sbatch --parsable --array=0-$((shards - 1))%$shards "$dir/shard.sh")
  merge=$(sbatch --parsable --dependency=afterok:"$array" "$dir/merge.sh" "$out")
  local until=$(( $(date +%s) + deadline_seconds ))
  until [ -s "$journal" ] || [ -f "$record" ]; do
    [ "$(date +%s)" -lt "$until" ] || fail "$transform: shard $cancelled_shard never started"
    sleep 0.05
  done
  scancel "${array}_${cancelled_shard}"
  wait_jobs "$array"
  [ ! -f "$record" ] || fail "$transform: shard $cancelled_shard finished before scancel reached it (inconclusive): raise PIPELINE_SLURM_$(echo "$transform" | tr a-z A-Z)_SCALE"
  local done_before
  done_before=$(wc -l <"$journal")
  [ "$(job_state "${array}_${cancelled_shard}")" = CANCELLED ] || fail "$transform: task $cancelled_shard is $(job_state "${array}_${cancelled_shard}"), not CANCELLED"
  [ "$(job_state "$merge")" = PENDING ] || fail "$transform: the merge job ran although a task was cancelled ($(job_state "$merge"))"
  scancel "$merge"
  local refused_rc=0
  pipeline merge "$out" --shards "$shards" 2>"$dir/refused.txt" || refused_rc=$?
  [ "$refused_rc" = 2 ] && grep -q "shard $cancelled_shard of $shards has not finished" "$dir/refused.txt" \
    || fail "$transform: a merge with shard $cancelled_shard cancelled exited $refused_rc: $(cat "$dir/refused.txt")"
  array=$(sbatch --parsable --array=$cancelled_shard "$dir/shard.sh")
  merge=$(sbatch --parsable --dependency=afterok:"$array" "$dir/merge.sh" "$out")
  wait_jobs "$array" "$merge"
  [ "$(job_exit "$merge")" = "$single_rc" ] || fail "$transform: after the resubmission the merge job exited $(job_exit "$merge"): $(cat "$dir"/logs/merge-"$merge".log)"
  local skipped
  skipped=$(grep -o '"skipped": *[0-9]*' "$record" | grep -o '[0-9]*$')
  [ "${skipped:-0}" -gt 0 ] || fail "$transform: the resubmitted shard skipped nothing: it did not resume from its journal"
  same_tree "$dir/single" "$out" || fail "$transform: after cancel and resubmit, merged outputs differ from the unsharded run's"
  say "ok   $transform: task $cancelled_shard cancelled with $done_before journal line(s) written; merge refused (exit 2, names shard $cancelled_shard); resubmitted alone it skipped $skipped file(s); merge byte-identical again"

  # 3. A merge job with a shard missing.
  # (The shards' state is all a merge reads.)
  mkdir -p "$dir/missing"
  cp -a "$dir/sharded/.pipeline" "$dir/missing/"
  rm -rf "$dir/missing/.pipeline/shard-$missing_shard-of-$shards"
  merge=$(sbatch --parsable "$dir/merge.sh" "$dir/missing")
  wait_jobs "$merge"
  [ "$(job_exit "$merge")" = 2 ] || fail "$transform: a merge with shard $missing_shard missing exited $(job_exit "$merge")"
  grep -q "shard $missing_shard of $shards has not finished" "$dir/logs/merge-$merge.log" || fail "$transform: the merge did not name shard $missing_shard: $(cat "$dir/logs/merge-$merge.log")"
  [ ! -e "$dir/missing/SHA256SUMS" ] && [ ! -e "$dir/missing/bad-rows.csv" ] || fail "$transform: a refused merge wrote an output"
  say "ok   $transform: merge job with shard $missing_shard missing: exit 2, names it, writes nothing: $(grep -m1 'error:' "$dir/logs/merge-$merge.log")"
}

check_transform hash "$work/in-hash"
check_transform csv "$work/in-csv"
say "PASSED in $(( $(date +%s) - started_at )) s"
