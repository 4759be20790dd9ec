#!/usr/bin/env bash
# Soak: a mixed load (feed, posts, my page, exchanges, new posts; see
# bench/soak.lua) against one server for a long time, then a verdict.
#   bench/soak.sh [--duration 600s] [--warmup 30s] [--connections 16] [--db DB]
# Reports requests, answers by status class and the server's resident memory
# after the warm-up and at the end, with SQLite's share of it (its page caches
# fill up to their size as the data grows). Fails (exit 1) on any 5xx answer,
# on socket errors, or when the resident memory besides SQLite's heap grew by
# 10 % or more.
# DB defaults to a fresh SQLite file with the demo data; a postgresql:// URL
# soaks PostgreSQL (it gets the demo data too).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=600s warmup=30s connections=16 db=
while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

noaber=${NOABER_BINARY:-build/noaber}
[[ -x $noaber ]] || { echo "build first: make" >&2; exit 1; }
command -v wrk >/dev/null || scripts/install-deps bench

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A gauge from the server's /metrics, in KiB: process_resident_memory_bytes
# or noaber_sqlite_heap_bytes (0 on PostgreSQL).
gauge_kib() {
  curl -sf "$base/metrics" | awk -v g="$1" '$1 == g {v = $2} END {printf "%d", v / 1024}'
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
[[ -n $db ]] || db="$work/soak.db"
"$noaber" seed-demo --db "$db" >/dev/null
# Every request comes from 127.0.0.1 and a handful of accounts: lift the
# abuse limits, which would otherwise (rightly) answer 429.
big=1000000000/1
"$noaber" serve --db "$db" --listen "127.0.0.1:$port" --log-level warn \
  --rate-limit posts-user=$big --rate-limit posts-ip=$big \
  --rate-limit login-ip=$big --rate-limit login-email=$big &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "$base/healthz" >/dev/null || { echo "the server did not start" >&2; exit 1; }

# Ten verified residents of the demo's first neighbourhood.
tokens=
for who in anna henk sanne mohammed joke pieter lotte gerrit ineke daan; do
  token=$(curl -sf -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$who@example.org\",\"password\":\"noaber-demo\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  tokens+="$token "
done
first=${tokens%% *}
post_ids=$(curl -sf -H "Authorization: Bearer $first" "$base/api/v1/neighbourhoods/1/feed" |
  python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)["posts"]))')
export SOAK_TOKENS=$tokens SOAK_NEIGHBOURHOOD=1 SOAK_POST_IDS=$post_ids

run_wrk() {
  wrk --latency -t 2 -c "$connections" -d "$(seconds_of "$1")s" -s bench/soak.lua "$base/" | grep '^soak-counts'
}

# "600s", "10m" or "600" -> 600
seconds_of() {
  case "$1" in
    *m) echo $((${1%m} * 60)) ;;
    *s) echo "${1%s}" ;;
    *) echo "$1" ;;
  esac
}
[[ $(seconds_of "$duration") =~ ^[1-9][0-9]*$ && $(seconds_of "$warmup") =~ ^[1-9][0-9]*$ ]] ||
  { echo "--duration and --warmup take seconds, e.g. 600s or 10m" >&2; exit 2; }

backend=$([[ $db == *://* ]] && echo PostgreSQL || echo SQLite)
echo "soak on $backend: $connections connections, warm-up $warmup, then $duration"
warm=$(run_wrk "$warmup")
rss_start=$(gauge_kib process_resident_memory_bytes) sql_start=$(gauge_kib noaber_sqlite_heap_bytes)
counts=$(run_wrk "$duration")
rss_end=$(gauge_kib process_resident_memory_bytes) sql_end=$(gauge_kib noaber_sqlite_heap_bytes)
peak=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status")

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$counts"; }
requests=$(field requests) s5=$(field 5xx) socket_errors=$(field socket_errors)
percent() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b - a) * 100 / a}'; }
# SQLite's page caches grow, by design, up to their cache_size as the database
# grows under the load; what is left of the resident memory besides them is
# what must not grow (a leak would show there).
rest_start=$((rss_start - sql_start)) rest_end=$((rss_end - sql_end))
growth=$(percent "$rest_start" "$rest_end")
echo "warm-up: ${warm#soak-counts }"
echo "soak:    ${counts#soak-counts }"
echo "requests/s: $(awk -v r="$requests" -v d="$(seconds_of "$duration")" 'BEGIN {printf "%.0f", r / d}')"
echo "resident memory: ${rss_start} KiB after warm-up, ${rss_end} KiB at the end ($(percent "$rss_start" "$rss_end") %), peak ${peak} KiB"
echo "  of which SQLite's heap: ${sql_start} KiB, then ${sql_end} KiB"
echo "  the rest: ${rest_start} KiB, then ${rest_end} KiB (${growth} %)"

verdict=0
[[ $s5 == 0 ]] || { echo "FAIL: $s5 answers were 5xx"; verdict=1; }
[[ $socket_errors == 0 ]] || { echo "FAIL: $socket_errors socket errors"; verdict=1; }
awk -v g="$growth" 'BEGIN {exit !(g < 10)}' || { echo "FAIL: memory besides SQLite's heap grew ${growth} %"; verdict=1; }
((verdict)) || echo "PASS: no 5xx, no socket errors, memory besides SQLite's heap grew ${growth} % (< 10 %)"
exit $verdict
