#pragma once

#include "interop/sklearnimporter.h"

namespace plumb {

// An XGBoost model converted into a fitted Plumb pipeline: the pipeline with what was converted
// (ImportedModel, shared with the scikit-learn importer), the XGBoost version the file records
// ("1.7.4"), its container ("JSON" or "UBJSON") and its objective ("binary:logistic").
struct XgboostImport
{
    ImportedModel imported;
    QString version;
    QString container;
    QString objective;
};

// Reads an XGBoost model file (Booster.save_model as JSON or UBJSON, told apart by their bytes)
// as data and converts it into a pipeline of one numeric branch and Plumb's gradient_boosting
// model, which predicts what XGBoost predicts (margins within float32 rounding: XGBoost adds its
// float32 leaf values in float32, Plumb in double).
// Supported: the gbtree booster with numeric splits, and the objectives binary:logistic
// (classes 0 and 1), multi:softprob and multi:softmax (classes 0..k-1, k >= 3; Plumb gives the
// softmax probabilities, whose largest is softmax's class), reg:squarederror (and its old name
// reg:linear), reg:absoluteerror and reg:pseudohubererror (the margin is the value).
// How a split is kept exact: XGBoost rounds the input to float32 and goes left when it is below
// the float32 threshold; Plumb goes left when the double input is <= a threshold, chosen as the
// largest double whose float32 rounding is below XGBoost's. NaN follows default_left. Each node's
// cover (sum_hessian) and gain (loss_changes) are kept.
// Refused with a message naming the field ("learner.gradient_booster.model.trees[3].left_children:
// node 4's child 9 is outside 0..6"): other boosters (dart, gblinear), other objectives (ranking,
// survival, Poisson and the other non-identity links), categorical features or splits, vector
// leaves, and anything malformed: a missing field, a wrong type, arrays of inconsistent lengths,
// children out of range or reached twice (a cycle), non-finite values.
// Feature names come from the file; a file without them takes `featureNames` (as many as the
// model's features, distinct and non-empty), else its features are positional x0, x1, ...
// `name` is used in messages.
Result<XgboostImport> importXgboost(const QByteArray &bytes, const QString &name, const QStringList &featureNames = {});

// Reads the file at `sourcePath`, converts it (importXgboost) and saves the pipeline as a .plumb
// file at `outputPath`, atomically, replacing an existing file only when `overwrite`. The metadata
// records the source file's name and SHA-256, "XGBoost" and the file's version, the container and
// the conversion. The model is named `name`, or after the output file when empty. A source that
// is refused fails with an Invalid error; an unreadable source, or a model that cannot be saved
// (the output exists, a full disk), with an Io one.
Result<XgboostImport> importXgboostToFile(const QString &sourcePath, const QString &outputPath, const QString &name = {},
                                          bool overwrite = false, const QStringList &featureNames = {});

} // namespace plumb
