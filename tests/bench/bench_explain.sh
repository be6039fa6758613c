#!/bin/sh
# plumb explain against XGBoost's pred_contribs, side by side in one run, on the same 100-tree model
# (binary:logistic, depth 5, 8 features, the fixture of tests/interop/make_shap_fixtures.py) and the
# same rows (drawn as that script draws them, a sixth missing), alternating the tools in each repeat:
#   - XGBoost 1.7.4 Booster.predict(DMatrix, pred_contribs=True) on rows already in memory as a
#     float32 array (the DMatrix built outside the timing), with nthread 1 and 2;
#   - plumb explain MODEL rows.csv -o OUT, the whole command: reading and validating the CSV,
#     TreeSHAP, writing the CSV (its own summary gives the time without process start-up), with
#     PLUMB_THREADS=1 and 2.
# Prints each run, then the median rows/s of each and the ratios.
#   tests/bench/bench_explain.sh BUILD_DIR [ROWS (default 100000)] [REPEATS (default 5)]
# Everything it writes is under a temporary folder it removes.
set -eu

build=${1:?usage: bench_explain.sh BUILD_DIR [ROWS] [REPEATS]}
rows=${2:-100000}
repeats=${3:-5}
plumb="$build/bin/plumb"
[ -x "$plumb" ] || { echo "bench_explain: $plumb is missing (build the plumb target)" >&2; exit 2; }
fixtures="$(cd "$(dirname "$0")/../interop/fixtures/shap" && pwd)"
work=$(mktemp -d /tmp/plumb-explain.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# The model (un-qCompressed) and the rows as CSV and as float32.
/usr/bin/python3 - "$fixtures" "$work" "$rows" <<'EOF'
import sys, zlib
import numpy as np
fixtures, work, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
raw = open(fixtures + "/binary_logistic.ubj", "rb").read()
open(work + "/model.ubj", "wb").write(zlib.decompress(raw[4:]))
rng = np.random.default_rng(2026)
X = rng.normal(size=(rows, 8))
X[:, 3] = np.round(rng.uniform(0, 5, size=rows))
X[rng.random(X.shape) < 1 / 6] = np.nan
X = X.astype(np.float32)
np.save(work + "/rows.npy", X)
with open(work + "/rows.csv", "w") as f:
    f.write(",".join("x%d" % i for i in range(8)) + "\n")
    for row in X:
        f.write(",".join("" if np.isnan(v) else repr(float(v)) for v in row) + "\n")
EOF
"$plumb" import-xgboost "$work/model.ubj" -o "$work/model.plumb" > /dev/null

xgboost_run() { # NTHREAD: prints rows/s
    /usr/bin/python3 - "$work" "$1" <<'EOF'
import sys, time
import numpy as np
import xgboost as xgb
work, threads = sys.argv[1], int(sys.argv[2])
X = np.load(work + "/rows.npy")
booster = xgb.Booster(model_file=work + "/model.ubj")
booster.set_param({"nthread": threads})
dm = xgb.DMatrix(X, missing=np.nan, nthread=threads)
start = time.perf_counter()
booster.predict(dm, pred_contribs=True)
print("%.0f" % (len(X) / (time.perf_counter() - start)))
EOF
}

plumb_run() { # THREADS: prints rows/s (from plumb explain's own summary: rows and seconds)
    PLUMB_THREADS=$1 "$plumb" explain "$work/model.plumb" "$work/rows.csv" -o "$work/out.csv" 2> "$work/err.txt"
    sed -n 's/.* \([0-9]*\) rows scored, [0-9]* rejected, \([0-9.]*\) s,.*/\1 \2/p' "$work/err.txt" | awk '{ printf "%.0f\n", $1 / $2 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: > "$work/results"
for r in $(seq "$repeats"); do
    for tool in xgboost1 plumb1 xgboost2 plumb2; do
        [ $((r % 2)) -eq 0 ] && tool=$(echo "$tool" | tr 12 21) # alternate the order
        case $tool in
            xgboost*) rate=$(xgboost_run "${tool#xgboost}") ;;
            plumb*) rate=$(plumb_run "${tool#plumb}") ;;
        esac
        echo "repeat $r $tool $rate rows/s"
        echo "$tool $rate" >> "$work/results"
    done
done
echo
echo "rows: $rows, repeats: $repeats, model: 100 trees, depth 5, 8 features (binary:logistic)"
for threads in 1 2; do
    x=$(awk -v t="xgboost$threads" '$1 == t { print $2 }' "$work/results" | median)
    p=$(awk -v t="plumb$threads" '$1 == t { print $2 }' "$work/results" | median)
    echo "$threads thread(s): XGBoost pred_contribs $x rows/s (in memory), plumb explain $p rows/s (CSV in and out), plumb / XGBoost $(awk -v p="$p" -v x="$x" 'BEGIN { printf "%.2f", p / x }')"
done
