#!/usr/bin/env bash
# "Done means" of issue #13: a project outside this build that depends only on tokenward-servlet-filter and
# tokenward-test (by the README's coordinates) proves a 200, a 403 and two 401s against an embedded Jetty app
# (fresh-project/src/test/java/example/OrdersApiTest.java, under 40 lines).
# Installs the tokenward modules it needs into the local repository, then builds the fresh project by itself.
# Not part of `mvn verify` (a nested Maven build is too slow for CI on 2 cores). Pass extra Maven options as
# arguments, e.g. -Dmaven.repo.local=/path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
mvn -B -q -f "$root/pom.xml" -pl servlet-filter,test-kit -am install -DskipTests "$@"
mvn -B -f "$here/fresh-project/pom.xml" test "$@"
