#!/usr/bin/env bash
# Builds the benchmarks jar and measures what sharing the DPoP replay store on Redis costs: the latency a DPoP
# request adds against a local redis-server (p50/p99, in-memory store beside it in the same run) and Redis's memory
# per million proofs (INFO used_memory before/after). Needs redis-server on the PATH.
#   benchmarks/replay-store.sh [dpop-requests] [proofs-for-memory]     (defaults 10000 and 1000000)
# On a shared machine: flock /work/helpers/bench.lock benchmarks/replay-store.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.ReplayStoreCost "$@"
