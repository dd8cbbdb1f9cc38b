#!/usr/bin/env bash
# Starts the docker-compose topology on this machine without Docker:
# PostgreSQL (initdb into $JUSTGOLD_STATE_DIR on its own port), two silos and one API node,
# as background processes whose PIDs go to $JUSTGOLD_STATE_DIR/pids. Stop with cluster-down.sh.
#
#   scripts/cluster-up.sh            # builds if needed, starts, waits for /readyz
#   ADMIN_API_KEY=... API_PORT=8080 PG_PORT=55432 scripts/cluster-up.sh
set -euo pipefail
source "$(dirname "$0")/cluster-env.sh"

log() { echo "cluster-up: $*"; }
die() { echo "cluster-up: $*" >&2; exit 1; }

is_running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

for tool in initdb pg_ctl psql; do
  [ -x "$PG_BIN/$tool" ] || die "$PG_BIN/$tool not found (apt-get install postgresql, or set JUSTGOLD_PG_BIN)"
done
command -v curl >/dev/null || die "curl is needed to wait for readiness"

mkdir -p "$STATE_DIR" "$PID_DIR" "$LOG_DIR"

# A port someone else listens on would make a node fail (or wait on the wrong process): refuse early.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
check_free() {
  local name="$1" port="$2"
  if ! is_running "$PID_DIR/$name.pid" && port_in_use "$port"; then
    die "port $port (for $name) is in use by another process; choose other ports (see scripts/cluster-env.sh)"
  fi
}
for i in 0 1; do
  for port in "${SILO_PORTS[$i]}" "${GATEWAY_PORTS[$i]}" "${SILO_HTTP_PORTS[$i]}"; do check_free "silo$((i + 1))" "$port"; done
done
check_free api1 "$API_PORT"

# --- build ---------------------------------------------------------------------------
if [ ! -f "$SILO_DLL" ] || [ ! -f "$API_DLL" ] || [ "${BUILD:-auto}" = "always" ]; then
  log "building ($CONFIGURATION)"
  dotnet build "$REPO_ROOT/src/Silo/JustGold.Silo.csproj" -c "$CONFIGURATION" -nologo -v q
  dotnet build "$REPO_ROOT/src/Api/JustGold.Api.csproj" -c "$CONFIGURATION" -nologo -v q
fi

# --- admin key -----------------------------------------------------------------------
if [ -z "${ADMIN_API_KEY:-}" ]; then
  if [ ! -f "$STATE_DIR/admin-key" ]; then
    (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$STATE_DIR/admin-key")
  fi
  ADMIN_API_KEY="$(cat "$STATE_DIR/admin-key")"
fi

# --- PostgreSQL ----------------------------------------------------------------------
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  log "initdb into $PG_DATA (port $PG_PORT)"
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
  as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --no-locale >"$LOG_DIR/initdb.log"
  cat >>"$PG_DATA/postgresql.conf" <<CONF

# JustGold partner-auth (scripts/cluster-up.sh)
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_DIR'
max_connections = 200
CONF
fi
if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
  log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w -t 60 start >/dev/null
fi
if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $PG_DATABASE"
fi

# --- silos and API node --------------------------------------------------------------
# start NAME DLL ENV... : runs `dotnet DLL` in the background with ENV, unless NAME runs already.
start() {
  local name="$1" dll="$2"; shift 2
  if is_running "$PID_DIR/$name.pid"; then
    log "$name already running (pid $(cat "$PID_DIR/$name.pid"))"
    return
  fi
  mkdir -p "$STATE_DIR/$name"
  (cd "$STATE_DIR/$name" && exec env "$@" dotnet "$dll" >"$LOG_DIR/$name.log" 2>&1) &
  echo $! >"$PID_DIR/$name.pid"
  log "$name started (pid $!, log $LOG_DIR/$name.log)"
}

for i in 0 1; do
  start "silo$((i + 1))" "$SILO_DLL" \
    Storage__Provider=Postgres \
    Storage__ConnectionString="$CONNECTION_STRING" \
    Storage__ApplySchema=true \
    Storage__DurableReplayRecords="${DURABLE_REPLAY_RECORDS:-true}" \
    Cluster__Membership=Postgres \
    Cluster__AdvertisedAddress=127.0.0.1 \
    Cluster__SiloPort="${SILO_PORTS[$i]}" \
    Cluster__GatewayPort="${GATEWAY_PORTS[$i]}" \
    Silo__HttpPort="${SILO_HTTP_PORTS[$i]}"
done

start api1 "$API_DLL" \
  ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" \
  Cluster__Mode=Client \
  Cluster__Membership=Postgres \
  Cluster__ConnectionString="$CONNECTION_STRING" \
  Admin__ApiKey="$ADMIN_API_KEY"

# --- wait for readiness --------------------------------------------------------------
wait_ready() {
  local name="$1" url="$2" deadline=$((SECONDS + ${READY_TIMEOUT:-120}))
  until curl -fs -o /dev/null --max-time 5 "$url"; do
    is_running "$PID_DIR/$name.pid" || die "$name exited; see $LOG_DIR/$name.log"
    [ $SECONDS -lt $deadline ] || die "$name not ready at $url; see $LOG_DIR/$name.log"
    sleep 0.5
  done
  log "$name ready ($url)"
}
wait_ready silo1 "http://127.0.0.1:${SILO_HTTP_PORTS[0]}/readyz"
wait_ready silo2 "http://127.0.0.1:${SILO_HTTP_PORTS[1]}/readyz"
wait_ready api1 "http://127.0.0.1:$API_PORT/readyz"

log "up: API http://127.0.0.1:$API_PORT  (admin key in \$ADMIN_API_KEY or $STATE_DIR/admin-key)"
log "metrics: http://127.0.0.1:$API_PORT/metrics http://127.0.0.1:${SILO_HTTP_PORTS[0]}/metrics http://127.0.0.1:${SILO_HTTP_PORTS[1]}/metrics"
