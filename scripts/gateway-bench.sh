#!/usr/bin/env bash
# Gateway scenario of scripts/benchmark.sh (issue 11): GET /v1/ping, GET /v1/authorize, and nginx
# with deploy/nginx/justgold-gateway.conf in front of /v1/authorize, on ONE API process, in
# alternating rounds, all driven by wrk with ES256 tokens signed beforehand by the load tool (each
# token sent once; ES256 because runs are timed and the token sets must outnumber what the fastest
# path answers, and ES256 signs about 4x faster than RS256 here). Only runs with 0 non-200 count:
# replays are cheaper than acceptances and would flatter the rate.
# Prints a Markdown section on stdout; progress on stderr.
#
#   scripts/gateway-bench.sh <api dll> <EC keys dir of the load tool> <load tool dll> <work dir>
#
# Knobs: BENCH_GATEWAY_SECONDS (per run, default 10), BENCH_GATEWAY_ROUNDS (default 2),
# BENCH_GATEWAY_REQUESTS (cap on tokens per run, default 250000), BENCH_CONNECTIONS (default 64).
# Only 127.0.0.1; bounded; stops only what it started, by PID.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
API_DLL=$1 KEYS=$2 LOADTEST_DLL=$3 WORK=$4
SECONDS_PER_RUN=${BENCH_GATEWAY_SECONDS:-10}
ROUNDS=${BENCH_GATEWAY_ROUNDS:-2}
CAP=${BENCH_GATEWAY_REQUESTS:-250000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
NGINX=$(PATH="$PATH:/usr/sbin" command -v nginx || true)
DIR=$(mktemp -d "$WORK/gateways.XXXX") # a fresh data directory: no token of the file is used yet

PIDS=()

log() { printf '[%s] gateways: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { # utime + stime of the given PIDs, in clock ticks
  local pid files=()
  for pid in "$@"; do files+=("/proc/$pid/stat"); done
  awk '{ t += $14 + $15 } END { print t + 0 }' "${files[@]}" 2>/dev/null || echo 0
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

command -v wrk >/dev/null || { log "wrk is not installed; skipped"; echo "wrk is not installed: gateway scenario not measured."; exit 0; }

# ---- the API (embedded, fresh data directory: the saved tokens are unused here) ----------------------
port=$(free_port)
API_URL="http://127.0.0.1:$port"
ADMIN_KEY="bench-$RANDOM$RANDOM"
env Admin__ApiKey="$ADMIN_KEY" Storage__DataDirectory="$DIR/data" Cluster__SiloPort="$(free_port)" \
  Cluster__GatewayPort="$(free_port)" Logging__LogLevel__Default=Warning \
  dotnet "$API_DLL" --urls "$API_URL" > "$DIR/api.log" 2>&1 &
API_PID=$!
PIDS+=("$API_PID")
for ((i = 0; i < 240; i++)); do
  curl -fsS -o /dev/null --max-time 2 "$API_URL/readyz" 2>/dev/null && break
  sleep 0.25
done
sign() { # <count> <file>: ES256 tokens with kid over the load tool's 100 partners, valid for 50 min
  dotnet "$LOADTEST_DLL" --register false --keys-dir "$KEYS" --partners 100 --alg ES256 --kid true \
    --distribution uniform --requests "$1" --ttl 3000 --save-tokens "$2" > "$2.out" 2>&1
}
# Registers the load tool's 100 partners and warms the API up on /v1/ping.
WARM=3000 PROBE=30000
TOKENS_FILE=$DIR/probe.tokens
sign $((WARM + PROBE)) "$TOKENS_FILE"
dotnet "$LOADTEST_DLL" --url "$API_URL" --register true --admin-key "$ADMIN_KEY" --keys-dir "$KEYS" --partners 100 \
  --alg ES256 --kid true --tokens-file "$TOKENS_FILE" --skip 0 --requests "$WARM" --connections "$CONNECTIONS" \
  --expect-replay false --ttl 3000 > "$DIR/warmup.out" 2>&1 || { log "warm-up failed; see $DIR/warmup.out"; exit 1; }

# ---- nginx with the shipped config, in front of a static upstream in the same nginx ------------------
NGINX_URL=""
if [[ -n "$NGINX" ]]; then
  gw=$(free_port) up=$(free_port)
  sed -e "s/server 127.0.0.1:8080;/server 127.0.0.1:$port;/" -e "s/server 127.0.0.1:9000;/server 127.0.0.1:$up;/" \
    -e "s/listen 8000;/listen 127.0.0.1:$gw;/" "$ROOT/deploy/nginx/justgold-gateway.conf" > "$DIR/justgold-gateway.conf"
  cat > "$DIR/nginx.conf" <<EOF
$([[ $(id -u) == 0 ]] && echo 'user root;')
worker_processes 1;
daemon off;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $DIR/cb; proxy_temp_path $DIR/px; fastcgi_temp_path $DIR/fc; uwsgi_temp_path $DIR/uw; scgi_temp_path $DIR/sc;
  include $DIR/justgold-gateway.conf;
  # The protected API: a static answer, so the row shows what the gateway and the auth call cost.
  server { listen 127.0.0.1:$up; location / { return 200 "ok\n"; } }
}
EOF
  "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" > "$DIR/nginx.out" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  sleep 1
  NGINX_URL="http://127.0.0.1:$gw"
else
  log "nginx not installed; the nginx row is skipped"
fi

# ---- wrk: each thread sends its own slice of the file, each token once (scripts/wrk-tokens.lua) ------
LUA=$ROOT/scripts/wrk-tokens.lua

RESULTS="$DIR/results.tsv"
: > "$RESULTS"
next=$WARM
run() { # <label> <url> <count> <round> <pids to charge CPU to...>
  local label=$1 url=$2 count=$3 round=$4
  shift 4
  local before after line
  before=$(ticks "$@")
  line=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --timeout 30s -s "$LUA" "$url" \
    -- "$TOKENS_FILE" "$next" "$count" 2 2> "$DIR/$label.r$round.err" | tee "$DIR/$label.r$round.out" | grep '^RESULT' || true)
  after=$(ticks "$@")
  next=$((next + count))
  read -r _ requests rps p50 p99 bad <<< "${line:-RESULT 0 0 0 0 0}"
  local cpu
  cpu=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$requests" "$rps" "$cpu" "$p50" "$p99" "$bad" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$RESULTS"
  log "$label round $round: $requests req, $rps req/s, $cpu µs CPU/req, p99 $p99 ms, non-200 $bad, load $(cut -d' ' -f1 /proc/loadavg)"
}

# Tokens per run from a short probe of /v1/ping: three times what SECONDS_PER_RUN seconds need (the
# probe runs cold, and load on a shared machine moves), capped; a run that still runs out shows non-200.
probe=$(wrk -t2 -c"$CONNECTIONS" -d2s --timeout 30s -s "$LUA" "$API_URL/v1/ping" -- "$TOKENS_FILE" "$next" "$PROBE" 2 2>/dev/null | grep '^RESULT' || echo "RESULT 0 1000 0 0 0")
read -r _ _ probe_rps _ _ _ <<< "$probe"
COUNT=$(awk -v r="$probe_rps" -v s="$SECONDS_PER_RUN" -v cap="$CAP" 'BEGIN { n = int(3 * r * s); if (n < 2000) n = 2000; if (n > cap) n = cap; print n - n % 2 }')
log "signing $((ROUNDS * 3 * COUNT)) tokens"
TOKENS_FILE=$DIR/runs.tokens
sign $((ROUNDS * 3 * COUNT)) "$TOKENS_FILE"
next=0
log "$SECONDS_PER_RUN s and at most $COUNT tokens per run, $ROUNDS rounds, $CONNECTIONS connections"
for ((round = 1; round <= ROUNDS; round++)); do
  run ping "$API_URL/v1/ping" "$COUNT" "$round" "$API_PID"
  run authorize "$API_URL/v1/authorize" "$COUNT" "$round" "$API_PID"
  # shellcheck disable=SC2046 # the nginx master and its worker
  [[ -n "$NGINX_URL" ]] && run nginx "$NGINX_URL/orders" "$COUNT" "$round" "$API_PID" $(pgrep -P "$NGINX_PID") "$NGINX_PID"
done

# ---- report ---------------------------------------------------------------------------------------------
med() { awk -F'\t' -v l="$1" -v c="$2" '$1 == l && $3 > 0 { print $c }' "$RESULTS" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f×", a / b }'; }
row() {
  local rps cpu
  rps=$(med "$1" 4); cpu=$(med "$1" 5)
  echo "| $2 | $rps | $(ratio "$rps" "$(med ping 4)") | $cpu | $(ratio "$cpu" "$(med ping 5)") | $(med "$1" 6) | $(med "$1" 7) | $(awk -F'\t' -v l="$1" '$1 == l { s += $8 } END { print s + 0 }' "$RESULTS") |"
}
cat <<EOF
## Gateways: /v1/authorize and nginx in front

One API process (embedded, durable replay records), ES256 with kid over 100 partners, wrk with
$CONNECTIONS connections and 2 threads on the same machine, $SECONDS_PER_RUN s per run (each token sent once),
$ROUNDS rounds alternating ping → authorize → nginx; medians. CPU per request is the API process's
(for nginx: the API's plus nginx's, one worker). nginx runs \`deploy/nginx/justgold-gateway.conf\`
in front of a static upstream, so its row is the price of the gateway hop and the auth subrequest.
Envoy's gRPC \`Check\` is not measured (no HTTP/2 load generator on the build machines).

| path | req/s | vs /v1/ping | CPU µs/req | vs /v1/ping | p50 ms | p99 ms | non-200 |
|---|---|---|---|---|---|---|---|
$(row ping "GET /v1/ping")
$(row authorize "GET /v1/authorize")
$(row nginx "nginx → /v1/authorize → static upstream")

Raw runs (label, round, requests, req/s, CPU µs/req, p50, p99, non-200, 1-min load average at the end):

\`\`\`
$(cat "$RESULTS")
\`\`\`
EOF
