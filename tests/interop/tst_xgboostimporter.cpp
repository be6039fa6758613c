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
#include "learn/shapexplainer.h"
#include "xgboostspread.h"

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

// A fixture's JSON; XGBoost's bare NaN (categorical splits' split_conditions) read as null, which
// the importer reads as NaN too.
QJsonObject fixtureJson(const QString &name)
{
    return QJsonDocument::fromJson(readBytes(kFixtures + name).replace("NaN", "null")).object();
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

// Every model fixture of make_xgboost_fixtures.py that Plumb imports.
const char *const kFixtureModels[] = {"binary_logistic",
                                      "binary_logistic_missing",
                                      "multi_softprob",
                                      "multi_softmax",
                                      "multi_softprob_two",
                                      "reg_squarederror_missing",
                                      "reg_absoluteerror",
                                      "reg_pseudohubererror",
                                      "cat_binary_logistic_missing",
                                      "cat_multi_softprob_missing",
                                      "cat_reg_squarederror"};

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
    void matchesXgboostOnHundredThousandRows_data();
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
    void refusedCategorical_data();
    void refusedCategorical();
    void categoricalSplitDecisions_data();
    void categoricalSplitDecisions();
    void categoriesGivenAsLevels();
    void categoricalFeaturesFromSplitsWithoutTypes();
    void categoricalExplainsAdditively_data();
    void categoricalExplainsAdditively();
    void hostileUbjson_data();
    void hostileUbjson();
};

void TestXgboostImporter::matchesXgboost_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("fixture");
    // multi_softprob_two's two margins are one in Plumb: twoClassSoftprobIsOneMargin checks it.
    for (const char *name : kFixtureModels)
        for (const char *extension : {"json", "ubj"})
            if (QLatin1String(name) != QLatin1String("multi_softprob_two")) {
                const QString model = QStringLiteral("%1.%2").arg(QLatin1String(name), QLatin1String(extension));
                QTest::newRow(qPrintable(model)) << model << QString::fromLatin1(name);
            }
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

void TestXgboostImporter::matchesXgboostOnHundredThousandRows_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("fixture");
    for (const char *name : kFixtureModels)
        for (const char *extension : {"json", "ubj"})
            QTest::addRow("%s.%s", name, extension)
                << QStringLiteral("%1.%2").arg(QLatin1String(name), QLatin1String(extension)) << QString::fromLatin1(name);
}

// XGBoost's margins for 100,000 rows around each model's inputs (spread(): values next to the
// training values, missing ones, and for categorical features every code 0..60, most of which no
// split names), scored by the imported pipeline from a dataset of those rows. The largest scaled
// difference over all models is 4.6e-7 (the margins of pseudo-Huber near 150); the test prints
// each model's.
void TestXgboostImporter::matchesXgboostOnHundredThousandRows()
{
    QFETCH(QString, model);
    QFETCH(QString, fixture);
    using namespace xgboostspread;
    const std::vector<float> golden = readFloats(kFixtures + fixture + QStringLiteral(".spread.margins.f32.z"));
    Result<XgboostImport> import = importXgboost(readBytes(kFixtures + model), model);
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    const Pipeline &pipeline = *import.value().imported.pipeline;
    QStringList names;
    const QSet<Eigen::Index> categorical = xgboostspread::categoricalColumns(pipeline, names);
    QCOMPARE(categorical.isEmpty(), !fixture.startsWith(QLatin1String("cat_")));
    const GradientBoosting *gbm = boosted(import.value());
    const Eigen::Index outputs = gbm->trees().outputs();
    // multi_softprob_two is one margin in Plumb (class 1's minus class 0's), two in XGBoost.
    const Eigen::Index xgboostOutputs = fixture == QLatin1String("multi_softprob_two") ? 2 : outputs;
    if (golden.size() != std::size_t(kRows * xgboostOutputs))
        QFAIL(qPrintable(QStringLiteral("missing or short %1.spread.margins.f32.z: run make_xgboost_fixtures.py").arg(fixture)));
    const Eigen::MatrixXd rows = spread(readMatrix(kFixtures + fixture + QStringLiteral(".inputs.csv")), categorical);
    Result<Prediction> prediction = pipeline.predict(dataset(rows, names));
    QVERIFY2(prediction, prediction ? "" : qPrintable(prediction.error().message));
    // The trees alone on the rows' values: category codes are their own levels' codes.
    std::vector<double> raw(std::size_t(kRows * outputs));
    gbm->trees().score(rows, raw.data());
    const bool classifier = pipeline.target().task == Task::Classification;
    double worstMargin = 0, worstPrediction = 0;
    for (Eigen::Index r = 0; r < kRows; ++r) {
        const float *m = golden.data() + r * xgboostOutputs;
        std::vector<double> expected(m, m + xgboostOutputs);
        if (xgboostOutputs != outputs)
            worstMargin = std::max(worstMargin, scaledDifference(raw[std::size_t(r)], double(m[1]) - double(m[0])));
        else
            for (Eigen::Index k = 0; k < outputs; ++k)
                worstMargin = std::max(worstMargin, scaledDifference(raw[std::size_t(r * outputs + k)], double(m[k])));
        if (!classifier) {
            worstPrediction = std::max(worstPrediction, scaledDifference(prediction.value().values[r], double(m[0])));
            continue;
        }
        // The probabilities XGBoost gives for these margins: the sigmoid, or the softmax.
        if (xgboostOutputs == 1)
            expected = {1.0 / (1.0 + std::exp(double(m[0]))), 1.0 / (1.0 + std::exp(-double(m[0])))};
        const double top = *std::max_element(expected.begin(), expected.end());
        double sum = 0;
        if (xgboostOutputs > 1) {
            for (double &e : expected)
                sum += (e = std::exp(e - top));
            for (double &e : expected)
                e /= sum;
        }
        for (std::size_t k = 0; k < expected.size(); ++k)
            worstPrediction = std::max(worstPrediction,
                                       std::fabs(prediction.value().probabilities(r, Eigen::Index(k)) - expected[k]));
    }
    qInfo("%s: 100000 rows, largest scaled margin difference %.3g, largest prediction difference %.3g", qPrintable(model),
          worstMargin, worstPrediction);
    QVERIFY2(worstMargin <= kTolerance, qPrintable(QStringLiteral("largest scaled margin difference %1").arg(worstMargin)));
    QVERIFY2(worstPrediction <= kTolerance, qPrintable(QStringLiteral("largest prediction difference %1").arg(worstPrediction)));
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
    // Another JSON document: the missing field is named right after the file.
    QTest::newRow("other-json") << QByteArray("{\"theme\": \"dark\"}")
                                << QStringLiteral("binary_logistic.json: the field 'version' is missing");
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
    QTest::newRow("numeric-split-on-categorical-feature") << withLearner(binary, [](QJsonObject &l) {
        l[QStringLiteral("feature_types")] = QJsonArray::fromStringList(QStringList(30, QStringLiteral("c")));
    }) << QStringLiteral("trees[0].split_type: node 0: a numeric split on the categorical feature");
    QTest::newRow("unknown-feature-type") << withLearner(binary, [](QJsonObject &l) {
        l[QStringLiteral("feature_types")] = QJsonArray::fromStringList(QStringList(30, QStringLiteral("text")));
    }) << QStringLiteral("feature_types: entry 0 is not a known feature type");
    QTest::newRow("children-not-an-array") << withFirstTree(binary, [](QJsonObject &t) {
        t[QStringLiteral("left_children")] = QStringLiteral("1,2");
    }) << QStringLiteral("trees[0].left_children: expected an array, found a string");
    QTest::newRow("children-wrong-type") << withFirstTree(binary, [](QJsonObject &t) {
        setEntry(t, "left_children", 0, QStringLiteral("1"));
    }) << QStringLiteral("trees[0].left_children: entry 0 is a string, not a number");
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
    QTest::newRow("categorical-split-without-list")
        << withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "split_type", 0, 1); })
        << QStringLiteral("trees[0].categories_nodes: node 0 is a categorical split without a category list");
    // XGBoost's bare non-finite words parse, and the field's check refuses them where they are wrong.
    for (const char *word : {"Infinity", "-Infinity", "NaN", "-NaN"}) {
        QByteArray bytes = withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "sum_hessian", 0, 12345.5); });
        bytes.replace("12345.5", word);
        QTest::addRow("cover-%s", word) << bytes
                                        << QStringLiteral(
                                               "trees[0].sum_hessian: node 0: nan is not a finite number of at least 0");
    }
    QTest::newRow("split-type-two") << withFirstTree(binary, [](QJsonObject &t) { setEntry(t, "split_type", 0, 2); })
                                    << QStringLiteral("trees[0].split_type: node 0: 2 is neither 0 (numeric) nor 1");
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

void TestXgboostImporter::refusedCategorical_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    // The first tree's root (node 0) of cat_binary_logistic_missing splits 'city' (feature 3).
    const QString cat = QStringLiteral("cat_binary_logistic_missing.json");
    QTest::newRow("code-above-254") << withFirstTree(cat, [](QJsonObject &t) { setEntry(t, "categories", 0, 300); })
                                    << QStringLiteral("trees[0].categories: node 0's category 300 is not a code in 0..254");
    QTest::newRow("negative-code") << withFirstTree(cat, [](QJsonObject &t) { setEntry(t, "categories", 0, -1); })
                                   << QStringLiteral("node 0's category -1 is not a code");
    QTest::newRow("codes-out-of-order") << withFirstTree(cat, [](QJsonObject &t) { setEntry(t, "categories", 1, 0); })
                                        << QStringLiteral("node 0's category 0 is not a code in 0..254 above the one before");
    QTest::newRow("segment-past-the-end") << withFirstTree(cat, [](QJsonObject &t) { setEntry(t, "categories_sizes", 0, 999); })
                                          << QStringLiteral("trees[0].categories_segments: node 0's codes 0..998 are outside");
    QTest::newRow("numeric-node-listed") << withFirstTree(cat, [](QJsonObject &t) { setEntry(t, "categories_nodes", 0, 1); })
                                         << QStringLiteral("node 1 is listed but is not a categorical split");
    QTest::newRow("lists-of-different-lengths") << withFirstTree(cat, [](QJsonObject &t) {
        QJsonArray sizes = t[QStringLiteral("categories_sizes")].toArray();
        sizes.removeLast();
        t[QStringLiteral("categories_sizes")] = sizes;
    }) << QStringLiteral("trees[0].categories_nodes: 4 nodes, but 4 segments and 3 sizes");
    QTest::newRow("categorical-split-on-numeric-feature") << withLearner(cat, [](QJsonObject &l) {
        l[QStringLiteral("feature_types")] = QJsonArray::fromStringList(QStringList(6, QStringLiteral("float")));
    }) << QStringLiteral("trees[0].split_type: node 0: a categorical split on 'city', which feature_types calls numeric");
}

void TestXgboostImporter::refusedCategorical()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    Result<XgboostImport> import = importXgboost(bytes, QStringLiteral("cat.json"));
    QVERIFY(!import);
    QVERIFY2(import.error().message.contains(message), qPrintable(import.error().message));
}

// One categorical split read as XGBoost 1.7.4 decides it. The expected leaves are XGBoost's own
// predictions of the same split (a model trained with max_depth 1, set {1, 2, 4, ...}, default
// right): a code in the set goes right (+1), a code outside it left (-1) however large (40, 200),
// a missing value the default side (+1). A value that is no code ("2.5", "-1") is an unknown
// category to Plumb and takes the missing side; XGBoost truncates 2.5 to 2 and sends -1 left,
// which the README states.
void TestXgboostImporter::categoricalSplitDecisions_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("defaultLeft");
    QTest::addColumn<double>("expected");
    for (const bool defaultLeft : {false, true}) {
        const char *side = defaultLeft ? "default-left" : "default-right";
        QTest::addRow("in-set-%s", side) << QStringLiteral("1") << defaultLeft << 1.0;
        QTest::addRow("in-set-last-%s", side) << QStringLiteral("3") << defaultLeft << 1.0;
        QTest::addRow("in-set-written-as-decimal-%s", side) << QStringLiteral("3.0") << defaultLeft << 1.0;
        QTest::addRow("not-in-set-%s", side) << QStringLiteral("0") << defaultLeft << -1.0;
        QTest::addRow("code-no-split-names-%s", side) << QStringLiteral("200") << defaultLeft << -1.0;
        QTest::addRow("missing-%s", side) << QString() << defaultLeft << (defaultLeft ? -1.0 : 1.0);
        QTest::addRow("not-a-code-%s", side) << QStringLiteral("2.5") << defaultLeft << (defaultLeft ? -1.0 : 1.0);
        QTest::addRow("negative-%s", side) << QStringLiteral("-1") << defaultLeft << (defaultLeft ? -1.0 : 1.0);
    }
}

void TestXgboostImporter::categoricalSplitDecisions()
{
    QFETCH(QString, value);
    QFETCH(bool, defaultLeft);
    QFETCH(double, expected);
    QByteArray bytes = oneSplitModel(0.5);
    QJsonObject root = QJsonDocument::fromJson(bytes).object();
    QJsonObject learner = root[QStringLiteral("learner")].toObject();
    learner[QStringLiteral("feature_types")] = QJsonArray{QStringLiteral("c")};
    QJsonObject booster = learner[QStringLiteral("gradient_booster")].toObject();
    QJsonObject model = booster[QStringLiteral("model")].toObject();
    QJsonObject tree = model[QStringLiteral("trees")].toArray()[0].toObject();
    setEntry(tree, "split_type", 0, 1);
    setEntry(tree, "default_left", 0, defaultLeft ? 1 : 0);
    tree[QStringLiteral("categories")] = QJsonArray{1, 3};
    tree[QStringLiteral("categories_nodes")] = QJsonArray{0};
    tree[QStringLiteral("categories_segments")] = QJsonArray{0};
    tree[QStringLiteral("categories_sizes")] = QJsonArray{2};
    model[QStringLiteral("trees")] = QJsonArray{tree};
    booster[QStringLiteral("model")] = model;
    learner[QStringLiteral("gradient_booster")] = booster;
    root[QStringLiteral("learner")] = learner;
    bytes = QJsonDocument(root).toJson(QJsonDocument::Compact);
    bytes.replace("\"split_conditions\":[0.5", "\"split_conditions\":[NaN"); // as XGBoost writes it
    QVERIFY(bytes.contains("[NaN"));
    Result<XgboostImport> import = importXgboost(bytes, QStringLiteral("split.json"));
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    const Pipeline &pipeline = *import.value().imported.pipeline;
    // The column holds codes as numbers, read by a categorical branch.
    QCOMPARE(pipeline.features().front().type, ColumnType::Float);
    QVERIFY(pipeline.router().branches().front().categorical);
    // A second column keeps the row with a missing x0 from being a blank line.
    Result<Dataset> data = CsvReader::readBytes("x0,other\n" + value.toUtf8() + ",0\n1,0\n", QStringLiteral("row.csv"));
    QVERIFY2(data, data ? "" : qPrintable(data.error().message));
    Result<Prediction> prediction = pipeline.predict(data.value());
    QVERIFY2(prediction, prediction ? "" : qPrintable(prediction.error().message));
    QCOMPARE(prediction.value().values[0], expected);
}

// The levels given in code order: a column of level names scores as the column of their codes.
void TestXgboostImporter::categoriesGivenAsLevels()
{
    const QString name = QStringLiteral("cat_multi_softprob_missing.ubj");
    XgboostCategories levels;
    for (const int count : {5, 30}) {
        QStringList list;
        for (int c = 0; c < count; ++c)
            list.append(QStringLiteral("level %1").arg(c));
        levels.insert(count == 5 ? QStringLiteral("colour") : QStringLiteral("city"), list);
    }
    Result<XgboostImport> codes = importXgboost(readBytes(kFixtures + name), name);
    Result<XgboostImport> named = importXgboost(readBytes(kFixtures + name), name, {}, levels);
    QVERIFY2(codes && named, qPrintable(!codes ? codes.error().message : !named ? named.error().message : QString()));
    QCOMPARE(named.value().imported.pipeline->features()[3].categories, levels.value(QStringLiteral("city")));
    Result<Dataset> data = CsvReader::readFile(kFixtures + QStringLiteral("cat_multi_softprob_missing.inputs.csv"));
    QVERIFY(data);
    QByteArray csv = "a,colour,b,city,c,d\n";
    for (std::size_t r = 0; r < data.value().rowCount(); ++r) {
        QStringList cells;
        for (std::size_t c = 0; c < 6; ++c) {
            const QString text = data.value().column(c).displayText(r);
            cells.append((c == 1 || c == 3) && !text.isEmpty() ? QStringLiteral("level ") + text : text);
        }
        csv += cells.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    Result<Dataset> levelled = CsvReader::readBytes(csv, QStringLiteral("levels.csv"));
    QVERIFY(levelled);
    Result<Prediction> a = codes.value().imported.pipeline->predict(data.value());
    Result<Prediction> b = named.value().imported.pipeline->predict(levelled.value());
    QVERIFY(a && b);
    QCOMPARE(b.value().probabilities, a.value().probabilities);
    // A feature named NaN: the word inside a string is text, not XGBoost's bare NaN number.
    QByteArray nanName = readBytes(kFixtures + QStringLiteral("cat_multi_softprob_missing.json"));
    QVERIFY(nanName.contains("\"a\",\"colour\""));
    nanName.replace("\"a\",\"colour\"", "\"NaN\",\"colour\"");
    Result<XgboostImport> nanFeature = importXgboost(nanName, QStringLiteral("nan.json"));
    QVERIFY2(nanFeature, nanFeature ? "" : qPrintable(nanFeature.error().message));
    QCOMPARE(nanFeature.value().imported.pipeline->features()[0].name, QStringLiteral("NaN"));
    // Levels for a numeric feature, and too few levels for a code a split names, are refused.
    Result<XgboostImport> numeric = importXgboost(readBytes(kFixtures + name), name, {},
                                                  XgboostCategories{{QStringLiteral("a"), {QStringLiteral("x")}}});
    QVERIFY(!numeric);
    QVERIFY2(numeric.error().message.contains(QLatin1String("categories were given for 'a', which is not a categorical feature "
                                                            "of the model (categorical: colour, city)")),
             qPrintable(numeric.error().message));
    levels[QStringLiteral("city")] = QStringList{QStringLiteral("only"), QStringLiteral("two")};
    Result<XgboostImport> few = importXgboost(readBytes(kFixtures + name), name, {}, levels);
    QVERIFY(!few);
    QVERIFY2(few.error().message.contains(QLatin1String("of 'city' is beyond its 2 levels")), qPrintable(few.error().message));
}

// A file without feature_types: the features its categorical splits read are categorical.
void TestXgboostImporter::categoricalFeaturesFromSplitsWithoutTypes()
{
    const QString name = QStringLiteral("cat_binary_logistic_missing.json");
    Result<XgboostImport> typed = importXgboost(readBytes(kFixtures + name), name);
    Result<XgboostImport> untyped = importXgboost(
        withLearner(name, [](QJsonObject &l) { l.remove(QStringLiteral("feature_types")); }), name);
    QVERIFY2(typed && untyped, qPrintable(!typed ? typed.error().message : !untyped ? untyped.error().message : QString()));
    QStringList names;
    QCOMPARE(xgboostspread::categoricalColumns(*untyped.value().imported.pipeline, names), (QSet<Eigen::Index>{1, 3}));
    Result<Dataset> data = CsvReader::readFile(kFixtures + QStringLiteral("cat_binary_logistic_missing.inputs.csv"));
    QVERIFY(data);
    Result<Prediction> a = typed.value().imported.pipeline->predict(data.value());
    Result<Prediction> b = untyped.value().imported.pipeline->predict(data.value());
    QVERIFY(a && b);
    QCOMPARE(b.value().probabilities, a.value().probabilities);
}

void TestXgboostImporter::categoricalExplainsAdditively_data()
{
    QTest::addColumn<QString>("model");
    for (const char *name : {"cat_binary_logistic_missing.ubj", "cat_multi_softprob_missing.json", "cat_reg_squarederror.ubj"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

// TreeSHAP follows the imported categorical splits: on every fixture row (model inputs are the
// codes themselves) each output's contributions add up to its margin less the base value, the
// defining property of SHAP values (Lundberg and Lee 2017, local accuracy), within 1e-9; and each
// contribution and base value is XGBoost's own (predict(pred_contribs=True), NAME.contribs.f32.z)
// within 1e-6 scaled by max(1, the largest |value| of that row and output): XGBoost computes
// TreeSHAP in float32, whose rounding follows the size of the terms it adds (the squared error
// model's base value is near 50: its largest scaled difference is 1.6e-7 so, 1.7e-6 scaled by each
// contribution alone).
void TestXgboostImporter::categoricalExplainsAdditively()
{
    QFETCH(QString, model);
    Result<XgboostImport> import = importXgboost(readBytes(kFixtures + model), model);
    QVERIFY2(import, import ? "" : qPrintable(import.error().message));
    const Pipeline &pipeline = *import.value().imported.pipeline;
    Result<ShapExplainer> explainer = ShapExplainer::create(pipeline);
    QVERIFY2(explainer, explainer ? "" : qPrintable(explainer.error().message));
    const ShapExplainer &e = explainer.value();
    const Eigen::MatrixXd inputs = readMatrix(kFixtures + model.section(QLatin1Char('.'), 0, 0) + QStringLiteral(".inputs.csv"));
    QVERIFY(inputs.rows() > 0);
    const GradientBoosting *gbm = boosted(import.value());
    const int outputs = gbm->trees().outputs();
    QCOMPARE(e.outputCount(), outputs);
    std::vector<double> raw(std::size_t(inputs.rows() * outputs));
    gbm->trees().score(inputs, raw.data());
    std::vector<double> phi(std::size_t(inputs.cols() * outputs));
    const QString fixture = model.section(QLatin1Char('.'), 0, 0);
    const std::vector<float> golden = xgboostspread::readFloats(kFixtures + fixture + QStringLiteral(".contribs.f32.z"));
    QCOMPARE(golden.size(), std::size_t(inputs.rows() * outputs * (inputs.cols() + 1)));
    double worst = 0, worstFromXgboost = 0;
    bool categoricalContributes = false;
    for (Eigen::Index r = 0; r < inputs.rows(); ++r) {
        const Eigen::VectorXd row = inputs.row(r).transpose();
        e.explain(row.data(), phi.data());
        for (int o = 0; o < outputs; ++o) {
            double sum = e.baseValues()[std::size_t(o)];
            for (Eigen::Index f = 0; f < inputs.cols(); ++f)
                sum += phi[std::size_t(f * outputs + o)];
            worst = std::max(worst, std::fabs(sum - raw[std::size_t(r * outputs + o)]));
            // 'city' (feature 3) drives the score: its contributions are not all zero.
            categoricalContributes |= phi[std::size_t(3 * outputs + o)] != 0;
            const float *theirs = golden.data() + (r * outputs + o) * (inputs.cols() + 1);
            double scale = 1;
            for (Eigen::Index f = 0; f <= inputs.cols(); ++f)
                scale = std::max(scale, std::fabs(double(theirs[f])));
            for (Eigen::Index f = 0; f <= inputs.cols(); ++f) {
                const double mine = f < inputs.cols() ? phi[std::size_t(f * outputs + o)] : e.baseValues()[std::size_t(o)];
                worstFromXgboost = std::max(worstFromXgboost, std::fabs(mine - double(theirs[f])) / scale);
            }
        }
    }
    QVERIFY(categoricalContributes);
    QVERIFY2(worst <= 1e-9, qPrintable(QStringLiteral("largest difference %1").arg(worst)));
    qInfo("%s: largest scaled difference from XGBoost's contributions %.3g", qPrintable(model), worstFromXgboost);
    QVERIFY2(worstFromXgboost <= kTolerance,
             qPrintable(QStringLiteral("largest scaled difference from XGBoost %1").arg(worstFromXgboost)));
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
