#!/usr/bin/env bash
# Delivery benchmark (issue 8), on a durable embedded PostgreSQL, in one run: drain throughput through
# Herald and the simulator, enqueue-to-submit latency at a steady rate, company B's latency during
# company A's bulk, Herald's own claim and mark-sent SQL in a plain loop, a minimal one-table
# SKIP LOCKED queue, and Herald's ratio to each reference. See docs/BENCHMARKS.md.
# Not part of ./mvnw verify: the harness is a main class (DeliveryBenchmark) on the test classpath.
# Options as Java system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS="-Dbench.messages=20000"                   a quick run (under a minute)
#   BENCH_OPTS="-Dbench.parts=drain,minimal"              only some parts (drain,latency,fairness,herald-sql,minimal)
#   BENCH_OPTS="-Dbench.workers=2 -Dbench.batch=200"      other threads and batch size
# Further sizes: bench.bulk, bench.bulkKind, bench.rate, bench.latencySeconds, bench.bIntervalMs,
# bench.bSeconds (see DeliveryBenchmark's Javadoc).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null

# The harness prints the machine (nproc, CPU, load, JDK, date) and PostgreSQL's settings first.
exec "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC ${BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.herald.delivery.DeliveryBenchmark
