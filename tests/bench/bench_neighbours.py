#!/usr/bin/python3
"""Side-by-side k-nearest-neighbours benchmark: Plumb (bench_neighbours) against scikit-learn.

Run with the Debian interpreter that sees numpy, pandas and scikit-learn:

    /usr/bin/python3 tests/bench/bench_neighbours.py --plumb build/tests/bench/bench_neighbours

Training data: bench_learn.py's make_classification(1M x 20, binary) file (generated and cached
by its generate(), loaded by its cached_arrays()). Queries: the first 10k of those rows. Both
sides fit a k=5, uniform-weight classifier on every row and time one batch prediction of the
queries, in rounds that alternate which tool goes first, one fresh process per tool and round.
scikit-learn runs KNeighborsClassifier(n_neighbors=5) with its default algorithm='auto' (the
chosen method is printed) in the BLAS environment bench_learn.py's choose_blas() sets up.
Prints a markdown table of medians and the ratio, and whether the predictions are identical.
"""

import json
import os
import platform
import statistics
import sys
import time

from bench_learn import (FEATURES, cached_arrays, choose_blas, driver_parser, fmt_s, generate, parse_driver, ratio,
                         run_rounds, verdict)


def worker_knn(path, queries, k, compare):
    import numpy
    from sklearn.neighbors import KNeighborsClassifier
    X, y = cached_arrays(path)
    Q = X[:queries]
    start = time.perf_counter()
    model = KNeighborsClassifier(n_neighbors=k).fit(X, y.astype(numpy.int64))
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    predictions = model.predict(Q)
    predict_seconds = time.perf_counter() - start
    neighbours = model.kneighbors(Q[:compare], return_distance=False)
    print(json.dumps({'tool': 'sklearn', 'rows': len(X), 'queries': len(Q), 'k': k,
                      'fit_method': model._fit_method, 'fit_s': [fit_seconds], 'predict_s': [predict_seconds],
                      'predictions': predictions.tolist(), 'neighbours': neighbours.ravel().tolist()}))


def collect(args, path, sk_env):
    plumb = [args.plumb, path, '--queries', str(args.queries), '--k', str(args.k), '--compare', str(args.compare)]
    sklearn = [sys.executable, __file__, '--sk-worker', path, str(args.queries), str(args.k), str(args.compare)]
    return run_rounds(args.rounds, [('knn', [('plumb', plumb, None), ('sklearn', sklearn, sk_env)])])['knn']


def same_neighbour_sets(plumb, sklearn, k):
    """Queries whose k neighbour rows are the same set on both sides (the order among equally far
    rows may differ)."""
    a, b = plumb['neighbours'], sklearn['neighbours']
    return sum(sorted(a[i:i + k]) == sorted(b[i:i + k]) for i in range(0, min(len(a), len(b)), k))


def report(args, runs, blas):
    plumb, sk = runs['plumb'], runs['sklearn']
    p_predict = statistics.median(min(r['predict_s']) for r in plumb)
    s_predict = statistics.median(r['predict_s'][0] for r in sk)
    p_fit = statistics.median(r['fit_s'][0] for r in plumb)
    s_fit = statistics.median(r['fit_s'][0] for r in sk)
    p_last, s_last = plumb[-1], sk[-1]
    mismatches = sum(a != b for a, b in zip(p_last['predictions'], s_last['predictions']))
    compared = len(p_last['neighbours']) // args.k
    print('Plumb vs scikit-learn, k-nearest neighbours: %d processes per tool (alternating who goes first), medians'
          % args.rounds)
    print('%s, %d cores, PLUMB_THREADS=%s, Plumb threads %d' % (
        platform.machine(), os.cpu_count(), os.environ.get('PLUMB_THREADS', 'unset'), p_last['threads']))
    for pool in blas:
        print('sklearn BLAS (threadpoolctl): %s %s, kernel %s, %s threads' % (
            pool.get('internal_api'), pool.get('version'), pool.get('architecture'), pool.get('num_threads')))
    print()
    print('| work | Plumb | scikit-learn | Plumb/sklearn | aim | met |')
    print('|---|---:|---:|---:|---|---|')
    shape = '%d queries against %gM x %d, k=%d' % (p_last['queries'], p_last['rows'] / 1e6, FEATURES, args.k)
    rows = [
        ('kNN predict, %s (sklearn algorithm: %s)' % (shape, s_last['fit_method']), fmt_s(p_predict), fmt_s(s_predict),
         ratio(p_predict, s_predict), 'Plumb <= 0.5x', verdict(p_predict <= 0.5 * s_predict)),
        ('  fit (Plumb: copy and pack the rows; sklearn: %s)' % s_last['fit_method'], fmt_s(p_fit), fmt_s(s_fit),
         '', '', ''),
        ('  predictions identical', '%d of %d differ' % (mismatches, len(s_last['predictions'])), '', '',
         'identical', verdict(mismatches == 0)),
        ('  same neighbour rows, first %d queries' % compared,
         '%d of %d' % (same_neighbour_sets(p_last, s_last, args.k), compared), '', '', '', ''),
        ('  predictRow equals the batch, first %d queries' % compared,
         '%d of %d' % (p_last['row_path_same'], compared), '', '', '', ''),
    ]
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')
    print()
    print('Per-process predict seconds, in run order: Plumb %s; sklearn %s' % (
        ' '.join('%.3f' % min(r['predict_s']) for r in plumb), ' '.join('%.3f' % r['predict_s'][0] for r in sk)))


def main():
    parser = driver_parser(__doc__, 'bench_neighbours', 3, 'training rows (bench_learn.py data)')
    parser.add_argument('--queries', type=int, default=10_000, help='queries: the first rows of the training data')
    parser.add_argument('--k', type=int, default=5, help='n_neighbors')
    parser.add_argument('--compare', type=int, default=100, help='queries whose neighbour rows are compared')
    args = parse_driver(parser)
    if args.sk_worker:
        path, queries, k, compare = args.sk_worker
        worker_knn(path, int(queries), int(k), int(compare))
        return
    path = generate(args.data_dir, args.rows)['classification']
    sk_env, _, blas, notes = choose_blas()
    for note in notes:
        print(note, file=sys.stderr)
    runs = collect(args, path, sk_env)
    report(args, runs, blas)


if __name__ == '__main__':
    main()
