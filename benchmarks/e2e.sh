#!/usr/bin/env bash
# Builds the benchmarks jar and puts the servlet sample under HTTP load over loopback (16 connections, JDK HttpClient),
# with and without the tokenward filter, printing requests/s, p50, p99, server and load-generator CPU per request
# and the token cache's hit rate, for three loads: one repeated token; distinct tokens (many clients, each reusing its
# own token, twice as many clients as the filter's cache holds); and every token new (each sent once: the worst
# case). The rounds measure the two services in turn, so a busy neighbour weighs on both alike. When wrk is on the
# PATH (apt-get install wrk), the repeated and distinct loads are measured a second time from wrk, a much lighter
# generator in a process of its own. About 9 minutes on 2 cores, minting the 40,000 tokens included (5 minutes
# without wrk).
#   benchmarks/e2e.sh [seconds-per-run] [clients] [new-tokens-per-round] [rounds]     (defaults 8 20000 4000 5)
#   on a shared machine: flock /work/helpers/bench.lock benchmarks/e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
generators=jdk
if command -v wrk > /dev/null && [ -x /usr/bin/time ]; then
  generators=jdk,wrk
else
  echo "wrk or /usr/bin/time is missing: the JDK client only (apt-get install wrk time for the lighter generator's run too)"
fi
exec java -De2e.generator="$generators" -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.EndToEnd "$@"
