#!/usr/bin/python3
"""Side-by-side: opening a scikit-learn forest saved with joblib, by Plumb's static scan + import
(bench_sklearnimport) against joblib.load.

Run with the Debian interpreter that sees numpy, scikit-learn and joblib:

    /usr/bin/python3 tests/bench/bench_sklearnimport.py --plumb build/tests/bench/bench_sklearnimport

Uses bench_learn.py's 1M x 20 binary make_classification data (generated once in --data-dir): a
RandomForestClassifier(n_estimators=100, max_depth=10, random_state=0) fitted on the first 100k
rows is saved once with joblib.dump, uncompressed and with zlib level 3 (cached beside the data).
Then, in rounds that alternate which tool goes first, one fresh process per tool and file times
--repeat opens of the warm file:
  - Plumb: scanPickleFile (the opcode stream read as data, under the allow-list, nothing run) and
    importSklearn (every tree checked, then restored into Plumb's forest): a fitted pipeline.
  - joblib.load: unpickling, which imports scikit-learn's classes and runs their code.
Prints a markdown table of medians and the Plumb / joblib ratio.
"""

import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_learn  # noqa: E402  (the shared data generation and process runner)

FOREST_ROWS = 100_000
FOREST_TREES = 100
FOREST_DEPTH = 10
COMPRESSIONS = (None, ('zlib', 3))


def forest_files(data_dir, data_path):
    """The forest saved with joblib, once per compression; fitted only when a file is missing."""
    files = []
    for compression in COMPRESSIONS:
        suffix = '' if compression is None else '.%s%d' % compression
        files.append(os.path.join(data_dir, 'forest_%dx%d%s.joblib' % (FOREST_TREES, FOREST_DEPTH, suffix)))
    if all(os.path.exists(file) for file in files):
        return files
    import joblib
    from sklearn.ensemble import RandomForestClassifier
    print('fitting the forest once', file=sys.stderr)
    X, y = bench_learn.cached_arrays(data_path)
    model = RandomForestClassifier(n_estimators=FOREST_TREES, max_depth=FOREST_DEPTH, n_jobs=-1, random_state=0)
    model.fit(X[:FOREST_ROWS], y[:FOREST_ROWS])
    for file, compression in zip(files, COMPRESSIONS):
        joblib.dump(model, file + '.part', compress=compression or 0)
        os.replace(file + '.part', file)
    return files


def worker_load(path, repeats):
    import joblib
    loads = []
    for _ in range(repeats):
        start = time.perf_counter()
        joblib.load(path)
        loads.append(time.perf_counter() - start)
    return {'load_s': loads}


def main():
    parser = bench_learn.driver_parser(__doc__, 'bench_sklearnimport', 3, 'rows of the generated data')
    parser.add_argument('--repeat', type=int, default=5, help='opens per process')
    args = bench_learn.parse_driver(parser)
    if args.sk_worker:
        print(__import__('json').dumps(worker_load(args.sk_worker[0], int(args.sk_worker[1]))))
        return
    data = bench_learn.generate(args.data_dir, args.rows)['classification']
    files = forest_files(args.data_dir, data)
    for file in files:  # warm the page cache
        with open(file, 'rb') as stream:
            stream.read()
    me = [sys.executable, __file__, '--sk-worker']
    env = bench_learn.sklearn_environment()
    plan = [(file, [('plumb', [args.plumb, file, '--repeat', str(args.repeat)], None),
                    ('joblib', me + [file, str(args.repeat)], env)]) for file in files]
    runs = bench_learn.run_rounds(args.rounds, plan)
    print('| file | size | Plumb scan | Plumb import | Plumb scan + import | joblib.load | Plumb / joblib |')
    print('|---|---|---|---|---|---|---|')
    for file in files:
        plumb, joblib_runs = runs[file]['plumb'], runs[file]['joblib']
        scan = statistics.median(v for r in plumb for v in r['scan_s'])
        imported = statistics.median(v for r in plumb for v in r['import_s'])
        total = statistics.median(v for r in plumb for v in r['total_s'])
        load = statistics.median(v for r in joblib_runs for v in r['load_s'])
        print('| %s | %.1f MB | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.2fx |'
              % (os.path.basename(file), os.path.getsize(file) / 1e6, scan * 1e3, imported * 1e3, total * 1e3,
                 load * 1e3, total / load))


if __name__ == '__main__':
    main()
