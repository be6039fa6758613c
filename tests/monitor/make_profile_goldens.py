#!/usr/bin/python3
"""Goldens for the reference profile's accuracy (tst_profileaccuracy): for every numeric column of
a corpus of public datasets, scipy's drift statistics between the full column (the reference, as a
model's training data) and a pseudo-random quarter of its rows (the current data, so nothing
drifted).

The corpus: the real-data suite's training files (tests/realdata, read with their manifest's
dialect) and three datasets written whole into profiledata/: statsmodels' randhie (20,190 rows;
lpi and fmde have point masses at 0) and fair (6,366 rows), and R's quakes (1,000 rows).

The quarter: rows i (from 0) with (((i + 1) * 2654435761) mod 2^32) >> 30 == 0, a multiplicative
hash the C++ test computes the same way.

Statistics, each as core/monitor computes it on raw samples (see make_sklearn_goldens.py, drift):
scipy.stats.ks_2samp, scipy.stats.wasserstein_distance / max(numpy.std(reference), 0.001), PSI
and scipy.spatial.distance.jensenshannon on Evidently's bins, and for columns with at most 5
distinct values scipy.stats.chisquare of the current counts against the reference frequencies.

Run with Debian's python3-scipy, python3-pandas, python3-statsmodels and r-base-core:
    /usr/bin/python3 tests/monitor/make_profile_goldens.py
"""
import json
import os
import subprocess

import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'reference'))
from make_sklearn_goldens import evidently_shares  # noqa: E402  (one copy of Evidently's binning)
REALDATA = os.path.join(HERE, '..', 'realdata')
DATA = os.path.join(HERE, 'profiledata')


def quarter(n):
    i = np.arange(1, n + 1, dtype=np.uint64)
    return ((i * np.uint64(2654435761)) % np.uint64(2**32)) >> np.uint64(30) == 0


def statistics(column):
    values = column.to_numpy(dtype=float)
    chosen = quarter(len(values))
    ref, cur = values[~np.isnan(values)], values[chosen]
    cur = cur[~np.isnan(cur)]
    ks = stats.ks_2samp(ref, cur)
    r, c = evidently_shares(ref, cur, True)
    r0, c0 = evidently_shares(ref, cur, False)
    out = {'reference_count': int(len(ref)), 'current_count': int(len(cur)), 'distinct': int(len(np.unique(ref))),
           'ks_statistic': float(ks.statistic), 'ks_pvalue': float(ks.pvalue),
           'wasserstein_normed': float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
           'psi': float(np.sum((c - r) * np.log(c / r))), 'jensenshannon': float(distance.jensenshannon(r0, c0))}
    if out['distinct'] <= 5:
        keys = sorted(set(ref) | set(cur))
        observed = np.array([np.sum(cur == k) for k in keys], dtype=float)
        expected = np.array([np.sum(ref == k) for k in keys], dtype=float) * len(cur) / len(ref)
        with np.errstate(divide='ignore', invalid='ignore'):
            out['chisquare_pvalue'] = float(stats.chisquare(observed, expected).pvalue)
    return out


def write_whole_datasets():
    import statsmodels.api as sm
    os.makedirs(DATA, exist_ok=True)
    sm.datasets.randhie.load_pandas().data.to_csv(os.path.join(DATA, 'randhie.csv'), index=False)
    sm.datasets.fair.load_pandas().data.to_csv(os.path.join(DATA, 'fair.csv'), index=False)
    subprocess.run(['Rscript', '-e', 'write.csv(datasets::quakes, "%s", row.names = FALSE)'
                    % os.path.join(DATA, 'quakes.csv')], check=True)
    return [('randhie_full', 'tests/monitor/profiledata/randhie.csv', ',', '.', None),
            ('fair_full', 'tests/monitor/profiledata/fair.csv', ',', '.', None),
            ('quakes', 'tests/monitor/profiledata/quakes.csv', ',', '.', None)]


def realdata_files():
    manifest = json.load(open(os.path.join(REALDATA, 'manifest.json')))
    files = []
    for entry in manifest['datasets']:
        na = ['NA'] if '--no-default-na' in entry['plumb_options'] else None
        files.append((entry['name'], 'tests/realdata/' + entry['train'], entry['delimiter'], entry['decimal'], na,
                      entry['row_names_column']))
    return files


def main():
    cases = []
    files = [f + (False,) for f in write_whole_datasets()] + realdata_files()
    for name, path, sep, decimal, na, row_names in files:
        full = os.path.join(HERE, '..', '..', path)
        if na:
            frame = pd.read_csv(full, sep=sep, decimal=decimal, keep_default_na=False, na_values=na)
        else:
            frame = pd.read_csv(full, sep=sep, decimal=decimal)
        if row_names:
            frame = frame.iloc[:, 1:]
        for column in frame.columns:
            if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
                continue
            if frame[column].notna().sum() < 2:
                continue
            case = {'dataset': name, 'file': path, 'delimiter': sep, 'decimal': decimal,
                    'na_values': na or [], 'column': column}
            case.update(statistics(frame[column]))
            cases.append(case)
    with open(os.path.join(HERE, 'golden', 'profile_accuracy.json'), 'w') as out:
        json.dump({'generator': 'tests/monitor/make_profile_goldens.py', 'scipy': __import__('scipy').__version__,
                   'cases': cases}, out, indent=1)
        out.write('\n')
    print(len(cases), 'columns')


if __name__ == '__main__':
    main()
