#!/usr/bin/env bash
# The load benchmark of docs/performance.md: one table, all measured in one
# run on this machine.
#
#   bench/bench.sh [--scale tiny|small|national] [--duration 10s] [--warmup 3s]
#                  [--connections 32] [--threads 2] [--sample 1000] [--keep-db]
#                  [--feed-cache-entries N]   (0: the feed without its cache)
#                  [--serve-arg ARG]...        (more options for noaber serve, e.g.
#                                               --follow-ups-every=0)
#
# 1. Seeds a synthetic data set of the scale (noaber seed-synthetic; seed 1).
#    The seeded file is kept in build/bench-data/ and copied for each run,
#    so the national scale is generated once.
# 2. Starts `noaber serve` on it with the login and posting limits raised,
#    logs in `--sample` residents through the API (bench/sample_logins.py)
#    and measures, with wrk and bench/noaber.lua, all at --connections:
#    - feed reads: each request the first feed page of the resident's own
#      neighbourhood, rotating over the sampled residents' tokens, after a
#      --warmup run of the same requests that is not counted (it fills the
#      feed cache and the store's memo, and brings the pages those first
#      reads need into memory: the table shows the steady state);
#    - the limit: nginx (Debian's package, config in a temporary directory)
#      serving a static file of the average feed page size, same wrk settings;
#    - writes: new posts, each answered 201 only once committed with
#      synchronous=FULL (durable);
#    - mixed: 95 % feed reads, 5 % new posts;
#    - the server's peak anonymous resident memory (RssAnon, sampled), and
#      VmHWM, which also counts file pages mapped into the process.
# Prints the table as Markdown. Exits non-zero when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=national duration= warmup= connections=32 threads=2 sample= keep_db=0 cache_args=()
while (($#)); do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --sample) sample=$2; shift 2 ;;
    --keep-db) keep_db=1; shift ;;
    --feed-cache-entries) cache_args+=(--feed-cache-entries "$2"); shift 2 ;;
    --serve-arg) cache_args+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

case "$scale" in
  tiny) residents=2000 hoods=40 posts=10000 default_sample=20 default_duration=2s ;;
  small) residents=100000 hoods=1000 posts=500000 default_sample=1000 default_duration=10s ;;
  national) residents=1000000 hoods=10000 posts=5000000 default_sample=1000 default_duration=10s ;;
  *) echo "--scale must be tiny, small or national" >&2; exit 2 ;;
esac
sample=${sample:-$default_sample}
duration=${duration:-$default_duration}
warmup=${warmup:-$( [[ $scale == tiny ]] && echo 1s || echo 3s )}

noaber=${NOABER_BINARY:-build/noaber}
[[ -x $noaber ]] || { echo "build first: make server" >&2; exit 1; }
for tool in wrk nginx python3 curl; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null || {
    echo "bench: $tool is missing (scripts/install-deps bench)" >&2; exit 77; }
done
nginx_bin=$(PATH=$PATH:/usr/sbin command -v nginx)

work=$(mktemp -d)
chmod 755 "$work"  # nginx workers (user nobody) read the static file here
server_pid= nginx_pid= sampler_pid=
cleanup() {
  # `|| true`: the wait for a killed job fails, which under set -e would end
  # this trap early, leaving the server running and the work directory (a
  # copy of the database) behind.
  [[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null && wait "$sampler_pid" 2>/dev/null || true
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# --- 1. the data set ----------------------------------------------------------
cache_dir=${BENCH_DATA_DIR:-build/bench-data}
pristine="$cache_dir/$scale-seed1.db"
seed_note="reused $pristine"
if [[ $scale == tiny || ! -f $pristine ]]; then
  [[ $scale == tiny ]] && pristine="$work/pristine.db"
  mkdir -p "$(dirname "$pristine")"
  rm -f "$pristine" "$pristine-wal" "$pristine-shm"
  echo "bench: seeding $scale ($residents residents, $hoods neighbourhoods, $posts posts)" >&2
  seed_out=$("$noaber" seed-synthetic --db "$pristine.tmp" --residents "$residents" \
    --neighbourhoods "$hoods" --posts "$posts" --seed 1) || {
      rm -f "$pristine.tmp"*; exit 1; }
  mv "$pristine.tmp" "$pristine"
  seed_note=$(grep -o 'Took [^:]*: [0-9]* posts per second' <<<"$seed_out" || true)
  echo "$seed_out" >&2
fi
db="$work/bench.db"
cp --reflink=auto "$pristine" "$db"

# --- 2. the server ---------------------------------------------------------------
port=$(free_port)
"$noaber" serve --db "$db" --listen "127.0.0.1:$port" --log-level warn --web "$work/no-web" \
  --rate-limit login-ip=1000000/60 --rate-limit login-email=1000/60 \
  --rate-limit posts-user=1000000/60 --rate-limit posts-ip=1000000/60 "${cache_args[@]}" &
server_pid=$!
# The peak of the server's anonymous resident memory, sampled: VmHWM also
# counts mapped file pages (the binary, its libraries and, with SQLite's
# mmap_size, the database), which are page cache.
peak_anon="$work/peak-anon-kib"
echo 0 >"$peak_anon"
( peak=0
  while kill -0 "$server_pid" 2>/dev/null; do
    kib=$(awk '/^RssAnon:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null)
    if [[ -n $kib ]] && ((kib > peak)); then peak=$kib; echo "$peak" >"$peak_anon"; fi
    sleep 0.2
  done ) &
sampler_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "bench: the server did not start" >&2; exit 1; }

echo "bench: logging in $sample residents" >&2
tokens="$work/tokens.txt"
python3 bench/sample_logins.py --url "http://127.0.0.1:$port" --residents "$residents" \
  --count "$sample" --out "$tokens" --parallel 4
sampled=$(wc -l <"$tokens")
avg_bytes=$(awk '{ s += $3 } END { printf "%d", s / NR }' "$tokens")

# wrk with bench/noaber.lua; prints "requests seconds p50_us p99_us non2xx errors".
run_wrk() {  # mode url [duration]
  BENCH_MODE=$1 BENCH_TOKENS=$tokens wrk -t "$threads" -c "$connections" -d "${3:-$duration}" \
    -s bench/noaber.lua "$2" | awk '/^RESULT/ { print $2, $3, $4, $5, $6, $7 }'
}

echo "bench: feed reads, warming up for $warmup (not counted)" >&2
run_wrk feed "http://127.0.0.1:$port" "$warmup" >/dev/null
echo "bench: feed reads" >&2
read -r feed_n feed_s feed_p50 feed_p99 feed_bad feed_err < <(run_wrk feed "http://127.0.0.1:$port")

# --- the limit: nginx with a file of the average feed page size ----------------------
mkdir -p "$work/static" "$work/nginx"
head -c "$avg_bytes" /dev/zero | tr '\0' 'x' >"$work/static/feed.json"
chmod -R a+rX "$work/static"
nport=$(free_port)
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nport;
    root $work/static;
    location / { try_files /feed.json =404; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/stderr" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/x" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$nport/x" >/dev/null || { cat "$work/nginx/stderr" >&2; echo "bench: nginx did not start" >&2; exit 1; }
echo "bench: nginx, the same requests" >&2
read -r ng_n ng_s ng_p50 ng_p99 ng_bad ng_err < <(run_wrk feed "http://127.0.0.1:$nport")
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=

echo "bench: post creations" >&2
read -r post_n post_s post_p50 post_p99 post_bad post_err < <(run_wrk post "http://127.0.0.1:$port")
echo "bench: mixed" >&2
read -r mix_n mix_s mix_p50 mix_p99 mix_bad mix_err < <(run_wrk mixed "http://127.0.0.1:$port")

curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^noaber_feed_cache_' >&2 || true
hwm_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")
anon_kb=$(<"$peak_anon")

# --- the table ------------------------------------------------------------------------
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
feed_rate=$(rate "$feed_n" "$feed_s")
ng_rate=$(rate "$ng_n" "$ng_s")
post_rate=$(rate "$((post_n - post_bad))" "$post_s")
mix_rate=$(rate "$mix_n" "$mix_s")
ratio=$(awk -v a="$feed_rate" -v b="$ng_rate" 'BEGIN { printf "%.0f %%", (b > 0 ? 100 * a / b : 0) }')
errors() { (($1 + $2 > 0)) && echo " ($1 non-2xx, $2 socket errors)" || true; }

cat <<EOF

Noaber benchmark, scale $scale: $residents residents, $hoods neighbourhoods, $posts posts (SQLite)
$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk $threads threads x $connections connections x $duration each (feed reads after a $warmup warm-up); seed: $seed_note

| measure | requests/s | p50 | p99 | notes |
|---|---:|---:|---:|---|
| feed reads (first page, own neighbourhood) | $feed_rate | $(ms "$feed_p50") | $(ms "$feed_p99") | $sampled residents' tokens, $avg_bytes bytes a page on average$(errors "$feed_bad" "$feed_err") |
| limit: nginx, static file of that size | $ng_rate | $(ms "$ng_p50") | $(ms "$ng_p99") | same wrk settings$(errors "$ng_bad" "$ng_err") |
| feed / nginx | $ratio | | | |
| post creations, each durable | $post_rate | $(ms "$post_p50") | $(ms "$post_p99") | 201s per second$(errors "$post_bad" "$post_err") |
| mixed: 95 % feed, 5 % posts | $mix_rate | $(ms "$mix_p50") | $(ms "$mix_p99") |$(errors "$mix_bad" "$mix_err") |
| server peak memory (anonymous) | $((anon_kb / 1024)) MB | | | whole run, RssAnon sampled every 0.2 s; VmHWM $((hwm_kb / 1024)) MB |
EOF

# A run that measured nothing is a failure, not a table of zeros.
for n in "$feed_n" "$ng_n" "$post_n" "$mix_n"; do
  ((n > 0)) || { echo "bench: a measurement made no requests" >&2; exit 1; }
done
((feed_bad == 0)) || { echo "bench: feed reads answered non-2xx" >&2; exit 1; }
((post_n > post_bad)) || { echo "bench: no post was created" >&2; exit 1; }
[[ $keep_db == 1 ]] && cp "$db" "$cache_dir/$scale-after-bench.db"
exit 0
