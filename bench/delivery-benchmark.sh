#!/usr/bin/env bash
# Delivery benchmark: 100,000 SMS queued through OutboundMessages.enqueue and drained through the
# simulator on a durable embedded PostgreSQL, enqueue-to-submit latency at a steady 500/s, and a
# plain-JDBC reference of the same claim-and-mark SQL. See docs/BENCHMARKS.md.
# Not part of ./mvnw verify: the harness is a main class (DeliveryBenchmark) on the test classpath.
# Options as Java system properties, e.g.: BENCH_OPTS="-Dbench.messages=20000 -Dbench.workers=2"
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null

echo "Machine: nproc=$(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -1), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), $(date -u)"
exec "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC ${BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.herald.delivery.DeliveryBenchmark
