#!/usr/bin/python3
"""Writes the real-data acceptance suite's files: public datasets from Debian packages, a seeded
train/test split of each (in the dialect the data came in), and manifest.json with, per dataset,
the target, the task Plumb should choose by default, the features, and per model family the test
score of the scikit-learn estimator that mirrors Plumb's default pipeline.

Run from anywhere with /usr/bin/python3 (scikit-learn 1.2, pandas, statsmodels) and Rscript with
MASS, datasets and dslabs (Debian: r-cran-mass, r-cran-dslabs):

    /usr/bin/python3 tests/realdata/make_realdata.py

Plumb's defaults mirrored here (core/learn/columnrouter.cpp ColumnRouter::withDefaults and each
model's params in core/learn/*.cpp):
- the first date column has the timestamp role and is no feature (core/data/dataset.cpp);
- numbers (later datetimes too, as seconds) -> median imputation -> standard scaling for the linear,
  logistic, k-nearest-neighbours and naive Bayes models; trees and forests get the imputation but
  no scaling; gradient boosting gets the numbers as they are (NaN routed by the trees);
- text and true/false columns -> most-frequent imputation -> one-hot (unknown categories: all
  zeros), or for gradient boosting ordinal codes used as native categories (missing and unknown
  categories as missing);
- linear_regression: OLS; ridge alpha 1; lasso alpha 1; elastic_net alpha 1, l1_ratio 0.5 (both
  max_iter 1000, tol 1e-4); logistic_regression C 1, lbfgs, max_iter 100, tol 1e-4;
  decision_tree unlimited depth, min_samples_split 2, min_samples_leaf 1, all features;
  random_forest 100 trees, bootstrap, max_features sqrt (classification) or all (regression);
  gradient_boosting learning rate 0.1, 100 iterations, 31 leaves, min_samples_leaf 20, no L2,
  255 bins, early stopping only above 10,000 rows (none of these datasets); knn k 5, uniform;
  gaussian_nb var_smoothing 1e-9.
The final model of `plumb train` is fitted on every labelled row of the file it is given (its
validation split only scores), so the estimators here are fitted on the whole train file.

Scores are on the test file: accuracy for classification, R^2 for regression, as `plumb train`
prints them (core/learn/metrics.h follows sklearn.metrics). For the families whose fit draws random
numbers (decision_tree breaks ties between equally good splits at random in scikit-learn,
random_forest, gradient_boosting on classes) the golden is the mean over ten seeds and the
manifest keeps their standard deviation, lowest and highest: Plumb's draw differs from each of
scikit-learn's, and a score inside scikit-learn's own range is one scikit-learn could have given.
Ten, not five: on survey four features split one 3-row node of the decision tree equally well
(pure children), one of them sends a test row the other way, and scikit-learn takes the first of
them in its feature permutation; 47 of seeds 0..199 score 0.7966 (Plumb's tree, which takes the
lowest feature, predicts the test file as those seeds do, row for row) and the rest 0.8136, but
seeds 0..4 all gave 0.8136 (seed 5 is the first to give 0.7966).
k-nearest neighbours likewise: equally distant rows tie for the k nearest (fair: 146 of 750 test
rows tie at the fifth), and which of them scikit-learn takes depends on its search (brute, kd_tree,
ball_tree); the golden is the mean over the three, with their range.
"""

import json
import os
import subprocess
import sys
import tempfile

# One thread: OpenMP workers spin while they wait, which on a shared machine makes the gradient
# boosting fits many times slower; the scores do not depend on it.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
import sklearn

HERE = os.path.dirname(os.path.abspath(__file__))
SPLIT_SEED = 0
TEST_SIZE = 0.25
SEEDS = range(10)
MAX_CATEGORY_BINS = 254  # scikit-learn 1.2's HistGradientBoosting takes at most max_bins - 1 categories

CLASSIFIERS = ["logistic_regression", "decision_tree", "random_forest", "gradient_boosting", "knn", "gaussian_nb"]
REGRESSORS = ["linear_regression", "ridge", "lasso", "elastic_net", "decision_tree", "random_forest",
              "gradient_boosting", "knn"]
RANDOMISED = {"decision_tree", "random_forest", "gradient_boosting"}
KNN_ALGORITHMS = ["brute", "kd_tree", "ball_tree"]

# Dialects: how each file is written, and how to read it back.
DIALECTS = {
    # pandas' to_csv(index=False): comma, point, empty field for missing
    "pandas": {"sep": ",", "decimal": ".", "row_names": False, "writer": None},
    # R's write.csv(row.names = FALSE): comma, point, quoted text, NA
    "r_csv": {"sep": ",", "decimal": ".", "row_names": False, "writer": "write.csv(d, f, row.names = FALSE)"},
    # R's default write.csv: the row names as a first column whose header is empty ("")
    "r_csv_rownames": {"sep": ",", "decimal": ".", "row_names": True, "writer": "write.csv(d, f)"},
    # R's write.csv without quotes, as exports meant for other tools often are
    "r_csv_unquoted": {"sep": ",", "decimal": ".", "row_names": False,
                       "writer": "write.csv(d, f, row.names = FALSE, quote = FALSE)"},
    # R's write.csv2: semicolons and decimal commas
    "r_csv2": {"sep": ";", "decimal": ",", "row_names": False, "writer": "write.csv2(d, f, row.names = FALSE)"},
}

# One entry per dataset. `r` is an R expression giving the data frame (libraries loaded below);
# `python` a function returning it. `skip` names families left out, with the reason.
DATASETS = [
    {"name": "iris", "source": "scikit-learn load_iris (sklearn/datasets/data/iris.csv); species coded 0/1/2 as shipped",
     "target": "species", "task": "classification", "dialect": "pandas"},
    {"name": "wine", "source": "scikit-learn load_wine (wine_data.csv); cultivar coded 0/1/2 as shipped",
     "target": "cultivar", "task": "classification", "dialect": "pandas"},
    {"name": "breast_cancer", "source": "scikit-learn load_breast_cancer; benign 0/1 as shipped (0 malignant)",
     "target": "benign", "task": "classification", "dialect": "pandas"},
    {"name": "diabetes", "source": "scikit-learn load_diabetes(scaled=False): the raw measurements",
     "target": "progression", "task": "regression", "dialect": "pandas"},
    {"name": "anes96", "source": "statsmodels anes96 (1996 US election survey); logpopul left out (a function of popul)",
     "target": "vote", "task": "classification", "dialect": "pandas"},
    {"name": "fair", "source": "statsmodels fair (Fair's affairs), 3,000 of 6,366 rows sampled with seed 0; "
     "the target is 0 for two thirds of the rows (a point mass)",
     "target": "affairs", "task": "regression", "dialect": "pandas"},
    {"name": "randhie", "source": "statsmodels randhie (RAND health insurance experiment), 3,000 of 20,190 rows "
     "sampled with seed 0; mdvis (visits) is 0 for a third of the rows (a point mass)",
     "target": "mdvis", "task": "regression", "dialect": "pandas"},
    {"name": "mtcars", "source": "R datasets::mtcars written by write.csv with its row names (car models)",
     "target": "mpg", "task": "regression", "dialect": "r_csv_rownames", "r": "mtcars",
     "skip": {"random_forest": "24 training and 8 test rows: a forest's R^2 on 8 rows moves by more than the "
              "tolerance from one seed to the next, so no implementation could be held to it"}},
    {"name": "airquality", "source": "R datasets::airquality with a date column (1973-Month-Day); "
     "Ozone (target) is NA in 37 rows and Solar.R in 7",
     "target": "Ozone", "task": "regression", "dialect": "r_csv",
     "r": "within(airquality, date <- as.Date(sprintf('1973-%02d-%02d', Month, Day)))"},
    {"name": "survey", "source": "R MASS::survey (students' survey), written by write.csv without quotes; Exer has "
     "a category named None, Sex (target) is NA in one row and several features have NAs",
     "target": "Sex", "task": "classification", "dialect": "r_csv_unquoted", "r": "MASS::survey",
     # Plumb reads None as missing by default (pandas 2's tokens) and warns that it looks like a
     # category beside Freq and Some, naming these options; the suite gives them as a user would.
     "plumb_options": ["--no-default-na", "--na-values", "NA"],
     "skip": {"gaussian_nb": "six of the eleven features are categories: a Gaussian density on one-hot columns "
              "is not a model anyone would choose"}},
    {"name": "birthwt", "source": "R MASS::birthwt with race as its three named levels; bwt left out (low is bwt < 2500)",
     "target": "low", "task": "classification", "dialect": "r_csv",
     "r": "within(MASS::birthwt, { race <- factor(race, labels = c('white', 'black', 'other')); bwt <- NULL })"},
    {"name": "boston", "source": "R MASS::Boston", "target": "medv", "task": "regression", "dialect": "r_csv",
     "r": "MASS::Boston"},
    {"name": "pima", "source": "R MASS::Pima.tr and Pima.te together (532 rows), written by write.csv2 (';' and "
     "decimal commas)", "target": "type", "task": "classification", "dialect": "r_csv2",
     "r": "rbind(MASS::Pima.tr, MASS::Pima.te)"},
    {"name": "movielens", "source": "R dslabs::movielens, 2,000 of 100,004 ratings sampled with set.seed(1); genres "
     "(the movie's genre combination) has 362 distinct values (313 in the train file); rated is the rating's date "
     "(from timestamp); the ids and the title are left out",
     "target": "rating", "task": "regression", "dialect": "r_csv",
     "r": "local({ set.seed(1); m <- dslabs::movielens[sample(nrow(dslabs::movielens), 2000), ];"
          " data.frame(year = m$year, genres = as.character(m$genres), rated = as.Date(as.POSIXct(m$timestamp,"
          " origin = '1970-01-01', tz = 'UTC')), rating = m$rating) })",
    },
]


def python_frame(name):
    from sklearn import datasets as skd
    if name in ("iris", "wine", "breast_cancer", "diabetes"):
        loader = {"iris": skd.load_iris, "wine": skd.load_wine, "breast_cancer": skd.load_breast_cancer,
                  "diabetes": lambda: skd.load_diabetes(scaled=False)}[name]
        bunch = loader()
        columns = list(bunch.feature_names)
        if name == "iris":
            columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        frame = pd.DataFrame(bunch.data, columns=columns)
        target = {"iris": "species", "wine": "cultivar", "breast_cancer": "benign", "diabetes": "progression"}[name]
        frame[target] = bunch.target if name != "diabetes" else bunch.target.astype(int)
        if name == "diabetes":
            frame["age"] = frame["age"].astype(int)
            frame["sex"] = frame["sex"].astype(int)
        return frame
    import statsmodels.api as sm
    if name == "anes96":
        frame = sm.datasets.anes96.load_pandas().data
        return frame[["popul", "TVnews", "selfLR", "ClinLR", "DoleLR", "PID", "age", "educ", "income", "vote"]]
    if name == "fair":
        frame = sm.datasets.fair.load_pandas().data
        return frame.sample(n=3000, random_state=0).reset_index(drop=True)
    if name == "randhie":
        frame = sm.datasets.randhie.load_pandas().data
        return frame.sample(n=3000, random_state=0).reset_index(drop=True)
    raise KeyError(name)


def rscript(code):
    subprocess.run(["Rscript", "-e", code], check=True, capture_output=True)


def r_frame(expression, directory):
    """The R data frame as R writes it, read back with its types (row order kept)."""
    path = os.path.join(directory, "full.csv")
    rscript(f"d <- {expression}; write.csv(d, '{path}', row.names = FALSE)")
    return read_file(path, DIALECTS["r_csv"])


def read_file(path, dialect):
    frame = pd.read_csv(path, sep=dialect["sep"], decimal=dialect["decimal"], keep_default_na=False,
                        na_values=["NA", ""], index_col=0 if dialect["row_names"] else None)
    if dialect["row_names"]:
        frame = frame.reset_index(drop=True)
    return frame


def write_split(spec, frame, train_rows, test_rows, directory):
    dialect = DIALECTS[spec["dialect"]]
    paths = [os.path.join(HERE, f"{spec['name']}.{part}.csv") for part in ("train", "test")]
    if dialect["writer"] is None:
        for path, rows in zip(paths, (train_rows, test_rows)):
            frame.iloc[rows].to_csv(path, index=False, lineterminator="\n")
        return
    # R writes its own rows, picked by the positions chosen here (1-based in R).
    for path, rows in zip(paths, (train_rows, test_rows)):
        index_file = os.path.join(directory, "rows.txt")
        np.savetxt(index_file, np.asarray(rows) + 1, fmt="%d")
        writer = dialect["writer"].replace("d, f", "d[scan('%s', quiet = TRUE), , drop = FALSE], '%s'"
                                           % (index_file, path))
        rscript(f"d <- {spec['r']}; {writer}")


def split_rows(frame, target, task):
    """Positions of the train and test rows: a stratified split of the labelled rows for
    classification; rows without a target all go to the training file (Plumb must leave them out)."""
    labelled = np.flatnonzero(frame[target].notna().to_numpy())
    unlabelled = np.flatnonzero(frame[target].isna().to_numpy())
    stratify = frame[target].to_numpy()[labelled] if task == "classification" else None
    train, test = train_test_split(labelled, test_size=TEST_SIZE, random_state=SPLIT_SEED, stratify=stratify)
    return sorted(list(train) + list(unlabelled)), sorted(test)


def feature_kinds(frame, features):
    """Plumb's branch per feature: text and true/false are categories, numbers and dates numeric."""
    kinds = {}
    for column in features:
        values = frame[column]
        if values.dtype == object:
            parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
            is_date = parsed.notna().sum() == values.notna().sum()
            kinds[column] = "datetime" if is_date else "categorical"
        elif values.dtype == bool:
            kinds[column] = "categorical"
        else:
            kinds[column] = "numeric"
    return kinds


def as_model_input(frame, kinds):
    x = pd.DataFrame(index=frame.index)
    for column, kind in kinds.items():
        if kind == "datetime":
            x[column] = pd.to_datetime(frame[column], format="%Y-%m-%d").astype("int64") / 1e9
        elif kind == "categorical":
            x[column] = frame[column].astype(object).where(frame[column].notna(), np.nan).map(
                lambda v: v if isinstance(v, float) else str(v))
        else:
            x[column] = frame[column].astype(float)
    return x


def preprocessor(kinds, family, x_train):
    numeric = [c for c, k in kinds.items() if k != "categorical"]
    categorical = [c for c, k in kinds.items() if k == "categorical"]
    if family == "gradient_boosting":
        # Ordinal codes, missing and unseen categories as missing; beyond the 254 most frequent
        # training categories scikit-learn 1.2 cannot go, so rarer ones are treated as missing.
        encoders = []
        for column in categorical:
            counts = x_train[column].value_counts()
            counts = counts.iloc[np.lexsort((counts.index.to_numpy(), -counts.to_numpy()))]
            kept = sorted(counts.index[:MAX_CATEGORY_BINS])
            encoders.append((f"cat_{column}", OrdinalEncoder(categories=[kept], handle_unknown="use_encoded_value",
                                                               unknown_value=np.nan, encoded_missing_value=np.nan),
                             [column]))
        transformer = ColumnTransformer([("num", "passthrough", numeric)] + encoders)
        mask = [False] * len(numeric) + [True] * len(categorical)
        return transformer, mask
    scaled = family not in ("decision_tree", "random_forest")
    numeric_steps = [SimpleImputer(strategy="median")] + ([StandardScaler()] if scaled else [])
    parts = []
    if numeric:
        parts.append(("num", make_pipeline(*numeric_steps), numeric))
    if categorical:
        parts.append(("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                                           OneHotEncoder(handle_unknown="ignore")), categorical))
    return ColumnTransformer(parts), None


def estimator(family, task, seed, categorical_mask):
    classification = task == "classification"
    if family == "linear_regression":
        return LinearRegression()
    if family == "ridge":
        return Ridge(alpha=1.0)
    if family == "lasso":
        return Lasso(alpha=1.0, max_iter=1000, tol=1e-4)
    if family == "elastic_net":
        return ElasticNet(alpha=1.0, l1_ratio=0.5, max_iter=1000, tol=1e-4)
    if family == "logistic_regression":
        return LogisticRegression(C=1.0, max_iter=100, tol=1e-4)
    if family == "decision_tree":
        cls = DecisionTreeClassifier if classification else DecisionTreeRegressor
        return cls(random_state=seed)
    if family == "random_forest":
        if classification:
            return RandomForestClassifier(n_estimators=100, max_features="sqrt", random_state=seed)
        return RandomForestRegressor(n_estimators=100, max_features=1.0, random_state=seed)
    if family == "gradient_boosting":
        cls = HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor
        mask = categorical_mask if any(categorical_mask) else None
        return cls(learning_rate=0.1, max_iter=100, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0,
                   max_bins=255, early_stopping="auto", categorical_features=mask, random_state=seed)
    if family == "knn":
        # `seed` picks the neighbour search: which of several equally distant rows are the five
        # nearest depends on it, and data with repeated values has many such ties.
        algorithm = KNN_ALGORITHMS[seed % len(KNN_ALGORITHMS)]
        return (KNeighborsClassifier if classification else KNeighborsRegressor)(n_neighbors=5, weights="uniform",
                                                                                  algorithm=algorithm)
    if family == "gaussian_nb":
        return GaussianNB(var_smoothing=1e-9)
    raise KeyError(family)


def label_text(values):
    """Class labels as text, the way they are written in the file (3 not 3.0)."""
    out = []
    for v in values:
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            v = int(v)
        out.append(str(v))
    return np.asarray(out, dtype=object)


def score_family(family, task, kinds, train, test, target):
    x_train, x_test = as_model_input(train, kinds), as_model_input(test, kinds)
    labelled = train[target].notna().to_numpy()
    x_train = x_train[labelled]
    y_train = train[target][labelled]
    y_test = test[target]
    if task == "classification":
        y_train, y_test = label_text(y_train), label_text(y_test)
    else:
        y_train, y_test = y_train.astype(float).to_numpy(), y_test.astype(float).to_numpy()
    scores = []
    draws = SEEDS if family in RANDOMISED else range(len(KNN_ALGORITHMS)) if family == "knn" else [0]
    for seed in draws:
        transformer, mask = preprocessor(kinds, family, x_train)
        model = make_pipeline(transformer, estimator(family, task, seed, mask))
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        scores.append(accuracy_score(y_test, predicted) if task == "classification" else r2_score(y_test, predicted))
    return scores


def main():
    manifest = {"generator": "tests/realdata/make_realdata.py", "scikit_learn": sklearn.__version__,
                "split": {"test_size": TEST_SIZE, "seed": SPLIT_SEED,
                          "stratified": "classification targets; rows without a target go to the train file"},
                "metric": {"classification": "accuracy", "regression": "r2"},
                "tolerance": {"default": 0.01, "random_forest": 0.03, "gradient_boosting": 0.03},
                "datasets": []}
    with tempfile.TemporaryDirectory() as directory:
        for spec in DATASETS:
            frame = r_frame(spec["r"], directory) if "r" in spec else python_frame(spec["name"])
            train_rows, test_rows = split_rows(frame, spec["target"], spec["task"])
            write_split(spec, frame, train_rows, test_rows, directory)
            dialect = DIALECTS[spec["dialect"]]
            train = read_file(os.path.join(HERE, f"{spec['name']}.train.csv"), dialect)
            test = read_file(os.path.join(HERE, f"{spec['name']}.test.csv"), dialect)
            columns = [c for c in train.columns if c != spec["target"]]
            kinds = feature_kinds(train, columns)
            # Plumb gives the first date column the timestamp role (core/data/dataset.cpp,
            # assignDefaultRoles): it orders time-split validation and is not a feature by default.
            timestamp = next((c for c in columns if kinds[c] == "datetime"), None)
            features = [c for c in columns if c != timestamp]
            kinds = {c: k for c, k in kinds.items() if c != timestamp}
            families = CLASSIFIERS if spec["task"] == "classification" else REGRESSORS
            skip = dict(spec.get("skip", {}))
            entry = {"name": spec["name"], "source": spec["source"], "target": spec["target"], "task": spec["task"],
                     "expected_default_task": spec["task"], "dialect": spec["dialect"],
                     "delimiter": dialect["sep"], "decimal": dialect["decimal"],
                     "row_names_column": dialect["row_names"], "plumb_options": spec.get("plumb_options", []),
                     **({"known_score_gaps": spec["known_score_gaps"]} if "known_score_gaps" in spec else {}),
                     "train": f"{spec['name']}.train.csv", "test": f"{spec['name']}.test.csv",
                     "train_rows": len(train), "test_rows": len(test),
                     "unlabelled_train_rows": int(train[spec["target"]].isna().sum()),
                     "timestamp_column": timestamp, "features": features, "feature_kinds": kinds,
                     "skipped": {f: r for f, r in skip.items() if f in CLASSIFIERS + REGRESSORS}, "models": {}}
            for family in families:
                if family in skip:
                    continue
                scores = score_family(family, spec["task"], kinds, train, test, spec["target"])
                mean, spread = float(np.mean(scores)), float(np.std(scores))
                entry["models"][family] = {"sklearn": round(mean, 6)}
                if len(scores) > 1:
                    entry["models"][family].update({"sklearn_std": round(spread, 6),
                                                    "sklearn_min": round(min(scores), 6),
                                                    "sklearn_max": round(max(scores), 6)})
                print(f"{spec['name']:14s} {family:20s} {mean:.4f} +- {spread:.4f}", file=sys.stderr, flush=True)
            manifest["datasets"].append(entry)
    with open(os.path.join(HERE, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
