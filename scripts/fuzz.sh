#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME (default 10m), JOBS at a time (default
# 2, one worker each), and prints how many executions each made and whether it
# found a crasher. New crashers land in the package's testdata/fuzz/ and
# become regression tests of the ordinary `go test` run.
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-10m}
jobs=${JOBS:-2}
logs=${LOGDIR:-$(mktemp -d)}
mapfile -t targets < <(grep -rl --include='*_test.go' '^func Fuzz' spec validate lint cmd |
  while read -r f; do
    for t in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do echo "./$(dirname "$f") $t"; done
  done | sort -u)
echo "fuzzing ${#targets[@]} targets for $fuzztime each, $jobs at a time; logs in $logs"
run() {
  local pkg=$1 target=$2
  local log="$logs/$target.log"
  go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" -parallel 1 >"$log" 2>&1
  local rc=$?
  local last execs
  last=$(grep -E 'fuzz: elapsed' "$log" | tail -n1)
  execs=$(sed -nE 's/.*execs: ([0-9]+).*/\1/p' <<<"$last")
  if [ $rc -eq 0 ]; then
    echo "$pkg $target: ok, ${execs:-?} execs"
  else
    echo "$pkg $target: FAILED (see $log)"
  fi
}
i=0
for entry in "${targets[@]}"; do
  run $entry &
  i=$((i + 1))
  if [ $((i % jobs)) -eq 0 ]; then wait; fi
done
wait
