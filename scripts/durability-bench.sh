#!/usr/bin/env bash
# Measures what durable replay records cost: the same load against the same scripted cluster
# (PostgreSQL with fsync on, two silos, one API node), with Storage__DurableReplayRecords
# true and false, alternating, ROUNDS times each. Uses tools/LoadTest with pre-generated tokens.
#
#   scripts/durability-bench.sh                  # REQUESTS=20000 ROUNDS=2 ALG=ES256 CONNECTIONS=64
set -euo pipefail
source "$(dirname "$0")/cluster-env.sh"
REQUESTS="${REQUESTS:-20000}"
ROUNDS="${ROUNDS:-2}"
ALG="${ALG:-ES256}"
CONNECTIONS="${CONNECTIONS:-64}"
PARTNERS="${PARTNERS:-100}"
LOADTEST_DLL="$REPO_ROOT/tools/LoadTest/bin/$CONFIGURATION/net10.0/JustGold.LoadTest.dll"
[ -f "$LOADTEST_DLL" ] || dotnet build "$REPO_ROOT/tools/LoadTest/JustGold.LoadTest.csproj" -c "$CONFIGURATION" -nologo -v q
RESULTS="$STATE_DIR/bench"
mkdir -p "$RESULTS"

for round in $(seq 1 "$ROUNDS"); do
  for durable in true false; do
    "$REPO_ROOT/scripts/cluster-down.sh" >/dev/null
    DURABLE_REPLAY_RECORDS=$durable "$REPO_ROOT/scripts/cluster-up.sh" >/dev/null
    out="$RESULTS/durable-$durable-$round.txt"
    # Warm-up (JIT, grain activations, connection pools), not measured.
    dotnet "$LOADTEST_DLL" --url "http://127.0.0.1:$API_PORT" --admin-key "$(cat "$STATE_DIR/admin-key")" \
      --partners "$PARTNERS" --alg "$ALG" --connections "$CONNECTIONS" --requests 3000 --expect-replay false \
      --keys-dir "$RESULTS/keys" >"$out.warmup" 2>&1 || { echo "warm-up failed, see $out.warmup"; exit 1; }
    # Replays are only refused by a durable record or the same grain's memory; both hold here.
    dotnet "$LOADTEST_DLL" --url "http://127.0.0.1:$API_PORT" --admin-key "$(cat "$STATE_DIR/admin-key")" \
      --partners "$PARTNERS" --alg "$ALG" --connections "$CONNECTIONS" --requests "$REQUESTS" \
      --keys-dir "$RESULTS/keys" >"$out" 2>&1 || { echo "load test failed, see $out"; exit 1; }
    echo "round $round durable=$durable: $(grep -E '^Requests:' "$out")  $(grep -E '^Latency' "$out")"
  done
done
"$REPO_ROOT/scripts/cluster-down.sh" >/dev/null
