#!/usr/bin/env bash
# Builds the benchmarks jar and puts the servlet sample under HTTP load over loopback (16 connections),
# with and without the tokenward filter, printing requests/s, p50 and p99, for two loads: one repeated
# token, and distinct tokens each sent once (the first 10,240 fill the filter's token cache). Three rounds
# measure the two services in turn, so a busy neighbour weighs on both alike.
#   benchmarks/e2e.sh [seconds-per-run] [distinct-tokens]     (defaults 15 and 40960)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.EndToEnd "$@"
