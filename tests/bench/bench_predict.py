#!/usr/bin/python3
"""Streaming batch scoring: `plumb predict` CSV to CSV against pandas + scikit-learn.

Run with the Debian interpreter that sees numpy, pandas and scikit-learn:

    /usr/bin/python3 tests/bench/bench_predict.py --plumb build/bin/plumb

1. Generates (once, cached in --data-dir) a training table of 200k rows and a scoring table of
   --rows rows (default 1M) x 20 numeric features, normal draws written with '%.10g', target
   y = X w + noise (make_regression's shape, fixed seed).
2. Trains a linear pipeline with the plumb CLI (`plumb train --model ridge`: median imputer,
   standard scaler, ridge) and the same pipeline in scikit-learn (SimpleImputer(median),
   StandardScaler, Ridge) on the same rows. Training is not timed.
3. In rounds that alternate which tool goes first, times the whole job end to end in a fresh
   process each: read the CSV, score every row, write the input columns plus the prediction as CSV.
   Plumb: `plumb predict model.plumb score.csv -o out.csv`. Peer: pandas.read_csv, the fitted
   pipeline's predict, DataFrame.to_csv. Both are timed as whole processes (wall clock, and CPU
   time and peak resident set from /usr/bin/time); the peer also reports its read + predict +
   write alone, without interpreter start, imports and model load.
4. Checks the two outputs agree (max relative difference of the predictions).
5. With --stream-check, pipes the scoring file N times (1x and 10x) through `plumb predict - -o
   /dev/null` on standard input and reports peak RSS for each: it must stay flat.
Prints a markdown table of medians and the ratio.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

FEATURES = 20
TRAIN_ROWS = 200_000
SEED = 0

PEER = r'''
import sys, time, joblib, pandas
model = joblib.load(sys.argv[1])
start = time.perf_counter()
frame = pandas.read_csv(sys.argv[2])
frame["prediction"] = model.predict(frame[[f"x{i}" for i in range(%d)]])
frame.to_csv(sys.argv[3], index=False)
print(time.perf_counter() - start, file=sys.stderr)
''' % FEATURES


def generate(data_dir, rows):
    import numpy
    import pandas
    os.makedirs(data_dir, exist_ok=True)
    names = [f'x{i}' for i in range(FEATURES)]
    rng = numpy.random.default_rng(SEED)
    weights = rng.normal(size=FEATURES) * 10
    paths = {}
    for name, count in (('train', TRAIN_ROWS), ('score', rows)):
        path = os.path.join(data_dir, f'predict-{name}-{count}.csv')
        paths[name] = path
        if os.path.exists(path):
            continue
        X = rng.normal(size=(count, FEATURES))
        frame = pandas.DataFrame(X, columns=names)
        if name == 'train':
            frame['y'] = X @ weights + rng.normal(size=count)
        frame.to_csv(path + '.part', index=False, float_format='%.10g', lineterminator='\n')
        os.replace(path + '.part', path)
    return paths


def train(plumb, paths, work):
    model = os.path.join(work, 'model.plumb')
    subprocess.run([plumb, 'train', paths['train'], '--target', 'y', '--model', 'ridge', '--no-importance',
                    '--validation', 'holdout:0.2', '-o', model], check=True, capture_output=True)
    import joblib
    import pandas
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    frame = pandas.read_csv(paths['train'], float_precision='round_trip')
    peer = make_pipeline(SimpleImputer(strategy='median'), StandardScaler(), Ridge())
    peer.fit(frame[[f'x{i}' for i in range(FEATURES)]], frame['y'])
    peer_path = os.path.join(work, 'peer.joblib')
    joblib.dump(peer, peer_path)
    return model, peer_path


def measured(command, stdin_file=None, repeat_input=1):
    """Runs command under /usr/bin/time; feeds stdin_file's rows repeat_input times (one header).
    Returns (wall seconds, CPU seconds user + system, peak RSS MB, stderr). /usr/bin/time reports
    the command's own peak: an rusage taken here would include the pages of this Python process
    that the child inherited before exec."""
    with tempfile.NamedTemporaryFile('r', suffix='.time') as report:
        process = subprocess.Popen(['/usr/bin/time', '-o', report.name, '-f', '%U %S %M'] + command,
                                   stdin=subprocess.PIPE if stdin_file else None,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        start = time.perf_counter()
        if stdin_file:
            with open(stdin_file, 'rb') as source:
                header = source.readline()
                body = source.read()
            process.stdin.write(header)
            for _ in range(repeat_input):
                process.stdin.write(body)
            process.stdin.close()
        err = process.stderr.read().decode()
        status = process.wait()
        seconds = time.perf_counter() - start
        if status != 0:
            sys.exit(f'{command[0]} failed: {err}')
        user, system, rss_kb = report.read().split()[-3:]
    return seconds, float(user) + float(system), int(rss_kb) / 1024, err


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--plumb', required=True)
    parser.add_argument('--rows', type=int, default=1_000_000)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--data-dir', default='/tmp/plumb-bench')
    parser.add_argument('--stream-check', action='store_true', help='peak RSS for 1x and 10x the rows on stdin')
    args = parser.parse_args()

    paths = generate(args.data_dir, args.rows)
    work = tempfile.mkdtemp(prefix='plumb-bench-predict-')
    try:
        model, peer_model = train(args.plumb, paths, work)
        with open(paths['score'], 'rb') as warm:  # page cache
            while warm.read(1 << 24):
                pass
        plumb_out, peer_out = os.path.join(work, 'plumb.csv'), os.path.join(work, 'peer.csv')
        results = {'plumb': [], 'peer': []}
        commands = {'plumb': [args.plumb, 'predict', model, paths['score'], '-o', plumb_out],
                    'peer': ['/usr/bin/python3', '-c', PEER, peer_model, paths['score'], peer_out]}
        for round_index in range(args.rounds):
            order = ['plumb', 'peer'] if round_index % 2 == 0 else ['peer', 'plumb']
            for tool in order:
                seconds, cpu, rss, err = measured(commands[tool])
                inner = float(err.strip().splitlines()[-1]) if tool == 'peer' else seconds
                results[tool].append((seconds, cpu, rss, inner))
        check_agreement(plumb_out, peer_out)
        plumb_s = statistics.median(r[0] for r in results['plumb'])
        peer_s = statistics.median(r[0] for r in results['peer'])
        mb = os.path.getsize(paths['score']) / 1e6
        print(f'\nCSV to CSV, {args.rows:,} rows x {FEATURES} features ({mb:.0f} MB), linear pipeline '
              f'(median imputer + scaler + ridge), median of {args.rounds} rounds; wall clock and CPU time '
              f'(user + system) of the whole process, start-up and model load included for both\n')
        print('| tool | wall s | rows/s (wall) | CPU s | peak RSS MB |')
        print('|---|---|---|---|---|')
        for tool, label in (('plumb', 'plumb predict'), ('peer', 'pandas.read_csv + sklearn predict + to_csv')):
            wall = statistics.median(r[0] for r in results[tool])
            cpu = statistics.median(r[1] for r in results[tool])
            rss = max(r[2] for r in results[tool])
            print(f'| {label} | {wall:.2f} | {args.rows / wall / 1e6:.2f} M | {cpu:.2f} | {rss:.0f} |')
        peer_inner = statistics.median(r[3] for r in results['peer'])
        print(f'\nPlumb is {peer_s / plumb_s:.1f}x faster (wall clock). The peer\'s read + predict + write alone, '
              f'without interpreter start, imports and model load: {peer_inner:.2f} s '
              f'({args.rows / peer_inner / 1e6:.2f} M rows/s), {peer_inner / plumb_s:.1f}x Plumb\'s whole process.')
        with open('/proc/loadavg') as load:
            print(f'Load average at the end: {load.read().split()[0]} (other work on the machine slows both tools).')
        if args.stream_check:
            print('\n| rows on stdin | wall s | rows/s | CPU s | peak RSS MB |')
            print('|---|---|---|---|---|')
            for repeat in (1, 10):
                seconds, cpu, rss, _ = measured([args.plumb, 'predict', model, '-', '-o', '/dev/null'],
                                                stdin_file=paths['score'], repeat_input=repeat)
                rows = args.rows * repeat
                print(f'| {rows:,} | {seconds:.2f} | {rows / seconds / 1e6:.2f} M | {cpu:.2f} | {rss:.0f} |')
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_agreement(plumb_out, peer_out):
    import numpy
    import pandas
    ours = pandas.read_csv(plumb_out, usecols=['prediction'], float_precision='round_trip')['prediction'].to_numpy()
    theirs = pandas.read_csv(peer_out, usecols=['prediction'], float_precision='round_trip')['prediction'].to_numpy()
    if ours.shape != theirs.shape:
        sys.exit(f'row counts differ: {ours.shape} vs {theirs.shape}')
    scale = numpy.maximum(numpy.abs(theirs), 1.0)
    print(f'predictions agree: max |plumb - sklearn| / max(|sklearn|, 1) = {numpy.max(numpy.abs(ours - theirs) / scale):.2e}')


if __name__ == '__main__':
    main()
