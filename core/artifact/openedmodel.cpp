#include "artifact/openedmodel.h"

#include "artifact/modelfile.h"
#include "base/sha256.h"

#include <QFileInfo>

namespace plumb {

namespace {

std::optional<Error> checkRequirement(const QString &name, const SignatureStatus &signature, SignatureRequirement requirement)
{
    const bool refused = (requirement != SignatureRequirement::Report && signature.state == SignatureStatus::State::Invalid)
        || (requirement == SignatureRequirement::Trusted && signature.state != SignatureStatus::State::Trusted);
    if (!refused)
        return std::nullopt;
    return Error{QStringLiteral("%1: %2%3")
                     .arg(name, signature.describe(),
                          requirement == SignatureRequirement::Trusted
                              ? QStringLiteral("; a signature by a trusted key is required")
                              : QString()),
                 Error::Kind::Untrusted};
}

} // namespace

const ColumnProfile *OpenedModel::profile(const QString &column) const
{
    for (const ColumnProfile &profile : profiles)
        if (profile.name == column)
            return &profile;
    return nullptr;
}

std::optional<std::pair<QString, double>> OpenedModel::keyMetric() const
{
    if (artifact.metadata.metrics.empty())
        return std::nullopt;
    return artifact.metadata.metrics.front();
}

Result<OpenedModel> openModelFile(const QString &path, const Keyring &keyring, SignatureRequirement requirement,
                                  const PublicKey *onlyKey)
{
    Result<QByteArray> bytes = readFileBytes(path);
    if (!bytes)
        return bytes.error();
    const QString name = QFileInfo(path).fileName();
    Result<ModelArtifact> artifact = decodeModelArtifact(bytes.value(), name);
    if (!artifact)
        return artifact.error();
    OpenedModel model;
    model.signature = checkSignature(path, bytes.value(), keyring, onlyKey);
    if (auto error = checkRequirement(name, model.signature, requirement))
        return *error;
    model.path = QFileInfo(path).absoluteFilePath();
    model.fileSize = bytes.value().size();
    model.fileSha256 = QString::fromLatin1(sha256(bytes.value()).toHex());
    model.artifact = std::move(artifact).value();
    // The loader has checked the profile already; a part that does not read is reported, not fatal.
    Result<std::vector<ColumnProfile>> profiles = profilesFromJson(model.artifact.profile);
    if (profiles)
        model.profiles = std::move(profiles).value();
    else
        model.warnings.append(QStringLiteral("%1: %2").arg(name, profiles.error().message));
    return model;
}

} // namespace plumb
