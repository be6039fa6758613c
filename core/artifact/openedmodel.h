#pragma once

#include "artifact/keyring.h"
#include "artifact/modelartifact.h"
#include "data/columnprofile.h"

#include <optional>
#include <vector>

namespace plumb {

// A model file as every front end opens it (inspect, verify, predict, serve, drift, retrain, the
// Models view): read once, its digest checked and its content decoded (decodeModelArtifact), its
// reference profile parsed into plain values, its signature judged against a keyring.
struct OpenedModel
{
    QString path; // absolute
    qint64 fileSize = 0;
    QString fileSha256; // of the whole file, lower-case hex, as sha256sum prints it
    ModelArtifact artifact; // intact and decoded: the pipeline is set
    std::vector<ColumnProfile> profiles; // the reference profile, one per stored column
    SignatureStatus signature;
    QStringList warnings; // parts of the profile that could not be read (the model itself is fine)

    const Pipeline &pipeline() const { return *artifact.pipeline; }
    const ModelMetadata &metadata() const { return artifact.metadata; }
    // The reference profile of `column`, or nullptr.
    const ColumnProfile *profile(const QString &column) const;
    // The first validation metric ("accuracy", "r2"), the one a model list shows.
    std::optional<std::pair<QString, double>> keyMetric() const;
};

// What a signature must be for the model to be used.
enum class SignatureRequirement {
    Report, // any state; the caller shows it
    NotInvalid, // a signature that does not verify refuses the file (unsigned and unknown keys pass)
    Trusted, // only a trusted key's valid signature passes
};

// Opens `path`. The signature is checked against `keyring`, or only against `onlyKey` when given.
// Fails with Error::Kind::Io when the file cannot be read, Kind::Integrity for a digest that does
// not match and for a signature `requirement` refuses ("m.plumb: signature INVALID ...; a
// signature by a trusted key is required"), Kind::Invalid for content that does not decode. The
// messages name the file.
Result<OpenedModel> openModelFile(const QString &path, const Keyring &keyring,
                                  SignatureRequirement requirement = SignatureRequirement::Report,
                                  const PublicKey *onlyKey = nullptr);

} // namespace plumb
