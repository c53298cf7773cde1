#!/usr/bin/env bash
# Load benchmark, not a test: generate a 10M-row EHR-like table with the demo's seeded generator
# and rebalance it on local[2] with a given driver heap; report wall time, peak RSS and the job's
# stage lines (one INFO line per stage with counts and elapsed time).
#
#   mvn -B -DskipTests package
#   bench/load-10m.sh [rows=10000000] [heap=8g] [max-train-rows=200000]
#
# Training collects at most model.max-train-rows rows (a stratified sample) to the driver, so the
# driver heap grows with that cap and the model, not with the table: the table is generated,
# sampled and written by Spark, spilling to disk as needed. Figures go to target/bench-load/.
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${1:-10000000}"
heap="${2:-8g}"
cap="${3:-200000}"
work="${BENCH_DIR:-$home/target/bench-load}"
rm -rf "$work" && mkdir -p "$work"

export MCRAGE_JAVA_OPTS="-Xmx$heap"
status=0
/usr/bin/time -v "$home/bin/mcrage" demo --master 'local[2]' --rows "$rows" --dir "$work" \
  --set "model.max-train-rows=$cap" --set model.epochs=5 --set model.hidden-width=64 \
  --set sampling.rows-per-task=50000 --set model.checkpoint-every=1 \
  >"$work/report.txt" 2>"$work/run.log" || status=$?

echo "rows=$rows heap=$heap max-train-rows=$cap exit=$status"
grep -E "INFO +(RebalanceJob|Rebalancer|DemoJob|DistributedSampler)" "$work/run.log" || true
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$work/run.log" || true
