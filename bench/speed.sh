#!/usr/bin/env bash
# Every speed measurement of issue 7 in one run on this machine, one JSON line each, into
# target/bench-speed/speed.jsonl (and the load average before and after each workload, since
# other work on the machine slows Spark figures; `cpu_s` in them does not depend on it).
#
#   mvn -B -DskipTests package
#   bench/speed.sh [reps=3]
#
# train and sample (DJL, one JVM), groups (10M-row Parquet), smote (100k, 1M, 10M rows),
# sample-spark on local[1] then local[2], and the whole 1M-row rebalance on local[2]. About an hour
# on a 2-core machine, most of it SMOTE at 10M rows and the rebalance repetitions.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${1:-3}"
out="$home/target/bench-speed"
mkdir -p "$out"
results="$out/speed.jsonl"
: >"$results"

run() {
  echo "{\"load_average_before\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"bench\":\"$*\"}" >>"$results"
  "$home/bin/mcrage" bench --reps "$reps" "$@" 2>"$out/last.log" | grep '^{' | tee -a "$results"
}

run train sample groups smote
run sample-spark --master 'local[1]'
run sample-spark --master 'local[2]'
run rebalance
echo "{\"load_average_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >>"$results"
echo "bench/speed.sh: results in $results" >&2
