#pragma once

// Internal to the XGBoost importer: reading fields of the model's JSON with messages that name
// them, and turning its trees into the state of Plumb's gradient_boosting model.

#include "base/result.h"
#include "interop/xgboostimporter.h"
#include "learn/columnrouter.h"
#include "learn/componentstate.h"
#include "learn/featurebinner.h"
#include "learn/pipeline.h"

#include <QJsonArray>
#include <QJsonObject>

#include <vector>

namespace plumb {

// A JSON value and where it sits in the document ("learner.objective.name"), for messages.
struct XgboostField
{
    QJsonValue value;
    QString path;

    Error error(const QString &why) const;
    // The member `key` of this object, or an error naming the path when this is not an object
    // or has no such member.
    Result<XgboostField> member(const QString &key) const;
    // This value as an object, array or string, or an error naming what it is instead.
    Result<QJsonObject> object() const;
    Result<QJsonArray> array() const;
    Result<QString> string() const;
    // XGBoost writes parameters as text ("1.5E2", "3"): the number this text (or number) holds.
    Result<double> number() const;
    // A whole number in [lowest, highest], from text or a number.
    Result<qint64> integer(qint64 lowest, qint64 highest) const;
};

// The numbers of an array of exactly `count` numbers (true and false read as 1 and 0), or an
// error naming the first bad element.
Result<std::vector<double>> xgboostNumbers(const XgboostField &field, qsizetype count);

// The most category codes a categorical feature can have: Plumb's boosted trees hold a category
// set as 256 bits and take at most FeatureBinner::kMostBins codes per feature.
constexpr int kMostCategoryCodes = FeatureBinner::kMostBins;

// One input of the model: its name (for messages) and, for a categorical feature, how many
// category codes the imported model declares (0 for a numeric one).
struct XgboostFeature
{
    QString name;
    int categories = 0;
};

// Appends the trees `trees` (indices into the model's trees array, in scoring order) to the
// state of a gradient_boosting model with the inputs `features`: "tree_sizes", every node array
// and "category_sets". Each tree is checked (see importXgboost) and renumbered breadth-first from
// its root, so that children follow their parent; nodes the root does not reach (deleted by
// pruning) are dropped. A categorical split must read a categorical feature and name codes below
// its count; a numeric split a numeric one.
std::optional<Error> appendXgboostTrees(const XgboostField &treesField, const std::vector<qsizetype> &trees,
                                        const std::vector<XgboostFeature> &features, ComponentState &state);

// Which features are categorical: the file's feature_types ("c"; "float", "int", "i" and "q" are
// numeric) when it has them, else the features that a categorical split (split_type 1) reads.
// `learner` is the document's "learner" object; fails naming feature_types when it is malformed.
Result<std::vector<bool>> xgboostCategoricalFeatures(const XgboostField &learner, qint64 features);

// The features' names: the file's, else `given` (which must match the file's when it has them),
// else positional x0, x1, ... (`positional` tells). Fails for names that are not distinct,
// empty, or as many as the features.
Result<QStringList> xgboostFeatureNames(const XgboostField &learner, qint64 features, const QStringList &given, bool &positional);

// The levels of a categorical feature whose column holds XGBoost's codes: "0" to "254".
const QStringList &xgboostCodeLevels();

// The inputs of the model: each feature's name and, for a categorical one, its levels in code
// order into `levels` (empty for a numeric feature): the given ones, else the codes themselves as
// text, "0" to "254" (kMostCategoryCodes). Fails when `given` names a feature that is not
// categorical, or holds levels that are not 1 to 255 distinct, non-empty names.
Result<std::vector<XgboostFeature>> xgboostModelFeatures(const QStringList &names, const std::vector<bool> &categorical,
                                                         const XgboostCategories &given, std::vector<QStringList> &levels);

// The router and feature specs (appended to `specs`) of the imported pipeline: the columns in the
// model's order, in branches of consecutive numeric or categorical columns, so that the router's
// outputs are the model's features in order. A categorical branch reads its columns as text (a
// column of codes is a Float feature, whose numbers it reads in their shortest form: "3") and
// maps each level to its code with an ordinal encoder; a value that is no level is an unknown
// category (code -1, counted in the prediction's notes), which the trees send the missing side.
Result<ColumnRouter> xgboostRouter(const QStringList &names, const std::vector<QStringList> &levels,
                                   std::vector<FeatureSpec> &specs);

} // namespace plumb
