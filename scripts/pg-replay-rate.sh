#!/usr/bin/env bash
# How many replay records per second PostgreSQL takes with group commit, for docs/capacity.md.
# Starts a throwaway PostgreSQL (Debian's binaries, /usr/lib/postgresql/15/bin or JUSTGOLD_PG_BIN) on
# a free 127.0.0.1 port in a temporary folder, with the product's jg_replay_digests table, and drives
# it with pgbench: one transaction = one multi-row INSERT ... ON CONFLICT ... RETURNING of B records
# (the statement ReplayRecordWriter sends), synchronous_commit on, fsync on. Prints a markdown table.
#
#   scripts/pg-replay-rate.sh            (PG_SECONDS=10 per point by default)
#
# Bounded: each pgbench run lasts PG_SECONDS; the server is stopped by its own pg_ctl at the end.
set -euo pipefail

BIN=${JUSTGOLD_PG_BIN:-/usr/lib/postgresql/15/bin}
SECONDS_PER_POINT=${PG_SECONDS:-10}
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
  rm -rf "$WORK"
}
trap stop EXIT

"${AS[@]}" "$BIN/initdb" -D "$WORK/data" -U postgres --auth=trust > "$WORK/initdb.log" 2>&1
"${AS[@]}" "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/postgres.log" -w \
  -o "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c fsync=on -c shared_buffers=256MB" start > /dev/null

PSQL=("${AS[@]}" "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1)
# The same DDL as PostgresReplayStore.Schema: fixed-size rows keyed by (partner key, jti digest).
"${PSQL[@]}" -c "CREATE TABLE jg_replay_digests (partner_key BIGINT NOT NULL, jti UUID NOT NULL, forget_at BIGINT NOT NULL, PRIMARY KEY (partner_key, jti));
  CREATE INDEX jg_replay_digests_by_forget_at ON jg_replay_digests USING brin (forget_at);"

cat > "$WORK/insert.sql" <<'EOF'
INSERT INTO jg_replay_digests (partner_key, jti, forget_at)
SELECT hashtextextended('load-rsa-' || (random() * 99)::int, 0), gen_random_uuid(), 2000000000 + (random() * 3600)::int
FROM generate_series(1, :batch)
ON CONFLICT (partner_key, jti) DO UPDATE SET forget_at = excluded.forget_at
WHERE jg_replay_digests.forget_at <= 1800000000
RETURNING partner_key, jti;
EOF
chmod 644 "$WORK/insert.sql"

echo "PostgreSQL $("${AS[@]}" "$BIN/postgres" --version | awk '{ print $3 }'), fsync on, synchronous_commit on, ${SECONDS_PER_POINT} s per point, $(nproc) cores shared with the client"
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
read -r rows bytes <<< "$("${PSQL[@]}" -At -F ' ' -c "VACUUM ANALYZE jg_replay_digests" -c "SELECT count(*), pg_total_relation_size('jg_replay_digests') FROM jg_replay_digests")"
echo
echo "Rows in the table at the end: $rows; table + indexes $((bytes / 1048576)) MiB = $((bytes / (rows > 0 ? rows : 1))) bytes per stored record."

# The same server through the product's own code (PostgresReplayStore.AppendAsync, one writer), next to
# the embedded journal; needs a Release build of benchmarks/.
BENCH_DLL="$(cd "$(dirname "$0")/.." && pwd)/benchmarks/JustGold.Benchmarks/bin/Release/net10.0/JustGold.Benchmarks.dll"
if [[ -f "$BENCH_DLL" ]]; then
  "${PSQL[@]}" -c "DROP TABLE jg_replay_digests"
  echo
  JUSTGOLD_BENCH_PG="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres" \
    timeout 300 dotnet "$BENCH_DLL" storage "${STORAGE_SECONDS:-3}" | grep -v '^RESULT'
fi
