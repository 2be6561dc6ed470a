#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and runs the JMH suite with the gc profiler.
#   benchmarks/run.sh                 full suite (1 fork, 3x2 s warm-up, 5x2 s measurement per benchmark)
#   benchmarks/run.sh --quick         short run (1 fork, 1x2 s warm-up, 2x2 s measurement)
#   benchmarks/run.sh --quick -p alg=ES256 -p subject=floor,tokenward-nocache distinct_t1
# Any JMH option or benchmark regexp may follow. Results: benchmarks/target/jmh-result.json and .md
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/benchmarks.jar -rff benchmarks/target/jmh-result.json "$@"
