#!/usr/bin/python3
"""Side-by-side CSV load benchmark: Plumb's CsvReader against pandas.read_csv.

Run with the Debian interpreter that sees pandas and numpy:

    /usr/bin/python3 tests/bench/bench_csv.py --plumb build/tests/bench/bench_csvread

For each size (10k, 100k and 1M rows x 20 float columns by default) it generates a deterministic
file with numpy (cached in --data-dir), reads it once to warm the page cache, then runs, in rounds,
one load each of: Plumb (bench_csvread), pandas.read_csv with default settings, and pandas.read_csv
with float_precision='round_trip' (the parser whose doubles Plumb matches bit for bit). Every load
runs in a fresh process, which reports its own wall-clock time and its peak resident set during the
load above the resident set just before it (VmHWM after minus VmRSS before; ru_maxrss and VmHWM
deltas are in the JSON too); interleaving the tools round by round keeps a noisy machine from
favouring one of them. Prints medians as a markdown table.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

COLUMNS = 20
SEED = 20240611
BLOCK_ROWS = 100_000


def status_kib(field):
    """A field of /proc/self/status in KiB ('VmRSS:', 'VmHWM:'), or -1."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return -1


def pandas_worker(path, precision):
    """One pandas load in this process; prints the same JSON fields as bench_csvread."""
    import pandas
    kwargs = {} if precision == 'default' else {'float_precision': precision}
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hwm_before = status_kib('VmHWM:')
    resident_before = status_kib('VmRSS:')
    start = time.perf_counter()
    frame = pandas.read_csv(path, **kwargs)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    hwm_after = status_kib('VmHWM:')
    print(json.dumps({'tool': 'pandas-' + precision, 'rows': len(frame), 'columns': len(frame.columns),
                      'median_s': seconds, 'runs_s': [seconds],
                      'peak_rss_increase_kib': rss_after - rss_before,
                      'vmhwm_increase_kib': hwm_after - hwm_before,
                      'peak_above_start_kib': hwm_after - resident_before}))


def generate(path, rows):
    """rows x 20 columns of normal draws at scales 1e-3..1e3, written with '%.10g'."""
    import numpy
    rng = numpy.random.default_rng(SEED)
    scales = numpy.array([10.0 ** (c % 7 - 3) for c in range(COLUMNS)])
    tmp = path + '.part'
    with open(tmp, 'w', newline='\n') as out:
        out.write(','.join('c%d' % c for c in range(COLUMNS)) + '\n')
        for first in range(0, rows, BLOCK_ROWS):
            block = rng.standard_normal((min(BLOCK_ROWS, rows - first), COLUMNS)) * scales
            numpy.savetxt(out, block, fmt='%.10g', delimiter=',')
    os.replace(tmp, path)


def warm(path):
    with open(path, 'rb') as f:
        while f.read(16 << 20):
            pass


def run(command):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit('%s failed:\n%s' % (' '.join(command), done.stderr))
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--plumb', help='path to the bench_csvread executable (required)')
    parser.add_argument('--rows', default='10000,100000,1000000', help='comma-separated row counts')
    parser.add_argument('--repeats', type=int, default=5, help='loads per tool and size')
    parser.add_argument('--data-dir', default='/tmp/plumb-bench', help='where generated files are kept')
    parser.add_argument('--pandas-worker', nargs=2, metavar=('FILE', 'PRECISION'), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pandas_worker:
        pandas_worker(*args.pandas_worker)
        return
    if not args.plumb:
        parser.error('--plumb is required')

    import numpy
    import pandas
    os.makedirs(args.data_dir, exist_ok=True)
    tools = [
        ('plumb', lambda path: [args.plumb, path, '--repeat', '1']),
        ('pandas-default', lambda path: [sys.executable, __file__, '--pandas-worker', path, 'default']),
        ('pandas-round_trip', lambda path: [sys.executable, __file__, '--pandas-worker', path, 'round_trip']),
    ]
    results = []
    for rows in [int(r) for r in args.rows.split(',')]:
        path = os.path.join(args.data_dir, 'bench_%d_x%d_seed%d.csv' % (rows, COLUMNS, SEED))
        if not os.path.exists(path):
            print('generating %s' % path, file=sys.stderr)
            generate(path, rows)
        warm(path)
        runs = {name: [] for name, _ in tools}
        for _ in range(args.repeats):
            for name, command in tools:
                report = run(command(path))
                if report['rows'] != rows or report['columns'] != COLUMNS:
                    sys.exit('%s read %d x %d from %s' % (name, report['rows'], report['columns'], path))
                runs[name].append(report)
        results.append((rows, os.path.getsize(path), runs))
        print('done %d rows' % rows, file=sys.stderr)

    def median(reports, key):
        return statistics.median(r[key] for r in reports)

    print('Plumb CsvReader vs pandas.read_csv: %d float columns, %d loads each (medians), one process per load' %
          (COLUMNS, args.repeats))
    print('%s, %d cores, PLUMB_THREADS=%s, pandas %s, numpy %s, Python %s' % (
        platform.machine(), os.cpu_count(), os.environ.get('PLUMB_THREADS', 'unset'), pandas.__version__,
        numpy.__version__, platform.python_version()))
    print()
    print('| rows | MB | pandas mode | Plumb s | Plumb MB/s | pandas s | pandas MB/s | pandas/Plumb '
          '| Plumb peak +MB | pandas peak +MB | Plumb mem/data | pandas mem/data |')
    print('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for rows, size, runs in results:
        mb = size / 1e6
        data_mb = rows * COLUMNS * 8 / 1e6
        plumb_s = median(runs['plumb'], 'median_s')
        plumb_mem = median(runs['plumb'], 'peak_above_start_kib') * 1024 / 1e6
        for mode in ('default', 'round_trip'):
            reports = runs['pandas-' + mode]
            pandas_s = median(reports, 'median_s')
            pandas_mem = median(reports, 'peak_above_start_kib') * 1024 / 1e6
            print('| %d | %.1f | %s | %.3f | %.0f | %.3f | %.0f | %.2f | %.1f | %.1f | %.2f | %.2f |' % (
                rows, mb, mode, plumb_s, mb / plumb_s, pandas_s, mb / pandas_s, pandas_s / plumb_s,
                plumb_mem, pandas_mem, plumb_mem / data_mb, pandas_mem / data_mb))
    print()
    print('MB = 10^6 bytes. "peak +MB" is the peak resident set during the load (VmHWM) minus the resident')
    print('set just before it (VmRSS), so interpreter start-up and imports are excluded;')
    print('"mem/data" divides it by the float64 size of the data, rows x %d x 8 bytes.' % COLUMNS)


if __name__ == '__main__':
    main()
