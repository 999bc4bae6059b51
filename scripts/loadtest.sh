#!/usr/bin/env bash
# Load test of `contractlint proxy` on loopback: builds contractlint and a
# small upstream (scripts/loadupstream), runs the proxy in front of it, and
# drives DPS certificate PUTs (2022-12-12) through it with wrk: a warm-up,
# then a bounded run. It reports throughput, latency, failed requests (must
# be zero) and the proxy's resident memory (VmRSS) after the warm-up and after
# the run (must stay within 10%). It stops by itself and exits non-zero when
# a check fails.
#
# Environment (all optional):
#   DURATION=30s       length of the measured run
#   WARMUP=10s         length of the warm-up
#   CONNECTIONS=32     concurrent connections
#   THREADS=2          wrk threads
#   MODE=enforce       proxy mode: enforce or report
#   PROXY_PORT=18180   UPSTREAM_PORT=18181   (loopback ports)
set -euo pipefail

DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
MODE=${MODE:-enforce}
PROXY_PORT=${PROXY_PORT:-18180}
UPSTREAM_PORT=${UPSTREAM_PORT:-18181}
HOST=127.0.0.1

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk >/dev/null 2>&1; then
  echo "loadtest: installing wrk" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq wrk >/dev/null
fi

echo "loadtest: building" >&2
(cd "$root" && go build -o "$work/contractlint" ./cmd/contractlint && go build -o "$work/loadupstream" ./scripts/loadupstream)

wait_port() { # wait until something listens on $1
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "loadtest: nothing listens on $HOST:$1" >&2
  return 1
}

"$work/loadupstream" -listen "$HOST:$UPSTREAM_PORT" &
pids+=($!)
wait_port "$UPSTREAM_PORT"

"$work/contractlint" proxy --listen "$HOST:$PROXY_PORT" --upstream "http://$HOST:$UPSTREAM_PORT" --mode "$MODE" \
  >"$work/findings.txt" 2>"$work/proxy.log" &
proxy_pid=$!
pids+=("$proxy_pid")
wait_port "$PROXY_PORT"

cat >"$work/put.lua" <<'EOF'
wrk.method = "PUT"
wrk.body = '{"properties":{"certificate":"MIIBszCCAVmgAwIBAgIUJcg4","isVerified":false}}'
wrk.headers["Content-Type"] = "application/json"
EOF
url="http://$HOST:$PROXY_PORT/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/cert1?api-version=2022-12-12"

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$proxy_pid/status"; }

# A request the proxy must reject, so that we know validation is on.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
  -d '{"properties":{"certificate":"####","isVerified":"yes"}}' "$url" || true)
echo "loadtest: an invalid request got $code (mode $MODE)"

run_wrk() { # duration, output file
  timeout --kill-after=10 "$(( ${1%s} + 60 ))" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --timeout 5s --latency -s "$work/put.lua" "$url" >"$2"
}

echo "loadtest: warm-up $WARMUP, $CONNECTIONS connections" >&2
run_wrk "$WARMUP" "$work/warmup.txt"
rss_warm=$(rss)

echo "loadtest: measured run $DURATION, $CONNECTIONS connections" >&2
run_wrk "$DURATION" "$work/run.txt"
rss_after=$(rss)

cat "$work/run.txt"

requests=$(awk '/requests in/ {print $1}' "$work/run.txt")
non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$work/run.txt")
socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/run.txt")
failed=$(( ${non2xx:-0} + ${socket:-0} ))
findings=$(wc -l <"$work/findings.txt")
growth=$(awk -v a="$rss_warm" -v b="$rss_after" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')

echo "----"
echo "requests:           $requests"
echo "failed requests:    $failed (non-2xx ${non2xx:-0}, socket errors ${socket:-0})"
echo "finding lines:      $findings (1 invalid probe request = 2 expected in enforce mode)"
echo "proxy VmRSS warm:   ${rss_warm} kB"
echo "proxy VmRSS after:  ${rss_after} kB (${growth}%)"

status=0
if [ "$failed" -ne 0 ]; then
  echo "FAIL: $failed failed requests" >&2
  status=1
fi
if awk -v g="$growth" 'BEGIN { exit !(g > 10 || g < -10) }'; then
  echo "FAIL: RSS changed by more than 10% (${growth}%)" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "PASS"
exit "$status"
