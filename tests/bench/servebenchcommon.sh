# Shared by the plumb serve benchmarks (sourced, not run): a free loopback port, and the 20-feature
# ridge pipeline they serve, trained in a work folder.

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# train_bench_model PLUMB WORK: WORK/model.plumb from a training table of 20 numeric features
# (x0..x19, as bench_serve sends) and a linear target.
train_bench_model() {
    awk 'BEGIN { srand(20240611); printf "x0"; for (f = 1; f < 20; ++f) printf ",x%d", f; print ",y";
                 for (r = 0; r < 5000; ++r) { y = 0; for (f = 0; f < 20; ++f) { v = rand() * 4 - 2; y += v * (f - 9.5); printf "%s%.6f", (f ? "," : ""), v }
                                              printf ",%.6f\n", y + rand() } }' > "$2/train.csv"
    "$1" train "$2/train.csv" --target y --model ridge --no-importance -o "$2/model.plumb" > /dev/null
}
