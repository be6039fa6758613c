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
NAME.spread.margins.f32.z holds XGBoost's margins for 100,000 rows derived from each model's inputs
(spread(), which tst_xgboostimporter repeats), as little-endian float32, row after row (one margin
per output), compressed as Qt's qUncompress reads it: the byte count as a big-endian 32-bit number,
then a zlib stream (they compress to a quarter of their 7.2 MB). cat_*.contribs.f32.z holds, in the
same format, XGBoost's predict(pred_contribs=True) for the model's inputs: row, output, then each
feature's contribution and the bias last.

Models named cat_* have categorical features: pandas category columns (codes 0..k-1, a missing
value is code -1) trained with enable_categorical=True and tree_method hist, so their trees hold
categorical splits (split_type 1, categories*) and the file records the feature types ("c"). Their
inputs hold the integer codes; the 100,000 spread rows also hold codes no training row had (valid
for XGBoost, in no split's set), which XGBoost scores through a DMatrix of codes with
feature_types "c".
"""

import csv
import os
import struct
import zlib

import numpy as np
import pandas as pd
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


def save(name, booster, X, names, objective, types=None):
    booster.save_model(os.path.join(OUT, name + ".json"))
    booster.save_model(os.path.join(OUT, name + ".ubj"))
    dm = codes_matrix(X, names, types)
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


def codes_matrix(X, names, types):
    """A DMatrix of X; with types, the "c" columns hold category codes (as pandas' codes reach
    XGBoost), so codes beyond the training categories can be scored too."""
    if types is None:
        return xgb.DMatrix(X, missing=np.nan, feature_names=names)
    return xgb.DMatrix(X, missing=np.nan, feature_names=names, feature_types=types, enable_categorical=True)


SPREAD_ROWS = 100000


def spread(X, categorical=(), rows=SPREAD_ROWS):
    """100,000 rows made from X by integer arithmetic that tst_xgboostimporter repeats exactly:
    row r, feature f takes X[(r * 7919 + f * 104729) % n, f] times 1 + k / 1e4 with
    k = (r * 2654435761 + f * 40503) % 41 - 20 (so one value in 41 is a training value, where the
    thresholds are), and is missing when (r * 31 + f * 17) % 11 == 0 or the source value is.
    A categorical feature (its index in `categorical`) takes the source code itself, or the code
    r % 61 when k is 20 or -20 (codes the training rows may not have)."""
    n, d = X.shape
    out = np.empty((rows, d))
    r = np.arange(rows, dtype=np.int64)
    for f in range(d):
        k = (r * 2654435761 + f * 40503) % 41 - 20
        source = X[(r * 7919 + f * 104729) % n, f]
        if f in categorical:
            out[:, f] = np.where(np.abs(k) == 20, (r % 61).astype(np.float64), source)
        else:
            out[:, f] = source * (1.0 + k.astype(np.float64) / 1e4)
        out[(r * 31 + f * 17) % 11 == 0, f] = np.nan
    return out


def write_compressed(path, values):
    """Little-endian float32 values in qCompress's format."""
    raw = np.asarray(values).astype("<f4").tobytes()
    with open(path, "wb") as f:
        f.write(struct.pack(">I", len(raw)) + zlib.compress(raw, 9))


def save_spread(name, categorical=(), types=None):
    """XGBoost's float32 margins for spread() of the model's inputs, little-endian, row after row,
    in qCompress's format."""
    booster = xgb.Booster(model_file=os.path.join(OUT, name + ".ubj"))
    inputs = np.genfromtxt(os.path.join(OUT, name + ".inputs.csv"), delimiter=",", skip_header=1)
    names = booster.feature_names
    margins = booster.predict(codes_matrix(spread(inputs, categorical), names, types), output_margin=True)
    write_compressed(os.path.join(OUT, name + ".spread.margins.f32.z"), margins)


def categorical_data(rows, seed, missing):
    """A frame of six features, two of them pandas categories placed between numeric ones:
    "colour" (5 levels) and "city" (30 levels), each level with an effect of its own, so the
    trees split on sets of levels; with `missing`, a tenth of every column is missing. Returns
    the frame, its values with the categories as codes (NaN missing), and the latent score."""
    rng = np.random.default_rng(seed)
    colour = rng.integers(0, 5, rows)
    city = rng.integers(0, 30, rows)
    numeric = rng.normal(size=(rows, 4))
    score = (rng.normal(size=5)[colour] + 1.5 * rng.normal(size=30)[city]
             + numeric[:, 0] - 0.5 * numeric[:, 1] + 0.3 * numeric[:, 2] * numeric[:, 3])
    columns = {"a": numeric[:, 0], "colour": colour.astype(np.float64), "b": numeric[:, 1],
               "city": city.astype(np.float64), "c": numeric[:, 2], "d": numeric[:, 3]}
    if missing:
        for key in columns:
            columns[key][rng.random(rows) < 0.1] = np.nan
    values = np.column_stack(list(columns.values()))
    frame = pd.DataFrame(columns)
    frame["colour"] = pd.Categorical.from_codes(np.nan_to_num(columns["colour"], nan=-1).astype(int), categories=range(5))
    frame["city"] = pd.Categorical.from_codes(np.nan_to_num(columns["city"], nan=-1).astype(int), categories=range(30))
    return frame, values, score


def train_categorical(name, objective, missing, seed, rounds=10, **params):
    frame, values, score = categorical_data(600, seed, missing)
    if objective == "binary:logistic":
        y = (score > np.median(score)).astype(float)
    elif objective.startswith("multi:"):
        y = np.digitize(score, np.quantile(score, [1 / 3, 2 / 3])).astype(float)
    else:
        y = 10.0 * score + 50.0
    dtrain = xgb.DMatrix(frame, label=y, enable_categorical=True)
    params = dict(objective=objective, max_depth=4, eta=0.3, seed=SEED, tree_method="hist", **params)
    booster = xgb.train(params, dtrain, num_boost_round=rounds)
    types = booster.feature_types
    save(name, booster, values, list(frame.columns), objective, types)
    save_spread(name, categorical=(1, 3), types=types)
    # XGBoost's TreeSHAP of the inputs: rows x outputs x (features + 1), the bias last.
    contribs = booster.predict(codes_matrix(values, list(frame.columns), types), pred_contribs=True)
    write_compressed(os.path.join(OUT, name + ".contribs.f32.z"), contribs)


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
    # Multiclass: iris with softprob, wine with softmax and two trees per class and round.
    train("multi_softprob", Xi, yi, "multi:softprob", named=True, num_class=3)
    train("multi_softmax", Xw, yw, "multi:softmax", named=False, num_class=3, num_parallel_tree=2, subsample=0.8)
    # Two classes through softprob (one tree per class and round), with missing values.
    train("multi_softprob_two", with_missing(Xb, 0.1, 3), yb, "multi:softprob", named=True, num_class=2)
    # Regression on diabetes: squared error with missing values, and the identity-link losses.
    train("reg_squarederror_missing", with_missing(Xd, 0.2, 2), yd, "reg:squarederror", named=True, base_score=150.0)
    train("reg_absoluteerror", Xd, yd, "reg:absoluteerror", named=True)
    train("reg_pseudohubererror", Xd, yd, "reg:pseudohubererror", named=True, huber_slope=20.0)
    for name in ["binary_logistic", "binary_logistic_missing", "multi_softprob", "multi_softmax", "multi_softprob_two",
                 "reg_squarederror_missing", "reg_absoluteerror", "reg_pseudohubererror"]:
        save_spread(name)
    # Categorical features: binary and three classes with missing values (colour has fewer levels
    # than max_cat_to_onehot, so its splits are one-hot: one level against the rest), and a
    # regression without missing values whose splits are all partitions.
    train_categorical("cat_binary_logistic_missing", "binary:logistic", True, 11, max_cat_to_onehot=8)
    train_categorical("cat_multi_softprob_missing", "multi:softprob", True, 12, num_class=3)
    train_categorical("cat_reg_squarederror", "reg:squarederror", False, 13, max_cat_to_onehot=1)
    # Small categorical models for the fuzz corpus (tests/fuzz/corpus/xgboost): two rounds of
    # depth 2, one with one-hot splits and one with partitions, as JSON and as UBJSON.
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fuzz", "corpus", "xgboost")
    os.makedirs(corpus, exist_ok=True)
    frame, _, score = categorical_data(200, 14, True)
    for name, onehot in [("categorical_onehot", 8), ("categorical_partition", 1)]:
        booster = xgb.train(dict(objective="binary:logistic", max_depth=2, seed=SEED, tree_method="hist",
                                 max_cat_to_onehot=onehot),
                            xgb.DMatrix(frame, label=(score > 0).astype(float), enable_categorical=True), num_boost_round=2)
        booster.save_model(os.path.join(corpus, name + ".json"))
        booster.save_model(os.path.join(corpus, name + ".ubj"))
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
