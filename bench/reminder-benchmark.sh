#!/usr/bin/env bash
# Reminder benchmark (issue 11), on a durable embedded PostgreSQL: loads 1,000,000 invoices of which
# 100,000 are due for a reminder (set-based, generate_series), runs the reminder task once and prints
# its time and what it queued. See docs/BENCHMARKS.md.
# Not part of ./mvnw verify: the harness is a main class (ReminderBenchmark) on the test classpath.
# Options as Java system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS="-Dbench.invoices=100000 -Dbench.overdue=10000"   a quick run
#   BENCH_OPTS="-Dbench.model=blocks"                            monthly blocks instead of packs
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -q -B test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null

exec "$JAVA_HOME/bin/java" -Xmx2g -XX:+UseParallelGC ${BENCH_OPTS:-} \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.herald.work.ReminderBenchmark
