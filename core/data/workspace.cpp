#include "data/workspace.h"

#include "base/jsontype.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QSet>

#include <cmath>
#include <initializer_list>
#include <optional>
#include <utility>

namespace plumb {

namespace {

// A manifest is a few hundred bytes; a cap keeps a mistaken pick (a 2 GB CSV renamed) from being read.
constexpr qint64 kMaxManifestBytes = 1 << 20;

// QJsonParseError gives a byte offset; people look for a line and column.
QString lineAndColumn(const QByteArray &bytes, int offset)
{
    const QByteArray before = bytes.left(offset);
    const int line = int(before.count('\n')) + 1;
    const int column = int(before.size() - (before.lastIndexOf('\n') + 1)) + 1;
    return QStringLiteral("line %1, column %2").arg(line).arg(column);
}

// Reads the fields of one parsed manifest. Every message starts with the manifest's path and names
// the field in dotted form ("training.roles.customer_id", "batches[3].path").
class ManifestReader
{
public:
    ManifestReader(QString root, QString manifestPath) : mRoot(std::move(root)), mManifestPath(std::move(manifestPath)) { }

    Result<Workspace> read(const QJsonObject &manifest) const;

private:
    Error invalid(const QString &field, const QString &problem) const
    {
        return Error::invalid(QStringLiteral("%1: \"%2\" %3").arg(mManifestPath, field, problem));
    }
    std::optional<Error> checkFormat(const QJsonObject &manifest) const;
    std::optional<Error> checkKeys(const QJsonObject &object, const QString &prefix,
                                   std::initializer_list<const char *> known) const;
    Result<QString> requireString(const QJsonObject &object, const QString &key, const QString &field) const;
    Result<QString> resolvePath(const QJsonObject &object, const QString &field) const;
    std::optional<Error> readTraining(const QJsonObject &manifest, Workspace &workspace) const;
    std::optional<Error> readRoles(const QJsonValue &value, Workspace &workspace) const;
    std::optional<Error> readBatches(const QJsonObject &manifest, Workspace &workspace) const;

    QString mRoot;
    QString mManifestPath;
};

// The format is checked before anything else, so that a newer manifest is refused for its version
// rather than for a field this version does not know.
std::optional<Error> ManifestReader::checkFormat(const QJsonObject &manifest) const
{
    const QString field = QStringLiteral("format");
    if (!manifest.contains(field))
        return invalid(field, QStringLiteral("is missing"));
    const QJsonValue value = manifest.value(field);
    if (!value.isDouble())
        return invalid(field, QStringLiteral("must be a whole number, not %1").arg(jsonTypeName(value)));
    const double format = value.toDouble();
    if (format < 1 || format != std::floor(format))
        return invalid(field, QStringLiteral("must be a whole number of 1 or more, not %1").arg(format));
    if (format > Workspace::kFormat) {
        return Error::invalid(QStringLiteral("%1: the manifest has format %2, newer than format %3 that this "
                                             "version of Plumb reads; open it with a newer Plumb")
                                  .arg(mManifestPath)
                                  .arg(format, 0, 'f', 0)
                                  .arg(Workspace::kFormat));
    }
    return std::nullopt;
}

// Unknown fields are refused: a misspelt "batchs" would otherwise silently drop every batch.
std::optional<Error> ManifestReader::checkKeys(const QJsonObject &object, const QString &prefix,
                                               std::initializer_list<const char *> known) const
{
    QStringList knownNames;
    for (const char *name : known)
        knownNames.append(QString::fromLatin1(name));
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!knownNames.contains(it.key())) {
            const QString expected = knownNames.join(QStringLiteral(", "));
            return invalid(prefix + it.key(), QStringLiteral("is not a known field; expected %1").arg(expected));
        }
    }
    return std::nullopt;
}

Result<QString> ManifestReader::requireString(const QJsonObject &object, const QString &key, const QString &field) const
{
    if (!object.contains(key))
        return invalid(field, QStringLiteral("is missing"));
    const QJsonValue value = object.value(key);
    if (!value.isString())
        return invalid(field, QStringLiteral("must be a string, not %1").arg(jsonTypeName(value)));
    if (value.toString().trimmed().isEmpty())
        return invalid(field, QStringLiteral("must not be empty"));
    return value.toString();
}

// A data file's path: relative, with "/" separators, never leaving the folder (checked again after
// symbolic links are resolved), naming an existing file. Returns the absolute path.
Result<QString> ManifestReader::resolvePath(const QJsonObject &object, const QString &field) const
{
    Result<QString> text = requireString(object, QStringLiteral("path"), field);
    if (!text)
        return text;
    const QString relative = text.value();
    const QString quoted = QStringLiteral("is \"%1\"").arg(relative);
    if (relative.contains(QLatin1Char('\\')))
        return invalid(field, quoted + QStringLiteral("; separate folders with \"/\""));
    const bool drive = relative.size() >= 2 && relative.at(1) == QLatin1Char(':') && relative.at(0).isLetter();
    if (QDir::isAbsolutePath(relative) || relative.startsWith(QLatin1Char('/')) || drive)
        return invalid(field, quoted + QStringLiteral("; paths must be relative to the workspace folder"));
    if (relative.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return invalid(field,
                       quoted
                           + QStringLiteral("; paths must stay inside the workspace folder "
                                            "(no \"..\")"));

    const QString absolute = QDir::cleanPath(mRoot + QLatin1Char('/') + relative);
    const QFileInfo info(absolute);
    if (!info.exists()) {
        return Error::io(QStringLiteral("%1: \"%2\" names %3, which does not exist")
                             .arg(mManifestPath, field, QDir::toNativeSeparators(absolute)));
    }
    if (!info.isFile()) {
        return invalid(field, QStringLiteral("names %1, which is not a file").arg(QDir::toNativeSeparators(absolute)));
    }
    const QString canonical = info.canonicalFilePath();
    const QString prefix = mRoot.endsWith(QLatin1Char('/')) ? mRoot : mRoot + QLatin1Char('/');
    if (!canonical.startsWith(prefix)) {
        return invalid(
            field,
            quoted + QStringLiteral(", which leads to %1 outside the workspace folder").arg(QDir::toNativeSeparators(canonical)));
    }
    return absolute;
}

std::optional<Error> ManifestReader::readRoles(const QJsonValue &value, Workspace &workspace) const
{
    const QString field = QStringLiteral("training.roles");
    if (!value.isObject()) {
        return invalid(field, QStringLiteral("must be an object mapping column names to roles, not %1").arg(jsonTypeName(value)));
    }
    const QStringList allowed{columnRoleName(ColumnRole::Feature), columnRoleName(ColumnRole::Timestamp),
                              columnRoleName(ColumnRole::Id), columnRoleName(ColumnRole::Ignored)};
    QString timestampColumn;
    const QJsonObject roles = value.toObject();
    for (auto it = roles.begin(); it != roles.end(); ++it) {
        const QString column = it.key();
        const QString entry = field + QLatin1Char('.') + column;
        if (column.trimmed().isEmpty())
            return invalid(entry, QStringLiteral("has an empty column name"));
        if (!it.value().isString())
            return invalid(entry, QStringLiteral("must be a role name, not %1").arg(jsonTypeName(it.value())));
        const QString name = it.value().toString();
        const std::optional<ColumnRole> role = columnRoleFromName(name);
        if (role == ColumnRole::Target) {
            return invalid(entry, QStringLiteral("is \"%1\"; name the target with \"training.target\" instead").arg(name));
        }
        if (!role) {
            return invalid(
                entry, QStringLiteral("is \"%1\", an unknown role; expected %2").arg(name, allowed.join(QStringLiteral(", "))));
        }
        if (column == workspace.target)
            return invalid(entry, QStringLiteral("gives the target column the role \"%1\"").arg(name));
        if (*role == ColumnRole::Timestamp) {
            if (!timestampColumn.isEmpty()) {
                return invalid(field,
                               QStringLiteral("names two timestamp columns, \"%1\" and \"%2\"; "
                                              "a dataset has one")
                                   .arg(timestampColumn, column));
            }
            timestampColumn = column;
        }
        workspace.roles.insert(column, *role);
    }
    return std::nullopt;
}

std::optional<Error> ManifestReader::readTraining(const QJsonObject &manifest, Workspace &workspace) const
{
    const QString field = QStringLiteral("training");
    if (!manifest.contains(field))
        return invalid(field, QStringLiteral("is missing"));
    if (!manifest.value(field).isObject())
        return invalid(field, QStringLiteral("must be an object, not %1").arg(jsonTypeName(manifest.value(field))));
    const QJsonObject training = manifest.value(field).toObject();
    if (auto error = checkKeys(training, QStringLiteral("training."), {"path", "target", "roles"}))
        return error;

    Result<QString> path = resolvePath(training, QStringLiteral("training.path"));
    if (!path)
        return path.error();
    workspace.trainingPath = path.value();

    if (training.contains(QStringLiteral("target"))) {
        Result<QString> target = requireString(training, QStringLiteral("target"), QStringLiteral("training.target"));
        if (!target)
            return target.error();
        workspace.target = target.value();
    }
    if (training.contains(QStringLiteral("roles")))
        return readRoles(training.value(QStringLiteral("roles")), workspace);
    return std::nullopt;
}

std::optional<Error> ManifestReader::readBatches(const QJsonObject &manifest, Workspace &workspace) const
{
    const QString field = QStringLiteral("batches");
    if (!manifest.contains(field))
        return std::nullopt; // a workspace may hold training data alone
    if (!manifest.value(field).isArray())
        return invalid(field, QStringLiteral("must be an array, not %1").arg(jsonTypeName(manifest.value(field))));
    const QJsonArray batches = manifest.value(field).toArray();
    QSet<QString> labels;
    for (qsizetype i = 0; i < batches.size(); ++i) {
        const QString entry = QStringLiteral("batches[%1]").arg(i);
        if (!batches.at(i).isObject())
            return invalid(entry, QStringLiteral("must be an object, not %1").arg(jsonTypeName(batches.at(i))));
        const QJsonObject batch = batches.at(i).toObject();
        if (auto error = checkKeys(batch, entry + QLatin1Char('.'), {"label", "path"}))
            return error;
        Result<QString> label = requireString(batch, QStringLiteral("label"), entry + QStringLiteral(".label"));
        if (!label)
            return label.error();
        if (labels.contains(label.value()))
            return invalid(entry + QStringLiteral(".label"),
                           QStringLiteral("is \"%1\", the label of an earlier batch").arg(label.value()));
        labels.insert(label.value());
        Result<QString> path = resolvePath(batch, entry + QStringLiteral(".path"));
        if (!path)
            return path.error();
        workspace.batches.push_back({label.value(), path.value()});
    }
    return std::nullopt;
}

Result<Workspace> ManifestReader::read(const QJsonObject &manifest) const
{
    if (auto error = checkFormat(manifest))
        return *error;
    if (auto error = checkKeys(manifest, QString(), {"format", "name", "description", "training", "batches"}))
        return *error;

    Workspace workspace;
    workspace.rootPath = mRoot;
    Result<QString> name = requireString(manifest, QStringLiteral("name"), QStringLiteral("name"));
    if (!name)
        return name.error();
    workspace.name = name.value();
    if (manifest.contains(QStringLiteral("description"))) {
        const QJsonValue description = manifest.value(QStringLiteral("description"));
        if (!description.isString()) {
            return invalid(QStringLiteral("description"),
                           QStringLiteral("must be a string, not %1").arg(jsonTypeName(description)));
        }
        workspace.description = description.toString();
    }
    if (auto error = readTraining(manifest, workspace))
        return *error;
    if (auto error = readBatches(manifest, workspace))
        return *error;
    return workspace;
}

} // namespace

Result<Workspace> Workspace::load(const QString &directory)
{
    const QFileInfo folder(directory);
    if (!folder.exists()) {
        return Error::io(QStringLiteral("workspace folder %1 does not exist").arg(QDir::toNativeSeparators(directory)));
    }
    if (!folder.isDir())
        return Error::invalid(QStringLiteral("%1 is not a folder; a workspace is a folder holding %2")
                                  .arg(QDir::toNativeSeparators(directory), QLatin1String(kManifestName)));
    const QString root = folder.canonicalFilePath();
    const QString manifestPath = root + QLatin1Char('/') + QLatin1String(kManifestName);
    const QString shownPath = QDir::toNativeSeparators(manifestPath);

    QFile file(manifestPath);
    if (!file.exists())
        return Error::io(QStringLiteral("%1 is not a workspace: it has no %2")
                             .arg(QDir::toNativeSeparators(root), QLatin1String(kManifestName)));
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(shownPath, file.errorString()));
    if (file.size() > kMaxManifestBytes)
        return Error::invalid(QStringLiteral("%1: the manifest is %2 bytes; a manifest is at most %3")
                                  .arg(shownPath)
                                  .arg(file.size())
                                  .arg(kMaxManifestBytes));
    const QByteArray bytes = file.read(kMaxManifestBytes + 1);
    if (bytes.size() > kMaxManifestBytes) { // grew after the size check
        return Error::invalid(QStringLiteral("%1: the manifest is larger than %2 bytes").arg(shownPath).arg(kMaxManifestBytes));
    }

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        const QString where = lineAndColumn(bytes, parseError.offset);
        return Error::invalid(QStringLiteral("%1: not valid JSON at %2: %3").arg(shownPath, where, parseError.errorString()));
    }
    if (!document.isObject())
        return Error::invalid(QStringLiteral("%1: the manifest must be a JSON object").arg(shownPath));

    return ManifestReader(root, shownPath).read(document.object());
}

bool Workspace::isWorkspace(const QString &path)
{
    return QFileInfo(path).isDir() && QFileInfo(QDir(path).filePath(QLatin1String(kManifestName))).isFile();
}

} // namespace plumb
