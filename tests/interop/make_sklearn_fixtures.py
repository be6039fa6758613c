#!/usr/bin/python3
"""Writes the benign scikit-learn pickle and joblib fixtures that tests/interop reads.

Run with the Debian interpreter that sees scikit-learn:

    /usr/bin/python3 tests/interop/make_sklearn_fixtures.py

It empties and rewrites tests/interop/fixtures/:

  manifest.json          versions, and one entry per fixture file: its case, container, protocol,
                         compression, the inputs and expected files, the task and the classes
  <case>.inputs.csv      the rows the expected predictions were made for (features only; numbers
                         written with repr() so they round-trip exactly, a missing value is empty)
  <case>.expected.csv    scikit-learn's output for those rows: "prediction" (the label for
                         classifiers), then "p_<class>" per class for classifiers
  <case>.p2.pkl, .p4.pkl, .p5.pkl   pickle.dump with protocols 2, 4 and 5
  <case>.joblib                     joblib.dump, uncompressed
  <case>.<zlib|gzip|bz2|xz|lzma>.joblib   joblib.dump compressed, for the cases in COMPRESSED_CASES

"ridge_fitted_on_array" is a model fitted on a plain array (no feature_names_in_): its features
import as positional x0..x3 unless names are given. <case>.named.csv holds its test rows under the
columns the array came from (f0..f3) plus the target "y", the file a user of such a model scores.

The output of a full run differs in the last bits from one BLAS to another, so committed fixtures
are not rewritten for a new case: `make_sklearn_fixtures.py --only CASE` writes that case's files
and replaces its entries in manifest.json, leaving every other file as it is.

Two cases are written in layouts Debian's scikit-learn 1.2.1 cannot produce, so the importer is
tested on both: "decision_tree_classifier_v14" pickles the same fitted tree with scikit-learn
1.3's 64-byte node record (missing_go_to_left added) and 1.4.1's class fractions in place of
counts; its expected output is the 1.2.1 tree's, which predicts identically.

The models are small (a few dozen rows, a handful of trees) so the files stay small. The output is
deterministic for the same library versions: every generator has a fixed seed.
"""

import copyreg
import csv
import io
import json
import os
import pickle
import shutil
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.tree._tree import Tree

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures')

PROTOCOLS = (2, 4, 5)
COMPRESSIONS = ('zlib', 'gzip', 'bz2', 'xz', 'lzma')
COMPRESSED_CASES = ('mixed_pipeline_logistic', 'random_forest_classifier')

TRAIN_ROWS = 80
TEST_ROWS = 25


def numeric_frame(rng, rows):
    return pd.DataFrame({f'f{i}': rng.normal(size=rows).round(6) for i in range(4)})


def regression_target(frame, rng):
    weights = np.array([1.5, -2.0, 0.5, 3.0])
    return frame.to_numpy() @ weights + 0.3 * rng.normal(size=len(frame))


def binary_labels(frame):
    return np.where(frame['f0'] - frame['f1'] + 0.5 * frame['f2'] > 0, 'yes', 'no')


def multiclass_labels(frame):
    score = frame['f0'] + 0.7 * frame['f3']
    return np.digitize(score, [-0.6, 0.6])  # 0, 1, 2


def mixed_frame(rng, rows, unknown_city=False):
    cities = np.array(['berlin', 'lisbon', 'oslo', 'rome'])
    frame = pd.DataFrame({
        'age': rng.integers(18, 80, size=rows).astype(float),
        'income': rng.normal(50.0, 12.0, size=rows).round(3),
        'city': cities[rng.integers(0, 4, size=rows)],
        'plan': np.array(['basic', 'plus'])[rng.integers(0, 2, size=rows)],
        'tenure': rng.integers(0, 40, size=rows).astype(float),
    })
    frame.loc[rng.random(rows) < 0.1, 'income'] = np.nan
    frame.loc[rng.random(rows) < 0.1, 'age'] = np.nan
    if unknown_city:
        frame.loc[[1, 7], 'city'] = 'paris'
    return frame


def mixed_labels(frame):
    score = (frame['age'].fillna(45) - 45) / 15 + (frame['city'] == 'oslo') * 1.2 - (frame['plan'] == 'plus') * 0.8
    return np.where(score > 0, 'churn', 'stay')


def logistic_mixed_pipeline():
    numeric = Pipeline([('impute', SimpleImputer(strategy='median')), ('scale', StandardScaler())])
    categorical = Pipeline([('impute', SimpleImputer(strategy='most_frequent')),
                            ('encode', OneHotEncoder(handle_unknown='ignore'))])
    router = ColumnTransformer([('num', numeric, ['age', 'income']), ('cat', categorical, ['city', 'plan'])])
    return Pipeline([('prep', router), ('model', LogisticRegression())])


def ridge_mixed_pipeline():
    router = ColumnTransformer(
        [('num', Pipeline([('impute', SimpleImputer(strategy='mean')), ('scale', MinMaxScaler())]), ['age', 'income']),
         ('cat', OrdinalEncoder(), ['city', 'plan'])],
        remainder='passthrough')
    return Pipeline([('prep', router), ('model', Ridge(alpha=0.5))])


def cases():
    """(name, estimator, train X, train y, test X, classifier?) for every fixture case."""
    rng = np.random.default_rng(20261128)
    train, test = numeric_frame(rng, TRAIN_ROWS), numeric_frame(rng, TEST_ROWS)
    y_reg = regression_target(train, rng)
    y_bin, y_multi = binary_labels(train), multiclass_labels(train)
    mixed_train, mixed_test = mixed_frame(rng, TRAIN_ROWS), mixed_frame(rng, TEST_ROWS, unknown_city=True)
    mixed_ordinal_test = mixed_frame(rng, TEST_ROWS)
    y_mixed = mixed_labels(mixed_train)
    y_mixed_reg = mixed_train['tenure'] * 0.2 + mixed_train['income'].fillna(50) * 0.05
    gappy_train, gappy_test = train.copy(), test.copy()
    gappy_train.loc[rng.random(TRAIN_ROWS) < 0.15, 'f1'] = np.nan
    gappy_test.loc[rng.random(TEST_ROWS) < 0.2, 'f1'] = np.nan
    matrix_train, matrix_test = gappy_train.to_numpy(), gappy_test.to_numpy()

    return [
        ('linear_regression', LinearRegression(), train, y_reg, test, False),
        ('ridge', Ridge(alpha=2.0), train, y_reg, test, False),
        ('lasso', Lasso(alpha=0.05), train, y_reg, test, False),
        ('elastic_net', ElasticNet(alpha=0.05, l1_ratio=0.3), train, y_reg, test, False),
        ('logistic_binary', LogisticRegression(C=0.8), train, y_bin, test, True),
        ('logistic_multiclass', LogisticRegression(), train, y_multi, test, True),
        ('decision_tree_classifier', DecisionTreeClassifier(max_depth=4, random_state=1), train, y_multi, test, True),
        ('decision_tree_regressor', DecisionTreeRegressor(max_depth=4, random_state=1), train, y_reg, test, False),
        ('random_forest_classifier', RandomForestClassifier(n_estimators=5, max_depth=4, random_state=2),
         train, y_bin, test, True),
        ('random_forest_regressor', RandomForestRegressor(n_estimators=5, max_depth=4, random_state=2),
         train, y_reg, test, False),
        ('hist_gradient_boosting_classifier', HistGradientBoostingClassifier(max_iter=8, random_state=3),
         gappy_train, y_bin, gappy_test, True),
        ('hist_gradient_boosting_multiclass', HistGradientBoostingClassifier(max_iter=6, random_state=3),
         train, y_multi, test, True),
        ('hist_gradient_boosting_regressor', HistGradientBoostingRegressor(max_iter=8, random_state=3),
         gappy_train, y_reg, gappy_test, False),
        ('knn_classifier', KNeighborsClassifier(n_neighbors=5), train, y_multi, test, True),
        ('knn_regressor', KNeighborsRegressor(n_neighbors=4, weights='distance', algorithm='brute'),
         train, y_reg, test, False),
        ('gaussian_nb', GaussianNB(), train, y_multi, test, True),
        ('numeric_pipeline_positions', Pipeline([('impute', SimpleImputer()), ('scale', StandardScaler()),
                                                 ('model', LogisticRegression())]),
         matrix_train, y_bin, matrix_test, True),
        ('mixed_pipeline_logistic', logistic_mixed_pipeline(), mixed_train, y_mixed, mixed_test, True),
        ('mixed_pipeline_ridge', ridge_mixed_pipeline(), mixed_train.drop(columns=[]), y_mixed_reg,
         mixed_ordinal_test, False),
        ('ridge_fitted_on_array', Ridge(alpha=1.0), train.to_numpy(), y_reg, test.to_numpy(), False),
    ]


# Array-fitted cases: the frame whose values the test array holds, written with its real column
# names and the target as <case>.named.csv.
NAMED_CASES = {'ridge_fitted_on_array'}


def write_named(name, test_frame):
    """The target "y" is the noiseless linear signal, there to be excluded by --target."""
    frame = test_frame.copy()
    frame['y'] = test_frame.to_numpy() @ np.array([1.5, -2.0, 0.5, 3.0])
    rows = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    write_csv(os.path.join(FIXTURES, f'{name}.named.csv'), list(frame.columns), rows)


def write_csv(path, header, rows):
    with open(path, 'w', newline='') as out:
        writer = csv.writer(out, lineterminator='\n')
        writer.writerow(header)
        writer.writerows(rows)


def cell(value):
    if isinstance(value, (float, np.floating)):
        return '' if np.isnan(value) else repr(float(value))
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return str(value)


def write_inputs(name, test):
    frame = test if isinstance(test, pd.DataFrame) else pd.DataFrame(test, columns=[f'x{i}' for i in range(test.shape[1])])
    rows = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    write_csv(os.path.join(FIXTURES, f'{name}.inputs.csv'), list(frame.columns), rows)


def write_expected(name, model, test, classifier):
    predictions = model.predict(test)
    header, columns = ['prediction'], [predictions]
    if classifier:
        probabilities = model.predict_proba(test)
        header += [f'p_{label}' for label in model.classes_]
        columns += [probabilities[:, k] for k in range(probabilities.shape[1])]
    rows = [[cell(column[i]) for column in columns] for i in range(len(predictions))]
    write_csv(os.path.join(FIXTURES, f'{name}.expected.csv'), header, rows)


def v14_tree_reducer(tree):
    """Tree.__reduce__ as scikit-learn 1.4.1+ writes it: 64-byte nodes, class fractions as values."""
    cls, args, state = tree.__reduce__()
    old = state['nodes']
    record = np.dtype({'names': list(old.dtype.names) + ['missing_go_to_left'],
                       'formats': [old.dtype.fields[n][0] for n in old.dtype.names] + [np.uint8],
                       'offsets': [old.dtype.fields[n][1] for n in old.dtype.names] + [56],
                       'itemsize': 64})
    nodes = np.zeros(old.shape, dtype=record)
    for field in old.dtype.names:
        nodes[field] = old[field]
    values = state['values'].copy()
    totals = values.sum(axis=2, keepdims=True)
    state = dict(state, nodes=nodes, values=values / np.where(totals > 0, totals, 1.0))
    return cls, args, state


def pickle_with(model, protocol, reducers=None):
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=protocol)
    if reducers:
        pickler.dispatch_table = copyreg.dispatch_table.copy()
        pickler.dispatch_table.update(reducers)
    pickler.dump(model)
    return buffer.getvalue()


def entry(name, file, container, protocol, compression, classifier, model):
    return {'case': name, 'file': file, 'container': container, 'protocol': protocol,
            'compression': compression, 'inputs': f'{name}.inputs.csv', 'expected': f'{name}.expected.csv',
            'task': 'classification' if classifier else 'regression',
            'classes': [cell(c) for c in model.classes_] if classifier else []}


def write_case(name, model, classifier, reducers=None, joblib_too=True):
    entries = []
    for protocol in PROTOCOLS:
        file = f'{name}.p{protocol}.pkl'
        with open(os.path.join(FIXTURES, file), 'wb') as out:
            out.write(pickle_with(model, protocol, reducers))
        entries.append(entry(name, file, 'pickle', protocol, None, classifier, model))
    if not joblib_too:
        return entries
    file = f'{name}.joblib'
    joblib.dump(model, os.path.join(FIXTURES, file))
    entries.append(entry(name, file, 'joblib', pickle.HIGHEST_PROTOCOL, None, classifier, model))
    if name in COMPRESSED_CASES:
        for compression in COMPRESSIONS:
            file = f'{name}.{compression}.joblib'
            joblib.dump(model, os.path.join(FIXTURES, file), compress=(compression, 3))
            entries.append(entry(name, file, 'joblib', pickle.HIGHEST_PROTOCOL, compression, classifier, model))
    return entries


def main(only=None):
    manifest = {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'joblib': joblib.__version__,
                'pandas': pd.__version__, 'fixtures': []}
    if only:
        with open(os.path.join(FIXTURES, 'manifest.json')) as existing:
            manifest = json.load(existing)
        manifest['fixtures'] = [e for e in manifest['fixtures'] if e['case'] not in only]
    else:
        shutil.rmtree(FIXTURES, ignore_errors=True)
        os.makedirs(FIXTURES)
    for name, model, train_x, train_y, test_x, classifier in cases():
        if only and name not in only:
            continue
        model.fit(train_x, train_y)
        if name in NAMED_CASES:
            write_named(name, pd.DataFrame(test_x, columns=[f'f{i}' for i in range(test_x.shape[1])]))
        write_inputs(name, test_x)
        write_expected(name, model, test_x, classifier)
        manifest['fixtures'] += write_case(name, model, classifier)
        if name == 'decision_tree_classifier':
            v14 = 'decision_tree_classifier_v14'
            write_inputs(v14, test_x)
            write_expected(v14, model, test_x, classifier)
            manifest['fixtures'] += write_case(v14, model, classifier, {Tree: v14_tree_reducer}, joblib_too=False)
    with open(os.path.join(FIXTURES, 'manifest.json'), 'w') as out:
        json.dump(manifest, out, indent=1)
        out.write('\n')
    print(f"wrote {len(manifest['fixtures'])} fixtures to {FIXTURES}")


if __name__ == '__main__':
    main(sys.argv[2:] if sys.argv[1:2] == ['--only'] else None)
