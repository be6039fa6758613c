#!/usr/bin/python3
"""Writes the XGBoost fixtures of tst_xgboostimporter into tests/interop/fixtures/xgboost/.

Run with Debian's interpreter (python3-xgboost 1.7.4, python3-sklearn):
    /usr/bin/python3 tests/interop/make_xgboost_fixtures.py

Each model is trained on one of scikit-learn's bundled datasets and saved twice, as JSON
(NAME.json) and as UBJSON (NAME.ubj). NAME.inputs.csv holds the rows it is scored on (an empty
cell is a missing value) and NAME.expected.csv XGBoost's own answers for them: the margin
(predict(output_margin=True), one column per output) and the prediction (the probability of each
class for classifiers, the value for regressors). Models named *_missing were trained and are
scored with a fifth of their values missing, so the default directions of the splits matter.
binary_logistic_missing.spread.margins.f32 holds XGBoost's margins for 100,000 rows derived from
that model's inputs (spread(), which the test repeats), as little-endian float32.
"""

import csv
import os

import numpy as np
import xgboost as xgb
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "xgboost")
SEED = 7


def with_missing(X, fraction, seed):
    rng = np.random.default_rng(seed)
    X = X.copy()
    X[rng.random(X.shape) < fraction] = np.nan
    return X


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if np.isnan(v) else repr(float(v)) for v in row])


def save(name, booster, X, names, objective):
    booster.save_model(os.path.join(OUT, name + ".json"))
    booster.save_model(os.path.join(OUT, name + ".ubj"))
    dm = xgb.DMatrix(X, missing=np.nan, feature_names=names)
    margin = booster.predict(dm, output_margin=True).reshape(len(X), -1)
    pred = booster.predict(dm)
    if objective == "binary:logistic":
        pred = np.column_stack([1 - pred, pred])
    elif objective == "multi:softmax":
        # predict gives the class; the probabilities Plumb reports are softmax of the margins,
        # which multi:softprob's predict computes from the same trees.
        e = np.exp(margin.astype(np.float64) - margin.max(axis=1, keepdims=True))
        pred = e / e.sum(axis=1, keepdims=True)
    pred = np.asarray(pred, dtype=np.float64).reshape(len(X), -1)
    header = ["margin%d" % i for i in range(margin.shape[1])] + ["prediction%d" % i for i in range(pred.shape[1])]
    write_csv(os.path.join(OUT, name + ".inputs.csv"), names if names else ["x%d" % i for i in range(X.shape[1])], X)
    write_csv(os.path.join(OUT, name + ".expected.csv"), header, np.column_stack([margin, pred]))


SPREAD_ROWS = 100000


def spread(X, rows=SPREAD_ROWS):
    """100,000 rows made from X by integer arithmetic that tst_xgboostimporter repeats exactly:
    row r, feature f takes X[(r * 7919 + f * 104729) % n, f] times 1 + k / 1e4 with
    k = (r * 2654435761 + f * 40503) % 41 - 20 (so one value in 41 is a training value, where the
    thresholds are), and is missing when (r * 31 + f * 17) % 11 == 0 or the source value is."""
    n, d = X.shape
    out = np.empty((rows, d))
    r = np.arange(rows, dtype=np.int64)
    for f in range(d):
        k = (r * 2654435761 + f * 40503) % 41 - 20
        out[:, f] = X[(r * 7919 + f * 104729) % n, f] * (1.0 + k.astype(np.float64) / 1e4)
        out[(r * 31 + f * 17) % 11 == 0, f] = np.nan
    return out


def train(name, X, y, objective, named, rounds=12, **params):
    names = ["f_%d" % i for i in range(X.shape[1])] if named else None
    dtrain = xgb.DMatrix(X, label=y, missing=np.nan, feature_names=names)
    params = dict(objective=objective, max_depth=4, eta=0.3, seed=SEED, tree_method="hist", **params)
    booster = xgb.train(params, dtrain, num_boost_round=rounds)
    save(name, booster, X, names, objective)


def main():
    os.makedirs(OUT, exist_ok=True)
    Xb, yb = load_breast_cancer(return_X_y=True)
    Xi, yi = load_iris(return_X_y=True)
    Xw, yw = load_wine(return_X_y=True)
    Xd, yd = load_diabetes(return_X_y=True)
    # Breast cancer, binary, with names; and with missing values, positional (no names).
    train("binary_logistic", Xb, yb, "binary:logistic", named=True)
    Xm = with_missing(Xb, 0.2, 1)
    train("binary_logistic_missing", Xm, yb, "binary:logistic", named=False)
    # XGBoost's float32 margins for spread(inputs) of that model, little-endian float32.
    booster = xgb.Booster(model_file=os.path.join(OUT, "binary_logistic_missing.ubj"))
    inputs = np.genfromtxt(os.path.join(OUT, "binary_logistic_missing.inputs.csv"), delimiter=",", skip_header=1)
    margins = booster.predict(xgb.DMatrix(spread(inputs), missing=np.nan), output_margin=True)
    margins.astype("<f4").tofile(os.path.join(OUT, "binary_logistic_missing.spread.margins.f32"))
    # Multiclass: iris with softprob, wine with softmax and two trees per class and round.
    train("multi_softprob", Xi, yi, "multi:softprob", named=True, num_class=3)
    train("multi_softmax", Xw, yw, "multi:softmax", named=False, num_class=3, num_parallel_tree=2, subsample=0.8)
    # Two classes through softprob (one tree per class and round), with missing values.
    train("multi_softprob_two", with_missing(Xb, 0.1, 3), yb, "multi:softprob", named=True, num_class=2)
    # Regression on diabetes: squared error with missing values, and the identity-link losses.
    train("reg_squarederror_missing", with_missing(Xd, 0.2, 2), yd, "reg:squarederror", named=True, base_score=150.0)
    train("reg_absoluteerror", Xd, yd, "reg:absoluteerror", named=True)
    train("reg_pseudohubererror", Xd, yd, "reg:pseudohubererror", named=True, huber_slope=20.0)
    # Refused kinds, saved as JSON only: a dart booster, a linear booster, a ranking objective and
    # a Poisson objective (its prediction is exp(margin), which Plumb's regressors do not apply).
    for name, params in [("refused_dart", dict(booster="dart", objective="binary:logistic")),
                         ("refused_gblinear", dict(booster="gblinear", objective="binary:logistic")),
                         ("refused_rank", dict(objective="rank:pairwise")),
                         ("refused_poisson", dict(objective="count:poisson"))]:
        booster = xgb.train(dict(max_depth=2, seed=SEED, **params), xgb.DMatrix(Xb[:100], label=yb[:100]), num_boost_round=2)
        booster.save_model(os.path.join(OUT, name + ".json"))


if __name__ == "__main__":
    main()
