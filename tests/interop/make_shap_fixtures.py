#!/usr/bin/python3
"""Writes the TreeSHAP fixtures of tst_treeshap into tests/interop/fixtures/shap/.

Run with Debian's interpreter (python3-xgboost 1.7.4):
    /usr/bin/python3 tests/interop/make_shap_fixtures.py

Three XGBoost models of about 100 trees, trained on the same synthetic data of 8 features with a
sixth of the values missing (so the default directions of the splits matter):
    binary_logistic  binary:logistic, 100 rounds (100 trees)
    reg_squarederror reg:squarederror, 100 rounds (100 trees)
    multi_softprob   multi:softprob with 3 classes, 34 rounds (102 trees)
NAME.ubj is the model (Booster.save_model, UBJSON). rows.f32 holds the 10,000 explained rows
(drawn like the training rows, not the training rows themselves), row-major, 8 little-endian
float32 per row, NaN for a missing value: XGBoost reads its inputs as float32, so both sides see
the same numbers. NAME.contribs.f32 holds XGBoost's predict(pred_contribs=True) for those rows, as
it returns them (float32, row-major): per row, per output, the 8 contributions then the bias
(base value). Every file is compressed as Qt's qUncompress reads it: a 4-byte big-endian length,
then a zlib stream.
"""

import os
import struct
import zlib

import numpy as np
import xgboost as xgb

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "shap")
SEED = 11
FEATURES = 8
TRAIN_ROWS = 3000
ROWS = 10000


def draw(rng, n):
    X = rng.normal(size=(n, FEATURES))
    X[:, 3] = np.round(rng.uniform(0, 5, size=n))  # a few distinct values: repeated thresholds
    X[rng.random(X.shape) < 1 / 6] = np.nan
    return X.astype(np.float32)


def targets(rng, X):
    Z = np.nan_to_num(X.astype(np.float64), nan=0.5)
    score = np.sin(2 * Z[:, 0]) + Z[:, 1] * Z[:, 2] + 0.5 * Z[:, 3] - np.abs(Z[:, 4]) + 0.3 * rng.normal(size=len(X))
    cuts = np.quantile(score, [1 / 3, 2 / 3])
    return score, (score > np.median(score)).astype(int), np.digitize(score, cuts)


def write(name, data):
    raw = np.ascontiguousarray(data, dtype="<f4").tobytes()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack(">I", len(raw)) + zlib.compress(raw, 9))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    X = draw(rng, TRAIN_ROWS)
    value, binary, three = targets(rng, X)
    rows = draw(rng, ROWS)
    write("rows.f32", rows)
    explained = xgb.DMatrix(rows, missing=np.nan)
    models = [("binary_logistic", binary, dict(objective="binary:logistic"), 100),
              ("reg_squarederror", value, dict(objective="reg:squarederror"), 100),
              ("multi_softprob", three, dict(objective="multi:softprob", num_class=3), 34)]
    for name, y, params, rounds in models:
        dtrain = xgb.DMatrix(X, label=y, missing=np.nan)
        booster = xgb.train(dict(max_depth=5, eta=0.1, seed=SEED, tree_method="hist", **params), dtrain, num_boost_round=rounds)
        path = os.path.join(OUT, name + ".ubj")
        booster.save_model(path)
        with open(path, "rb") as f:
            model = f.read()
        with open(path, "wb") as f:
            f.write(struct.pack(">I", len(model)) + zlib.compress(model, 9))
        write(name + ".contribs.f32", booster.predict(explained, pred_contribs=True))


if __name__ == "__main__":
    main()
