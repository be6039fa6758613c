// The ONNX export, checked by running every exported model in ONNX Runtime (onnxruntime-node,
// driven by tests/interop/onnx/run_onnx.js) on 10,000 rows and comparing with Plumb's own
// predictions of the same rows; models imported from XGBoost and scikit-learn are checked on their
// fixtures' committed inputs. The rows are generated here from a fixed seed (splitmix64, so
// every platform makes the same ones): numbers with missing values, categories with missing and
// unseen values, a boolean; a model is trained on 2,000 of them and scores 10,000 others.

#include "artifact/modelartifact.h"
#include "data/csvreader.h"
#include "interop/onnxexport.h"
#include "interop/picklescanner.h"
#include "interop/sklearnimporter.h"
#include "interop/xgboostimporter.h"
#include "xgboostspread.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>

using namespace plumb;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTrainRows = 2000;
constexpr int kScoreRows = 10000;
// Two names with spaces, brackets and non-ASCII letters, as ONNX input names.
const QStringList kFeatures{QStringLiteral("x1"),     QStringLiteral("x2 (cm)"), QStringLiteral("n"),
                            QStringLiteral("colour"), QStringLiteral("Größe"),   QStringLiteral("flag")};

// splitmix64 (Steele, Lea and Flood 2014): the same stream on every platform.
struct Stream
{
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
};

// CSV rows: x1 (about N(0, 1), 3% missing), "x2 (cm)" (0..100), n (0..20), colour (5 categories,
// 3% missing; scored rows also hold an unseen one), Größe (S, M, L), flag (true/false), and targets
// y (regression, |y| < 8 so float32 outputs keep 1e-6), two (yes/no) and three (a/b/c).
QByteArray makeRows(std::uint64_t seed, int rows, bool unseen)
{
    static const char *colours[] = {"red", "green", "blue", "yellow", "purple"};
    static const char *sizes[] = {"S", "M", "L"};
    Stream random{seed};
    QByteArray csv = "x1,x2 (cm),n,colour,Gr\xc3\xb6\xc3\x9f"
                     "e,flag,y,two,three\n";
    for (int r = 0; r < rows; ++r) {
        double x1 = 0;
        for (int k = 0; k < 12; ++k)
            x1 += random.uniform();
        x1 -= 6;
        const double x2 = std::round(random.uniform() * 1e6) / 1e4;
        const int n = int(random.uniform() * 21);
        const int colour = int(random.uniform() * 5);
        const int size = int(random.uniform() * 3);
        const bool flag = random.uniform() < 0.4;
        const bool x1Missing = random.uniform() < 0.03, colourMissing = random.uniform() < 0.03;
        const bool colourUnseen = unseen && random.uniform() < 0.02;
        const double noise = random.uniform() - 0.5;
        const double y = 0.8 * x1 + 0.02 * x2 - 0.05 * n + 0.4 * colour - 0.3 * size + (flag ? 0.5 : 0) + noise;
        const double z = y - 1.2;
        const char *three = z < -0.6 ? "a" : z < 0.6 ? "b" : "c";
        csv += (x1Missing ? QByteArray() : QByteArray::number(x1, 'g', 17)) + ',' + QByteArray::number(x2, 'g', 17) + ','
            + QByteArray::number(n) + ','
            + (colourUnseen        ? QByteArray("magenta")
                   : colourMissing ? QByteArray()
                                   : QByteArray(colours[colour]))
            + ',' + sizes[size] + ',' + (flag ? "true" : "false") + ',' + QByteArray::number(y, 'g', 17) + ','
            + (z + 0.3 * (random.uniform() - 0.5) > 0 ? "yes" : "no") + ',' + three + '\n';
    }
    return csv;
}

const Dataset &trainingData()
{
    static const Dataset data = CsvReader::readBytes(makeRows(1, kTrainRows, false), QStringLiteral("train.csv")).value();
    return data;
}

const Dataset &scoringData()
{
    static const Dataset data = CsvReader::readBytes(makeRows(2, kScoreRows, true), QStringLiteral("score.csv")).value();
    return data;
}

struct Trained
{
    ModelArtifact artifact;
    QString error;
};

Trained train(const QString &kind, const QString &target, Task task, const PreprocessingChoices &choices,
              const QList<QPair<QString, QVariant>> &params)
{
    Trained out;
    std::unique_ptr<Model> model = createModel(kind, task);
    if (!model)
        return {{}, QStringLiteral("no model %1").arg(kind)};
    for (const auto &[name, value] : params)
        if (auto error = model->setParam(name, value))
            return {{}, error->message};
    Result<Pipeline> pipeline = Pipeline::withDefaults(trainingData(), kFeatures, std::move(model), choices);
    if (!pipeline)
        return {{}, pipeline.error().message};
    Result<FitReport> fitted = pipeline.value().fit(trainingData(), target, {});
    if (!fitted)
        return {{}, fitted.error().message};
    out.artifact.metadata.name = kind;
    out.artifact.metadata.sourceFile = QStringLiteral("train.csv");
    out.artifact.metadata.rows = kTrainRows;
    out.artifact.metadata.created = QDateTime(QDate(2026, 12, 6), QTime(12, 0), QTimeZone::utc());
    out.artifact.digest = QStringLiteral("0123abcd");
    out.artifact.pipeline.emplace(std::move(pipeline).value());
    return out;
}

// The scored rows as run_onnx.js reads them: numbers (null when missing) for double inputs, the
// text Plumb shows ("" when missing) for string inputs.
QJsonObject inputColumns(const Pipeline &pipeline, const Dataset &data)
{
    QJsonObject columns;
    for (const FeatureSpec &feature : pipeline.features()) {
        const Column &column = data.column(*data.indexOf(feature.name));
        // A categorical branch reads its columns as text, whatever their type (an imported XGBoost
        // model's column of category codes is a number column).
        bool text = feature.type == ColumnType::Categorical || feature.type == ColumnType::Boolean;
        for (const RouterBranch &branch : pipeline.router().branches())
            text = text || (branch.categorical && branch.columns.contains(feature.name));
        QJsonArray values;
        for (std::size_t r = 0; r < data.rowCount(); ++r) {
            if (text)
                values.append(column.displayText(r));
            else if (std::isnan(column.numbers()[r]))
                values.append(QJsonValue::Null);
            else
                values.append(column.numbers()[r]);
        }
        columns.insert(feature.name, values);
    }
    return QJsonObject{{QStringLiteral("rows"), double(data.rowCount())}, {QStringLiteral("columns"), columns}};
}

QString nodeProgram()
{
    return QStringLiteral(PLUMB_NODE_EXECUTABLE);
}
QString runtimeDir()
{
    return qEnvironmentVariable("PLUMB_ONNXRUNTIME_NODE", QStringLiteral(PLUMB_ONNXRUNTIME_NODE));
}

// Runs the model in ONNX Runtime; returns its outputs or fails the test with node's message.
QJsonObject runOnnxRuntime(const QString &model, const QJsonObject &input, const QString &dir)
{
    const QString inputPath = dir + QStringLiteral("/input.json"), outputPath = dir + QStringLiteral("/output.json");
    QFile inputFile(inputPath);
    if (!inputFile.open(QIODevice::WriteOnly) || inputFile.write(QJsonDocument(input).toJson(QJsonDocument::Compact)) < 0)
        return {};
    inputFile.close();
    QProcess node;
    node.start(nodeProgram(), {QStringLiteral(PLUMB_RUN_ONNX_SCRIPT), runtimeDir(), model, inputPath, outputPath});
    if (!node.waitForFinished(120000)) {
        node.kill();
        qWarning("node did not finish within 120 s");
        return {};
    }
    if (node.exitStatus() != QProcess::NormalExit || node.exitCode() != 0) {
        qWarning("node failed: %s", node.readAllStandardError().constData());
        return {};
    }
    QFile outputFile(outputPath);
    if (!outputFile.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(outputFile.readAll()).object();
}

} // namespace

// CI guarantees the runtime (install-deps runs first): missing there, it is a failure, not a skip.
#define REQUIRE_RUNTIME()                                                                                                        \
    do {                                                                                                                         \
        if (!mMissingRuntime.isEmpty()) {                                                                                        \
            if (qEnvironmentVariable("CI") == QLatin1String("true"))                                                             \
                QFAIL(qPrintable(mMissingRuntime));                                                                              \
            QSKIP(qPrintable(mMissingRuntime));                                                                                  \
        }                                                                                                                        \
    } while (false)

class TestOnnxExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void matchesPlumb_data();
    void matchesPlumb();
    void importedModels_data();
    void importedModels();
    void xgboostOnHundredThousandRows_data();
    void xgboostOnHundredThousandRows();
    void refused_data();
    void refused();
    void metadata();
    void commandLine();

private:
    // Exports, runs ONNX Runtime on every row of `data` and compares with Plumb's predictions.
    void compareWithOnnxRuntime(const ModelArtifact &artifact, const Dataset &data);

    QTemporaryDir mDir;
    QJsonObject mOutputs; // ONNX Runtime's outputs in the last compareWithOnnxRuntime
    QString mMissingRuntime; // why ONNX Runtime cannot run here; empty when it can
};

void TestOnnxExport::initTestCase()
{
    QVERIFY(mDir.isValid());
    QVERIFY2(trainingData().rowCount() == kTrainRows, "the generated training rows do not load");
    QVERIFY2(scoringData().rowCount() == kScoreRows, "the generated scoring rows do not load");
    const bool present = QFileInfo(nodeProgram()).isExecutable()
        && QFileInfo::exists(runtimeDir() + QStringLiteral("/package.json"));
    if (!present)
        mMissingRuntime
            = QStringLiteral(
                  "ONNX Runtime for node is missing (node: '%1', onnxruntime-node: '%2'); .ci/install-deps installs both")
                  .arg(nodeProgram(), runtimeDir());
}

void TestOnnxExport::matchesPlumb_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("task");
    QTest::addColumn<QStringList>("choices"); // numeric imputer, scaler, categorical imputer, encoder ("" = default)
    QTest::addColumn<QVariantList>("params"); // name, value, name, value...
    const int regression = int(Task::Regression), classification = int(Task::Classification);
    const QString y = u"y"_s, two = u"two"_s, three = u"three"_s;
    const QStringList defaults{{}, {}, {}, {}};
    const QStringList oneHot{{}, {}, {}, u"one_hot_encoder"_s};
    QTest::newRow("linear-defaults") << u"linear_regression"_s << y << regression << defaults << QVariantList{};
    QTest::newRow("linear-mean-minmax-constant")
        << u"linear_regression"_s << y << regression << QStringList{u"mean"_s, u"min_max_scaler"_s, u"constant"_s, u""_s}
        << QVariantList{};
    QTest::newRow("ridge-most-frequent-unscaled")
        << u"ridge"_s << y << regression << QStringList{u"most_frequent"_s, u"none"_s, u""_s, u""_s} << QVariantList{};
    QTest::newRow("lasso-constant-fill") << u"lasso"_s << y << regression << QStringList{u"constant"_s, u""_s, u""_s, u""_s}
                                         << QVariantList{u"alpha"_s, 0.01};
    QTest::newRow("elastic-net-ordinal") << u"elastic_net"_s << y << regression
                                         << QStringList{u""_s, u""_s, u""_s, u"ordinal_encoder"_s}
                                         << QVariantList{u"alpha"_s, 0.01};
    QTest::newRow("logistic-binary") << u"logistic_regression"_s << two << classification << defaults << QVariantList{};
    QTest::newRow("logistic-three-classes") << u"logistic_regression"_s << three << classification
                                            << QStringList{u"mean"_s, u"min_max_scaler"_s, u"constant"_s, u""_s}
                                            << QVariantList{};
    QTest::newRow("logistic-no-categorical-imputer")
        << u"logistic_regression"_s << two << classification << QStringList{u""_s, u""_s, u"none"_s, u""_s} << QVariantList{};
    QTest::newRow("tree-classifier") << u"decision_tree"_s << three << classification << defaults
                                     << QVariantList{u"max_depth"_s, 8};
    QTest::newRow("tree-regressor-ordinal") << u"decision_tree"_s << y << regression
                                            << QStringList{u""_s, u""_s, u""_s, u"ordinal_encoder"_s}
                                            << QVariantList{u"max_depth"_s, 10};
    QTest::newRow("tree-no-categorical-imputer")
        << u"decision_tree"_s << two << classification << QStringList{u""_s, u""_s, u"none"_s, u""_s}
        << QVariantList{u"max_depth"_s, 6};
    QTest::newRow("forest-classifier") << u"random_forest"_s << three << classification << defaults
                                       << QVariantList{u"n_estimators"_s, 30};
    QTest::newRow("forest-regressor") << u"random_forest"_s << y << regression << defaults << QVariantList{u"n_estimators"_s, 30};
    QTest::newRow("naive-bayes-three-classes") << u"gaussian_nb"_s << three << classification << defaults << QVariantList{};
    QTest::newRow("naive-bayes-binary-minmax") << u"gaussian_nb"_s << two << classification
                                               << QStringList{u"mean"_s, u"min_max_scaler"_s, u""_s, u""_s} << QVariantList{};
    QTest::newRow("boosting-native-categories-regressor")
        << u"gradient_boosting"_s << y << regression << defaults << QVariantList{};
    QTest::newRow("boosting-native-categories-binary")
        << u"gradient_boosting"_s << two << classification << defaults << QVariantList{};
    QTest::newRow("boosting-native-categories-three")
        << u"gradient_boosting"_s << three << classification << defaults << QVariantList{};
    QTest::newRow("boosting-native-categories-imputed") << u"gradient_boosting"_s << two << classification
                                                        << QStringList{u"mean"_s, u""_s, u"constant"_s, u""_s} << QVariantList{};
    QTest::newRow("knn-three-classes") << u"knn"_s << three << classification << defaults << QVariantList{};
    QTest::newRow("knn-binary-distance") << u"knn"_s << two << classification << defaults
                                         << QVariantList{u"weights"_s, u"distance"_s, u"n_neighbors"_s, 7};
    QTest::newRow("knn-regressor") << u"knn"_s << y << regression << defaults << QVariantList{};
    QTest::newRow("knn-regressor-distance-minmax")
        << u"knn"_s << y << regression << QStringList{u""_s, u"min_max_scaler"_s, u""_s, u""_s}
        << QVariantList{u"weights"_s, u"distance"_s};
    QTest::newRow("boosting-regressor") << u"gradient_boosting"_s << y << regression << oneHot << QVariantList{};
    QTest::newRow("boosting-binary") << u"gradient_boosting"_s << two << classification << oneHot << QVariantList{};
    QTest::newRow("boosting-three-classes") << u"gradient_boosting"_s << three << classification << oneHot << QVariantList{};
    QTest::newRow("boosting-imputed") << u"gradient_boosting"_s << y << regression
                                      << QStringList{u"median"_s, u""_s, u"most_frequent"_s, u"one_hot_encoder"_s}
                                      << QVariantList{};
}

void TestOnnxExport::matchesPlumb()
{
    QFETCH(QString, kind);
    QFETCH(QString, target);
    QFETCH(int, task);
    QFETCH(QStringList, choices);
    QFETCH(QVariantList, params);
    REQUIRE_RUNTIME();
    const PreprocessingChoices preprocessing{choices[0], choices[1], choices[2], choices[3]};
    QList<QPair<QString, QVariant>> values;
    for (qsizetype i = 0; i + 1 < params.size(); i += 2)
        values.append({params[i].toString(), params[i + 1]});
    Trained trained = train(kind, target, Task(task), preprocessing, values);
    QVERIFY2(trained.error.isEmpty(), qPrintable(trained.error));
    compareWithOnnxRuntime(trained.artifact, scoringData());
}

void TestOnnxExport::importedModels_data()
{
    QTest::addColumn<QString>("importer");
    QTest::addColumn<QString>("fixture"); // under tests/interop/fixtures; its .inputs.csv holds the rows
    QTest::addColumn<QString>("model");
    for (const char *name : {"binary_logistic", "binary_logistic_missing", "multi_softprob", "multi_softprob_two",
                             "multi_softmax", "reg_squarederror_missing", "reg_absoluteerror", "reg_pseudohubererror",
                             "cat_binary_logistic_missing", "cat_multi_softprob_missing", "cat_reg_squarederror"})
        QTest::newRow(qPrintable(QStringLiteral("xgboost-%1").arg(QLatin1String(name))))
            << u"xgboost"_s << u"xgboost/"_s + QLatin1String(name) << u"xgboost/"_s + QLatin1String(name) + u".json"_s;
    QTest::newRow("xgboost-multi_softprob-ubj") << u"xgboost"_s << u"xgboost/multi_softprob"_s << u"xgboost/multi_softprob.ubj"_s;
    for (const char *name :
         {"mixed_pipeline_logistic", "mixed_pipeline_ridge", "numeric_pipeline_positions", "random_forest_regressor",
          "hist_gradient_boosting_multiclass", "gaussian_nb", "logistic_multiclass", "elastic_net"})
        QTest::newRow(qPrintable(QStringLiteral("sklearn-%1").arg(QLatin1String(name))))
            << u"sklearn"_s << QString::fromLatin1(name) << QString::fromLatin1(name) + u".joblib"_s;
    // scikit-learn 1.4's trees send missing values left at some nodes (missing_go_to_left).
    QTest::newRow("sklearn-decision_tree_classifier_v14")
        << u"sklearn"_s << u"decision_tree_classifier_v14"_s << u"decision_tree_classifier_v14.p4.pkl"_s;
}

void TestOnnxExport::importedModels()
{
    // Models imported from XGBoost and scikit-learn files export as Plumb's own do; the rows are
    // each fixture's committed inputs.
    QFETCH(QString, importer);
    QFETCH(QString, fixture);
    QFETCH(QString, model);
    REQUIRE_RUNTIME();
    const QString fixtures = QStringLiteral(PLUMB_TEST_DATA_DIR "/fixtures/");
    std::optional<ImportedModel> imported;
    if (importer == QLatin1String("xgboost")) {
        QFile file(fixtures + model);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(fixtures + model));
        Result<XgboostImport> result = importXgboost(file.readAll(), model);
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        imported.emplace(std::move(result.value().imported));
    } else {
        Result<ImportedModel> result = importSklearn(scanPickleFile(fixtures + model));
        QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
        imported.emplace(std::move(result).value());
    }
    Result<Dataset> rows = CsvReader::readFile(fixtures + fixture + u".inputs.csv"_s);
    QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
    ModelArtifact artifact;
    artifact.metadata.name = model;
    artifact.pipeline.emplace(std::move(*imported->pipeline));
    compareWithOnnxRuntime(artifact, rows.value());
}

void TestOnnxExport::xgboostOnHundredThousandRows_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QString>("model");
    for (const char *name : {"binary_logistic", "binary_logistic_missing", "multi_softprob", "multi_softprob_two",
                             "multi_softmax", "reg_squarederror_missing", "reg_absoluteerror", "reg_pseudohubererror",
                             "cat_binary_logistic_missing", "cat_multi_softprob_missing", "cat_reg_squarederror"})
        for (const char *extension : {"json", "ubj"})
            QTest::addRow("xgboost-%s-%s-100k", name, extension)
                << QString::fromLatin1(name) << QStringLiteral("%1.%2").arg(QLatin1String(name), QLatin1String(extension));
}

// Every imported XGBoost model on the 100,000 rows of make_xgboost_fixtures.py's spread(): ONNX
// Runtime's output against Plumb's (compareWithOnnxRuntime) and against XGBoost's own (its
// margins, through the sigmoid or softmax for classifiers), each within 1e-6.
void TestOnnxExport::xgboostOnHundredThousandRows()
{
    QFETCH(QString, fixture);
    QFETCH(QString, model);
    REQUIRE_RUNTIME();
    using namespace xgboostspread;
    const QString fixtures = QStringLiteral(PLUMB_TEST_DATA_DIR "/fixtures/xgboost/");
    QFile file(fixtures + model);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(fixtures + model));
    Result<XgboostImport> result = importXgboost(file.readAll(), model);
    QVERIFY2(result.ok(), result.ok() ? "" : qPrintable(result.error().message));
    ModelArtifact artifact;
    artifact.metadata.name = model;
    artifact.pipeline.emplace(std::move(*result.value().imported.pipeline));
    const Pipeline &pipeline = *artifact.pipeline;
    QStringList names;
    const QSet<Eigen::Index> categorical = xgboostspread::categoricalColumns(pipeline, names);
    Result<Dataset> inputs = CsvReader::readFile(fixtures + fixture + u".inputs.csv"_s);
    QVERIFY2(inputs.ok(), inputs.ok() ? "" : qPrintable(inputs.error().message));
    Eigen::MatrixXd source(Eigen::Index(inputs.value().rowCount()), Eigen::Index(inputs.value().columnCount()));
    for (Eigen::Index c = 0; c < source.cols(); ++c)
        for (Eigen::Index r = 0; r < source.rows(); ++r)
            source(r, c) = inputs.value().column(std::size_t(c)).numbers()[std::size_t(r)];
    const Dataset rows = dataset(spread(source, categorical), names);
    compareWithOnnxRuntime(artifact, rows);
    if (QTest::currentTestFailed())
        return;

    const std::vector<float> golden = readFloats(fixtures + fixture + u".spread.margins.f32.z"_s);
    const bool classifier = pipeline.target().task == Task::Classification;
    const Eigen::Index classes = classifier ? pipeline.target().classes.size() : 1;
    const Eigen::Index outputs = classifier && classes > 2 ? classes : fixture == QLatin1String("multi_softprob_two") ? 2 : 1;
    QCOMPARE(golden.size(), std::size_t(kRows * outputs));
    const QJsonArray got = mOutputs.value(classifier ? u"probabilities"_s : u"value"_s).toObject().value(u"data"_s).toArray();
    QCOMPARE(got.size(), qsizetype(kRows * classes));
    double largest = 0;
    for (Eigen::Index r = 0; r < kRows; ++r) {
        const float *m = golden.data() + r * outputs;
        if (!classifier) {
            largest = std::max(largest, std::abs(got[r].toDouble() - double(m[0])) / std::max(1.0, std::abs(double(m[0]))));
            continue;
        }
        std::vector<double> expected;
        if (outputs == 1) {
            expected = {1.0 / (1.0 + std::exp(double(m[0]))), 1.0 / (1.0 + std::exp(-double(m[0])))};
        } else {
            const double top = double(*std::max_element(m, m + outputs));
            double sum = 0;
            for (Eigen::Index k = 0; k < outputs; ++k)
                sum += expected.emplace_back(std::exp(double(m[k]) - top));
            for (double &e : expected)
                e /= sum;
        }
        for (Eigen::Index k = 0; k < classes; ++k)
            largest = std::max(largest, std::abs(got[r * classes + k].toDouble() - expected[std::size_t(k)]));
    }
    qInfo("%s: ONNX Runtime against XGBoost on %lld rows, largest difference %.3g", QTest::currentDataTag(),
          static_cast<long long>(kRows), largest);
    QVERIFY2(largest <= 1e-6, qPrintable(QStringLiteral("largest difference from XGBoost %1").arg(largest)));
}

void TestOnnxExport::compareWithOnnxRuntime(const ModelArtifact &artifact, const Dataset &data)
{
    const Pipeline &pipeline = *artifact.pipeline;
    const int rows = int(data.rowCount());
    Result<QByteArray> exported = exportOnnx(artifact);
    QVERIFY2(exported.ok(), exported.ok() ? "" : qPrintable(exported.error().message));
    const QString modelPath = mDir.filePath(QStringLiteral("%1.onnx").arg(QString::fromLatin1(QTest::currentDataTag())));
    QFile file(modelPath);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(exported.value()) == exported.value().size());
    file.close();

    Result<Prediction> expected = pipeline.predict(data);
    QVERIFY2(expected.ok(), expected.ok() ? "" : qPrintable(expected.error().message));
    const QJsonObject outputs = runOnnxRuntime(modelPath, inputColumns(pipeline, data), mDir.path());
    QVERIFY2(!outputs.isEmpty(), "ONNX Runtime gave no outputs");
    mOutputs = outputs;

    const Prediction &prediction = expected.value();
    double largest = 0;
    if (pipeline.target().task == Task::Regression) {
        const QJsonArray value = outputs.value(QLatin1String("value")).toObject().value(QLatin1String("data")).toArray();
        QCOMPARE(value.size(), rows);
        for (int r = 0; r < rows; ++r) {
            const double want = prediction.values[r], got = value[r].toDouble();
            const double difference = std::abs(want - got) / std::max(1.0, std::abs(want));
            largest = std::max(largest, difference);
            if (!(difference <= 1e-6))
                QFAIL(qPrintable(
                    QStringLiteral("row %1: Plumb %2, ONNX Runtime %3").arg(r).arg(want, 0, 'g', 17).arg(got, 0, 'g', 17)));
        }
    } else {
        const QJsonArray labels = outputs.value(QLatin1String("label")).toObject().value(QLatin1String("data")).toArray();
        const QJsonArray probabilities
            = outputs.value(QLatin1String("probabilities")).toObject().value(QLatin1String("data")).toArray();
        const qsizetype classes = prediction.classes.size();
        QCOMPARE(labels.size(), rows);
        QCOMPARE(probabilities.size(), rows * classes);
        int differentLabels = 0;
        for (int r = 0; r < rows; ++r) {
            if (labels[r].toString() != prediction.label(r) && differentLabels++ < 5)
                qWarning("row %d: Plumb's label %s, ONNX Runtime's %s", r, qPrintable(prediction.label(r)),
                         qPrintable(labels[r].toString()));
            for (qsizetype c = 0; c < classes; ++c)
                largest = std::max(largest, std::abs(prediction.probabilities(r, c) - probabilities[r * classes + c].toDouble()));
        }
        QCOMPARE(differentLabels, 0);
    }
    qInfo("%s: %d rows, largest difference %.3g%s", QTest::currentDataTag(), rows, largest,
          exported.warnings().isEmpty() ? "" : " (float32 operator outputs)");
    // Plumb's predictions (the same rows through Pipeline::predict) are the expected values; 1e-6
    // is the issue's bound for probabilities and (relative) values.
    QVERIFY2(largest <= 1e-6, qPrintable(QStringLiteral("largest difference %1").arg(largest)));
}

// A pipeline whose router reads the boolean 'flag' both as a number and as a category: one ONNX
// input cannot be both a double and a string, so its export is refused.
Trained twoTypedFeature()
{
    ColumnRouter router;
    router.addBranch(RouterBranch{u"numbers"_s, {u"x2 (cm)"_s, u"flag"_s}, false, {}, {}});
    RouterBranch categories{u"categories"_s, {u"flag"_s}, true, {}, {}};
    categories.steps.push_back(createTransformer(u"one_hot_encoder"_s));
    router.addBranch(std::move(categories));
    Pipeline pipeline(std::move(router), createModel(u"linear_regression"_s));
    Result<FitReport> fitted = pipeline.fit(trainingData(), u"y"_s, {});
    if (!fitted)
        return {{}, fitted.error().message};
    Trained out;
    out.artifact.metadata.name = u"two-typed"_s;
    out.artifact.metadata.created = QDateTime(QDate(2026, 12, 6), QTime(12, 0), QTimeZone::utc());
    out.artifact.pipeline.emplace(std::move(pipeline));
    return out;
}

const QString kTwoTypedRefusal = u"feature 'flag' is read both as text and as a number; an ONNX input has one type"_s;

// A classifier with a feature named "label", the name of its label output.
Trained featureNamedLikeAnOutput()
{
    static const Dataset data
        = CsvReader::readBytes("label,size,class\n1.5,S,a\n2.5,M,b\n0.5,S,a\n3.5,L,b\n", u"named.csv"_s).value();
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, {u"label"_s, u"size"_s}, createModel(u"logistic_regression"_s));
    if (!pipeline)
        return {{}, pipeline.error().message};
    Result<FitReport> fitted = pipeline.value().fit(data, u"class"_s, {});
    if (!fitted)
        return {{}, fitted.error().message};
    Trained out;
    out.artifact.pipeline.emplace(std::move(pipeline).value());
    return out;
}

void TestOnnxExport::refused_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("message"); // onnxexport.cpp's message for the refusal
    QTest::newRow("feature-read-as-text-and-number") << 0 << kTwoTypedRefusal;
    QTest::newRow("feature-named-like-an-output")
        << 1
        << u"feature 'label': an ONNX input with this name would clash with the output of the same name; rename the column and retrain"_s;
}

void TestOnnxExport::refused()
{
    QFETCH(int, which);
    QFETCH(QString, message);
    Trained trained = which == 0 ? twoTypedFeature() : featureNamedLikeAnOutput();
    QVERIFY2(trained.error.isEmpty(), qPrintable(trained.error));
    Result<QByteArray> exported = exportOnnx(trained.artifact);
    QVERIFY(!exported.ok());
    QCOMPARE(exported.error().message, message);
}

void TestOnnxExport::metadata()
{
    Trained trained = train(QStringLiteral("logistic_regression"), QStringLiteral("three"), Task::Classification, {}, {});
    QVERIFY2(trained.error.isEmpty(), qPrintable(trained.error));
    Result<QByteArray> exported = exportOnnx(trained.artifact);
    QVERIFY(exported.ok());
    // metadata_props are protobuf strings in the file: the keys and JSON values appear verbatim.
    const QByteArray &bytes = exported.value();
    QVERIFY(bytes.contains("plumb_digest"));
    QVERIFY(bytes.contains("0123abcd"));
    QVERIFY(bytes.contains(R"(["a","b","c"])"));
    QVERIFY(bytes.contains(R"("source_file":"train.csv")"));
    QVERIFY(bytes.contains(R"({"categories":["blue","green","purple","red","yellow"],"name":"colour")"));
}

void TestOnnxExport::commandLine()
{
    // plumb export-onnx on a saved model: exported (exit 0), refused over an existing output
    // without --force (exit 1, I/O), and a tampered model file refused by its integrity check
    // (exit 3), as the other commands' exit codes go.
    const QString dir = mDir.filePath(QStringLiteral("cli"));
    QVERIFY(QDir().mkpath(dir));
    Trained trained = train(u"logistic_regression"_s, u"two"_s, Task::Classification, {}, {});
    QVERIFY2(trained.error.isEmpty(), qPrintable(trained.error));
    const QString model = dir + u"/model.plumb"_s, tampered = dir + u"/tampered.plumb"_s, output = dir + u"/model.onnx"_s;
    const auto saved = saveModelArtifact(model, *trained.artifact.pipeline, trained.artifact.metadata, {}, true);
    QVERIFY2(!saved, saved ? qPrintable(saved->message) : "");
    QFile source(model);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QByteArray bytes = source.readAll();
    bytes[bytes.size() - 10] = char(bytes[bytes.size() - 10] ^ 0x20);
    QFile target(tampered);
    QVERIFY(target.open(QIODevice::WriteOnly) && target.write(bytes) == bytes.size());
    target.close();

    const struct
    {
        const char *name;
        QString model;
        int exit;
        QString message;
    } cases[] = {{"exported", model, 0, u"saved "_s},
                 {"output-exists", model, 1, u"exists; choose another name"_s},
                 {"tampered", tampered, 3, u"tampered.plumb"_s}};
    for (const auto &row : cases) {
        QProcess cli;
        cli.start(QStringLiteral(PLUMB_CLI_PATH), {u"export-onnx"_s, row.model, u"-o"_s, output});
        QVERIFY2(cli.waitForFinished(60000), "plumb export-onnx did not finish within 60 s");
        const QString printed = QString::fromUtf8(cli.readAllStandardOutput() + cli.readAllStandardError());
        QVERIFY2(cli.exitCode() == row.exit, qPrintable(QLatin1String(row.name) + u": "_s + printed));
        QVERIFY2(printed.contains(row.message), qPrintable(QLatin1String(row.name) + u": "_s + printed));
        QVERIFY(QFileInfo::exists(output));
    }
}

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnxexport.moc"
