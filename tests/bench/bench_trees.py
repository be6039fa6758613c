#!/usr/bin/python3
"""Side-by-side tree benchmark: Plumb (bench_trees) against scikit-learn and joblib.

Run with the Debian interpreter that sees numpy, scikit-learn and joblib:

    /usr/bin/python3 tests/bench/bench_trees.py --plumb build/tests/bench/bench_trees

Uses bench_learn.py's 1M x 20 binary make_classification CSV (generated once in --data-dir) and,
in rounds that alternate which tool goes first, one fresh process per tool and task:
  1. Decision tree, max_depth 10 (gini, all features), fitted on all 1M rows: fit seconds and
     training accuracy. sklearn: DecisionTreeClassifier(max_depth=10, random_state=0).
  2. Random forest, 100 trees of max_depth 10 (sqrt features, bootstrap), fitted on the first
     100k rows and scored on the next 100k: fit seconds and test accuracy. sklearn:
     RandomForestClassifier(n_estimators=100, max_depth=10, n_jobs=-1, random_state=0), which
     also grows its trees on every core. Then the fitted forest is saved (Plumb: a .plumb model
     file; sklearn: joblib.dump, uncompressed) and loaded back: file sizes and load seconds
     (Plumb's load checks the SHA-256 digest and validates every tree before use).
Both sides read the same doubles (pandas' round_trip parser matches Plumb's CsvReader). Prints a
markdown table of medians and ratios.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_learn  # noqa: E402  (the shared data generation and process runner)

TREE_DEPTH = 10
FOREST_ROWS = 100_000
FOREST_TREES = 100


# ---- scikit-learn workers (each in its own process) -------------------------------------------

def worker_tree(path, depth):
    from sklearn.tree import DecisionTreeClassifier
    X, y = bench_learn.cached_arrays(path)
    model = DecisionTreeClassifier(max_depth=depth, random_state=0)
    start = time.perf_counter()
    model.fit(X, y)
    fit = time.perf_counter() - start
    return {'fit_s': [fit], 'train_accuracy': float((model.predict(X) == y).mean()),
            'nodes': int(model.tree_.node_count)}


def worker_forest(path, rows, trees, depth, save_dir):
    import joblib
    from sklearn.ensemble import RandomForestClassifier
    X, y = bench_learn.cached_arrays(path)
    model = RandomForestClassifier(n_estimators=trees, max_depth=depth, n_jobs=-1, random_state=0)
    start = time.perf_counter()
    model.fit(X[:rows], y[:rows])
    fit = time.perf_counter() - start
    accuracy = float((model.predict(X[rows:2 * rows]) == y[rows:2 * rows]).mean())
    file = os.path.join(save_dir, 'forest.joblib')
    joblib.dump(model, file)
    loads = []
    for _ in range(5):
        start = time.perf_counter()
        joblib.load(file)
        loads.append(time.perf_counter() - start)
    return {'fit_s': [fit], 'test_accuracy': accuracy, 'file_bytes': os.path.getsize(file), 'load_s': loads}


# ---- driver -----------------------------------------------------------------------------------

def tasks(args, path, save_dir):
    me = [sys.executable, __file__, '--sk-worker']
    plumb_file = os.path.join(save_dir, 'forest.plumb')
    return [
        ('tree', [args.plumb, 'tree', path, '--depth', str(TREE_DEPTH)], me + ['tree', path, str(TREE_DEPTH)]),
        ('forest', [args.plumb, 'forest', path, '--rows', str(FOREST_ROWS), '--test-rows', str(FOREST_ROWS),
                    '--trees', str(FOREST_TREES), '--depth', str(TREE_DEPTH), '--save', plumb_file],
         me + ['forest', path, str(FOREST_ROWS), str(FOREST_TREES), str(TREE_DEPTH), save_dir]),
    ]


def collect(args, path, save_dir):
    env = bench_learn.sklearn_environment()
    return bench_learn.run_rounds(args.rounds, [(name, [('plumb', plumb_command, None), ('sklearn', sk_command, env)])
                                                for name, plumb_command, sk_command in tasks(args, path, save_dir)])


def med(reports, key):
    values = []
    for report in reports:
        value = report[key]
        values.extend(value if isinstance(value, list) else [value])
    return statistics.median(values)


def row(label, plumb, sklearn, aim, unit='s'):
    ratio = plumb / sklearn
    met = 'met' if ratio <= aim else 'NOT met'
    return '| %s | %.3f %s | %.3f %s | %.3fx | <= %.2fx: %s |' % (label, plumb, unit, sklearn, unit, ratio, aim, met)


def report(runs):
    tree, forest = runs['tree'], runs['forest']
    lines = ['| task | Plumb | scikit-learn | ratio | aim |', '|---|---|---|---|---|',
             row('decision tree fit, 1M x 20, depth 10', med(tree['plumb'], 'fit_s'), med(tree['sklearn'], 'fit_s'), 0.1),
             row('random forest fit, 100k x 20, 100 trees, depth 10', med(forest['plumb'], 'fit_s'),
                 med(forest['sklearn'], 'fit_s'), 0.25),
             row('forest file size', med(forest['plumb'], 'file_bytes') / 1e6, med(forest['sklearn'], 'file_bytes') / 1e6,
                 1.0, 'MB'),
             row('forest load + verify (joblib.load)', med(forest['plumb'], 'load_s'), med(forest['sklearn'], 'load_s'), 0.2)]
    lines.append('')
    lines.append('decision tree training accuracy: Plumb %.6f, sklearn %.6f; nodes: Plumb %d, sklearn %d'
                 % (med(tree['plumb'], 'train_accuracy'), med(tree['sklearn'], 'train_accuracy'),
                    med(tree['plumb'], 'nodes'), med(tree['sklearn'], 'nodes')))
    lines.append('random forest test accuracy (next 100k rows): Plumb %.4f, sklearn %.4f'
                 % (med(forest['plumb'], 'test_accuracy'), med(forest['sklearn'], 'test_accuracy')))
    print('\n'.join(lines))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--sk-worker':
        worker, args = sys.argv[2], sys.argv[3:]
        if worker == 'tree':
            result = worker_tree(args[0], int(args[1]))
        else:
            result = worker_forest(args[0], int(args[1]), int(args[2]), int(args[3]), args[4])
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--plumb', required=True, help='path to the bench_trees program')
    parser.add_argument('--data-dir', default=os.path.join(tempfile.gettempdir(), 'plumb-bench'))
    parser.add_argument('--rounds', type=int, default=1)
    args = parser.parse_args()
    path = bench_learn.generate(args.data_dir, 1_000_000)['classification']
    with tempfile.TemporaryDirectory() as save_dir:
        runs = collect(args, path, save_dir)
    report(runs)


if __name__ == '__main__':
    main()
