#pragma once

#include "base/result.h"
#include "learn/evaluation.h"
#include "learn/permutationimportance.h"
#include "learn/shapsummary.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

namespace plumb {

// Where a model converted from another library's file came from (plumb import-sklearn): the
// source file and its SHA-256, the library and version its objects record, the container
// ("joblib (zlib)"), every global the file referenced, and what was converted into what (one
// {"path", "class", "component"} object per converted object). Empty `source` for a model Plumb
// trained itself; the metadata then has no "import" field, so files without it read as before.
// `positionalFeatures`: the source model was fitted on an array and no names were given, so its
// features x0, x1, ... mean "the i-th column" ("positional_features", model format 2 onwards;
// false in format 1 files, which cannot say it).
struct ImportProvenance
{
    QString source;
    QString sha256;
    QString library;
    QString libraryVersion;
    QString container;
    QStringList globals;
    QJsonArray conversion;
    bool positionalFeatures = false;

    bool isEmpty() const { return source.isEmpty(); }
};

// What a model file says about the model besides the pipeline itself: who made it and when,
// with what software, from which data, how it validated, and where it came from.
struct ModelMetadata
{
    QString name;
    QString description;
    QStringList tags;
    QString author;
    QDateTime created; // UTC

    // Filled by environment(): plumb and format versions, compiler, Qt, Eigen, OS.
    QJsonObject software;

    // Training data summary.
    QString sourceFile; // file name as given
    QString sourceSha256; // hex SHA-256 of the source file
    qint64 rows = 0;
    qint64 columns = 0;

    // Validation and fit.
    QString validation; // "holdout:0.2", "kfold:5", "time:COLUMN"
    MetricList metrics;
    // Why a metric of `metrics` has no value (it is NaN there): "class '3' has no validation rows".
    // Stored with the metric; when a NaN metric has no reason here, evaluation->undefined's is
    // stored. Files from before reasons were kept read back NaN metrics without one.
    std::map<QString, QString> metricReasons;
    PermutationImportance importance; // on the validation rows; no features when not measured (drops are not kept)
    // The validation's charts (confusion matrix and curves, or predicted against actual), compacted
    // by compactEvaluation; its metrics are `metrics`. Absent in files saved before it was kept.
    std::optional<Evaluation> evaluation;
    // The SHAP summary of the validation rows ("validation.shap", model format 4 onwards); empty
    // when not measured: older files, models without an exact explanation, importance not asked.
    ShapSummary shap;
    quint64 seed = 0;
    double fitSeconds = 0;

    // Lineage: the digest of the parent model when this one was retrained from it.
    QString parentDigest;
    QString lineageReason;

    // Set for imported models only.
    ImportProvenance imported;

    // Why a metric has no value: metricReasons', else the evaluation's, else empty.
    QString metricReason(const QString &name) const;

    QJsonObject toJson() const;
    // Unknown fields are refused; every field is checked for its type. `name` names the file;
    // `formatVersion` is the file's model format, which decides the fields it may and must have.
    static Result<ModelMetadata> fromJson(const QJsonObject &json, const QString &fileName, quint32 formatVersion);
};

// The software this build of Plumb is: version, model format, compiler, Qt, Eigen, OS.
QJsonObject softwareEnvironment();
// The author from settings or the environment: PLUMB_AUTHOR, else the login name.
QString defaultAuthor();

} // namespace plumb
