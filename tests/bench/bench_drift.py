#!/usr/bin/python3
"""Side-by-side drift-statistics benchmark: Plumb (bench_drift) against scipy and numpy.

Run with the Debian interpreter that sees numpy, scipy and pandas:

    /usr/bin/python3 tests/bench/bench_drift.py --plumb build/tests/bench/bench_drift

Generates two samples once (cached in --data-dir as one-column CSV files written by bench_learn.py's
write_csv): reference = 1M draws of N(0, 1), current = 1M draws of N(0.005, 1), both from
numpy.random.default_rng(0). The shift is small enough that the KS p-value (about 0.009) is far
from 0, so the p-value comparison means something. Both sides read the same doubles (pandas'
round-trip parser, which Plumb's CsvReader matches bit for bit). Then, in rounds that alternate
which tool goes first, one fresh process per tool times each statistic --repeat times from the raw
samples (median):
  - KS: scipy.stats.ks_2samp(ref, cur) (statistic and p-value; asymptotic at this size);
  - Wasserstein: scipy.stats.wasserstein_distance(ref, cur);
  - PSI: numpy on Evidently's bins: numpy.histogram_bin_edges(concatenate([ref, cur]), 'sturges'),
    numpy.histogram of each sample, empty bins filled as Evidently does, sum (c - r) ln(c / r).
Prints a markdown table of medians, ratios and the aims (Plumb at most 0.2x), and whether both
sides' values agree.
"""

import json
import os
import platform
import statistics
import sys
import time

from bench_learn import SEED, driver_parser, parse_driver, read_csv, run_rounds, verdict, write_csv

AIM = 0.2
# Largest allowed difference between the two sides' values.
# The current sample's normal mean and standard deviation.
CURRENT = (0.005, 1.0)
TOLERANCES = {'ks_statistic': 1e-9, 'ks_pvalue': 1e-6, 'wasserstein': 1e-9, 'psi': 1e-9}


def generate(data_dir, rows):
    """The reference and current files, generated once (fixed seed)."""
    import numpy
    os.makedirs(data_dir, exist_ok=True)
    paths = [os.path.join(data_dir, 'drift_reference_%d_seed%d.csv' % (rows, SEED)),
             os.path.join(data_dir, 'drift_current_%d_seed%d_mean%g_sd%g.csv' % ((rows, SEED) + CURRENT))]
    if not all(os.path.exists(path) for path in paths):
        rng = numpy.random.default_rng(SEED)
        samples = (rng.normal(0.0, 1.0, rows), rng.normal(CURRENT[0], CURRENT[1], rows))
        for path, sample in zip(paths, samples):
            print('generating %s' % path, file=sys.stderr)
            write_csv(path, [sample], ['x'])
    return paths


def evidently_psi(ref, cur):
    """PSI on Evidently's default bins for a numeric column with more than 30 distinct values."""
    import numpy
    edges = numpy.histogram_bin_edges(numpy.concatenate([ref, cur]), bins='sturges')
    r = numpy.histogram(ref, edges)[0] / len(ref)
    c = numpy.histogram(cur, edges)[0] / len(cur)
    for shares in (r, c):
        smallest = shares[shares != 0].min()
        shares[shares == 0] = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return float(numpy.sum((c - r) * numpy.log(c / r))), len(r)


def timed(repeat, function):
    """Seconds of each of `repeat` calls, and the last call's answer."""
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = function()
        seconds.append(time.perf_counter() - start)
    return seconds, answer


def worker_drift(reference_path, current_path, repeat):
    import numpy
    import scipy
    from scipy import stats
    ref = read_csv(reference_path)['x'].to_numpy(dtype=numpy.float64)
    cur = read_csv(current_path)['x'].to_numpy(dtype=numpy.float64)
    ks_s, ks = timed(repeat, lambda: stats.ks_2samp(ref, cur))
    wasserstein_s, wasserstein = timed(repeat, lambda: stats.wasserstein_distance(ref, cur))
    psi_s, (psi, bins) = timed(repeat, lambda: evidently_psi(ref, cur))
    print(json.dumps({'tool': 'scipy', 'scipy': scipy.__version__, 'numpy': numpy.__version__,
                      'reference_rows': len(ref), 'current_rows': len(cur),
                      'ks_s': ks_s, 'wasserstein_s': wasserstein_s, 'psi_s': psi_s,
                      'ks_median_s': statistics.median(ks_s), 'wasserstein_median_s': statistics.median(wasserstein_s),
                      'psi_median_s': statistics.median(psi_s),
                      'ks_statistic': float(ks.statistic), 'ks_pvalue': float(ks.pvalue),
                      'wasserstein': float(wasserstein), 'psi': psi, 'bins': bins}))


def fmt_ms(seconds):
    return '%.1f ms' % (seconds * 1e3)


def report(args, runs):
    plumb, peer = runs['plumb'], runs['scipy']
    p_last, s_last = plumb[-1], peer[-1]
    print('Plumb vs scipy/numpy, drift statistics on %d vs %d values: %d processes per tool (alternating who goes '
          'first), median of %d calls each, then the median over processes'
          % (p_last['reference_rows'], p_last['current_rows'], args.rounds, args.repeat))
    print('%s, %d cores, PLUMB_THREADS=%s, Plumb threads %d; scipy %s, numpy %s' % (
        platform.machine(), os.cpu_count(), os.environ.get('PLUMB_THREADS', 'unset'), p_last['threads'],
        s_last['scipy'], s_last['numpy']))
    print()
    print('| statistic | Plumb | scipy / numpy | Plumb/peer | aim | met |')
    print('|---|---:|---:|---:|---|---|')
    labels = (('ks', 'KS statistic + p-value (scipy.stats.ks_2samp)'),
              ('wasserstein', 'Wasserstein (scipy.stats.wasserstein_distance)'),
              ('psi', 'PSI, %d Sturges bins (numpy.histogram)' % p_last['bins']))
    for key, label in labels:
        p = statistics.median(r[key + '_median_s'] for r in plumb)
        s = statistics.median(r[key + '_median_s'] for r in peer)
        print('| %s | %s | %s | %.3fx | <= %.1fx | %s |' % (label, fmt_ms(p), fmt_ms(s), p / s, AIM,
                                                           verdict(p <= AIM * s)))
    print('| (Plumb: the two radix sorts alone) | %s | | | | |'
          % fmt_ms(statistics.median(statistics.median(r['sort_s']) for r in plumb)))
    print()
    print('| value | Plumb | scipy / numpy | difference | tolerance | agree |')
    print('|---|---:|---:|---:|---:|---|')
    for key, tolerance in TOLERANCES.items():
        difference = abs(p_last[key] - s_last[key])
        print('| %s | %r | %r | %.3g | %g | %s |' % (key, p_last[key], s_last[key], difference, tolerance,
                                                     verdict(difference <= tolerance)))
    print()
    for key, _ in labels:
        print('Per-process %s medians, in run order: Plumb %s; peer %s' % (
            key, ' '.join(fmt_ms(r[key + '_median_s']) for r in plumb),
            ' '.join(fmt_ms(r[key + '_median_s']) for r in peer)))


def main():
    parser = driver_parser(__doc__, 'bench_drift', 3, 'values in each of the reference and current samples')
    parser.add_argument('--repeat', type=int, default=5, help='calls of each statistic per process (median)')
    args = parse_driver(parser)
    if args.sk_worker:
        reference_path, current_path, repeat = args.sk_worker
        worker_drift(reference_path, current_path, int(repeat))
        return
    reference_path, current_path = generate(args.data_dir, args.rows)
    plumb = [args.plumb, reference_path, current_path, '--repeat', str(args.repeat)]
    peer = [sys.executable, __file__, '--sk-worker', reference_path, current_path, str(args.repeat)]
    runs = run_rounds(args.rounds, [('drift', [('plumb', plumb, None), ('scipy', peer, None)])])['drift']
    report(args, runs)


if __name__ == '__main__':
    main()
