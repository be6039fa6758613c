#!/usr/bin/python3
"""Side-by-side gradient boosting benchmark: Plumb (bench_boosting) against XGBoost's hist method and
scikit-learn's HistGradientBoostingClassifier.

Run with the Debian interpreter that sees numpy, scikit-learn and python3-xgboost:

    /usr/bin/python3 tests/bench/bench_boosting.py --plumb build/tests/bench/bench_boosting

Data: bench_learn.py's classification set, make_classification(1M x 20, n_informative=10,
random_state=0), generated and cached by bench_learn.generate. The first 80% of the rows train,
the last 20% test (make_classification shuffles its rows, so this is a random split, and every
tool gets the same one). Each round runs one fresh process per tool, rotating who goes first;
each process fits once and times --predict-repeat batch predictions of the test rows' class
probabilities. Settings, the same on every side: 100 trees (iterations), leaf-wise growth to at
most 31 leaves, no depth limit, learning rate 0.1, at most 255 value bins per feature, no L2
penalty, no early stopping, 2 threads.
  Plumb:   gradient_boosting max_iter=100 max_leaf_nodes=31 min_samples_leaf=20 early_stopping=off
  XGBoost: XGBClassifier(tree_method='hist', grow_policy='lossguide', n_estimators=100, max_leaves=31,
           max_depth=0, learning_rate=0.1, max_bin=256, reg_lambda=0, n_jobs=2) (its min_child_weight=1
           is a hessian floor; it has no row-count floor like min_samples_leaf)
  sklearn: HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31, min_samples_leaf=20,
           learning_rate=0.1, max_bins=255, l2_regularization=0, early_stopping=False, random_state=0)
           (OpenMP on all cores)
Prints a markdown table of medians with ratios.
"""

import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_learn  # noqa: E402  (the data generation and the process runner are shared)

TRAIN_FRACTION = 0.8
TREES = 100
LEAVES = 31
MIN_SAMPLES_LEAF = 20


def split(path):
    X, y = bench_learn.cached_arrays(path)
    train = int(len(X) * TRAIN_FRACTION)
    return X[:train], y[:train].astype('int64'), X[train:], y[train:].astype('int64')


def time_predictions(model, X_test, repeat):
    probabilities = model.predict_proba(X_test)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        probabilities = model.predict_proba(X_test)
        times.append(time.perf_counter() - start)
    return probabilities, times


def worker(tool, path, predict_repeat):
    X_train, y_train, X_test, y_test = split(path)
    if tool == 'xgboost':
        import xgboost
        model = xgboost.XGBClassifier(tree_method='hist', grow_policy='lossguide', n_estimators=TREES,
                                      max_leaves=LEAVES, max_depth=0, learning_rate=0.1, max_bin=256,
                                      reg_lambda=0.0, n_jobs=2, random_state=0)
        version = xgboost.__version__
    else:
        import sklearn
        from sklearn.ensemble import HistGradientBoostingClassifier
        model = HistGradientBoostingClassifier(max_iter=TREES, max_leaf_nodes=LEAVES, min_samples_leaf=MIN_SAMPLES_LEAF,
                                               learning_rate=0.1, max_bins=255, l2_regularization=0.0,
                                               early_stopping=False, random_state=0)
        version = sklearn.__version__
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fit_seconds = time.perf_counter() - start
    probabilities, times = time_predictions(model, X_test, predict_repeat)
    accuracy = float(((probabilities[:, 1] > probabilities[:, 0]).astype('int64') == y_test).mean())
    print(json.dumps({'tool': tool, 'version': version, 'train_rows': len(X_train), 'test_rows': len(X_test),
                      'fit_s': [fit_seconds], 'predict_s': times, 'accuracy': accuracy}))


def collect(args, path):
    plan = [('plumb', [args.plumb, path, '--trees', str(TREES), '--leaves', str(LEAVES),
                       '--min-samples-leaf', str(MIN_SAMPLES_LEAF), '--train-fraction', str(TRAIN_FRACTION),
                       '--predict-repeat', str(args.predict_repeat)], None),
            ('xgboost', [sys.executable, __file__, '--sk-worker', 'xgboost', path, str(args.predict_repeat)], None),
            ('sklearn', [sys.executable, __file__, '--sk-worker', 'sklearn', path, str(args.predict_repeat)], None)]
    return bench_learn.run_rounds(args.rounds, [('boosting', plan)])['boosting']


def report(args, runs):
    fit = {tool: bench_learn.med(reports, 'fit_s') for tool, reports in runs.items()}
    predict = {tool: bench_learn.med(reports, 'predict_s') for tool, reports in runs.items()}
    accuracy = {tool: reports[-1]['accuracy'] for tool, reports in runs.items()}
    test_rows = runs['plumb'][-1]['test_rows']
    rate = {tool: test_rows / seconds for tool, seconds in predict.items()}
    plumb = runs['plumb'][-1]
    print('Plumb vs XGBoost (hist) vs scikit-learn (HistGradientBoosting): %d processes per tool, medians' % args.rounds)
    print('%s, %d cores, PLUMB_THREADS=%s, XGBoost %s, scikit-learn %s, Python %s' % (
        platform.machine(), os.cpu_count(), os.environ.get('PLUMB_THREADS', 'unset'), runs['xgboost'][-1]['version'],
        runs['sklearn'][-1]['version'], platform.python_version()))
    print('%d training rows, %d test rows, %d features; %d trees of at most %d leaves, learning rate 0.1' % (
        plumb['train_rows'], test_rows, plumb['features'], TREES, LEAVES))
    print()
    print('| work | Plumb | XGBoost hist | sklearn HGB | Plumb/XGBoost | Plumb/sklearn | aim | met |')
    print('|---|---:|---:|---:|---:|---:|---|---|')
    rows = [
        ('fit, %d trees' % TREES, *('%.3f s' % fit[t] for t in ('plumb', 'xgboost', 'sklearn')),
         '%.2fx' % (fit['plumb'] / fit['xgboost']), '%.2fx' % (fit['plumb'] / fit['sklearn']),
         'Plumb <= 0.5x XGBoost', bench_learn.verdict(fit['plumb'] <= 0.5 * fit['xgboost'])),
        ('test accuracy', *('%.4f' % accuracy[t] for t in ('plumb', 'xgboost', 'sklearn')),
         '%+.2f points' % (100 * (accuracy['plumb'] - accuracy['xgboost'])),
         '%+.2f points' % (100 * (accuracy['plumb'] - accuracy['sklearn'])),
         'within 0.3 points of XGBoost', bench_learn.verdict(abs(accuracy['plumb'] - accuracy['xgboost']) <= 0.003)),
        ('batch predict_proba, %d rows' % test_rows, *('%.1f ms' % (predict[t] * 1e3) for t in ('plumb', 'xgboost', 'sklearn')),
         '%.2fx' % (predict['plumb'] / predict['xgboost']), '%.2fx' % (predict['plumb'] / predict['sklearn']), '', ''),
        ('  rows per second', *('%.2fM' % (rate[t] / 1e6) for t in ('plumb', 'xgboost', 'sklearn')),
         '%.2fx' % (rate['plumb'] / rate['xgboost']), '%.2fx' % (rate['plumb'] / rate['sklearn']),
         'Plumb >= 2x XGBoost', bench_learn.verdict(rate['plumb'] >= 2 * rate['xgboost'])),
        ('  Plumb trees / nodes; predictRow bit-identical to the batch', '%d / %d; %s' % (
            plumb['trees'], plumb['nodes'], plumb['row_equals_batch']), '', '', '', '', '', ''),
    ]
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')
    print()
    print('Per-process values, in run order:')
    for tool, reports in runs.items():
        print('  %s fit s: %s' % (tool, ' '.join('%.3f' % bench_learn.per_process(r, 'fit_s') for r in reports)))
        print('  %s predict ms: %s' % (tool, ' '.join('%.1f' % (bench_learn.per_process(r, 'predict_s') * 1e3) for r in reports)))
    print()
    print('Ratios are of medians (below 1: Plumb takes less time). Rows per second: test rows / median predict_proba time.')


def main():
    parser = bench_learn.driver_parser(__doc__, 'bench_boosting', 3, 'rows of the classification data')
    parser.add_argument('--predict-repeat', type=int, default=5, help='timed batch predictions per process')
    args = bench_learn.parse_driver(parser)
    if args.sk_worker:
        tool, path, predict_repeat = args.sk_worker
        worker(tool, path, int(predict_repeat))
        return
    paths = bench_learn.generate(args.data_dir, args.rows)
    runs = collect(args, paths['classification'])
    report(args, runs)


if __name__ == '__main__':
    main()
