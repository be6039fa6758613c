#include "artifact/modelfile.h"

#include "artifact/strictjson.h"
#include "base/sha256.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QtEndian>

#include <bit>

#include <cstring>
#include <limits>

namespace plumb {

namespace {

const QByteArray kMagic("\x89PLUMB\r\n", 8);
const QByteArray kTrailerMagic("PLUMBSUM", 8);
constexpr qsizetype kHeaderBytes = 24;
constexpr qsizetype kDigestBytes = 32;
constexpr qsizetype kTrailerBytes = 8 + kDigestBytes;
constexpr qsizetype kAlignment = 64;
constexpr qint64 kMaxArrayElements = qint64(1) << 40;
// Arrays in one file. A model stores a handful per component (forests and boosting keep all their
// trees in the same few arrays), so 10,000 is far above any real file, and a hostile index of
// hundreds of thousands of entries is refused before it is walked.
constexpr qsizetype kMaxArrays = 10000;

qsizetype aligned(qsizetype size)
{
    return (size + kAlignment - 1) / kAlignment * kAlignment;
}

template<typename T> void appendLittleEndian(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToLittleEndian(value, bytes);
    out.append(bytes, qsizetype(sizeof(T)));
}

QByteArray sha256(const char *data, qsizetype size)
{
    return plumb::sha256(QByteArrayView(data, size));
}

Error invalid(const QString &name, const QString &what)
{
    return Error::invalid(QStringLiteral("%1: %2").arg(name, what));
}

// Checks the magic, the version and the digest; nothing past the header is read before that.
std::optional<Error> checkEnvelope(const QByteArray &bytes, const QString &name)
{
    if (bytes.size() < kHeaderBytes || !bytes.startsWith(kMagic))
        return Error{QStringLiteral("%1 is not a Plumb model file (no PLUMB signature at its start)").arg(name),
                     Error::Kind::Integrity};
    // A newer format may lay out its trailer differently: say so before judging the digest.
    const auto version = qFromLittleEndian<quint32>(bytes.constData() + 8);
    if (version > kModelFormatVersion)
        return Error{QStringLiteral("%1: the file has model format %2, newer than format %3 that this version of Plumb "
                                    "reads; open it with a newer Plumb")
                         .arg(name)
                         .arg(version)
                         .arg(kModelFormatVersion),
                     Error::Kind::Unsupported};
    if (bytes.size() < kHeaderBytes + kTrailerBytes
        || QByteArrayView(bytes).sliced(bytes.size() - kTrailerBytes, 8) != QByteArrayView(kTrailerMagic))
        return Error{
            QStringLiteral("%1: the integrity trailer is missing: the file is truncated or has bytes appended").arg(name),
            Error::Kind::Integrity};
    const QByteArray expected = bytes.right(kDigestBytes);
    if (sha256(bytes.constData(), bytes.size() - kTrailerBytes) != expected)
        return Error{
            QStringLiteral("%1: the content does not match its SHA-256 digest: the file was modified or damaged").arg(name),
            Error::Kind::Integrity};
    if (version == 0)
        return invalid(name, QStringLiteral("format version 0 does not exist"));
    const auto flags = qFromLittleEndian<quint32>(bytes.constData() + 12);
    if (flags != 0)
        return invalid(name, QStringLiteral("unknown header flags 0x%1").arg(flags, 0, 16));
    return std::nullopt;
}

static_assert(std::endian::native == std::endian::little, "model file arrays are read in place as little-endian doubles");

// Reads the "arrays" index and the data section it describes.
std::optional<Error> readArrays(const QJsonArray &index, const char *data, qsizetype dataSize, const QString &name,
                                std::map<QString, Tensor> &arrays)
{
    if (index.size() > kMaxArrays)
        return invalid(name,
                       QStringLiteral("the array index lists %1 arrays, more than the %2 a file may hold")
                           .arg(index.size())
                           .arg(kMaxArrays));
    qsizetype expectedOffset = 0;
    for (const QJsonValue &entryValue : index) {
        const QJsonObject entry = entryValue.toObject();
        for (auto it = entry.begin(); it != entry.end(); ++it)
            if (it.key() != QLatin1String("id") && it.key() != QLatin1String("dtype") && it.key() != QLatin1String("shape")
                && it.key() != QLatin1String("offset"))
                return invalid(name, QStringLiteral("array index: unknown field \"%1\"").arg(it.key()));
        const QString id = entry.value(QLatin1String("id")).toString();
        if (id.isEmpty() || arrays.count(id))
            return invalid(name, QStringLiteral("array index: a missing or repeated id \"%1\"").arg(id));
        if (entry.value(QLatin1String("dtype")).toString() != QLatin1String("float64"))
            return invalid(
                name,
                QStringLiteral("array \"%1\": unknown dtype \"%2\"").arg(id, entry.value(QLatin1String("dtype")).toString()));
        Tensor tensor;
        qint64 elements = 1;
        for (const QJsonValue &extent : entry.value(QLatin1String("shape")).toArray()) {
            const double value = extent.toDouble(-1);
            if (!extent.isDouble() || value < 0 || value != double(qint64(value)) || value > double(kMaxArrayElements))
                return invalid(name, QStringLiteral("array \"%1\": a bad extent in its shape").arg(id));
            if (value > 0 && elements > kMaxArrayElements / qint64(value))
                return invalid(name, QStringLiteral("array \"%1\": its shape overflows").arg(id));
            elements *= qint64(value);
            tensor.shape.push_back(qint64(value));
        }
        if (entry.value(QLatin1String("offset")).toDouble(-1) != double(expectedOffset))
            return invalid(name,
                           QStringLiteral("array \"%1\": offset %2, expected %3 (arrays must be contiguous and aligned)")
                               .arg(id,
                                    entry.value(QLatin1String("offset")).isDouble()
                                        ? QString::number(entry.value(QLatin1String("offset")).toDouble())
                                        : QStringLiteral("missing"))
                               .arg(expectedOffset));
        const qint64 length = elements * qint64(sizeof(double));
        if (length > dataSize - expectedOffset)
            return invalid(name, QStringLiteral("array \"%1\" runs past the end of the data section").arg(id));
        // The file is little-endian like every host Plumb builds for (checked below): one copy.
        const auto *first = reinterpret_cast<const double *>(data + expectedOffset);
        tensor.data.assign(first, first + elements);
        arrays.emplace(id, std::move(tensor));
        // The alignment padding after each array is zero, as written: bytes there would be
        // data no index entry describes (and a place to hide content under a valid digest).
        const qsizetype end = expectedOffset + qsizetype(length);
        expectedOffset = aligned(end);
        if (expectedOffset > dataSize)
            return invalid(name, QStringLiteral("array \"%1\": its padding runs past the end of the data section").arg(id));
        for (qsizetype i = end; i < expectedOffset; ++i)
            if (data[i] != '\0')
                return invalid(name, QStringLiteral("non-zero padding after array \"%1\"").arg(id));
    }
    if (expectedOffset != dataSize)
        return invalid(
            name,
            QStringLiteral("the data section holds %1 bytes the array index does not describe").arg(dataSize - expectedOffset));
    return std::nullopt;
}

} // namespace

QByteArray encodeModelFile(const ModelFileContents &contents)
{
    QJsonObject manifest = contents.manifest;
    QJsonArray index;
    qsizetype offset = 0;
    for (const auto &[id, tensor] : contents.arrays) {
        QJsonArray shape;
        for (qint64 extent : tensor.shape)
            shape.append(double(extent));
        index.append(QJsonObject{{QStringLiteral("id"), id},
                                 {QStringLiteral("dtype"), QStringLiteral("float64")},
                                 {QStringLiteral("shape"), shape},
                                 {QStringLiteral("offset"), double(offset)}});
        offset = aligned(offset + qsizetype(tensor.data.size() * sizeof(double)));
    }
    manifest.insert(QStringLiteral("arrays"), index);
    const QByteArray json = QJsonDocument(manifest).toJson(QJsonDocument::Compact);

    QByteArray out = kMagic;
    appendLittleEndian<quint32>(out, kModelFormatVersion);
    appendLittleEndian<quint32>(out, 0);
    appendLittleEndian<quint64>(out, quint64(json.size()));
    out.append(json);
    out.append(QByteArray(aligned(out.size()) - out.size(), '\0'));
    const qsizetype dataStart = out.size();
    for (const auto &[id, tensor] : contents.arrays) {
        for (double value : tensor.data)
            appendLittleEndian<double>(out, value);
        out.append(QByteArray(dataStart + aligned(out.size() - dataStart) - out.size(), '\0'));
    }
    out.append(kTrailerMagic);
    out.append(sha256(out.constData(), out.size() - kTrailerMagic.size()));
    return out;
}

std::optional<Error> verifyModelFile(const QByteArray &bytes, const QString &name)
{
    return checkEnvelope(bytes, name);
}

Result<ModelFileContents> readModelFileContents(const QByteArray &bytes, const QString &name)
{
    // Framing that verifyModelFile also checks, repeated so that this never reads outside the bytes.
    if (bytes.size() < kHeaderBytes + kTrailerBytes || !bytes.startsWith(kMagic))
        return invalid(name, QStringLiteral("not a complete Plumb model file"));
    const auto manifestLength = qFromLittleEndian<quint64>(bytes.constData() + 16);
    const qsizetype body = bytes.size() - kTrailerBytes;
    if (manifestLength > quint64(kMaxManifestBytes) || qsizetype(manifestLength) > body - kHeaderBytes)
        return invalid(name, QStringLiteral("the manifest length %1 is larger than the file allows").arg(manifestLength));
    Result<QJsonObject> manifest = parseStrictJsonObject(bytes.mid(kHeaderBytes, qsizetype(manifestLength)),
                                                         name + QStringLiteral(" manifest"));
    if (!manifest)
        return manifest.error();
    const qsizetype dataStart = aligned(kHeaderBytes + qsizetype(manifestLength));
    if (dataStart > body)
        return invalid(name, QStringLiteral("the manifest runs past the data section"));
    for (qsizetype i = kHeaderBytes + qsizetype(manifestLength); i < dataStart; ++i)
        if (bytes[i] != '\0')
            return invalid(name, QStringLiteral("non-zero padding after the manifest"));
    ModelFileContents contents;
    contents.manifest = manifest.value();
    contents.digest = QString::fromLatin1(bytes.right(kDigestBytes).toHex());
    contents.version = qFromLittleEndian<quint32>(bytes.constData() + 8);
    const QJsonValue index = contents.manifest.take(QStringLiteral("arrays"));
    if (!index.isArray())
        return invalid(name, QStringLiteral("the manifest has no \"arrays\" index"));
    if (auto error = readArrays(index.toArray(), bytes.constData() + dataStart, body - dataStart, name, contents.arrays))
        return *error;
    return contents;
}

Result<ModelFileContents> decodeModelFile(const QByteArray &bytes, const QString &name)
{
    if (auto error = verifyModelFile(bytes, name))
        return *error;
    return readModelFileContents(bytes, name);
}

Result<QString> embeddedDigest(const QByteArray &bytes, const QString &name)
{
    if (auto error = checkEnvelope(bytes, name))
        return *error;
    return QString::fromLatin1(bytes.right(kDigestBytes).toHex());
}

Result<QByteArray> readFileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    if (file.size() > (qint64(4) << 30))
        return Error::invalid(QStringLiteral("%1 is larger than 4 GiB").arg(path));
    QByteArray bytes = file.readAll();
    if (file.error() != QFile::NoError)
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    return bytes;
}

std::optional<Error> writeFileAtomically(const QString &path, const QByteArray &bytes, bool overwrite)
{
    if (!overwrite && QFileInfo::exists(path))
        return Error::invalid(QStringLiteral("%1 exists; choose another name or allow overwriting").arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return std::nullopt;
}

} // namespace plumb
