#include "artifacttestutil.h"

#include "artifact/modelfile.h"
#include "base/random.h"
#include "data/columnprofile.h"
#include "data/csvreader.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include <algorithm>
#include <array>

namespace plumb::testutil {

namespace {

constexpr qsizetype kHeaderBytes = 24;
constexpr qsizetype kTrailerBytes = 40;
constexpr qsizetype kAlignment = 64;

QString number(double value)
{
    return QString::number(value, 'f', 4);
}

// One generated row before any value is blanked out.
struct Row
{
    double x1, x2;
    int x3, color, size;
    bool flag;
};

Row drawRow(Random &random)
{
    Row row{random.normal(),       random.uniform() * 2.0 - 1.0, int(random.below(10)), int(random.below(3)), 0,
            random.uniform() < 0.4};
    const double u = random.uniform(); // size S, M, L, XL with shares 0.4, 0.3, 0.2, 0.1
    row.size = u < 0.4 ? 0 : (u < 0.7 ? 1 : (u < 0.9 ? 2 : 3));
    return row;
}

const std::array<const char *, 3> kColors{"red", "green", "blue"};
const std::array<const char *, 4> kSizes{"S", "M", "L", "XL"};

QString targetText(Target target, const Row &row, Random &random)
{
    constexpr std::array<double, 3> colorEffect{1.0, -1.0, 0.5};
    constexpr std::array<double, 4> sizeEffect{0.0, 0.5, 1.0, 2.0};
    const double base = 1.5 * row.x1 - 2.0 * row.x2 + 0.3 * row.x3 + colorEffect[std::size_t(row.color)]
        + sizeEffect[std::size_t(row.size)] + (row.flag ? 0.7 : 0.0);
    switch (target) {
    case Target::Regression:
        return number(3.0 + base + 0.3 * random.normal());
    case Target::Binary:
        return base - 2.0 + random.normal() > 0 ? QStringLiteral("yes") : QStringLiteral("no");
    case Target::ThreeClass: {
        const std::array<double, 3> scores{row.x1 + random.normal(),
                                           row.x2 * 2.0 + colorEffect[std::size_t(row.color)] + random.normal(),
                                           0.2 * row.x3 - 0.8 + random.normal()};
        const auto best = std::max_element(scores.begin(), scores.end()) - scores.begin();
        return QString(QLatin1Char(char('a' + best)));
    }
    }
    return {};
}

QJsonValue childAt(const QJsonValue &parent, const QVariant &key)
{
    return key.typeId() == QMetaType::Int ? parent.toArray().at(key.toInt()) : parent.toObject().value(key.toString());
}

// Rebuilds `parent` with the value at `path` replaced (or removed when `remove`).
QJsonValue replaced(const QJsonValue &parent, const QVariantList &path, qsizetype depth, const QJsonValue &value, bool remove)
{
    const QVariant &key = path[depth];
    const bool last = depth + 1 == path.size();
    if (key.typeId() == QMetaType::Int) {
        QJsonArray array = parent.toArray();
        if (last && remove)
            array.removeAt(key.toInt());
        else
            array[key.toInt()] = last ? value : replaced(array.at(key.toInt()), path, depth + 1, value, remove);
        return array;
    }
    QJsonObject object = parent.toObject();
    if (last && remove)
        object.remove(key.toString());
    else
        object.insert(key.toString(), last ? value : replaced(object.value(key.toString()), path, depth + 1, value, remove));
    return object;
}

} // namespace

QStringList featureNames()
{
    return numericFeatures() + categoricalFeatures();
}
QStringList numericFeatures()
{
    return {QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("x3")};
}
QStringList categoricalFeatures()
{
    return {QStringLiteral("color"), QStringLiteral("size"), QStringLiteral("flag")};
}

QString targetName(Target target)
{
    return target == Target::Regression ? QStringLiteral("y") : QStringLiteral("label");
}

QByteArray trainingCsv(Target target, int rows, std::uint64_t seed)
{
    Random random(seed);
    QString csv = featureNames().join(QLatin1Char(',')) + QLatin1Char(',') + targetName(target) + QLatin1Char('\n');
    for (int i = 0; i < rows; ++i) {
        const Row row = drawRow(random);
        const QString label = targetText(target, row, random);
        const QStringList fields{
            i % 7 == 3 ? QString() : number(row.x1),
            i % 13 == 5 ? QString() : number(row.x2),
            i % 23 == 1 ? QString() : QString::number(row.x3),
            i % 11 == 4 ? QString() : QString::fromLatin1(kColors[std::size_t(row.color)]),
            i % 17 == 2 ? QString() : QString::fromLatin1(kSizes[std::size_t(row.size)]),
            i % 19 == 6 ? QString() : (row.flag ? QStringLiteral("true") : QStringLiteral("false")),
            label,
        };
        csv += fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return csv.toUtf8();
}

QByteArray scoringCsv()
{
    return "x1,x2,x3,color,size,flag\n"
           "0.5,0.2,3,red,M,true\n"
           ",,,,,\n"
           "-1.2,0.9,7,purple,XXL,false\n"
           "2.5,,0,blue,,true\n"
           ",0.1,5,green,S,\n"
           "10.0,-3.0,9,red,XL,false\n"
           "-0.3,-0.7,1,green,L,true\n";
}

Result<Dataset> readCsv(const QByteArray &csv, const QString &name)
{
    return CsvReader::readBytes(csv, name);
}

std::unique_ptr<Transformer> makeStep(const QString &kind, const std::vector<std::pair<QString, QVariant>> &params)
{
    std::unique_ptr<Transformer> step = createTransformer(kind);
    if (!step)
        return nullptr;
    for (const auto &[name, value] : params)
        if (step->setParam(name, value))
            return nullptr;
    return step;
}

RouterBranch makeBranch(const QString &name, const QStringList &columns, bool categorical,
                        std::vector<std::unique_ptr<Transformer>> steps)
{
    return RouterBranch{name, columns, categorical, std::move(steps), {}};
}

Result<Pipeline> fitted(Pipeline pipeline, const Dataset &data, const QString &target)
{
    const Result<FitReport> report = pipeline.fit(data, target, {});
    if (!report)
        return report.error();
    return pipeline;
}

Result<Pipeline> fittedDefaults(const Dataset &data, const QStringList &features, const QString &kind, const QString &target)
{
    std::unique_ptr<Model> model = createModel(kind);
    if (!model)
        return Error::invalid(QStringLiteral("no model kind '%1'").arg(kind));
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, features, std::move(model));
    if (!pipeline)
        return pipeline.error();
    return fitted(std::move(pipeline).value(), data, target);
}

ModelMetadata sampleMetadata()
{
    ModelMetadata metadata;
    metadata.name = QStringLiteral("churn baseline");
    metadata.description = QStringLiteral("Generated table; \"quoted\" text, a tab\tand non-ASCII: größe");
    metadata.tags = QStringList{QStringLiteral("test"), QStringLiteral("baseline")};
    metadata.author = QStringLiteral("Model File Tests");
    metadata.created = QDateTime(QDate(2024, 3, 9), QTime(14, 5, 7, 123), Qt::UTC);
    // Fixed rather than softwareEnvironment(), so the files do not depend on the build machine.
    metadata.software = QJsonObject{{QStringLiteral("plumb"), QStringLiteral("0.1.0")},
                                    {QStringLiteral("format"), 1},
                                    {QStringLiteral("compiler"), QStringLiteral("gcc 12.2.0")}};
    metadata.sourceFile = QStringLiteral("generated.csv");
    metadata.sourceSha256 = QStringLiteral("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    metadata.rows = 120;
    metadata.columns = 7;
    metadata.validation = QStringLiteral("kfold:5");
    metadata.metrics = {{QStringLiteral("rmse"), 0.3125}, {QStringLiteral("r2"), 0.9}, {QStringLiteral("roc_auc"), std::nan("")}};
    metadata.seed = 9223372036854775813ULL; // 2^63 + 5: more than a double holds exactly
    metadata.fitSeconds = 0.0625;
    metadata.parentDigest = QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    metadata.lineageReason = QStringLiteral("retrained on March data");
    return metadata;
}

QJsonArray profileOf(const Dataset &data)
{
    QJsonArray profile;
    for (const Column &column : data.columns())
        profile.append(profileToJson(profileColumn(column)));
    return profile;
}

Result<QByteArray> smallModelFile()
{
    Result<Dataset> data = readCsv(trainingCsv(Target::Regression, 30, 11), QStringLiteral("small.csv"));
    if (!data)
        return data.error();
    Result<Pipeline> pipeline = fittedDefaults(data.value(), {QStringLiteral("x1")}, QStringLiteral("linear_regression"),
                                               targetName(Target::Regression));
    if (!pipeline)
        return pipeline.error();
    ModelMetadata metadata = sampleMetadata();
    metadata.description.clear();
    return encodeModelArtifact(pipeline.value(), metadata, {});
}

Container splitContainer(const QByteArray &file)
{
    Container container;
    if (file.size() < kHeaderBytes + kTrailerBytes)
        return container;
    container.version = qFromLittleEndian<quint32>(file.constData() + 8);
    container.flags = qFromLittleEndian<quint32>(file.constData() + 12);
    const auto length = qsizetype(qFromLittleEndian<quint64>(file.constData() + 16));
    container.manifest = file.mid(kHeaderBytes, length);
    const qsizetype dataStart = (kHeaderBytes + length + kAlignment - 1) / kAlignment * kAlignment;
    container.data = file.mid(dataStart, file.size() - kTrailerBytes - dataStart);
    return container;
}

QByteArray buildContainer(const Container &container)
{
    QByteArray out("\x89PLUMB\r\n", 8);
    char field[8];
    qToLittleEndian<quint32>(container.version, field);
    out.append(field, 4);
    qToLittleEndian<quint32>(container.flags, field);
    out.append(field, 4);
    qToLittleEndian<quint64>(quint64(container.manifest.size()), field);
    out.append(field, 8);
    out.append(container.manifest);
    out.append(QByteArray((kAlignment - out.size() % kAlignment) % kAlignment, '\0'));
    out.append(container.data);
    return sealed(out);
}

QByteArray sealed(const QByteArray &body)
{
    return body + QByteArray("PLUMBSUM") + QCryptographicHash::hash(body, QCryptographicHash::Sha256);
}

QByteArray withoutTrailer(const QByteArray &file)
{
    return file.left(file.size() - kTrailerBytes);
}

QByteArray patchedAndResealed(const QByteArray &file, qsizetype offset, const QByteArray &bytes)
{
    QByteArray body = withoutTrailer(file);
    body.replace(offset, bytes.size(), bytes);
    return sealed(body);
}

QByteArray withEditedManifest(const QByteArray &file, const std::function<void(QJsonObject &)> &edit)
{
    Container container = splitContainer(file);
    QJsonObject manifest = QJsonDocument::fromJson(container.manifest).object();
    edit(manifest);
    container.manifest = QJsonDocument(manifest).toJson(QJsonDocument::Compact);
    return buildContainer(container);
}

QByteArray withEditedContents(const QByteArray &file, const std::function<void(ModelFileContents &)> &edit)
{
    Result<ModelFileContents> contents = decodeModelFile(file, QStringLiteral("edited.plumb"));
    if (!contents)
        return {};
    edit(contents.value());
    return encodeModelFile(contents.value());
}

QByteArray withoutNodeCovers(const QByteArray &file)
{
    return withEditedContents(file, [](ModelFileContents &contents) {
        const QVariantList model{QStringLiteral("pipeline"), QStringLiteral("model"), QStringLiteral("arrays")};
        QJsonObject ids = valueAt(contents.manifest, model).toObject();
        contents.arrays.erase(ids.value(QLatin1String("node_cover")).toString());
        ids.remove(QStringLiteral("node_cover"));
        setAt(contents.manifest, model, ids);
        removeAt(contents.manifest, {QStringLiteral("metadata"), QStringLiteral("validation"), QStringLiteral("shap")});
    });
}

void setAt(QJsonObject &root, const QVariantList &path, const QJsonValue &value)
{
    root = replaced(root, path, 0, value, false).toObject();
}

void removeAt(QJsonObject &root, const QVariantList &path)
{
    root = replaced(root, path, 0, QJsonValue(), true).toObject();
}

QJsonValue valueAt(const QJsonObject &root, const QVariantList &path)
{
    QJsonValue value = root;
    for (const QVariant &key : path)
        value = childAt(value, key);
    return value;
}

} // namespace plumb::testutil
