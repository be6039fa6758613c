#pragma once

#include "base/result.h"
#include "learn/evaluation.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace plumb {

// One train/validation split: row indices into the dataset, each list ascending.
struct Split
{
    std::vector<std::size_t> train;
    std::vector<std::size_t> validation;
};

// How a model is validated; parsed from "holdout:0.2", "kfold:5" or "time:COLUMN".
struct ValidationScheme
{
    enum class Kind { Holdout, KFold, Time };

    Kind kind = Kind::Holdout;
    double validationFraction = 0.2; // Holdout and Time
    int folds = 5; // KFold
    QString timeColumn; // Time
    bool stratified = true; // Holdout and KFold, for classification targets

    static Result<ValidationScheme> parse(const QString &text);
    QString toString() const;
};

// Seeded random holdout. With `classes` (one label per row), each class is split in the same
// proportion (stratified, as scikit-learn's train_test_split(stratify=y)), and every class of two
// or more rows has at least one row on each side, even when its share rounds to none; a class of
// a single row trains (scikit-learn refuses to stratify such a class; see stratificationWarnings).
// Without `classes`, uniformly. At least one row lands on each side when there are two or more rows.
Split holdoutSplit(std::size_t rows, double validationFraction, std::uint64_t seed, const std::vector<int> *classes = nullptr);

// k folds of a seeded shuffle; fold i validates on the i-th part. Needs rows >= folds (callers
// check), else some folds are empty. With `classes`, each class is
// dealt round-robin over the folds so every fold keeps the class proportions (stratified).
std::vector<Split> kFoldSplits(std::size_t rows, int folds, std::uint64_t seed, const std::vector<int> *classes = nullptr);

// What a stratified split of `classes` (labels indexing `names`) cannot do, one warning per class,
// naming it: for a holdout, a class of one row trains and is not validated; for k folds, a class
// of one row is validated by a model trained without it, and a class of fewer rows than folds is
// missing from some folds' validation. Empty for a time split (it does not stratify).
QStringList stratificationWarnings(const std::vector<int> &classes, const QStringList &names, const ValidationScheme &scheme);

// Train on the past, validate on the future: rows ordered by `times` (seconds; NaN rows are left
// out), the latest `validationFraction` of them validate. Ties at the cut stay on one side: they
// validate, unless that leaves nothing to train on, when they train (validation may be empty).
Split timeSplit(const std::vector<double> &times, double validationFraction);

// The mean of metric `metric` (an index into each fold's list) over k-fold results, and its sample
// standard deviation (ddof 1), as "mean +- sd" reports the spread of a cross-validated score.
// Needs two or more folds.
struct FoldSpread
{
    double mean = 0;
    double deviation = 0;
};
FoldSpread foldSpread(const std::vector<MetricList> &folds, std::size_t metric);

} // namespace plumb
