#pragma once

// Internal to the XGBoost importer: reading fields of the model's JSON with messages that name
// them, and turning its trees into the state of Plumb's gradient_boosting model.

#include "base/result.h"
#include "learn/componentstate.h"

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

// Appends the trees `trees` (indices into the model's trees array, in scoring order) to the
// state of a gradient_boosting model with `features` inputs: "tree_sizes" and every node array.
// Each tree is checked (see importXgboost) and renumbered breadth-first from its root, so that
// children follow their parent; nodes the root does not reach (deleted by pruning) are dropped.
std::optional<Error> appendXgboostTrees(const XgboostField &treesField, const std::vector<qsizetype> &trees, qint64 features,
                                        ComponentState &state);

} // namespace plumb
