#!/usr/bin/env bash
# Builds the benchmarks jar and puts the servlet sample under HTTP load over loopback (16 connections, JDK HttpClient),
# with and without the tokenward filter, printing requests/s, p50, p99, server and load-generator CPU per request
# and the token cache's hit rate, for three loads: one repeated token; distinct tokens (many clients, each reusing its
# own token, twice as many clients as the filter's cache holds); and every token new (each sent once: the worst
# case). The rounds measure the two services in turn, so a busy neighbour weighs on both alike. About 5 minutes,
# minting the 40,000 tokens included (4 min 13 s with 30,000 tokens on 2 cores at a load average of 10).
#   benchmarks/e2e.sh [seconds-per-run] [clients] [new-tokens-per-round] [rounds]     (defaults 8 20000 4000 5)
#   on a shared machine: flock /work/helpers/bench.lock benchmarks/e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.EndToEnd "$@"
