#!/usr/bin/env bash
# How many replay records per second PostgreSQL takes with group commit, and what each costs, for
# docs/capacity.md. Starts a throwaway PostgreSQL (Debian's binaries, /usr/lib/postgresql/15/bin or
# JUSTGOLD_PG_BIN) on a free 127.0.0.1 port in a temporary folder, with the product's jg_replay_jti
# table (range partitions of 60 s of forget-at, a primary key per partition), and drives it with
# pgbench: one transaction = one multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING of B records
# (the statement ReplayRecordWriter sends), synchronous_commit on, fsync on. Prints a markdown table.
# Then, with a Release build of benchmarks/, the product's own store: the `storage` mode (records/s
# by batch size) and the `pgcost` mode (PostgreSQL CPU per record from /proc, the writer's CPU,
# bytes per live jti, expiry cost).
#
#   scripts/pg-replay-rate.sh                      (PG_SECONDS=10 per point by default)
#   scripts/pg-replay-rate.sh --compare <git-rev>  pgcost only: this build and <git-rev> alternately
#                                                  (PG_ROUNDS=3 pairs), each on an empty database. The
#                                                  rev is checked out in a temporary worktree, this
#                                                  tree's benchmark driver copied in, both built Release
#
# Bounded: each pgbench run lasts PG_SECONDS; the server is stopped by its own pg_ctl at the end.
set -euo pipefail

BIN=${JUSTGOLD_PG_BIN:-/usr/lib/postgresql/15/bin}
SECONDS_PER_POINT=${PG_SECONDS:-10}
COMPARE=""
if [[ ${1:-} == --compare ]]; then
  COMPARE=${2:?usage: pg-replay-rate.sh --compare <git-rev>}
fi
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK=$(mktemp -d /tmp/justgold-pg.XXXXXX)
chmod 755 "$WORK"
PORT=$((20000 + RANDOM % 40000))
AS=()
if [[ $(id -u) == 0 ]]; then
  chown postgres "$WORK"
  AS=(runuser -u postgres --)
fi

stop() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -m fast -w stop > /dev/null 2>&1 || true
  if [[ -d "$WORK/before" ]]; then git -C "$ROOT" worktree remove --force "$WORK/before" > /dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap stop EXIT

"${AS[@]}" "$BIN/initdb" -D "$WORK/data" -U postgres --auth=trust > "$WORK/initdb.log" 2>&1
"${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c fsync=on -c shared_buffers=256MB" start > /dev/null

PSQL=("${AS[@]}" "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1)
export JUSTGOLD_BENCH_PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
JUSTGOLD_BENCH_PG_PID=$(head -1 "$WORK/data/postmaster.pid")
export JUSTGOLD_BENCH_PG_PID
BENCH_DLL="$ROOT/benchmarks/JustGold.Benchmarks/bin/Release/net10.0/JustGold.Benchmarks.dll"
VERSION=$("${AS[@]}" "$BIN/postgres" --version | awk '{ print $3 }')

if [[ -n "$COMPARE" ]]; then
  git -C "$ROOT" worktree add -q --detach "$WORK/before" "$COMPARE"
  cp "$ROOT"/benchmarks/JustGold.Benchmarks/{PostgresReplayCost.cs,Program.cs} "$WORK/before/benchmarks/JustGold.Benchmarks/"
  for tree in "$WORK/before" "$ROOT"; do
    dotnet build -c Release "$tree/benchmarks/JustGold.Benchmarks" > "$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log"; exit 1; }
  done
  BEFORE_DLL="$WORK/before/benchmarks/JustGold.Benchmarks/bin/Release/net10.0/JustGold.Benchmarks.dll"
  echo "PostgreSQL $VERSION, fsync on, $(nproc) cores shared with the client; before = $COMPARE, after = $(git -C "$ROOT" rev-parse --short HEAD)"
  for round in $(seq "${PG_ROUNDS:-3}"); do
    for build in before after; do
      "${PSQL[@]}" -c "DROP TABLE IF EXISTS jg_replay_jti, jg_replay_digests" 2> /dev/null
      echo
      echo "round $round, $build; load average $(cut -d' ' -f1-3 /proc/loadavg)"
      dll=$BENCH_DLL
      [[ $build == before ]] && dll=$BEFORE_DLL
      timeout 600 dotnet "$dll" pgcost "${PG_FILL:-100000}" "${STORAGE_SECONDS:-5}" "$build"
    done
  done
  exit 0
fi

# The same DDL as PostgresReplayStore.Schema, with the partitions the product makes ahead for the
# forget-at times below (2000000000 + up to an hour, 60 s each).
"${PSQL[@]}" -c "CREATE TABLE jg_replay_jti (partner_key BIGINT NOT NULL, jti UUID NOT NULL, forget_at BIGINT NOT NULL) PARTITION BY RANGE (forget_at);"
"${PSQL[@]}" -c "DO \$\$ BEGIN FOR s IN 0..60 LOOP
  EXECUTE format('CREATE TABLE jg_replay_jti_%s PARTITION OF jg_replay_jti (PRIMARY KEY (partner_key, jti)) FOR VALUES FROM (%s) TO (%s) WITH (autovacuum_enabled = off)',
    s, 2000000000 + s * 60, 2000000060 + s * 60);
END LOOP; END \$\$;"

cat > "$WORK/insert.sql" <<'SQL'
INSERT INTO jg_replay_jti (partner_key, jti, forget_at)
SELECT hashtextextended('load-rsa-' || (random() * 99)::int, 0), gen_random_uuid(), 2000000000 + (random() * 3599)::int
FROM generate_series(1, :batch)
ON CONFLICT DO NOTHING
RETURNING partner_key, jti;
SQL
chmod 644 "$WORK/insert.sql"

echo "PostgreSQL $VERSION, fsync on, synchronous_commit on, ${SECONDS_PER_POINT} s per point, $(nproc) cores shared with the client"
echo
echo "| writers (silos) | records per commit | commits/s | records/s | mean commit latency ms |"
echo "|---:|---:|---:|---:|---:|"
for point in "1 1" "1 16" "1 128" "1 512" "2 128" "4 128" "4 512"; do
  read -r clients batch <<< "$point"
  out=$("${AS[@]}" "$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -n -f "$WORK/insert.sql" -D batch="$batch" \
    -c "$clients" -j "$clients" -T "$SECONDS_PER_POINT" postgres 2>&1)
  tps=$(awk -F'= ' '/^tps/ { split($2, a, " "); print a[1]; exit }' <<< "$out")
  lat=$(awk -F'= ' '/^latency average/ { split($2, a, " "); print a[1]; exit }' <<< "$out")
  awk -v c="$clients" -v b="$batch" -v t="$tps" -v l="$lat" 'BEGIN { printf "| %d | %d | %.0f | %.0f | %s |\n", c, b, t, t * b, l }'
done
read -r rows bytes <<< "$("${PSQL[@]}" -At -F ' ' -c "SELECT count(*), (SELECT sum(pg_total_relation_size(oid))::bigint FROM pg_class WHERE relname LIKE 'jg\_replay\_jti\_%' AND relkind = 'r') FROM jg_replay_jti")"
echo
echo "Rows at the end: $rows; all partitions, heap + indexes $((bytes / 1048576)) MiB = $((bytes / (rows > 0 ? rows : 1))) bytes per stored record."

# The same server through the product's own code (PostgresReplayStore, one writer), next to the
# embedded journal; then what a record costs PostgreSQL. Needs a Release build of benchmarks/.
if [[ -f "$BENCH_DLL" ]]; then
  "${PSQL[@]}" -c "DROP TABLE jg_replay_jti"
  echo
  timeout 300 dotnet "$BENCH_DLL" storage "${STORAGE_SECONDS:-3}" | grep -v '^RESULT'
  "${PSQL[@]}" -c "DROP TABLE jg_replay_jti"
  echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout 600 dotnet "$BENCH_DLL" pgcost "${PG_FILL:-100000}" "${STORAGE_SECONDS:-3}" "this build" | grep -v '^RESULT'
fi
