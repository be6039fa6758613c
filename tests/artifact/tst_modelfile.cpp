// The .plumb container's integrity: every byte of a small model flipped, every truncation, bytes
// appended, future format versions; atomic writes that refuse to overwrite; and the committed
// fuzz seeds (tests/fuzz/corpus/modelfile), each run through the fuzz target's checks.
// Expected results come from the layout in core/artifact/modelfile.h: bytes 8..11 are the format
// version, the last 40 bytes the trailer, and every byte before the trailer is under the digest.

#include "artifacttestutil.h"
#include "modelfilecheck.h"

#include "artifact/modelfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr qsizetype kVersionOffset = 8;
constexpr qsizetype kTrailerBytes = 40;

QByteArray littleEndian32(quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    return QByteArray(bytes, 4);
}

QString kindName(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::Invalid:
        return u"Invalid"_s;
    case Error::Kind::Io:
        return u"Io"_s;
    case Error::Kind::Cancelled:
        return u"Cancelled"_s;
    case Error::Kind::Integrity:
        return u"Integrity"_s;
    case Error::Kind::TooLarge:
        return u"TooLarge"_s;
    case Error::Kind::Unsupported:
        return u"Unsupported"_s;
    case Error::Kind::Untrusted:
        return u"Untrusted"_s;
    case Error::Kind::Internal:
        return u"Internal"_s;
    }
    return {};
}

} // namespace

class TestModelFile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void smallModelLoads();
    void everyByteFlipped_data();
    void everyByteFlipped();
    void everyTruncation();
    void bytesAppended_data();
    void bytesAppended();
    void futureVersion_data();
    void futureVersion();
    void writeFileAtomically_data();
    void writeFileAtomically();
    void saveAndLoadThroughAFile();
    void saveRefusesAFileThatDoesNotLoad_data();
    void saveRefusesAFileThatDoesNotLoad();
    void fileLoadJudgesAsBytes();
    void fuzzSeeds_data();
    void fuzzSeeds();

private:
    QByteArray mSmall;
};

void TestModelFile::initTestCase()
{
    Result<QByteArray> small = testutil::smallModelFile();
    QVERIFY2(small.ok(), qPrintable(small.ok() ? QString() : small.error().message));
    mSmall = small.value();
    // Small enough to flip every byte, large enough to hold every part of the layout.
    QVERIFY2(mSmall.size() > 512 && mSmall.size() < 4096, qPrintable(QString::number(mSmall.size())));
}

// The baseline every tamper test changes: without a change it loads.
void TestModelFile::smallModelLoads()
{
    const Result<ModelArtifact> decoded = decodeModelArtifact(mSmall, u"small.plumb"_s);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QCOMPARE(fuzz::modelFileProblem(mSmall, u"small.plumb"_s), QString());
}

void TestModelFile::everyByteFlipped_data()
{
    QTest::addColumn<int>("mask");
    QTest::newRow("lowest-bit") << 0x01;
    QTest::newRow("highest-bit") << 0x80;
    QTest::newRow("every-bit") << 0xff;
}

// Flips each byte in turn. Every byte but the trailer is under the digest and the trailer holds
// the digest, so each flip must be refused as an integrity failure - except in the version
// field, which is read before the digest (a newer format may seal differently): a flip there
// that reads as a newer version must name both versions, like a genuine newer file.
void TestModelFile::everyByteFlipped()
{
    QFETCH(int, mask);
    QStringList wrong, versionZero;
    for (qsizetype i = 0; i < mSmall.size(); ++i) {
        QByteArray tampered = mSmall;
        tampered[i] = char(tampered[i] ^ char(mask));
        const Result<ModelArtifact> decoded = decodeModelArtifact(tampered, u"tampered.plumb"_s);
        if (decoded.ok()) {
            wrong.append(u"byte %1: accepted"_s.arg(i));
            continue;
        }
        const Error &error = decoded.error();
        if (i >= kVersionOffset && i < kVersionOffset + 4) {
            const quint32 version = qFromLittleEndian<quint32>(tampered.constData() + kVersionOffset);
            if (version > kModelFormatVersion) {
                if (!error.message.contains(u"model format %1"_s.arg(version))
                    || !error.message.contains(u"format %1 "_s.arg(kModelFormatVersion)))
                    wrong.append(u"byte %1: %2"_s.arg(i).arg(error.message));
                continue;
            }
            if (version == 0 && error.kind != Error::Kind::Integrity) {
                versionZero.append(u"byte %1: %2"_s.arg(i).arg(error.message));
                continue;
            }
        }
        if (error.kind != Error::Kind::Integrity || !error.message.contains(u"tampered.plumb"_s))
            wrong.append(u"byte %1: %2 error \"%3\""_s.arg(i).arg(kindName(error.kind), error.message));
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 8).join(u'\n') + u"\n(%1 bytes in all)"_s.arg(wrong.size())));
    // Version 1 with its lowest bit flipped reads as 0, which checkEnvelope refuses before it
    // checks the digest, so damage there is reported as a format that does not exist.
    QVERIFY2(versionZero.isEmpty(), qPrintable(versionZero.join(u'\n')));
}

// Every shorter length, down to empty: refused as an integrity failure.
void TestModelFile::everyTruncation()
{
    QStringList wrong;
    for (qsizetype length = 0; length < mSmall.size(); ++length) {
        const Result<ModelArtifact> decoded = decodeModelArtifact(mSmall.left(length), u"cut.plumb"_s);
        if (decoded.ok())
            wrong.append(u"length %1: accepted"_s.arg(length));
        else if (decoded.error().kind != Error::Kind::Integrity)
            wrong.append(u"length %1: %2"_s.arg(length).arg(decoded.error().message));
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 8).join(u'\n')));
}

void TestModelFile::bytesAppended_data()
{
    QTest::addColumn<QByteArray>("suffix");
    QTest::addColumn<bool>("resealed");
    QTest::addColumn<QString>("fragment");

    const QString trailer = u"the integrity trailer is missing"_s;
    QTest::newRow("one-zero-byte") << QByteArray(1, '\0') << false << trailer;
    QTest::newRow("newline") << QByteArray("\n") << false << trailer;
    QTest::newRow("64-zero-bytes") << QByteArray(64, '\0') << false << trailer;
    QTest::newRow("trailer-again") << mSmall.right(kTrailerBytes) << false << u"the content does not match its SHA-256 digest"_s;
    QTest::newRow("whole-file-again") << mSmall << false << u"the content does not match its SHA-256 digest"_s;
    // A new trailer over the old one: the digest then holds, but the data section has 40 bytes
    // (the old trailer) that no array describes.
    QTest::newRow("resealed-over-old-trailer")
        << QByteArray() << true << u"the data section holds 40 bytes the array index does not describe"_s;
}

void TestModelFile::bytesAppended()
{
    QFETCH(QByteArray, suffix);
    QFETCH(bool, resealed);
    QFETCH(QString, fragment);

    const QByteArray extended = resealed ? testutil::sealed(mSmall) : mSmall + suffix;
    const Result<ModelArtifact> decoded = decodeModelArtifact(extended, u"long.plumb"_s);
    QVERIFY2(!decoded.ok(), "accepted");
    QVERIFY2(decoded.error().message.contains(fragment), qPrintable(decoded.error().message));
    QVERIFY2(decoded.error().message.startsWith(u"long.plumb"_s), qPrintable(decoded.error().message));
}

void TestModelFile::futureVersion_data()
{
    QTest::addColumn<quint32>("version");
    QTest::addColumn<bool>("resealed");

    QTest::newRow("next-version-resealed") << kModelFormatVersion + 1 << true;
    QTest::newRow("next-version-stale-digest") << kModelFormatVersion + 1 << false;
    QTest::newRow("version-17-resealed") << quint32(17) << true;
    QTest::newRow("version-max") << quint32(0xffffffff) << true;
}

// A file from a newer Plumb is refused with a message that names its version and the one this
// build reads, whether or not its digest still matches (a newer format may seal differently).
void TestModelFile::futureVersion()
{
    QFETCH(quint32, version);
    QFETCH(bool, resealed);

    QByteArray future = mSmall;
    if (resealed)
        future = testutil::patchedAndResealed(mSmall, kVersionOffset, littleEndian32(version));
    else
        future.replace(kVersionOffset, 4, littleEndian32(version));
    const Result<ModelArtifact> decoded = decodeModelArtifact(future, u"future.plumb"_s);
    QVERIFY2(!decoded.ok(), "accepted");
    const QString &message = decoded.error().message;
    QVERIFY2(message.startsWith(u"future.plumb"_s), qPrintable(message));
    QVERIFY2(message.contains(u"model format %1,"_s.arg(version)), qPrintable(message));
    QVERIFY2(message.contains(u"format %1 that this version of Plumb reads"_s.arg(kModelFormatVersion)), qPrintable(message));
    // Not damage and not bad content: a kind of its own (the CLI's exit 1, not 3; HTTP 422).
    QCOMPARE(kindName(decoded.error().kind), u"Unsupported"_s);
    QVERIFY2(!embeddedDigest(future, u"future.plumb"_s).ok(), "a digest was reported for a file this build cannot read");
}

void TestModelFile::writeFileAtomically_data()
{
    QTest::addColumn<bool>("exists");
    QTest::addColumn<bool>("overwrite");
    QTest::addColumn<bool>("written");

    QTest::newRow("new-file") << false << false << true;
    QTest::newRow("new-file-overwrite-allowed") << false << true << true;
    QTest::newRow("existing-file-refused") << true << false << false;
    QTest::newRow("existing-file-overwritten") << true << true << true;
}

void TestModelFile::writeFileAtomically()
{
    QFETCH(bool, exists);
    QFETCH(bool, overwrite);
    QFETCH(bool, written);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"model.plumb"_s);
    const QByteArray old("previous contents");
    if (exists) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(old), old.size());
    }
    const std::optional<Error> error = plumb::writeFileAtomically(path, mSmall, overwrite);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray contents = file.readAll();
    if (written) {
        QVERIFY2(!error, qPrintable(error ? error->message : QString()));
        QCOMPARE(contents, mSmall);
    } else {
        QVERIFY2(error, "overwrote an existing file");
        QVERIFY2(error->message.contains(path), qPrintable(error->message));
        QCOMPARE(contents, old);
    }
    // Nothing but the file itself is left in the folder (no temporary copy).
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"model.plumb"_s});
}

// saveModelArtifact and loadModelArtifact go through the same refusal and name the file.
void TestModelFile::saveAndLoadThroughAFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"saved.plumb"_s);
    const Result<ModelArtifact> small = decodeModelArtifact(mSmall, u"small.plumb"_s);
    QVERIFY(small.ok());
    const Pipeline &pipeline = *small.value().pipeline;
    QVERIFY(!saveModelArtifact(path, pipeline, small.value().metadata, {}, false));
    const std::optional<Error> again = saveModelArtifact(path, pipeline, small.value().metadata, {}, false);
    QVERIFY2(again && again->message.contains(path), "a second save without overwrite was not refused by path");
    const Result<ModelArtifact> loaded = loadModelArtifact(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded.value().digest, small.value().digest);

    const Result<ModelArtifact> missing = loadModelArtifact(dir.filePath(u"absent.plumb"_s));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().kind, Error::Kind::Io);
    QVERIFY2(missing.error().message.contains(u"absent.plumb"_s), qPrintable(missing.error().message));
}

void TestModelFile::saveRefusesAFileThatDoesNotLoad_data()
{
    QTest::addColumn<bool>("previous"); // a model file is at the path before the save
    QTest::newRow("new-path") << false;
    QTest::newRow("replacing-a-model") << true;
}

// Metadata the loader refuses (a chart point that is NaN, written as null) is never saved: the
// save fails with the loader's message, the previous file keeps its bytes, nothing else is left.
void TestModelFile::saveRefusesAFileThatDoesNotLoad()
{
    QFETCH(bool, previous);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"model.plumb"_s);
    if (previous) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(mSmall);
    }
    const Result<ModelArtifact> small = decodeModelArtifact(mSmall, u"small.plumb"_s);
    QVERIFY(small.ok());
    ModelMetadata metadata = small.value().metadata;
    Evaluation charts;
    charts.task = Task::Regression;
    charts.actual = Eigen::Vector2d(1.0, 2.0);
    charts.predicted = Eigen::Vector2d(1.5, std::nan(""));
    metadata.evaluation = charts; // built by hand: evaluateRegression would have left the pairs out
    const std::optional<Error> error = saveModelArtifact(path, *small.value().pipeline, metadata, {}, true);
    QVERIFY(error);
    QVERIFY2(
        error->message.contains(u"model.plumb: metadata field \"validation.charts\".predicted must hold finite numbers only"_s),
        qPrintable(error->message));
    QVERIFY2(!error->message.contains(u".saving"_s), qPrintable(error->message)); // names the file the user asked for
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), previous ? QStringList{u"model.plumb"_s} : QStringList{});
    if (previous) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), mSmall);
    }
}

// Loading from a file must judge a damaged file as decodeModelArtifact judges the same bytes, with
// the same message: every byte flipped, truncations, bytes appended.
void TestModelFile::fileLoadJudgesAsBytes()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"damaged.plumb"_s);
    std::vector<QByteArray> variants;
    for (qsizetype i = 0; i < mSmall.size(); ++i) {
        QByteArray flipped = mSmall;
        flipped[i] = char(flipped[i] ^ 0x10);
        variants.push_back(flipped);
    }
    for (qsizetype length = 0; length < mSmall.size(); length += 97)
        variants.push_back(mSmall.left(length));
    variants.push_back(mSmall + QByteArray(1, '\0'));
    variants.push_back(mSmall + mSmall);
    variants.push_back(mSmall);
    QStringList wrong;
    for (const QByteArray &bytes : variants) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size());
        file.close();
        const Result<ModelArtifact> fromFile = loadModelArtifact(path);
        const Result<ModelArtifact> fromBytes = decodeModelArtifact(bytes, u"damaged.plumb"_s);
        const QString verdictFile = fromFile.ok() ? u"accepted"_s : fromFile.error().message;
        const QString verdictBytes = fromBytes.ok() ? u"accepted"_s : fromBytes.error().message;
        if (verdictFile != verdictBytes || (!fromFile.ok() && fromFile.error().kind != fromBytes.error().kind))
            wrong.append(u"%1 bytes: file \"%2\", bytes \"%3\""_s.arg(bytes.size()).arg(verdictFile, verdictBytes));
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 8).join(u'\n')));
}

void TestModelFile::fuzzSeeds_data()
{
    QTest::addColumn<QString>("path");
    const QDir corpus(QStringLiteral(PLUMB_SOURCE_DIR "/tests/fuzz/corpus/modelfile"));
    const QStringList files = corpus.entryList(QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 6, qPrintable(u"%1 seeds in %2"_s.arg(files.size()).arg(corpus.path())));
    for (const QString &file : files)
        QTest::newRow(file.toUtf8().constData()) << corpus.filePath(file);
}

// Each seed passes the fuzz target's checks; ok-* seeds load as they are, error-* seeds do not.
void TestModelFile::fuzzSeeds()
{
    QFETCH(QString, path);

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray input = file.readAll();
    QCOMPARE(fuzz::checkModelFileInput(input), QString());
    const Result<ModelArtifact> decoded = decodeModelArtifact(input, u"seed.plumb"_s);
    const QString base = QFileInfo(path).fileName();
    if (base.startsWith(u"ok-"_s))
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    else
        QVERIFY2(base.startsWith(u"error-"_s) && !decoded.ok(),
                 "an error- seed loaded, or a seed is named neither ok- nor error-");
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestModelFile)
#include "tst_modelfile.moc"
