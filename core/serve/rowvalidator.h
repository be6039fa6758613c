#pragma once

#include "data/valuesyntax.h"
#include "learn/featurevalue.h"
#include "learn/pipeline.h"
#include "serve/jsonrow.h"

#include <QString>

#include <optional>
#include <string_view>
#include <vector>

namespace plumb {

// How the columns of an input (a CSV header, or the keys of a JSON row) feed the model's features:
// feature i reads column positions[i]. By name whenever every feature is a column. A model whose
// features are positional (imported from scikit-learn fitted on an array, so named x0, x1, ...)
// is read by position when the input has exactly as many columns as it has features and none of
// them is named like a feature; `notice` then says so ("model features are positional (x0..x3);
// scoring columns a,b,c,d by position"), for standard error or the answer.
struct ColumnBinding
{
    std::vector<std::size_t> positions;
    bool byPosition = false;
    QString notice;
};

// Checks raw rows against a fitted pipeline's input schema (its features(): name and type) before
// they are scored, as MLflow enforces a model signature: a needed column that is absent is an error
// naming it; extra columns are ignored; only safe widening (an integer where a float is expected,
// a CSV field that reads as the feature's type); infinite numbers are refused, and a missing value
// only where the pipeline fills it in (an imputer, or a model that takes missing values). A JSON
// row may leave out a feature that may be missing, which then is (as MLflow's optional columns).
// Shared by batch scoring (CSV fields, JSON Lines) and the scoring service (JSON objects).
// Stateless after construction, so one validator serves many threads.
class RowValidator
{
public:
    // The pipeline must be fitted and outlive the validator. CSV fields are read with `syntax`
    // (the file's decimal mark and missing-value tokens). `positionalFeatures`: the model's
    // features are positional (ImportProvenance::positionalFeatures), see ColumnBinding.
    explicit RowValidator(const Pipeline &pipeline, ValueSyntax syntax = {}, bool positionalFeatures = false);
    const ValueSyntax &syntax() const { return mSyntax; }

    bool hasPositionalFeatures() const { return mPositional; }
    const std::vector<FeatureSpec> &features() const { return mFeatures; }
    std::size_t featureCount() const { return mFeatures.size(); }
    // Whether feature i may be missing (Pipeline::acceptsMissing).
    bool acceptsMissing(std::size_t feature) const { return mAcceptsMissing[feature]; }

    // Feature i's name in UTF-8, as a JSON key carries it.
    const std::string &jsonKey(std::size_t feature) const { return mNames[feature]; }
    // True when the names are distinct, valid UTF-8 and written in JSON without escapes (no '"',
    // '\\' or control characters), so that a key can be compared with a name byte for byte.
    bool hasPlainJsonKeys() const { return mPlainJsonKeys; }

    // For a CSV header: where every feature is in `columns` (ColumnBinding). Fails naming the first
    // feature that is not a column ("the input has no column 'age', which the model needs"), and
    // for positional features also both counts.
    Result<ColumnBinding> bindColumns(const QStringList &columns) const;

    // Reads one CSV field (already unquoted) for feature i, as readFeatureText reads it with
    // syntax(). Returns the reason it was refused, naming the column: "column 'age': 'abc' is not
    // a number".
    std::optional<QString> readField(std::size_t feature, std::string_view field, FeatureValue &out) const;

    // Reads feature i from a JSON row (null when the key is absent). JSON types must fit: numbers
    // for numeric features (integers widen to floats), strings for categorical ones, true/false
    // for booleans, ISO 8601 strings or seconds for datetimes; null, or an absent key, is a
    // missing value, refused for a feature the pipeline cannot fill ("no column 'age', which the
    // model needs").
    std::optional<QString> readJson(std::size_t feature, const JsonField *field, FeatureValue &out) const;

    // Every feature of a JSON row, in feature order, into `values` (resized), by the row's keys as
    // bindColumns binds a header (by name, or for positional features by position). Stops at the
    // first refusal. `byPosition`, when given, is set to whether the row was read by position.
    std::optional<QString> readJsonRow(const JsonRow &row, std::vector<FeatureValue> &values, bool *byPosition = nullptr) const;
    // The notice for rows read by position ("model features are positional (x0..x3); ...").
    QString positionalNotice(const QString &what) const;

private:
    std::optional<QString> checkNumber(std::size_t feature, double value, FeatureValue &out) const;
    std::optional<QString> missing(std::size_t feature, FeatureValue &out) const;
    // By position: positional features, `columns` of them, none named like a feature.
    bool readsByPosition(const QStringList &columns) const;
    // "x0..x3": the positional features' names, for messages.
    QString positionalRange() const;

    std::vector<FeatureSpec> mFeatures;
    ValueSyntax mSyntax;
    std::vector<std::string> mNames; // UTF-8, for JSON keys
    std::vector<bool> mAcceptsMissing;
    bool mPlainJsonKeys = true;
    bool mPositional = false;
};

} // namespace plumb
