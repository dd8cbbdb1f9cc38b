#!/usr/bin/env bash
# Stops what cluster-up.sh started: exactly the PIDs in $JUSTGOLD_STATE_DIR/pids (SIGTERM,
# then SIGKILL after a grace period), then PostgreSQL (pg_ctl stop). Data is kept;
# pass --purge to delete the state folder (database included) as well.
set -euo pipefail
source "$(dirname "$0")/cluster-env.sh"

log() { echo "cluster-down: $*"; }

# API node first, so no request is half-way through a silo that is going away.
for name in api1 silo2 silo1; do
  pid_file="$PID_DIR/$name.pid"
  [ -f "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  # Only a process that is still ours: alive, and a dotnet process.
  if kill -0 "$pid" 2>/dev/null && grep -q dotnet "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) did not stop in 15 s; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "$name stopped (pid $pid)"
  fi
  rm -f "$pid_file"
done

if [ -f "$PG_DATA/postmaster.pid" ]; then
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null && log "PostgreSQL stopped"
fi

if [ "${1:-}" = "--purge" ]; then
  rm -rf "$STATE_DIR"
  log "removed $STATE_DIR"
fi
