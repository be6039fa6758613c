#pragma once

#include "artifact/keyring.h"
#include "artifact/modelartifact.h"

#include <QJsonObject>
#include <QJsonValue>

#include <vector>

namespace plumb {

// Everything `plumb inspect` shows about a model file, as plain values. Its text and its JSON
// are two renderings of this one description, so that neither holds what the other lacks.

// A component of the pipeline (a preprocessing step or the model) with every parameter, in the
// component's schema order; a value is what the model file stores (null where unset).
struct ComponentDescription
{
    QString kind;
    std::vector<std::pair<QString, QJsonValue>> params;

    // "alpha=1, fit_intercept=true" (arrays and unset values print empty, as the text shows them).
    QString paramsText() const;
};

// A branch of the column router: its columns and its steps, in order.
struct BranchDescription
{
    QString name;
    QStringList columns;
    std::vector<ComponentDescription> steps;
};

struct ModelDescription
{
    QString path; // as given
    QString fileSha256; // of the whole file, hex, as `sha256sum` prints it
    QString digest; // the embedded content digest (checked: the description exists only for an intact file)
    SignatureStatus signature;
    ModelMetadata metadata;
    // Why the file holds no SHAP summary (missingShapSummaryReason); empty when it holds one.
    QString shapNote;
    QJsonArray profile; // the training data's reference profile
    TargetSpec target;
    std::vector<FeatureSpec> features; // name, type, and the training range or categories
    std::vector<BranchDescription> branches;
    ComponentDescription model;

    // {path, file_sha256, digest, integrity, signature (text), signature_status {state, key_id,
    // key_file, trusted_comment, reason}, kind, task, target {name, type}, classes,
    // features [{name, type, minimum, maximum | categories}], pipeline {branches [{name, columns,
    // steps [{kind, params}]}], model {kind, params}}, metadata (ModelMetadata::toJson: software,
    // training data, validation, lineage, import), profile}. Unknown ranges (NaN) are null.
    QJsonObject toJson() const;
};

// The description of `artifact`, read from `path` whose bytes hash to `fileSha256`, with its
// signature as checked.
ModelDescription describeModel(const ModelArtifact &artifact, const QString &path, const QString &fileSha256,
                               const SignatureStatus &signature);

} // namespace plumb
