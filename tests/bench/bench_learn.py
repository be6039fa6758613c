#!/usr/bin/python3
"""Side-by-side learning benchmark: Plumb (bench_learn) against scikit-learn.

Run with the Debian interpreter that sees numpy, pandas and scikit-learn:

    /usr/bin/python3 tests/bench/bench_learn.py --plumb build/tests/bench/bench_learn

Generates the data once (cached in --data-dir as CSV written with '%.10g'), then, in rounds that
alternate which tool goes first, runs one fresh process per tool and task:
  1. StandardScaler + LogisticRegression fit on make_classification(1M x 20, binary): seconds,
     iterations, training log loss (the condition: equal to 6 decimals) and coefficients.
     Plumb: a ColumnRouter numeric branch with only a standard_scaler step (the same pipeline as
     sklearn's make_pipeline(StandardScaler(), LogisticRegression())). A second row times
     Pipeline::withDefaults (median imputer + scaler) against SimpleImputer(median) + the same
     (--no-defaults-row skips it).
  2. LinearRegression on make_regression(1M x 20, noise=10): fit, and batch prediction of the
     1M x 20 matrix against the memory-bandwidth floor measured in Plumb's process.
  3. One-row scoring of impute + scale + one-hot + logistic fitted on a mixed 20k-row table:
     Plumb RowScorer::score against Pipeline(ColumnTransformer, LogisticRegression).predict_proba
     on a one-row DataFrame and on a one-row numpy object array.
Both sides read the same doubles: the sklearn side loads the CSV with pandas'
float_precision='round_trip' parser, which Plumb's CsvReader matches bit for bit.

The scikit-learn processes run with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from their
environment (and nothing else changed); the BLAS they load is checked with threadpoolctl and
printed. Prints a markdown table of medians and ratios.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

SEED = 0
FEATURES = 20
MIXED_ROWS = 20_000
MIXED_NUMERIC = 15
MIXED_CATEGORICAL = 5
OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread'
BLAS_VARIABLES = ('OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE')


# ---- data ------------------------------------------------------------------------------------

def write_csv(path, columns, names):
    """Columns (1-D arrays, float or object) as CSV; floats with '%.10g', NaN and None as empty."""
    import pandas
    frame = pandas.DataFrame({name: column for name, column in zip(names, columns)})
    tmp = path + '.part'
    frame.to_csv(tmp, index=False, float_format='%.10g', na_rep='', lineterminator='\n')
    os.replace(tmp, path)


def read_csv(path):
    """The file as Plumb reads it: correctly rounded doubles (pandas' round-trip parser)."""
    import pandas
    return pandas.read_csv(path, float_precision='round_trip')


def cached_arrays(csv_path):
    """X (C-ordered float64) and y of a numeric CSV, cached as .npz beside it."""
    import numpy
    npz = csv_path[:-4] + '.npz'
    if not os.path.exists(npz) or os.path.getmtime(npz) < os.path.getmtime(csv_path):
        frame = read_csv(csv_path)
        X = numpy.ascontiguousarray(frame.drop(columns='y').to_numpy(dtype=numpy.float64))
        numpy.savez(npz + '.part.npz', X=X, y=frame['y'].to_numpy(dtype=numpy.float64))
        os.replace(npz + '.part.npz', npz)
    with numpy.load(npz) as data:
        return numpy.ascontiguousarray(data['X']), data['y']


def generate(data_dir, rows):
    """The three data files, generated once (deterministic: fixed seeds)."""
    import numpy
    from sklearn.datasets import make_classification, make_regression
    os.makedirs(data_dir, exist_ok=True)
    names = ['x%d' % c for c in range(FEATURES)] + ['y']
    paths = {
        'classification': os.path.join(data_dir, 'learn_classification_%d_x%d_seed%d.csv' % (rows, FEATURES, SEED)),
        'regression': os.path.join(data_dir, 'learn_regression_%d_x%d_seed%d.csv' % (rows, FEATURES, SEED)),
        'mixed': os.path.join(data_dir, 'learn_mixed_%d_seed%d.csv' % (MIXED_ROWS, SEED)),
    }
    if not os.path.exists(paths['classification']):
        print('generating %s' % paths['classification'], file=sys.stderr)
        X, y = make_classification(n_samples=rows, n_features=FEATURES, n_informative=10, random_state=SEED)
        write_csv(paths['classification'], list(X.T) + [y.astype(numpy.float64)], names)
    if not os.path.exists(paths['regression']):
        print('generating %s' % paths['regression'], file=sys.stderr)
        X, y = make_regression(n_samples=rows, n_features=FEATURES, noise=10, random_state=SEED)
        write_csv(paths['regression'], list(X.T) + [y], names)
    if not os.path.exists(paths['mixed']):
        print('generating %s' % paths['mixed'], file=sys.stderr)
        generate_mixed(paths['mixed'])
    for key in ('classification', 'regression'):
        cached_arrays(paths[key])
    return paths


def generate_mixed(path):
    """20k rows: 15 numeric columns (5% missing) and 5 categorical ones binned from informative
    features (3 to 11 levels, 2% missing), and a binary target y."""
    import numpy
    from sklearn.datasets import make_classification
    rng = numpy.random.default_rng(SEED)
    X, y = make_classification(n_samples=MIXED_ROWS, n_features=MIXED_NUMERIC + MIXED_CATEGORICAL,
                               n_informative=10, shuffle=False, random_state=SEED)
    columns, names = [], []
    for c in range(MIXED_NUMERIC):
        column = X[:, MIXED_CATEGORICAL + c].copy()  # the informative ones first go to categories
        column[rng.random(MIXED_ROWS) < 0.05] = numpy.nan
        columns.append(column)
        names.append('n%d' % c)
    for c in range(MIXED_CATEGORICAL):
        levels = 3 + 2 * c
        edges = numpy.quantile(X[:, c], numpy.linspace(0, 1, levels + 1)[1:-1])
        labels = numpy.array(['c%d_level%02d' % (c, level) for level in range(levels)], dtype=object)
        column = labels[numpy.searchsorted(edges, X[:, c])]
        column[rng.random(MIXED_ROWS) < 0.02] = None
        columns.append(column)
        names.append('c%d' % c)
    columns.append(y.astype(numpy.float64))
    names.append('y')
    write_csv(path, columns, names)


# ---- scikit-learn workers (each in its own process) -------------------------------------------

def worker_blas():
    """What this environment loads: threadpoolctl's view, and where the libblas.so.3 that numpy
    links against resolves (it can be the reference BLAS while OpenBLAS is loaded beside it)."""
    from threadpoolctl import threadpool_info
    import numpy
    import sklearn
    import sklearn.linear_model  # noqa: F401  (loads scipy's BLAS as a fit would)
    mapped = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1]
            if 'libblas.so' in path:
                mapped.add(os.path.realpath(path))
    print(json.dumps({'threadpools': threadpool_info(), 'numpy': numpy.__version__,
                      'sklearn': sklearn.__version__, 'libblas': sorted(mapped)}))


def worker_logistic(path, router):
    import warnings
    import numpy
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = cached_arrays(path)
    y = y.astype(numpy.int64)
    steps = [StandardScaler(), LogisticRegression()]
    if router == 'defaults':
        steps.insert(0, SimpleImputer(strategy='median'))
    pipe = make_pipeline(*steps)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always', ConvergenceWarning)
        start = time.perf_counter()
        pipe.fit(X, y)
        seconds = time.perf_counter() - start
    model = pipe[-1]
    print(json.dumps({'tool': 'sklearn', 'mode': 'logistic', 'rows': len(X), 'fit_s': [seconds],
                      'steps': ', '.join(type(step).__name__ for step in pipe),
                      'iterations': int(model.n_iter_[0]), 'converged': not caught,
                      'warnings': [str(w.message).splitlines()[0] for w in caught],
                      'log_loss': log_loss(y, pipe.predict_proba(X)[:, 1]),
                      'coefficients': model.coef_[0].tolist(), 'intercept': float(model.intercept_[0])}))


def worker_linear(path, predict_repeat):
    from sklearn.linear_model import LinearRegression
    X, y = cached_arrays(path)
    start = time.perf_counter()
    model = LinearRegression().fit(X, y)
    fit_seconds = time.perf_counter() - start
    predictions = model.predict(X)  # warm-up, as on Plumb's side
    times = []
    for _ in range(predict_repeat):
        start = time.perf_counter()
        predictions = model.predict(X)
        times.append(time.perf_counter() - start)
    print(json.dumps({'tool': 'sklearn', 'mode': 'linear', 'rows': len(X), 'fit_s': [fit_seconds],
                      'predict_s': times, 'prediction_sum': float(predictions.sum()),
                      'first_predictions': predictions[:5].tolist(), 'matrix_sum': float(X.sum()),
                      'x_order': 'C' if X.flags['C_CONTIGUOUS'] else 'F',
                      'coefficients': model.coef_.tolist(), 'intercept': float(model.intercept_)}))


def mixed_pipelines(frame):
    """The same preprocessing + LogisticRegression, addressed by column name (for DataFrames) and
    by position (for numpy object arrays), both fitted on the same rows."""
    import numpy
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    features = [c for c in frame.columns if c != 'y']
    numeric = [c for c in features if c.startswith('n')]
    categorical = [c for c in features if c.startswith('c')]

    def build(num, cat):
        router = ColumnTransformer([
            ('numeric', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), num),
            ('categorical', make_pipeline(SimpleImputer(strategy='most_frequent'),
                                          OneHotEncoder(handle_unknown='ignore')), cat)])
        return make_pipeline(router, LogisticRegression())

    X = frame[features]
    y = frame['y'].to_numpy().astype(numpy.int64)
    by_name = build(numeric, categorical).fit(X, y)
    X_objects = X.to_numpy(dtype=object)
    by_position = build([features.index(c) for c in numeric], [features.index(c) for c in categorical])
    by_position.fit(X_objects, y)
    return X, X_objects, by_name, by_position


def time_calls(function, rows, calls):
    """Seconds of each of `calls` calls of function(row), cycling over the prebuilt rows."""
    for row in rows[:200]:  # warm-up
        function(row)
    times = []
    for i in range(calls):
        row = rows[i % len(rows)]
        start = time.perf_counter_ns()
        function(row)
        times.append((time.perf_counter_ns() - start) * 1e-9)
    return times


def worker_rowscore(path, calls, compare):
    import warnings
    import numpy
    frame = read_csv(path)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # a ConvergenceWarning is reported by n_iter_ instead
        X, X_objects, by_name, by_position = mixed_pipelines(frame)
    first = by_name.predict_proba(X.iloc[:compare])[:, 1]
    first_objects = by_position.predict_proba(X_objects[:compare])[:, 1]
    prebuilt = min(calls, len(X))
    frames = [X.iloc[[i]] for i in range(prebuilt)]
    arrays = [X_objects[i:i + 1] for i in range(prebuilt)]
    frame_times = time_calls(by_name.predict_proba, frames, calls)
    array_times = time_calls(by_position.predict_proba, arrays, calls)

    def summary(times):
        ordered = sorted(times)
        return {'median_us': statistics.median(times) * 1e6,
                'p99_us': ordered[min(len(ordered) - 1, max(0, -(-99 * len(ordered) // 100) - 1))] * 1e6,
                'mean_us': statistics.fmean(times) * 1e6}

    print(json.dumps({'tool': 'sklearn', 'mode': 'rowscore', 'rows': len(X), 'calls': calls,
                      'dataframe': summary(frame_times), 'numpy_object': summary(array_times),
                      'outputs': int(by_name[0].transform(X.iloc[:1]).shape[1]),
                      'fit_iterations': int(by_name[-1].n_iter_[0]),
                      'first_scores': first.tolist(),
                      'paths_agree': float(numpy.max(numpy.abs(first - first_objects)))}))


# ---- driver ----------------------------------------------------------------------------------

def sklearn_environment(openblas_path=False):
    env = dict(os.environ)
    for name in BLAS_VARIABLES:
        env.pop(name, None)
    if openblas_path:
        env['LD_LIBRARY_PATH'] = OPENBLAS_DIR + (':' + env['LD_LIBRARY_PATH'] if env.get('LD_LIBRARY_PATH') else '')
    return env


def run(command, env=None):
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit('%s failed:\n%s' % (' '.join(command), done.stderr))
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_rounds(count, plan):
    """Runs every task's commands `count` times, one fresh process each, rotating which tool goes
    first from round to round (with two tools: alternating). plan: (name, [(tool, command, env or
    None), ...]) per task. Returns {name: {tool: [report, ...]}}, reports in run order."""
    runs = {}
    for round_index in range(count):
        for name, commands in plan:
            shift = round_index % len(commands)
            for tool, command, env in commands[shift:] + commands[:shift]:
                runs.setdefault(name, {}).setdefault(tool, []).append(run(command, env))
        print('round %d of %d done' % (round_index + 1, count), file=sys.stderr)
    return runs


def driver_parser(doc, program, rounds, rows_help):
    """The options every side-by-side driver takes: --plumb, --rounds, --rows, --data-dir, and the
    hidden --sk-worker its own scikit-learn processes are started with."""
    parser = argparse.ArgumentParser(description=doc.split('\n\n')[0])
    parser.add_argument('--plumb', help='path to the %s executable (required)' % program)
    parser.add_argument('--rounds', type=int, default=rounds, help='processes per tool and task, rotating who goes first')
    parser.add_argument('--rows', type=int, default=1_000_000, help=rows_help)
    parser.add_argument('--data-dir', default='/tmp/plumb-bench', help='where generated files are kept')
    parser.add_argument('--sk-worker', nargs='+', help=argparse.SUPPRESS)
    return parser


def parse_driver(parser):
    """The parsed options; --plumb is required unless this process is a worker."""
    args = parser.parse_args()
    if not args.sk_worker and not args.plumb:
        parser.error('--plumb is required')
    return args


def choose_blas():
    """The environment for the sklearn processes, and what threadpoolctl says they load. When
    numpy does not pick up OpenBLAS by itself (libblas.so.3 pointing at the reference BLAS),
    OpenBLAS's directory goes first on LD_LIBRARY_PATH for those processes only."""
    command = [sys.executable, __file__, '--sk-worker', 'blas']

    def check(env):
        report = run(command, env)
        blas = [p for p in report['threadpools'] if p.get('user_api') == 'blas']
        uses_openblas = (any(p.get('internal_api') == 'openblas' for p in blas)
                         and all('openblas' in path for path in report['libblas']))
        return report, blas, uses_openblas

    notes = []
    env = sklearn_environment()
    report, blas, uses_openblas = check(env)
    if not uses_openblas:
        notes.append('numpy did not use OpenBLAS by itself (libblas.so.3 -> %s); LD_LIBRARY_PATH=%s for the '
                     'sklearn processes' % (', '.join(report['libblas']) or '?', OPENBLAS_DIR))
        env = sklearn_environment(openblas_path=True)
        report, blas, uses_openblas = check(env)
        if not uses_openblas:
            sys.exit('scikit-learn still does not use OpenBLAS: libblas.so.3 -> %s, threadpoolctl: %s'
                     % (report['libblas'], json.dumps(blas)))
    else:
        notes.append('numpy uses OpenBLAS by itself: libblas.so.3 -> %s (the Debian alternative); '
                     'LD_LIBRARY_PATH unchanged' % ', '.join(report['libblas']))
    unset = ', '.join('%s (was %r)' % (n, os.environ[n]) for n in BLAS_VARIABLES if n in os.environ)
    notes.append('removed for the sklearn processes: %s' % (unset or ', '.join(BLAS_VARIABLES) + ' (neither was set)'))
    return env, report, blas, notes


def tasks(args, paths):
    """(name, plumb command, sklearn command) per task."""
    me = [sys.executable, __file__, '--sk-worker']
    plan = [('logistic', [args.plumb, 'logistic', paths['classification'], '--router', 'scaler'],
             me + ['logistic', paths['classification'], 'scaler'])]
    if args.defaults_row:
        plan.append(('logistic-defaults', [args.plumb, 'logistic', paths['classification'], '--router', 'defaults'],
                     me + ['logistic', paths['classification'], 'defaults']))
    plan.append(('linear', [args.plumb, 'linear', paths['regression'], '--predict-repeat', str(args.predict_repeat)],
                 me + ['linear', paths['regression'], str(args.predict_repeat)]))
    plan.append(('rowscore', [args.plumb, 'rowscore', paths['mixed'], '--calls', str(args.row_calls),
                              '--compare', '1000'],
                 me + ['rowscore', paths['mixed'], str(args.sk_row_calls), '1000']))
    return plan


def collect(args, paths, sk_env):
    return run_rounds(args.rounds, [(name, [('plumb', plumb_command, None), ('sklearn', sk_command, sk_env)])
                                    for name, plumb_command, sk_command in tasks(args, paths)])


def main():
    parser = driver_parser(__doc__, 'bench_learn', 5, 'rows of the classification and regression data')
    parser.add_argument('--predict-repeat', type=int, default=20, help='timed batch predictions per process')
    parser.add_argument('--row-calls', type=int, default=100_000, help='timed one-row calls per Plumb process')
    parser.add_argument('--sk-row-calls', type=int, default=3000, help='timed one-row calls per sklearn process and input kind')
    parser.add_argument('--no-defaults-row', dest='defaults_row', action='store_false',
                        help='skip the Pipeline::withDefaults (median imputer + scaler) logistic row')
    args = parse_driver(parser)
    if args.sk_worker:
        kind, rest = args.sk_worker[0], args.sk_worker[1:]
        if kind == 'blas':
            worker_blas()
        elif kind == 'logistic':
            worker_logistic(rest[0], rest[1])
        elif kind == 'linear':
            worker_linear(rest[0], int(rest[1]))
        elif kind == 'rowscore':
            worker_rowscore(rest[0], int(rest[1]), int(rest[2]))
        return

    paths = generate(args.data_dir, args.rows)
    sk_env, blas_report, blas, blas_notes = choose_blas()
    runs = collect(args, paths, sk_env)
    report(args, runs, blas_report, blas, blas_notes)


# ---- report ----------------------------------------------------------------------------------

def med(reports, key):
    """Median over processes of each process's median of `key` (a number or a list)."""
    values = []
    for r in reports:
        value = r[key]
        values.append(statistics.median(value) if isinstance(value, list) else value)
    return statistics.median(values)


def per_process(report, key):
    """A process's value of `key`: the median when it timed several; None when it has none."""
    if key not in report:
        return None
    value = report[key]
    return statistics.median(value) if isinstance(value, list) else value


def best(reports, key):
    return min(min(r[key]) for r in reports)


def max_difference(a, b):
    return max(abs(x - y) for x, y in zip(a, b))


def fmt_s(seconds):
    return '%.3f s' % seconds


def fmt_ms(seconds):
    return '%.2f ms' % (seconds * 1e3)


def ratio(plumb, sklearn):
    """Plumb/sklearn as a factor; far below 1 as a fraction ('1/150')."""
    value = plumb / sklearn
    return '%.2fx' % value if value >= 0.05 else '1/%.0f' % (1 / value)


def shape(report):
    rows = report['rows']
    return '%s x %d' % ('%gM' % (rows / 1e6) if rows >= 1e6 else '%gk' % (rows / 1e3), FEATURES)


def verdict(ok):
    return 'yes' if ok else '**no**'


def logistic_rows(name, label, runs, aim=True):
    plumb, sk = runs[name]['plumb'], runs[name]['sklearn']
    p_fit, s_fit = med(plumb, 'fit_s'), med(sk, 'fit_s')
    p_last, s_last = plumb[-1], sk[-1]
    rows = [
        ('%s fit, %s (Plumb steps: %s)' % (label, shape(p_last), p_last['steps']), fmt_s(p_fit), fmt_s(s_fit),
         ratio(p_fit, s_fit),
         'Plumb <= 0.5x' if aim else '-', verdict(p_fit <= 0.5 * s_fit) if aim else '-'),
        ('  Plumb split of one more fit: target / preprocessing / model',
         ' / '.join(fmt_s(statistics.median(r['stages'][k] for r in plumb))
                    for k in ('target_s', 'preprocess_s', 'model_fit_s')), '', '', '', ''),
        ('  iterations (Plumb: Newton; sklearn: lbfgs)', '%d%s' % (p_last['iterations'], '' if p_last['converged'] else ' (not converged)'),
         '%d%s' % (s_last['iterations'], '' if s_last['converged'] else ' (not converged)'), '', '', ''),
        ('  training log loss', '%.6f' % p_last['log_loss'], '%.6f' % s_last['log_loss'], '',
         'equal to 6 decimals', verdict('%.6f' % p_last['log_loss'] == '%.6f' % s_last['log_loss'])),
        ('  max abs coefficient difference (standardised scale)',
         '%.2e' % max_difference(p_last['coefficients'] + [p_last['intercept']],
                                 s_last['coefficients'] + [s_last['intercept']]), '', '', '', ''),
    ]
    return rows


def linear_rows(runs):
    plumb, sk = runs['linear']['plumb'], runs['linear']['sklearn']
    p_fit, s_fit = med(plumb, 'fit_s'), med(sk, 'fit_s')
    p_pred, s_pred = med(plumb, 'predict_s'), med(sk, 'predict_s')
    floor_one, floor_all = best(plumb, 'sum_one_thread_s'), best(plumb, 'sum_all_threads_s')
    floor = min(floor_one, floor_all)
    gb = plumb[0]['matrix_bytes'] / 1e9
    p_last, s_last = plumb[-1], sk[-1]
    return [
        ('LinearRegression fit, %s' % shape(p_last), fmt_s(p_fit), fmt_s(s_fit), ratio(p_fit, s_fit), '-', '-'),
        ('  max abs coefficient difference', '%.2e' % max_difference(
            p_last['coefficients'] + [p_last['intercept']], s_last['coefficients'] + [s_last['intercept']]),
         '', '', '', ''),
        ('LinearRegression predict, %s matrix' % shape(p_last), fmt_ms(p_pred), fmt_ms(s_pred),
         ratio(p_pred, s_pred), 'Plumb <= 0.5x', verdict(p_pred <= 0.5 * s_pred)),
        ('  memory floor: one pass over %.0f MB, best (1 thread / %d threads)' % (gb * 1e3, plumb[0]['threads']),
         '%s (%s / %s)' % (fmt_ms(floor), fmt_ms(floor_one), fmt_ms(floor_all)), '', '', '', ''),
        ('  predict time / floor (read rate)', '%.2fx (%.1f GB/s)' % (p_pred / floor, gb / p_pred),
         '%.2fx (%.1f GB/s)' % (s_pred / floor, gb / s_pred),
         '', 'Plumb <= 2x', verdict(p_pred <= 2 * floor)),
        ('  same inputs: sum of all matrix values, relative difference',
         '%.1e' % (abs(p_last['matrix_sum'] - s_last['matrix_sum']) / abs(s_last['matrix_sum'])), '', '', '', ''),
        ('  max abs prediction difference (first 5 rows)',
         '%.2e' % max_difference(p_last['first_predictions'], s_last['first_predictions']), '', '', '', ''),
    ]


def rowscore_rows(runs):
    plumb, sk = runs['rowscore']['plumb'], runs['rowscore']['sklearn']
    p_med, p_p99 = med(plumb, 'median_us'), med(plumb, 'p99_us')
    frame_med = statistics.median(r['dataframe']['median_us'] for r in sk)
    frame_p99 = statistics.median(r['dataframe']['p99_us'] for r in sk)
    array_med = statistics.median(r['numpy_object']['median_us'] for r in sk)
    array_p99 = statistics.median(r['numpy_object']['p99_us'] for r in sk)
    p_last, s_last = plumb[-1], sk[-1]
    sk_best = min(frame_med, array_med)
    return [
        ('One-row scoring, impute+scale+one-hot+logistic (%d inputs -> %d columns), median' %
         (MIXED_NUMERIC + MIXED_CATEGORICAL, p_last['outputs']),
         '%.2f us' % p_med, '%.1f us (DataFrame) / %.1f us (numpy object)' % (frame_med, array_med),
         ratio(p_med, sk_best), 'Plumb <= 2 us', verdict(p_med <= 2.0)),
        ('  p99', '%.2f us' % p_p99, '%.1f us / %.1f us' % (frame_p99, array_p99), '', '', ''),
        ('  clock read overhead included in each Plumb call', '%.3f us' % med(plumb, 'clock_overhead_us'), '', '', '', ''),
        ('  Plumb fast path; row scores bit-identical to Pipeline::predict',
         '%s; %s' % (p_last['fast_path'], p_last['row_equals_batch']), '', '', '', ''),
        ('  max abs P(y=1) difference, first 1000 rows (sklearn: DataFrame vs numpy-object pipeline)',
         '%.2e' % max_difference(p_last['first_scores'], s_last['first_scores']),
         '%.2e' % s_last['paths_agree'], '', '', ''),
    ]


def report(args, runs, blas_report, blas, blas_notes):
    print('Plumb vs scikit-learn, learning: %d processes per tool and task (alternating who goes first), '
          'medians' % args.rounds)
    print('%s, %d cores, PLUMB_THREADS=%s, scikit-learn %s, numpy %s, Python %s' % (
        platform.machine(), os.cpu_count(), os.environ.get('PLUMB_THREADS', 'unset'), blas_report['sklearn'],
        blas_report['numpy'], platform.python_version()))
    for pool in blas:
        print('sklearn BLAS (threadpoolctl): %s %s, kernel %s, %s threads, %s' % (
            pool.get('internal_api'), pool.get('version'), pool.get('architecture'), pool.get('num_threads'),
            pool.get('filepath')))
    for note in blas_notes:
        print('  ' + note)
    print()
    print('| work | Plumb | scikit-learn | Plumb/sklearn | aim | met |')
    print('|---|---:|---:|---:|---|---|')
    rows = logistic_rows('logistic', 'StandardScaler + LogisticRegression', runs)
    if 'logistic-defaults' in runs:
        rows += logistic_rows('logistic-defaults', 'median imputer + StandardScaler + LogisticRegression', runs, aim=False)
    rows += linear_rows(runs) + rowscore_rows(runs)
    for row in rows:
        print('| ' + ' | '.join(row) + ' |')
    print()
    print('Per-process values, in run order (each process\'s median where it timed several):')
    for name, key, unit, scale in (('logistic', 'fit_s', 's', 1), ('logistic-defaults', 'fit_s', 's', 1),
                                   ('linear', 'fit_s', 's', 1), ('linear', 'predict_s', 'ms', 1e3),
                                   ('rowscore', 'median_us', 'us', 1)):
        if name not in runs:
            continue
        for tool, reports in runs[name].items():
            values = [per_process(r, key) for r in reports]
            if tool == 'sklearn' and name == 'rowscore':
                values = ['%.0f/%.0f' % (r['dataframe']['median_us'], r['numpy_object']['median_us']) for r in reports]
                label = 'median_us (DataFrame/numpy object)'
            elif any(v is None for v in values):
                continue
            else:
                values = ['%.4g' % (v * scale) for v in values]
                label = key.replace('_s', '') + ' ' + unit
            print('  %s %s %s: %s' % (name, tool, label, ' '.join(values)))
    if 'linear' in runs:
        print('  linear plumb floor ms, best per process (1 thread / all): %s' % ' '.join(
            '%.2f/%.2f' % (min(r['sum_one_thread_s']) * 1e3, min(r['sum_all_threads_s']) * 1e3)
            for r in runs['linear']['plumb']))
    print()
    print('Plumb/sklearn is the ratio of medians (below 1: Plumb faster; one-row scoring against the faster sklearn')
    print('input kind). The memory floor is the fastest single pass over the matrix measured in the Plumb process')
    print('between its predictions (Eigen sum, on one thread and on all), best over all processes.')


if __name__ == '__main__':
    main()
