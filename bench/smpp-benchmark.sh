#!/usr/bin/env bash
# SMPP benchmark (issue 12): SMS per second from the queue to a jSMPP SMSC on loopback with delivery
# receipts on, one bind and four binds with a window of 50, beside a plain jSMPP client with the
# same binds and window to the same SMSC in the same run. See docs/BENCHMARKS.md.
# Not part of ./mvnw verify: the harness is a main class (SmppBenchmark) on the test classpath.
# Options as Java system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS="-Dbench.messages=5000"                 a quick run
#   BENCH_OPTS="-Dbench.window=10 -Dbench.binds=2"      other window and binds
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null

exec "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC ${BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.herald.delivery.smpp.SmppBenchmark
