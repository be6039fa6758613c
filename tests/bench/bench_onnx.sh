#!/bin/sh
# ONNX export and ONNX Runtime against `plumb predict`, side by side in one run: trains three models
# (logistic regression, a 100-tree random forest, gradient boosting) on generated rows with numbers,
# gaps and categories, then per model times
#   - `plumb export-onnx` (the whole command: start, open and verify the model, export, check, write),
#   - `plumb predict MODEL ROWS.csv -o /dev/null` (CSV in, CSV out, wall clock), and
#   - ONNX Runtime (onnxruntime-node): one session.run over all rows as [N, 1] tensors, timed alone,
#     and its node process wall clock, which adds node's start, the session and a plain CSV split,
# REPEATS times each, alternating the tools, and prints the medians and rows/s as a markdown table.
#   tests/bench/bench_onnx.sh BUILD_DIR [ROWS (default 1000000)] [REPEATS (default 5)]
# Both use every core (plumb: workerCount(); ONNX Runtime: its default intra-op pool).
# ONNX Runtime is found in /opt/plumb/node (.ci/install-deps) or $PLUMB_ONNXRUNTIME_NODE.
set -eu

build=${1:?usage: bench_onnx.sh BUILD_DIR [ROWS] [REPEATS]}
rows=${2:-1000000}
repeats=${3:-5}
plumb="$build/bin/plumb"
runtime=${PLUMB_ONNXRUNTIME_NODE:-/opt/plumb/node/node_modules/onnxruntime-node}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$plumb" ] || { echo "bench_onnx: $plumb is missing (build plumb)" >&2; exit 2; }
[ -f "$runtime/package.json" ] || { echo "bench_onnx: no onnxruntime-node in $runtime (run .ci/install-deps)" >&2; exit 2; }

work=$(mktemp -d /tmp/plumb-onnx-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# Rows: six numbers (x1 with 3% gaps), two categories (c1 with 3% gaps), a class and a value.
generate() { # SEED ROWS FILE
    awk -v seed="$1" -v n="$2" 'BEGIN {
        srand(seed); split("red green blue yellow purple", colours, " "); split("S M L", sizes, " ");
        print "x1,x2,x3,x4,x5,x6,c1,c2,label,value";
        for (i = 0; i < n; i++) {
            x1 = rand() * 4 - 2; x2 = rand() * 100; x3 = rand(); x4 = rand() * 10; x5 = rand() - 0.5; x6 = int(rand() * 20);
            c = int(rand() * 5) + 1; s = int(rand() * 3) + 1;
            v = x1 + 0.02 * x2 - x3 + 0.1 * x4 + c * 0.3 - s * 0.2 + rand() - 0.5;
            printf "%s,%.6f,%.6f,%.6f,%.6f,%d,%s,%s,%s,%.6f\n", (rand() < 0.03 ? "" : sprintf("%.6f", x1)), x2, x3, x4, x5, x6,
                (rand() < 0.03 ? "" : colours[c]), sizes[s], (v > 1.2 ? "yes" : "no"), v
        }
    }' > "$3"
}
generate 1 20000 "$work/train.csv"
generate 2 "$rows" "$work/rows.csv"
features=x1,x2,x3,x4,x5,x6,c1,c2

train() { # NAME MODEL TARGET [--set ...]
    name=$1 model=$2 target=$3
    shift 3
    "$plumb" train "$work/train.csv" --target "$target" --model "$model" --features "$features" --no-importance \
        --seed 1 -o "$work/$name.plumb" "$@" > /dev/null
}
train logistic logistic_regression label
train forest random_forest label --set n_estimators=100
train boosting gradient_boosting label

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "| model | export-onnx s | plumb predict s (rows/s) | ONNX Runtime run s (rows/s) | ONNX Runtime process s (rows/s) | run: ORT/plumb time |"
echo "|---|---|---|---|---|---|"
for name in logistic forest boosting; do
    : > "$work/export" ; : > "$work/predict" ; : > "$work/run" ; : > "$work/process"
    for i in $(seq "$repeats"); do
        t0=$(now); "$plumb" export-onnx "$work/$name.plumb" -o "$work/$name.onnx" --force > /dev/null; t1=$(now)
        elapsed "$t0" "$t1" >> "$work/export"
        if [ $((i % 2)) -eq 1 ]; then order="plumb ort"; else order="ort plumb"; fi
        for tool in $order; do
            if [ "$tool" = plumb ]; then
                t0=$(now); "$plumb" predict "$work/$name.plumb" "$work/rows.csv" -o /dev/null 2> /dev/null; t1=$(now)
                elapsed "$t0" "$t1" >> "$work/predict"
            else
                t0=$(now); line=$(node "$here/bench_onnx.js" "$runtime" "$work/$name.onnx" "$work/rows.csv" 1); t1=$(now)
                elapsed "$t0" "$t1" >> "$work/process"
                echo "$line" | sed 's/.*"run_seconds":\[\([0-9.e-]*\)\].*/\1/' >> "$work/run"
            fi
        done
    done
    export_s=$(median < "$work/export"); predict_s=$(median < "$work/predict")
    run_s=$(median < "$work/run"); process_s=$(median < "$work/process")
    awk -v m="$name" -v e="$export_s" -v p="$predict_s" -v r="$run_s" -v q="$process_s" -v n="$rows" 'BEGIN {
        printf "| %s | %.3f | %.3f (%.0f) | %.3f (%.0f) | %.3f (%.0f) | %.2f |\n", m, e, p, n / p, r, n / r, q, n / q, r / p }'
done
echo
echo "$rows rows, $repeats repeats, medians; $(nproc) cores; onnxruntime-node $(node -p "require('$runtime/package.json').version")"
