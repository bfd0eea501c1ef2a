#!/usr/bin/env bash
# Runs run.ps1, the Windows and Task Scheduler entry point, under PowerShell (pwsh), as a user of a clone would:
#   1. the README's main job, a run on a folder: `pwsh -File run.ps1 run hash <copy of testdata> -o <out> --json`
#      exits 0, prints the JSON summary on stdout, and writes a SHA256SUMS that `sha256sum -c` accepts;
#   2. exit codes pass through: 2 for a bad argument (an input folder that does not exist, with its one error line on
#      stderr and no output folder created), and 1 when some files failed (testdata's bad CSVs under `run csv`).
# PowerShell comes as a .NET tool (`dotnet tool install --tool-path DIR PowerShell --version 7.6.10`), installed into
# PWSH_TOOL_PATH (default: ~/.cache/pipeline-ci/pwsh-7.6.10) unless that folder already has it.
# Prints one line per check and "pwsh: PASSED" or "pwsh: FAILED: <why>"; exits 0 only if every check passed.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
version=7.6.10
tools="${PWSH_TOOL_PATH:-${XDG_CACHE_HOME:-$HOME/.cache}/pipeline-ci/pwsh-$version}"
work="$(mktemp -d "${TMPDIR:-/tmp}/pipeline-pwsh.XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
say() { printf 'pwsh: %s\n' "$*"; }
fail() { printf 'pwsh: FAILED: %s\n' "$*" >&2; exit 1; }

if ! "$tools/pwsh" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2> /dev/null | grep -qx "$version"; then
  say "installing PowerShell $version as a .NET tool into $tools"
  rm -rf "$tools"
  dotnet tool install --tool-path "$tools" PowerShell --version "$version" > "$work/install.log" 2>&1 \
    || { cat "$work/install.log" >&2; fail "dotnet tool install PowerShell --version $version failed"; }
fi
pwsh="$tools/pwsh"
say "$("$pwsh" -NoProfile -NonInteractive -Command '"PowerShell " + $PSVersionTable.PSVersion.ToString()')"

# run.ps1 the way Task Scheduler starts it: a script file, no profile, nothing interactive.
run_ps1() { # stdout file, stderr file, arguments...
  local out=$1 err=$2; shift 2
  local rc=0
  "$pwsh" -NoProfile -NonInteractive -File "$repo/run.ps1" "$@" > "$out" 2> "$err" || rc=$?
  echo "$rc"
}

cp -r "$repo/testdata" "$work/data"

# 1. The main job on a folder.
rc=$(run_ps1 "$work/hash.out" "$work/hash.err" run hash "$work/data" -o "$work/sums" --json)
[ "$rc" -eq 0 ] || { cat "$work/hash.err" >&2; fail "run hash through run.ps1 exited $rc, not 0"; }
files=$(find "$work/data" -type f | wc -l)
grep -q "\"files_ok\":$files," "$work/hash.out" || { cat "$work/hash.out" >&2; fail "the JSON summary on stdout does not say files_ok $files"; }
[ "$(wc -l < "$work/sums/SHA256SUMS")" -eq "$files" ] || fail "SHA256SUMS does not list the $files files"
(cd "$work/data" && sha256sum --check --quiet --strict "$work/sums/SHA256SUMS") > "$work/check.log" 2>&1 \
  || { cat "$work/check.log" >&2; fail "sha256sum -c rejects the manifest written through run.ps1"; }
say "run hash: exit 0, JSON summary on stdout, SHA256SUMS of $files files accepted by sha256sum -c"

# 2. Exit codes pass through: 2 for a bad argument, with nothing created.
rc=$(run_ps1 "$work/bad.out" "$work/bad.err" run hash "$work/no-such-folder" -o "$work/never")
[ "$rc" -eq 2 ] || { cat "$work/bad.err" >&2; fail "a missing input folder through run.ps1 exited $rc, not 2"; }
grep -q "no-such-folder" "$work/bad.err" || { cat "$work/bad.err" >&2; fail "exit 2 without the error line naming the folder on stderr"; }
[ ! -e "$work/never" ] || fail "exit 2 created the output folder"
say "bad argument: exit 2, one error line naming it, nothing created"

# ... and 1 when some files failed (testdata holds CSVs that are empty, binary or not UTF-8).
rc=$(run_ps1 "$work/csv.out" "$work/csv.err" run csv "$work/data" -o "$work/csv" -i '**/*.csv' --quiet)
[ "$rc" -eq 1 ] || { cat "$work/csv.err" >&2; fail "run csv with failing files through run.ps1 exited $rc, not 1"; }
grep -q "^error: csv/bad/empty.csv: " "$work/csv.err" || { cat "$work/csv.err" >&2; fail "exit 1 without the failed file's line on stderr"; }
say "some files failed: exit 1, each failed file named on stderr"

say PASSED
