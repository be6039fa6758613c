#pragma once

#include "interop/sklearnimporter.h"

#include <QHash>

namespace plumb {

// Per categorical feature (by name), its levels in code order: the level at position c is the
// category XGBoost knows as code c (pandas' Categorical.categories of the training column).
using XgboostCategories = QHash<QString, QStringList>;

// An XGBoost model converted into a fitted Plumb pipeline: the pipeline with what was converted
// (ImportedModel, shared with the scikit-learn importer), the XGBoost version the file records
// ("1.7.4"), its container ("JSON" or "UBJSON"), its objective ("binary:logistic"), and per
// categorical feature how its column is read ("city: category codes 0..254, as numbers").
struct XgboostImport
{
    ImportedModel imported;
    QString version;
    QString container;
    QString objective;
    QStringList categorical;

    // One line on what was imported: "XGBoost 1.7.4, UBJSON, multi:softprob: 4 features, 3 classes".
    QString summary() const;
};

// Reads an XGBoost model file (Booster.save_model as JSON or UBJSON, told apart by their bytes)
// as data and converts it into a pipeline of Plumb's gradient_boosting model after the columns
// in the model's order (numeric columns as they are, categorical ones through an ordinal
// encoder), which predicts what XGBoost predicts (margins within float32 rounding: XGBoost adds
// its float32 leaf values in float32, Plumb in double).
// Supported: the gbtree booster with numeric and categorical splits, and the objectives binary:logistic
// (classes 0 and 1), multi:softprob and multi:softmax (classes 0..k-1, k >= 3; Plumb gives the
// softmax probabilities, whose largest is softmax's class), reg:squarederror (and its old name
// reg:linear), reg:absoluteerror and reg:pseudohubererror (the margin is the value).
// How a split is kept exact: XGBoost rounds the input to float32 and goes left when it is below
// the float32 threshold; Plumb goes left when the double input is <= a threshold, chosen as the
// largest double whose float32 rounding is below XGBoost's. NaN follows default_left. Each node's
// cover (sum_hessian) and gain (loss_changes) are kept.
// Categorical features (feature_types "c", or read by a categorical split when the file has no
// types) go through a categorical branch with an ordinal encoder. Without `categories` the column
// holds XGBoost's codes as numbers (a Float feature whose levels are "0" to "254"), read as
// XGBoost reads them; `categories` gives a feature's levels in code order, and the column (a
// Categorical feature with those levels) holds the levels. A categorical split
// (its set of codes going right) keeps its set in Plumb's native category set with the children
// swapped (xgboosttrees.cpp). XGBoost sends a missing value the default side and a value that is
// no valid code left; Plumb sends a value that is no level of the feature (an unknown category,
// counted in the prediction's notes) the missing side, like a missing one: the two agree on every
// level and on missing values, which is what pandas' category columns hold.
// Refused with a message naming the field ("learner.gradient_booster.model.trees[3].left_children:
// node 4's child 9 is outside 0..6"): other boosters (dart, gblinear), other objectives (ranking,
// survival, Poisson and the other non-identity links), category codes above 254 (or beyond the
// levels given), vector leaves, and anything malformed: a missing field, a wrong type, arrays of
// inconsistent lengths, children out of range or reached twice (a cycle), non-finite values, a
// categorical split on a numeric feature or the reverse.
// Feature names come from the file; a file without them takes `featureNames` (as many as the
// model's features, distinct and non-empty), else its features are positional x0, x1, ...
// `categories` must name categorical features. `name` is used in messages.
Result<XgboostImport> importXgboost(const QByteArray &bytes, const QString &name, const QStringList &featureNames = {},
                                    const XgboostCategories &categories = {});

// Reads the file at `sourcePath`, converts it (importXgboost) and saves the pipeline as a .plumb
// file at `outputPath`, atomically, replacing an existing file only when `overwrite`. The metadata
// records the source file's name and SHA-256, "XGBoost" and the file's version, the container and
// the conversion. The model is named `name`, or after the output file when empty. A source that
// is refused fails with an Invalid error; an unreadable source, or a model that cannot be saved
// (the output exists, a full disk), with an Io one.
Result<XgboostImport> importXgboostToFile(const QString &sourcePath, const QString &outputPath, const QString &name = {},
                                          bool overwrite = false, const QStringList &featureNames = {},
                                          const XgboostCategories &categories = {});

} // namespace plumb
