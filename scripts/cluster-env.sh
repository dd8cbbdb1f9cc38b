# Shared settings of cluster-up.sh and cluster-down.sh (sourced, not run).
# Every value can be overridden from the environment. Keep in step with docker-compose.yml.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${JUSTGOLD_STATE_DIR:-/tmp/justgold-cluster}"
PG_BIN="${JUSTGOLD_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-55432}"                # compose: 5432 inside its own network
PG_DATABASE="${PG_DATABASE:-justgold}"
CONFIGURATION="${CONFIGURATION:-Release}"

# Silo i (1-based): Orleans silo port, gateway port, HTTP port (/healthz /readyz /metrics).
SILO_PORTS=(${SILO_PORTS:-11111 11112})
GATEWAY_PORTS=(${GATEWAY_PORTS:-30000 30001})
SILO_HTTP_PORTS=(${SILO_HTTP_PORTS:-8081 8082})
API_PORT="${API_PORT:-8080}"

PG_DIR="$STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PID_DIR="$STATE_DIR/pids"
LOG_DIR="$STATE_DIR/logs"
CONNECTION_STRING="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE"

SILO_DLL="$REPO_ROOT/src/Silo/bin/$CONFIGURATION/net10.0/JustGold.Silo.dll"
API_DLL="$REPO_ROOT/src/Api/bin/$CONFIGURATION/net10.0/JustGold.Api.dll"

# initdb and postgres refuse to run as root: then they run as the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
