#!/usr/bin/env bash
# CPU time the given processes spend per request while wrk sends feed reads
# (bench/noaber.lua) to a running server: steadier than requests/s on a
# machine shared with other work, since it does not count time the server
# waited for a core. Used for the before/after figures in docs/performance.md.
#
#   bench/cpu_per_request.sh --url http://127.0.0.1:8080 --tokens FILE
#                            [--duration 6s] [--mode feed] PID...
#
# FILE holds one "token neighbourhood_id bytes" line per resident, as
# bench/sample_logins.py writes it. PIDs are the processes to account (a
# noaber server; or nginx's workers, for the same measure of the limit).
# Prints "requests/s N cpu/request M us".
set -euo pipefail
cd "$(dirname "$0")/.."

url= tokens= duration=6s mode=feed
while (($#)); do
  case $1 in
    --url) url=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ -n $url && -n $tokens && $# -gt 0 ]] || { echo "usage: see --help" >&2; exit 2; }

# utime + stime of every given process, in clock ticks (/proc/PID/stat
# fields 14 and 15).
ticks() {
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$total"
}

before=$(ticks "$@")
read -r requests seconds < <(BENCH_MODE=$mode BENCH_TOKENS=$tokens \
  wrk -t 2 -c 32 -d "$duration" -s bench/noaber.lua "$url" | awk '/^RESULT/ { print $2, $3 }')
after=$(ticks "$@")
awk -v n="$requests" -v s="$seconds" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "requests/s %.0f cpu/request %.1f us\n", n / s, t / hz * 1e6 / n }'
