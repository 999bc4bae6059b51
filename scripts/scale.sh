#!/usr/bin/env bash
# Measures contractlint at scale: 30,000 traffic payload files in one
# directory, one HAR of about 500 MB, and one small file (start-up cost).
# Prints wall time and peak RSS of each run. Inputs go to a temporary
# directory that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=${FILES:-30000}
har_mb=${HAR_MB:-500}

go build -o "$work/contractlint" ./cmd/contractlint
go run ./scripts/scalegen -files "$files" -dir "$work/traffic" -har "$work/big.har" -har-mb "$har_mb"
echo "inputs: $files traffic files ($(du -sh "$work/traffic" | cut -f1)), HAR $(du -h "$work/big.har" | cut -f1)"

measure() { # label, command...
  local label=$1; shift
  local rc=0
  /usr/bin/time -o "$work/time" -f '%e %M' "$@" >/dev/null 2>&1 || rc=$?
  read -r secs kb < <(tail -n1 "$work/time")
  printf '%-28s wall %6.2f s   peak RSS %6d MB   exit %d\n' "$label" "$secs" "$((kb / 1024))" "$rc"
}

# Warm the page cache so that the first run does not measure the disk.
cat "$work"/traffic/*.json >/dev/null 2>&1 || find "$work/traffic" -type f -exec cat {} + >/dev/null
cat "$work/big.har" >/dev/null

measure "30000 traffic files" "$work/contractlint" lint --no-config --format json -o /dev/null "$work/traffic"
measure "HAR ${har_mb} MB" "$work/contractlint" lint --no-config --format json -o /dev/null "$work/big.har"
measure "one small file" "$work/contractlint" lint --no-config testdata/samples/dps-certificate-traffic.json
"$work/contractlint" lint --no-config "$work/traffic" | tail -n1 || true
"$work/contractlint" lint --no-config "$work/big.har" | tail -n1 || true
