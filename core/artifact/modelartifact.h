#pragma once

#include "artifact/modelmetadata.h"
#include "artifact/signing.h"
#include "learn/pipeline.h"

#include <optional>

namespace plumb {

// A model as a .plumb file holds it: the fitted pipeline, its metadata and the reference profile
// of its training data (one ColumnProfile JSON object per feature, for drift without the data).
struct ModelArtifact
{
    ModelMetadata metadata;
    std::optional<Pipeline> pipeline;
    QJsonArray profile;
    QString digest; // SHA-256 of the content, hex, as embedded (set when read)
};

// The reference profile a model file keeps: every feature of `pipeline` and its target, profiled
// on `data` (the training data), with the roles Feature and Target. Columns `data` lacks are left out.
QJsonArray referenceProfile(const Dataset &data, const Pipeline &pipeline);

// Serialises a fitted pipeline with its metadata and profile into the .plumb container.
QByteArray encodeModelArtifact(const Pipeline &pipeline, const ModelMetadata &metadata, const QJsonArray &profile);
// Reads one back. Integrity is checked on one core while another reads the content: nothing read is
// returned, and no error about the content reported, unless the digest matches. Every component
// kind, parameter and learned value is validated (shapes agree, categories are text, counts match)
// and each error names the file and the field.
Result<ModelArtifact> decodeModelArtifact(const QByteArray &bytes, const QString &name);

Result<ModelArtifact> loadModelArtifact(const QString &path);
// Saves a model file, the one way every front end does (train, retrain, import, the workbench):
// the bytes go to a new file beside `path` (QSaveFile), that file is read back with
// loadModelArtifact, and only when it loads does it replace `path` (one rename). When it does not
// load, the new file is removed, `path` is left as it was, and the error is the loader's message,
// prefixed "the model file as written does not load". Refuses to replace an existing file unless
// `overwrite`.
std::optional<Error> saveModelArtifact(const QString &path, const Pipeline &pipeline, const ModelMetadata &metadata,
                                       const QJsonArray &profile, bool overwrite);

// Signs a model file with `key`: writes MODEL.minisig (minisign's format) with the trusted
// comment "plumb model name=... digest=... signed=<UTC time>". Only an intact model is signed (a
// signature vouches for what the file holds): fails with the loader's message for a file that does
// not verify, or when the signature cannot be written. Returns the signature file's path.
Result<QString> signModelFile(const QString &modelPath, const SecretKey &key);

} // namespace plumb
