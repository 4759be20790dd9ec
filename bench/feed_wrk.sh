#!/usr/bin/env bash
# Feed reads over HTTP with wrk on the demo database: starts its own server on
# a free port, logs in as a demo resident, and fetches the first feed page of
# her neighbourhood with keep-alive connections.
#   bench/feed_wrk.sh [--duration 10s] [--connections 32] [--threads 2] [--db DB]
#                     [--feed-cache-entries N]
# DB defaults to a fresh SQLite file; a postgresql:// URL measures PostgreSQL,
# e.g. scripts/test-postgres bash -c 'bench/feed_wrk.sh --db "$NOABER_TEST_POSTGRES_URL"'
# --feed-cache-entries 0 measures the feed without its cache (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10s connections=32 threads=2 db= cache_args=()
while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --feed-cache-entries) cache_args=(--feed-cache-entries "$2"); shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
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

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
[[ -n $db ]] || db="$work/demo.db"
"$noaber" seed-demo --db "$db" >/dev/null
"$noaber" serve --db "$db" --listen "127.0.0.1:$port" --log-level warn "${cache_args[@]}" &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
  -H 'Content-Type: application/json' \
  -d '{"email":"anna@example.org","password":"noaber-demo"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
url="http://127.0.0.1:$port/api/v1/neighbourhoods/1/feed"
bytes=$(curl -sf -H "Authorization: Bearer $token" "$url" | wc -c)

backend=$([[ $db == *://* ]] && echo PostgreSQL || echo SQLite)
echo "feed on ${backend}: GET /api/v1/neighbourhoods/1/feed (demo data, ${bytes} bytes a page), ${connections} connections, ${threads} wrk threads, ${duration}"
wrk --latency -t "$threads" -c "$connections" -d "$duration" \
  -H "Authorization: Bearer $token" "$url" |
  grep -E "Requests/sec|Latency|50%|99%|requests in|Non-2xx"
curl -sf "http://127.0.0.1:$port/metrics" -H "Authorization: Bearer $token" 2>/dev/null |
  grep -E "^noaber_feed_cache_(hits|misses|bypasses) |^noaber_store_duration_seconds_(sum|count)\{operation=\"(feed|has_hidden_posts|get_membership|find_session)\"" || true
