// The XGBoost importer: every model of tests/interop/fixtures/xgboost (written by
// make_xgboost_fixtures.py with Debian's XGBoost 1.7.4), from JSON and from UBJSON, scored against
// XGBoost's own margins and predictions; save -> load -> predict bit-identical with the
// provenance recorded; the strict comparison at a float32 threshold; and refusals, each with a
// message naming the field: unsupported boosters and objectives, and malformed files.

#include "artifact/modelartifact.h"
#include "base/sha256.h"
#include "data/csvreader.h"
#include "interop/xgboostimporter.h"
#include "interop/xgboostubjson.h"
#include "learn/gradientboosting.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <functional>

using namespace plumb;

namespace {

const QString kFixtures = QStringLiteral(PLUMB_TEST_DATA_DIR "/fixtures/xgboost/");

// XGBoost adds its float32 leaf values in float32 and returns float32 margins and predictions;
// Plumb adds the same values in double. Over these models' 12 to 72 trees the float32 rounding
// stays below a few units of 1e-7 of the margin's magnitude (at most 4.6e-7, pseudo-Huber on
// diabetes, margins near 150), so the comparison allows 1e-6, absolute up to 1 in magnitude and
// relative above.
constexpr double kTolerance = 1e-6;

double scaledDifference(double actual, double expected)
{
    return std::fabs(actual - expected) / std::max(1.0, std::fabs(expected));
}

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A CSV of numbers with a header; empty cells are NaN.
Eigen::MatrixXd readMatrix(const QString &path, QStringList *header = nullptr)
{
    const QList<QByteArray> lines = readBytes(path).trimmed().split('\n');
    if (lines.size() < 2)
        return {};
    if (header)
        *header = QString::fromUtf8(lines[0]).split(QLatin1Char(','));
    const qsizetype columns = lines[0].count(',') + 1;
    Eigen::MatrixXd matrix(lines.size() - 1, columns);
    for (qsizetype r = 1; r < lines.size(); ++r) {
        const QList<QByteArray> cells = lines[r].split(',');
        for (qsizetype c = 0; c < columns; ++c)
            matrix(r - 1, c) = c < cells.size() && !cells[c].isEmpty() ? cells[c].toDouble() : std::nan("");
    }
    return matrix;
}

QJsonObject fixtureJson(const QString &name)
{
    return QJsonDocument::fromJson(readBytes(kFixtures + name)).object();
}

// The first tree of a fixture's JSON, edited by `edit`, as the bytes of a model file.
QByteArray withFirstTree(const QString &name, const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject root = fixtureJson(name);
    QJsonObject learner = root[QStringLiteral("learner")].toObject();
    QJsonObject booster = learner[QStringLiteral("gradient_booster")].toObject();
    QJsonObject model = booster[QStringLiteral("model")].toObject();
    QJsonArray trees = model[QStringLiteral("trees")].toArray();
    QJsonObject tree = trees[0].toObject();
    edit(tree);
    trees[0] = tree;
    model[QStringLiteral("trees")] = trees;
    booster[QStringLiteral("model")] = model;
    learner[QStringLiteral("gradient_booster")] = booster;
    root[QStringLiteral("learner")] = learner;
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

// The learner of a fixture's JSON, edited by `edit`, as the bytes of a model file.
QByteArray withLearner(const QString &name, const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject root = fixtureJson(name);
    QJsonObject learner = root[QStringLiteral("learner")].toObject();
    edit(learner);
    root[QStringLiteral("learner")] = learner;
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

// Sets entry `index` of the array `key` of `object`.
void setEntry(QJsonObject &object, const char *key, qsizetype index, const QJsonValue &value)
{
    QJsonArray array = object[QLatin1String(key)].toArray();
    array[index] = value;
    object[QLatin1String(key)] = array;
}

// A hand-written model: one tree splitting feature 0 at `threshold` (a float32), leaves -1 (left)
// and +1 (right), missing values going left, base_score 0, reg:squarederror.
QByteArray oneSplitModel(double threshold)
{
    const QJsonObject tree{{QStringLiteral("tree_param"), QJsonObject{{QStringLiteral("num_nodes"), QStringLiteral("3")}}},
                           {QStringLiteral("left_children"), QJsonArray{1, -1, -1}},
                           {QStringLiteral("right_children"), QJsonArray{2, -1, -1}},
                           {QStringLiteral("split_indices"), QJsonArray{0, 0, 0}},
                           {QStringLiteral("split_conditions"), QJsonArray{threshold, -1.0, 1.0}},
                           {QStringLiteral("default_left"), QJsonArray{1, 0, 0}},
                           {QStringLiteral("sum_hessian"), QJsonArray{4.0, 2.0, 2.0}},
                           {QStringLiteral("loss_changes"), QJsonArray{1.0, 0.0, 0.0}},
                           {QStringLiteral("split_type"), QJsonArray{0, 0, 0}}};
    const QJsonObject learner{
        {QStringLiteral("learner_model_param"),
         QJsonObject{{QStringLiteral("base_score"), QStringLiteral("0")},
                     {QStringLiteral("num_class"), QStringLiteral("0")},
                     {QStringLiteral("num_feature"), QStringLiteral("1")}}},
        {QStringLiteral("objective"), QJsonObject{{QStringLiteral("name"), QStringLiteral("reg:squarederror")}}},
        {QStringLiteral("gradient_booster"),
         QJsonObject{
             {QStringLiteral("name"), QStringLiteral("gbtree")},
             {QStringLiteral("model"),
              QJsonObject{{QStringLiteral("gbtree_model_param"), QJsonObject{{QStringLiteral("num_trees"), QStringLiteral("1")}}},
                          {QStringLiteral("tree_info"), QJsonArray{0}},
                          {QStringLiteral("trees"), QJsonArray{tree}}}}}}};
    return QJsonDocument(QJsonObject{{QStringLiteral("version"), QJsonArray{1, 7, 4}}, {QStringLiteral("learner"), learner}})
        .toJson(QJsonDocument::Compact);
}

// spread() of make_xgboost_fixtures.py: 100,000 rows from `source` by integer arithmetic and one
// double multiplication each, which Python and C++ both do in IEEE double, so the rows are the
// same bits XGBoost scored.
Eigen::MatrixXd spread(const Eigen::MatrixXd &source, Eigen::Index rows)
{
    const std::int64_t n = source.rows();
    Eigen::MatrixXd out(rows, source.cols());
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t f = 0; f < source.cols(); ++f) {
            const std::int64_t k = (r * 2654435761LL + f * 40503) % 41 - 20;
            out(r, f) = (r * 31 + f * 17) % 11 == 0 ? std::nan("")
                                                    : source((r * 7919 + f * 104729) % n, f) * (1.0 + double(k) / 1e4);
        }
    return out;
}

const GradientBoosting *boosted(const XgboostImport &import)
{
    return dynamic_cast<const GradientBoosting *>(&import.imported.pipeline->model());
}

} // namespace

class TestXgboostImporter : public QObject
{
    Q_OBJECT

private slots:
    void matchesXgboost_data();
    void matchesXgboost();
    void matchesXgboostOnHundredThousandRows();
    void jsonAndUbjsonGiveTheSameModel();
    void savesWithProvenance();
    void strictComparisonAtFloat32Threshold_data();
    void strictComparisonAtFloat32Threshold();
    void twoClassSoftprobIsOneMargin_data();
    void twoClassSoftprobIsOneMargin();
    void listBaseScore_data();
    void listBaseScore();
    void refused_data();
    void refused();
    void hostileUbjson_data();
    void hostileUbjson();
};

void TestXgboostImporter::matchesXgboost_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("fixture");
    for (const char *name : {"binary_logistic", "binary_logistic_missing", "multi_softprob", "multi_softmax",
                             "reg_squarederror_missing", "reg_absoluteerror", "reg_pseudohubererror"})
        for (const char *extension : {"json", "ubj"})
            QTest::addRow("%s.%s", name, extension)
                << QStringLiteral("%1.%2").arg(QLatin1String(name), QLatin1String(extension)) << QString::fromLatin1(name);
}

void TestXgboostImporter::matchesXgboost()
{
    QFETCH(QString, model);
    QFETCH(QString, fixture);
    const QByteArray bytes = readBytes(kFixtures + model);
    if (bytes.isEmpty())
        QFAIL(qPrintable(QStringLiteral("missing fixture %1: run make_xgboost_fixtures.py").arg(model)));
    Result<XgboostImport> import = importXgboost(bytes, model);
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    QCOMPARE(import.value().version, QStringLiteral("1.7.4"));
    QCOMPARE(import.value().container, model.endsWith(QLatin1String(".ubj")) ? QStringLiteral("UBJSON") : QStringLiteral("JSON"));

    Result<Dataset> data = CsvReader::readFile(kFixtures + fixture + QStringLiteral(".inputs.csv"));
    QVERIFY2(data, data ? "" : qPrintable(data.error().message));
    const Pipeline &pipeline = *import.value().imported.pipeline;
    Result<Prediction> prediction = pipeline.predict(data.value());
    QVERIFY2(prediction, prediction ? "" : qPrintable(prediction.error().message));

    QStringList header;
    const Eigen::MatrixXd expected = readMatrix(kFixtures + fixture + QStringLiteral(".expected.csv"), &header);
    const Eigen::Index margins = header.filter(QStringLiteral("margin")).size();
    const bool classifier = pipeline.target().task == Task::Classification;
    QCOMPARE(expected.rows(), Eigen::Index(data.value().rowCount()));
    const Eigen::MatrixXd inputs = readMatrix(kFixtures + fixture + QStringLiteral(".inputs.csv"));
    const GradientBoosting *gbm = boosted(import.value());
    QVERIFY(gbm);
    QCOMPARE(Eigen::Index(gbm->trees().outputs()), margins);
    std::vector<double> raw(std::size_t(inputs.rows() * margins));
    gbm->trees().score(inputs, raw.data());
    double worst = 0;
    for (Eigen::Index r = 0; r < expected.rows(); ++r) {
        for (Eigen::Index m = 0; m < margins; ++m)
            worst = std::max(worst, scaledDifference(raw[std::size_t(r * margins + m)], expected(r, m)));
        if (classifier)
            for (Eigen::Index k = 0; k < prediction.value().probabilities.cols(); ++k)
                worst = std::max(worst, scaledDifference(prediction.value().probabilities(r, k), expected(r, margins + k)));
        else
            worst = std::max(worst, scaledDifference(prediction.value().values[r], expected(r, margins)));
    }
    QVERIFY2(worst <= kTolerance, qPrintable(QStringLiteral("largest scaled difference %1").arg(worst)));
}

// XGBoost's margins for 100,000 rows around the training values of a model with missing values
// (their largest scaled difference from Plumb's is 3.4e-7).
void TestXgboostImporter::matchesXgboostOnHundredThousandRows()
{
    constexpr Eigen::Index kRows = 100000;
    const QByteArray golden = readBytes(kFixtures + QStringLiteral("binary_logistic_missing.spread.margins.f32"));
    if (golden.size() != kRows * 4)
        QFAIL("missing or short binary_logistic_missing.spread.margins.f32: run make_xgboost_fixtures.py");
    Result<XgboostImport> import = importXgboost(readBytes(kFixtures + QStringLiteral("binary_logistic_missing.ubj")),
                                                 QStringLiteral("m.ubj"));
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    const Eigen::MatrixXd rows = spread(readMatrix(kFixtures + QStringLiteral("binary_logistic_missing.inputs.csv")), kRows);
    const GradientBoosting *gbm = boosted(import.value());
    std::vector<double> raw(static_cast<std::size_t>(kRows));
    gbm->trees().score(rows, raw.data());
    const Eigen::MatrixXd probabilities = gbm->predictProba(rows);
    double worstMargin = 0, worstProbability = 0;
    for (Eigen::Index r = 0; r < kRows; ++r) {
        float margin = 0; // little-endian float32, as numpy's "<f4" wrote it
        std::uint32_t bits = 0;
        for (int b = 3; b >= 0; --b)
            bits = (bits << 8) | quint8(golden[qsizetype(r * 4 + b)]);
        std::memcpy(&margin, &bits, sizeof margin);
        worstMargin = std::max(worstMargin, scaledDifference(raw[std::size_t(r)], double(margin)));
        worstProbability = std::max(worstProbability, std::fabs(probabilities(r, 1) - 1.0 / (1.0 + std::exp(-double(margin)))));
    }
    QVERIFY2(worstMargin <= kTolerance, qPrintable(QStringLiteral("largest scaled margin difference %1").arg(worstMargin)));
    QVERIFY2(worstProbability <= kTolerance,
             qPrintable(QStringLiteral("largest probability difference %1").arg(worstProbability)));
}

void TestXgboostImporter::jsonAndUbjsonGiveTheSameModel()
{
    for (const char *name : {"binary_logistic_missing", "multi_softmax", "reg_squarederror_missing"}) {
        Result<XgboostImport> json = importXgboost(readBytes(kFixtures + QLatin1String(name) + QStringLiteral(".json")),
                                                   QStringLiteral("a.json"));
        Result<XgboostImport> ubj = importXgboost(readBytes(kFixtures + QLatin1String(name) + QStringLiteral(".ubj")),
                                                  QStringLiteral("a.ubj"));
        QVERIFY(json && ubj);
        const ComponentState a = json.value().imported.pipeline->model().state(),
                             b = ubj.value().imported.pipeline->model().state();
        QCOMPARE(a.values, b.values);
        QCOMPARE(a.arrays.size(), b.arrays.size());
        for (const auto &[key, tensor] : a.arrays) {
            QVERIFY2(b.arrays.count(key), qPrintable(key));
            QVERIFY2(tensor.data == b.arrays.at(key).data, qPrintable(QStringLiteral("%1: %2").arg(QLatin1String(name), key)));
        }
        // sum_hessian is kept for every node (the root's cover is the training rows' hessian sum).
        QVERIFY(a.arrays.count(QStringLiteral("node_cover")));
        QVERIFY(a.arrays.at(QStringLiteral("node_cover")).data.front() > 0);
    }
}

void TestXgboostImporter::savesWithProvenance()
{
    QTemporaryDir dir;
    const QString source = kFixtures + QStringLiteral("multi_softprob.ubj");
    const QString output = dir.filePath(QStringLiteral("iris.plumb"));
    Result<XgboostImport> import = importXgboostToFile(source, output);
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    Result<ModelArtifact> loaded = loadModelArtifact(output);
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    const ImportProvenance &provenance = loaded.value().metadata.imported;
    QCOMPARE(provenance.library, QStringLiteral("XGBoost"));
    QCOMPARE(provenance.libraryVersion, QStringLiteral("1.7.4"));
    QCOMPARE(provenance.container, QStringLiteral("UBJSON"));
    QCOMPARE(provenance.source, QStringLiteral("multi_softprob.ubj"));
    QCOMPARE(provenance.sha256, fileSha256Hex(source).value());
    QCOMPARE(provenance.positionalFeatures, false);
    Result<Dataset> data = CsvReader::readFile(kFixtures + QStringLiteral("multi_softprob.inputs.csv"));
    QVERIFY(data);
    const Result<Prediction> before = import.value().imported.pipeline->predict(data.value());
    const Result<Prediction> after = loaded.value().pipeline->predict(data.value());
    QVERIFY(before && after);
    QCOMPARE(after.value().probabilities, before.value().probabilities);
    // An existing file is not replaced without overwrite.
    const Result<XgboostImport> again = importXgboostToFile(source, output);
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Error::Kind::Io);
    // A refused source is Invalid: the command line exits 3 for it, 1 for the above.
    const QString dart = kFixtures + QStringLiteral("refused_dart.json");
    const Result<XgboostImport> refused = importXgboostToFile(dart, dir.filePath(QStringLiteral("dart.plumb")));
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::Invalid);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("dart.plumb"))));
}

void TestXgboostImporter::strictComparisonAtFloat32Threshold_data()
{
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("expected");
    // XGBoost rounds x to float32 and goes left (-1) when it is below 0.5, right (+1) otherwise.
    QTest::newRow("at-threshold-goes-right") << 0.5 << 1.0;
    QTest::newRow("rounds-up-to-threshold-goes-right") << 0.5 - 1e-10 << 1.0;
    QTest::newRow("float32-below-threshold-goes-left") << double(std::nextafter(0.5f, 0.0f)) << -1.0;
    QTest::newRow("above-threshold-goes-right") << 0.75 << 1.0;
    QTest::newRow("missing-goes-default-left") << std::nan("") << -1.0;
}

void TestXgboostImporter::strictComparisonAtFloat32Threshold()
{
    QFETCH(double, x);
    QFETCH(double, expected);
    Result<XgboostImport> import = importXgboost(oneSplitModel(0.5), QStringLiteral("split.json"));
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    double raw = 0;
    boosted(import.value())->trees().scoreRow(&x, &raw);
    QCOMPARE(raw, expected);
}

// multi:softprob with two classes: XGBoost keeps a margin per class; Plumb one, the log-odds of
// class 1, whose sigmoid is softmax's probability of class 1. Expected: the fixture's margins
// (m1 - m0) and probabilities, from make_xgboost_fixtures.py.
void TestXgboostImporter::twoClassSoftprobIsOneMargin_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("json") << QStringLiteral("multi_softprob_two.json");
    QTest::newRow("ubjson") << QStringLiteral("multi_softprob_two.ubj");
}

void TestXgboostImporter::twoClassSoftprobIsOneMargin()
{
    QFETCH(QString, model);
    Result<XgboostImport> import = importXgboost(readBytes(kFixtures + model), model);
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    const GradientBoosting *gbm = boosted(import.value());
    QVERIFY(gbm);
    QCOMPARE(gbm->trees().outputs(), 1);
    Result<Dataset> data = CsvReader::readFile(kFixtures + QStringLiteral("multi_softprob_two.inputs.csv"));
    QVERIFY(data);
    Result<Prediction> prediction = import.value().imported.pipeline->predict(data.value());
    QVERIFY2(prediction, prediction ? "" : qPrintable(prediction.error().message));
    const Eigen::MatrixXd expected = readMatrix(kFixtures + QStringLiteral("multi_softprob_two.expected.csv"));
    const Eigen::MatrixXd inputs = readMatrix(kFixtures + QStringLiteral("multi_softprob_two.inputs.csv"));
    std::vector<double> raw(std::size_t(inputs.rows()));
    gbm->trees().score(inputs, raw.data());
    QCOMPARE(prediction.value().probabilities.cols(), Eigen::Index(2));
    double worst = 0;
    for (Eigen::Index r = 0; r < expected.rows(); ++r) {
        worst = std::max(worst, scaledDifference(raw[std::size_t(r)], expected(r, 1) - expected(r, 0)));
        for (Eigen::Index k = 0; k < 2; ++k)
            worst = std::max(worst, scaledDifference(prediction.value().probabilities(r, k), expected(r, 2 + k)));
    }
    QVERIFY2(worst <= kTolerance, qPrintable(QStringLiteral("largest scaled difference %1").arg(worst)));
}

// XGBoost 2.1 writes base_score as a list in text ("[5E-1]"), later versions one entry per
// output: the same model with its base_score so written scores the same bits as with "5E-1".
void TestXgboostImporter::listBaseScore_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<int>("entries");
    QTest::newRow("binary-one-entry") << QStringLiteral("binary_logistic") << 1;
    QTest::newRow("regression-one-entry") << QStringLiteral("reg_squarederror_missing") << 1;
    QTest::newRow("softprob-one-entry") << QStringLiteral("multi_softprob") << 1;
    QTest::newRow("softprob-one-per-class") << QStringLiteral("multi_softprob") << 3;
}

void TestXgboostImporter::listBaseScore()
{
    QFETCH(QString, fixture);
    QFETCH(int, entries);
    const QString name = fixture + QStringLiteral(".json");
    Result<XgboostImport> plain = importXgboost(readBytes(kFixtures + name), name);
    QVERIFY2(plain, plain ? "" : qPrintable(plain.error().message));
    Result<XgboostImport> listed = importXgboost(
        withLearner(name,
                    [entries](QJsonObject &l) {
                        QJsonObject p = l[QStringLiteral("learner_model_param")].toObject();
                        const QString score = p[QStringLiteral("base_score")].toString();
                        p[QStringLiteral("base_score")] = QLatin1Char('[') + QStringList(entries, score).join(QLatin1Char(','))
                            + QLatin1Char(']');
                        l[QStringLiteral("learner_model_param")] = p;
                    }),
        name);
    QVERIFY2(listed, listed ? "" : qPrintable(listed.error().message));
    Result<Dataset> data = CsvReader::readFile(kFixtures + fixture + QStringLiteral(".inputs.csv"));
    QVERIFY(data);
    Result<Prediction> a = plain.value().imported.pipeline->predict(data.value());
    Result<Prediction> b = listed.value().imported.pipeline->predict(data.value());
    QVERIFY(a && b);
    QCOMPARE(b.value().probabilities, a.value().probabilities);
    QCOMPARE(b.value().values, a.value().values);
}

void TestXgboostImporter::refused_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const QString binary = QStringLiteral("binary_logistic.json");
    QTest::newRow("dart") << readBytes(kFixtures + QStringLiteral("refused_dart.json"))
                          << QStringLiteral("the dart booster is not supported");
    QTest::newRow("gblinear") << readBytes(kFixtures + QStringLiteral("refused_gblinear.json"))
                              << QStringLiteral("the gblinear booster is not supported");
    QTest::newRow("ranking") << readBytes(kFixtures + QStringLiteral("refused_rank.json"))
                             << QStringLiteral("rank:pairwise is not supported: ranking");
    QTest::newRow("poisson") << readBytes(kFixtures + QStringLiteral("refused_poisson.json"))
                             << QStringLiteral("count:poisson is not supported");
    const QByteArray json = readBytes(kFixtures + binary), ubj = readBytes(kFixtures + QStringLiteral("binary_logistic.ubj"));
    QTest::newRow("truncated-json") << json.left(json.size() / 2) << QStringLiteral("binary_logistic.json: byte");
    QTest::newRow("truncated-ubjson") << ubj.left(ubj.size() / 2) << QStringLiteral("binary_logistic.json: byte");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("byte 0: not an XGBoost model file");
    QTest::newRow("text") << QByteArray("# a README") << QStringLiteral("byte 0: not an XGBoost model file");
    // Qt's parser would keep the second silently; XGBoost's reader is no guide to which is meant.
    QByteArray twice = json;
    twice.insert(1, "\"version\":[9,9,9],");
    QTest::newRow("duplicate-json-key") << twice << QStringLiteral("the key 'version' appears twice in one object");
    QByteArray escapedTwice = json;
    escapedTwice.insert(1, "\"vers\\u0069on\":[9,9,9],");
    QTest::newRow("duplicate-json-key-escaped") << escapedTwice << QStringLiteral("the key 'version' appears twice");
    QTest::newRow("unknown-objective") << withLearner(binary, [](QJsonObject &l) {
        l[QStringLiteral("objective")] = QJsonObject{{QStringLiteral("name"), QStringLiteral("reg:unheard")}};
    }) << QStringLiteral("learner.objective.name: the objective reg:unheard is not supported");
    QTest::newRow("num-feature-text") << withLearner(binary, [](QJsonObject &l) {
        QJsonObject p = l[QStringLiteral("learner_model_param")].toObject();
        p[QStringLiteral("num_feature")] = QStringLiteral("thirty");
        l[QStringLiteral("learner_model_param")] = p;
    }) << QStringLiteral("learner.learner_model_param.num_feature: expected a finite number, found 'thirty'");
    QTest::newRow("base-score-not-probability") << withLearner(binary, [](QJsonObject &l) {
        QJsonObject p = l[QStringLiteral("learner_model_param")].toObject();
        p[QStringLiteral("base_score")] = QStringLiteral("1.5");
        l[QStringLiteral("learner_model_param")] = p;
    }) << QStringLiteral("base_score: 1.5 is not a probability");
    QTest::newRow("base-score-list-of-two-for-one-output") << withLearner(binary, [](QJsonObject &l) {
        QJsonObject p = l[QStringLiteral("learner_model_param")].toObject();
        p[QStringLiteral("base_score")] = QStringLiteral("[5E-1,5E-1]");
        l[QStringLiteral("learner_model_param")] = p;
    }) << QStringLiteral("base_score: 2 values for 1 output(s)");
    QTest::newRow("categorical-feature") << withLearner(binary, [](QJsonObject &l) {
        QJsonArray types;
        for (int i = 0; i < 30; ++i)
            types.append(i == 3 ? QStringLiteral("c") : QStringLiteral("float"));
        l[QStringLiteral("feature_types")] = types;
    }) << QStringLiteral("feature 3 is categorical");
    QTest::newRow("children-not-an-array") << withFirstTree(binary, [](QJsonObject &t) {
        t[QStringLiteral("left_children")] = QStringLiteral("1,2");
    }) << QStringLiteral("trees[0].left_children: expected an array, found text");
    QTest::newRow("children-wrong-type") << withFirstTree(binary, [](QJsonObject &t) {
        setEntry(t, "left_children", 0, QStringLiteral("1"));
    }) << QStringLiteral("trees[0].left_children: entry 0 is text, not a number");
    QTest::newRow("inconsistent-lengths") << withFirstTree(binary, [](QJsonObject &t) {
        QJsonArray a = t[QStringLiteral("split_conditions")].toArray();
        a.removeLast();
        t[QStringLiteral("split_conditions")] = a;
    }) << QStringLiteral("trees[0].split_conditions: ");
    QTest::newRow("child-out-of-range") << withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "right_children", 0, 9999); })
                                        << QStringLiteral("trees[0].right_children: node 0: the child 9999 is outside");
    QTest::newRow("child-is-the-root") << withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "left_children", 0, 0); })
                                       << QStringLiteral("trees[0].left_children: node 0: the child 0 is reached twice");
    QTest::newRow("cycle-below-the-root") << withFirstTree(binary, [](QJsonObject &t) {
        // Node 1 is a split; its right child becomes its parent.
        setEntry(t, "right_children", 1, 0);
    }) << QStringLiteral("trees[0].right_children: node 1: the child 0 is reached twice");
    QTest::newRow("categorical-split") << withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "split_type", 0, 1); })
                                       << QStringLiteral("trees[0].split_type: node 0: categorical splits are not supported");
    QTest::newRow("feature-out-of-range") << withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "split_indices", 0, 30); })
                                          << QStringLiteral("trees[0].split_indices: node 0: feature 30 is outside 0..29");
    QTest::newRow("num-trees-disagrees") << withLearner(binary, [](QJsonObject &l) {
        QJsonObject b = l[QStringLiteral("gradient_booster")].toObject();
        QJsonObject m = b[QStringLiteral("model")].toObject();
        QJsonArray trees = m[QStringLiteral("trees")].toArray();
        trees.removeLast();
        m[QStringLiteral("trees")] = trees;
        b[QStringLiteral("model")] = m;
        l[QStringLiteral("gradient_booster")] = b;
    }) << QStringLiteral("11 trees; num_trees says 12");
}

void TestXgboostImporter::refused()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    Result<XgboostImport> import = importXgboost(bytes, QStringLiteral("binary_logistic.json"));
    QVERIFY(!import);
    QVERIFY2(import.error().message.contains(message), qPrintable(import.error().message));
    QVERIFY2(import.error().message.startsWith(QLatin1String("binary_logistic.json: ")), qPrintable(import.error().message));
}

void TestXgboostImporter::hostileUbjson_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    // Counts are int64 big-endian after 'L'.
    QTest::newRow("huge-typed-count") << QByteArray("[$d#L\x7f\xff\xff\xff\xff\xff\xff\xff", 13)
                                      << QStringLiteral(
                                             "9223372036854775807 elements of at least 4 bytes each exceed the 0 bytes left");
    QTest::newRow("huge-string") << QByteArray("SL\x00\x00\x00\x01\x00\x00\x00\x00", 10)
                                 << QStringLiteral("a string of 4294967296 bytes");
    QTest::newRow("negative-length") << QByteArray("Si\xff", 3) << QStringLiteral("negative length -1");
    QTest::newRow("typed-nulls") << QByteArray("[$Z#L\x00\x00\x00\x00\x7f\xff\xff\xff", 13)
                                 << QStringLiteral("unsupported element type");
    QTest::newRow("deep-nesting") << QByteArray(100, '[') << QStringLiteral("nesting deeper than 64 levels");
    QTest::newRow("duplicate-key") << QByteArray("{i\x01"
                                                 "aTi\x01"
                                                 "aF}",
                                                 10)
                                   << QStringLiteral("the key 'a' appears twice");
    QTest::newRow("trailing-bytes") << QByteArray("[]Z", 3) << QStringLiteral("1 bytes follow the end");
    QTest::newRow("high-precision") << QByteArray("Hi\x01"
                                                  "1",
                                                  4)
                                    << QStringLiteral("high-precision numbers are not supported");
    QTest::newRow("unknown-marker") << QByteArray("[X]", 3) << QStringLiteral("byte 1: unknown type marker 0x58");
    QTest::newRow("unterminated-array") << QByteArray("[i\x01", 3) << QStringLiteral("the document ends too early");
}

void TestXgboostImporter::hostileUbjson()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    Result<QJsonValue> value = readUbjson(bytes, QStringLiteral("m.ubj"));
    QVERIFY(!value);
    QVERIFY2(value.error().message.startsWith(QLatin1String("m.ubj: byte ")), qPrintable(value.error().message));
    QVERIFY2(value.error().message.contains(message), qPrintable(value.error().message));
}

QTEST_GUILESS_MAIN(TestXgboostImporter)
#include "tst_xgboostimporter.moc"
