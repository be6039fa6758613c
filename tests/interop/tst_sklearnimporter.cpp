// The scikit-learn importer: every fixture of tests/interop/fixtures/manifest.json scanned, imported
// and scored against scikit-learn's own output (written by make_sklearn_fixtures.py next to the
// fixtures); save -> load -> predict bit-identical; hostile but allow-listed graphs refused with a
// reason naming the path; and the float32 split conversion trees rely on.

#include "artifact/modelartifact.h"
#include "data/csvreader.h"
#include "interop/picklescanner.h"
#include "interop/sklearnconversion.h"
#include "interop/sklearnimporter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace plumb;

namespace {

const QString kFixtures = QStringLiteral(PLUMB_TEST_DATA_DIR "/fixtures/");

// The tolerance every comparison with scikit-learn uses: 1e-9, absolute for probabilities and
// values up to 1 in magnitude, relative to the expected value above that.
constexpr double kTolerance = 1e-9;

double scaledDifference(double actual, double expected)
{
    return std::fabs(actual - expected) / std::max(1.0, std::fabs(expected));
}

// float(x) as numpy's astype(np.float32) computes it: round to nearest, ties to even, and values
// from FLT_MAX + half its spacing on overflowing to infinity (the cast alone would be undefined).
float toFloat32(double x)
{
    const double edge = double(std::numeric_limits<float>::max()) + std::ldexp(1.0, 103);
    if (x >= edge)
        return std::numeric_limits<float>::infinity();
    if (x <= -edge)
        return -std::numeric_limits<float>::infinity();
    if (x > double(std::numeric_limits<float>::max()))
        return std::numeric_limits<float>::max();
    if (x < -double(std::numeric_limits<float>::max()))
        return -std::numeric_limits<float>::max();
    return static_cast<float>(x);
}

QList<QStringList> readSimpleCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QStringList> rows;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (!line.isEmpty())
            rows.append(QString::fromUtf8(line).split(QLatin1Char(',')));
    return rows;
}

QJsonArray manifestFixtures()
{
    QFile file(kFixtures + QStringLiteral("manifest.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("fixtures")).toArray();
}

PickleScanReport scanFixture(const QString &name)
{
    return scanPickleFile(kFixtures + name);
}

// Writes a little-endian scalar into a node record of a structured array.
template<typename T> void writeField(NumpyArray &array, std::int64_t row, const QString &field, T value)
{
    for (const NumpyDtype::Field &f : array.dtype.fields)
        if (f.name == field) {
            QVERIFY(std::size_t(f.type.itemSize) == sizeof(T));
            std::memcpy(array.data.data() + row * array.dtype.itemSize + f.offset, &value, sizeof value);
            return;
        }
    QFAIL(qPrintable(QStringLiteral("no field %1").arg(field)));
}

template<typename T> T readField(const NumpyArray &array, std::int64_t row, const QString &field)
{
    T value{};
    for (const NumpyDtype::Field &f : array.dtype.fields)
        if (f.name == field)
            std::memcpy(&value, array.data.constData() + row * array.dtype.itemSize + f.offset, sizeof value);
    return value;
}

// The node id at a path of attribute names and list indices ("tree_", "nodes"; "steps", "1", "1").
PickleNodeId nodeAt(const PickleGraph &graph, const QStringList &path)
{
    PickleNodeId id = graph.root();
    for (const QString &step : path) {
        bool isIndex = false;
        const int index = step.toInt(&isIndex);
        if (isIndex) {
            const PickleValue &value = graph.node(id);
            const auto &items = value.kind == PickleValue::Kind::Array ? value.array.objects : value.items;
            if (index >= int(items.size()))
                return kNoPickleNode;
            id = items[std::size_t(index)];
        } else {
            const auto next = graph.attribute(id, step);
            if (!next)
                return kNoPickleNode;
            id = *next;
        }
    }
    return id;
}

// Points the attribute `name` of the root object at a new str node holding `text`.
bool setRootText(PickleGraph &graph, const QString &name, const QString &text)
{
    const PickleNodeId state = graph.node(graph.root()).state;
    if (!graph.contains(state) || graph.node(state).kind != PickleValue::Kind::Dict)
        return false;
    PickleValue value;
    value.kind = PickleValue::Kind::String;
    value.text = text;
    const PickleNodeId id = graph.add(value);
    std::vector<PickleNodeId> &items = graph.node(state).items;
    for (std::size_t i = 0; i + 1 < items.size(); i += 2)
        if (graph.node(items[i]).kind == PickleValue::Kind::String && graph.node(items[i]).text == name) {
            items[i + 1] = id;
            return true;
        }
    return false;
}

} // namespace

class TestSklearnImporter : public QObject
{
    Q_OBJECT

private slots:
    void float32Split_data();
    void float32Split();
    void treeSplitsSeeFloat32Inputs_data();
    void treeSplitsSeeFloat32Inputs();
    void missingValuesFollowMissingGoToLeft_data();
    void missingValuesFollowMissingGoToLeft();
    void fixturesPredictAsScikitLearn_data();
    void fixturesPredictAsScikitLearn();
    void saveLoadPredictBitIdentical_data();
    void saveLoadPredictBitIdentical();
    void hostileGraphsRefused_data();
    void hostileGraphsRefused();
    void refusesReportThatIsNotImportable();
    void binaryMultinomialLogistic();
    void featureNamesOfArrayFittedModels_data();
    void featureNamesOfArrayFittedModels();
    void cleanupTestCase();

private:
    double mLargestDifference = 0;
    QString mLargestAt;
};

void TestSklearnImporter::float32Split_data()
{
    QTest::addColumn<double>("threshold");
    QTest::addColumn<double>("expected"); // NaN: only the defining property is checked
    const double nan = std::nan("");
    const float fmax = std::numeric_limits<float>::max();
    // Hand-computed: 0.5 is a float32 with an even mantissa, the next float32 up is 0.5 + 2^-24,
    // so t' is their midpoint 0.5 + 2^-25. 1 + 2^-23 is a float32 with an odd mantissa: t' is the
    // double just below the midpoint 1 + 1.5 * 2^-23.
    QTest::newRow("float32-even") << 0.5 << 0.5 + std::ldexp(1.0, -25);
    QTest::newRow("float32-odd") << 1.0 + std::ldexp(1.0, -23) << std::nextafter(1.0 + 1.5 * std::ldexp(1.0, -23), 0.0);
    QTest::newRow("between-floats") << 0.1 << nan;
    QTest::newRow("negative") << -1.0 / 3.0 << nan;
    QTest::newRow("zero") << 0.0 << std::ldexp(1.0, -150);
    QTest::newRow("negative-zero") << -0.0 << std::ldexp(1.0, -150);
    QTest::newRow("below-smallest-denormal") << 1e-50 << std::ldexp(1.0, -150);
    QTest::newRow("negative-tiny") << -1e-50 << nan;
    QTest::newRow("denormal") << double(std::numeric_limits<float>::denorm_min()) * 3 << nan;
    QTest::newRow("binade-edge") << 2.0 - std::ldexp(1.0, -30) << nan;
    QTest::newRow("sklearn-midpoint") << (double(1.1f) / 2.0 + double(std::nextafter(1.1f, 2.0f)) / 2.0) << nan;
    QTest::newRow("large") << 16777217.0 << nan;
    QTest::newRow("float-max") << double(fmax) << nan;
    QTest::newRow("beyond-float-max") << 1e300 << nan;
    QTest::newRow("negative-float-max") << -double(fmax) << nan;
    QTest::newRow("beyond-negative-float-max") << -1e300 << nan;
}

void TestSklearnImporter::float32Split()
{
    QFETCH(double, threshold);
    QFETCH(double, expected);
    const double converted = float32SplitAsDouble(threshold);
    if (!std::isnan(expected))
        QCOMPARE(converted, expected);
    // The defining property, (x <= t') == (float(x) <= t), on the doubles where it can flip: t, t'
    // and their neighbours, and the float32 values around t with the midpoints between them.
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> probes{threshold,
                               converted,
                               std::nextafter(converted, inf),
                               std::nextafter(converted, -inf),
                               std::nextafter(threshold, inf),
                               std::nextafter(threshold, -inf),
                               inf,
                               -inf};
    const float near = toFloat32(threshold);
    float f = std::nextafter(near, -std::numeric_limits<float>::infinity());
    for (int i = 0; i < 4 && std::isfinite(f); ++i, f = std::nextafter(f, std::numeric_limits<float>::infinity())) {
        const float g = std::nextafter(f, std::numeric_limits<float>::infinity());
        const double mid = std::isfinite(g) ? (double(f) + double(g)) / 2.0 : double(f) + std::ldexp(1.0, 103);
        for (const double x : {double(f), mid, std::nextafter(mid, inf), std::nextafter(mid, -inf)})
            probes.push_back(x);
    }
    for (const double x : probes)
        QVERIFY2((x <= converted) == (toFloat32(x) <= threshold),
                 qPrintable(QStringLiteral("x = %1, t = %2, t' = %3")
                                .arg(x, 0, 'g', 17)
                                .arg(threshold, 0, 'g', 17)
                                .arg(converted, 0, 'g', 17)));
}

void TestSklearnImporter::treeSplitsSeeFloat32Inputs_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("decision-tree-regressor") << QStringLiteral("decision_tree_regressor.p4.pkl");
    QTest::newRow("decision-tree-classifier-v14") << QStringLiteral("decision_tree_classifier_v14.p4.pkl");
}

// End to end on real trees: at every split, for inputs at and around the threshold (where the
// float32 cast can flip the comparison), the imported tree gives the same output for x as for
// float32(x) widened back to double; on such inputs its double comparison is scikit-learn's own,
// so it agrees with scikit-learn's predictions on x.
void TestSklearnImporter::treeSplitsSeeFloat32Inputs()
{
    QFETCH(QString, file);
    const PickleScanReport report = scanFixture(file);
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    Result<ImportedModel> imported = importSklearn(report);
    QVERIFY(imported.ok());
    const Model &model = imported.value().pipeline->model();
    const PickleNodeId nodesId = nodeAt(report.graph, {QStringLiteral("tree_"), QStringLiteral("nodes")});
    QVERIFY(nodesId >= 0);
    const NumpyArray &nodes = report.graph.node(nodesId).array;
    const double inf = std::numeric_limits<double>::infinity();
    int probes = 0;
    for (std::int64_t i = 0; i < nodes.shape[0]; ++i) {
        if (readField<std::int64_t>(nodes, i, QStringLiteral("left_child")) < 0)
            continue;
        const auto feature = Eigen::Index(readField<std::int64_t>(nodes, i, QStringLiteral("feature")));
        const double t = readField<double>(nodes, i, QStringLiteral("threshold"));
        const float f = toFloat32(t);
        for (const double x : {t, std::nextafter(t, inf), std::nextafter(t, -inf), double(f), double(std::nextafter(f, 1e30f)),
                               double(std::nextafter(f, -1e30f))}) {
            Eigen::VectorXd row = Eigen::VectorXd::Zero(model.featureCount()), row32 = row;
            row[feature] = x;
            row32[feature] = double(toFloat32(x));
            Eigen::VectorXd out(model.rowOutputs()), out32(model.rowOutputs());
            model.predictRow(row.data(), out.data());
            model.predictRow(row32.data(), out32.data());
            QVERIFY2(out == out32, qPrintable(QStringLiteral("node %1, x = %2").arg(i).arg(x, 0, 'g', 17)));
            ++probes;
        }
    }
    QVERIFY(probes > 20);
}

void TestSklearnImporter::fixturesPredictAsScikitLearn_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("inputs");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("task");
    const QJsonArray fixtures = manifestFixtures();
    QVERIFY2(fixtures.size() > 60, "the manifest lists every fixture");
    for (const QJsonValue &value : fixtures) {
        const QJsonObject fixture = value.toObject();
        const QString file = fixture.value(QStringLiteral("file")).toString();
        QTest::newRow(qPrintable(file)) << file << fixture.value(QStringLiteral("inputs")).toString()
                                        << fixture.value(QStringLiteral("expected")).toString()
                                        << fixture.value(QStringLiteral("task")).toString();
    }
}

void TestSklearnImporter::fixturesPredictAsScikitLearn()
{
    QFETCH(QString, file);
    QFETCH(QString, inputs);
    QFETCH(QString, expected);
    QFETCH(QString, task);
    const PickleScanReport report = scanFixture(file);
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    Result<ImportedModel> imported = importSklearn(report);
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
    const Pipeline &pipeline = *imported.value().pipeline;
    QCOMPARE(pipeline.target().task == Task::Classification, task == QLatin1String("classification"));
    Result<Dataset> data = CsvReader::readFile(kFixtures + inputs);
    QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().message));
    Result<Prediction> prediction = pipeline.predict(data.value());
    QVERIFY2(prediction.ok(), prediction.ok() ? "" : qPrintable(prediction.error().message));
    const QList<QStringList> rows = readSimpleCsv(kFixtures + expected); // scikit-learn's output
    QCOMPARE(qsizetype(prediction.value().values.size()), rows.size() - 1);
    const QStringList header = rows.front();
    for (qsizetype r = 1; r < rows.size(); ++r) {
        const Eigen::Index row = r - 1;
        if (task == QLatin1String("classification")) {
            QCOMPARE(prediction.value().label(row), rows[r][0]);
            QCOMPARE(prediction.value().probabilities.cols(), header.size() - 1);
            for (qsizetype c = 1; c < header.size(); ++c) {
                QCOMPARE(QStringLiteral("p_") + pipeline.target().classes[c - 1], header[c]);
                const double difference = std::fabs(prediction.value().probabilities(row, c - 1) - rows[r][c].toDouble());
                if (difference > mLargestDifference)
                    mLargestDifference = difference, mLargestAt = file;
                QVERIFY2(difference <= kTolerance,
                         qPrintable(QStringLiteral("row %1, %2: off by %3").arg(row).arg(header[c]).arg(difference)));
            }
        } else {
            const double difference = scaledDifference(prediction.value().values[row], rows[r][0].toDouble());
            if (difference > mLargestDifference)
                mLargestDifference = difference, mLargestAt = file;
            QVERIFY2(
                difference <= kTolerance,
                qPrintable(
                    QStringLiteral("row %1: %2 vs %3").arg(row).arg(prediction.value().values[row], 0, 'g', 17).arg(rows[r][0])));
        }
    }
}

void TestSklearnImporter::missingValuesFollowMissingGoToLeft_data()
{
    QTest::addColumn<int>("flag"); // every split's missing_go_to_left
    QTest::newRow("missing-left") << 1;
    QTest::newRow("missing-right") << 0;
}

// scikit-learn 1.3+ (the 64-byte layout) sends a missing value to the left child when the split's
// missing_go_to_left is 1, else to the right one (sklearn/tree/_tree.pyx, _apply_dense). With the
// flag the same on every split, a NaN in the root's feature must therefore predict as -inf (always
// left) or +inf (always right) does, also after the model goes through its file state.
void TestSklearnImporter::missingValuesFollowMissingGoToLeft()
{
    QFETCH(int, flag);
    PickleScanReport report = scanFixture(QStringLiteral("decision_tree_classifier_v14.p4.pkl"));
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    const PickleNodeId nodesId = nodeAt(report.graph, {QStringLiteral("tree_"), QStringLiteral("nodes")});
    QVERIFY(nodesId >= 0);
    NumpyArray &nodes = report.graph.node(nodesId).array;
    for (std::int64_t node = 0; node < nodes.shape[0]; ++node)
        writeField<std::uint8_t>(nodes, node, QStringLiteral("missing_go_to_left"), std::uint8_t(flag));
    const auto rootFeature = Eigen::Index(readField<std::int64_t>(nodes, 0, QStringLiteral("feature")));
    Result<ImportedModel> imported = importSklearn(report);
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
    const Model &model = imported.value().pipeline->model();
    std::unique_ptr<Model> reread = createModel(model.kind(), model.task());
    QVERIFY(!reread->restore(model.state()));

    const double inf = std::numeric_limits<double>::infinity();
    const auto predict = [&](const Model &m, double rootValue) {
        Eigen::VectorXd row = Eigen::VectorXd::Zero(m.featureCount()), out(m.rowOutputs());
        row[rootFeature] = rootValue;
        m.predictRow(row.data(), out.data());
        return out;
    };
    const Eigen::VectorXd left = predict(model, -inf), right = predict(model, inf);
    QVERIFY(left != right); // the root's two sides differ, so the test can tell them apart
    QCOMPARE(predict(model, std::nan("")), flag ? left : right);
    QCOMPARE(predict(*reread, std::nan("")), flag ? left : right);
}

void TestSklearnImporter::saveLoadPredictBitIdentical_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("inputs");
    for (const char *name : {"mixed_pipeline_logistic", "mixed_pipeline_ridge", "random_forest_classifier",
                             "hist_gradient_boosting_classifier", "knn_regressor", "gaussian_nb", "decision_tree_classifier_v14"})
        QTest::newRow(name) << QStringLiteral("%1.p4.pkl").arg(QLatin1String(name))
                            << QStringLiteral("%1.inputs.csv").arg(QLatin1String(name));
}

void TestSklearnImporter::featureNamesOfArrayFittedModels_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("given");
    QTest::addColumn<QStringList>("features"); // the pipeline's; empty: refused with `error`
    QTest::addColumn<bool>("positional");
    QTest::addColumn<QString>("error");
    const QStringList xs{QStringLiteral("x0"), QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("x3")};
    const QStringList fs{QStringLiteral("f0"), QStringLiteral("f1"), QStringLiteral("f2"), QStringLiteral("f3")};
    // make_sklearn_fixtures.py: ridge_fitted_on_array was fitted on train.to_numpy() (4 columns),
    // numeric_pipeline_positions on an array through an imputer and a scaler, logistic_binary on
    // a DataFrame with columns f0..f3.
    QTest::newRow("array-no-names") << QStringLiteral("ridge_fitted_on_array.p4.pkl") << QStringList() << xs << true << QString();
    QTest::newRow("array-named") << QStringLiteral("ridge_fitted_on_array.p4.pkl") << fs << fs << false << QString();
    QTest::newRow("array-pipeline-named") << QStringLiteral("numeric_pipeline_positions.p4.pkl") << fs << fs << false
                                          << QString();
    QTest::newRow("array-too-many-names")
        << QStringLiteral("ridge_fitted_on_array.p4.pkl") << (fs + QStringList{QStringLiteral("y")}) << QStringList() << false
        << u"5 feature names were given (f0, f1, f2, f3, y), but the model was fitted on 4 features"_qs;
    QTest::newRow("array-empty-name") << QStringLiteral("ridge_fitted_on_array.p4.pkl")
                                      << QStringList{QStringLiteral("a"), QString(), QStringLiteral("c"), QStringLiteral("d")}
                                      << QStringList() << false << u"feature name 2 of 4 is empty"_qs;
    QTest::newRow("frame-same-names") << QStringLiteral("logistic_binary.p4.pkl") << fs << fs << false << QString();
    QTest::newRow("frame-other-names")
        << QStringLiteral("logistic_binary.p4.pkl") << xs << QStringList() << false
        << u"the model records its feature names (f0, f1, f2, f3); names may only be given for a model "
           "fitted on an array"_qs;
}

// A model fitted on an array has no feature_names_in_: names given at import replace x0..xN,
// and without them the features are marked positional.
void TestSklearnImporter::featureNamesOfArrayFittedModels()
{
    QFETCH(QString, file);
    QFETCH(QStringList, given);
    QFETCH(QStringList, features);
    QFETCH(bool, positional);
    QFETCH(QString, error);
    Result<ImportedModel> imported = importSklearn(scanFixture(file), given);
    if (features.isEmpty()) {
        QVERIFY(!imported.ok());
        QCOMPARE(imported.error().message, error);
        return;
    }
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
    QStringList names;
    for (const FeatureSpec &feature : imported.value().pipeline->features())
        names.append(feature.name);
    QCOMPARE(names, features);
    QCOMPARE(imported.value().positionalFeatures, positional);
}

void TestSklearnImporter::saveLoadPredictBitIdentical()
{
    QFETCH(QString, file);
    QFETCH(QString, inputs);
    Result<ImportedModel> imported = importSklearn(scanFixture(file));
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
    ModelMetadata metadata;
    metadata.name = file;
    metadata.created = QDateTime::currentDateTimeUtc();
    metadata.imported.source = file;
    metadata.imported.library = QStringLiteral("scikit-learn");
    metadata.imported.conversion = imported.value().conversionJson();
    const QByteArray bytes = encodeModelArtifact(*imported.value().pipeline, metadata, QJsonArray());
    Result<ModelArtifact> loaded = decodeModelArtifact(bytes, file);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
    QCOMPARE(loaded.value().metadata.imported.conversion, metadata.imported.conversion);
    Result<Dataset> data = CsvReader::readFile(kFixtures + inputs);
    QVERIFY(data.ok());
    const Result<Prediction> before = imported.value().pipeline->predict(data.value());
    const Result<Prediction> after = loaded.value().pipeline->predict(data.value());
    QVERIFY(before.ok() && after.ok());
    const Eigen::VectorXd &valuesBefore = before.value().values, &valuesAfter = after.value().values;
    QCOMPARE(valuesAfter.size(), valuesBefore.size());
    QVERIFY(std::memcmp(valuesAfter.data(), valuesBefore.data(), std::size_t(valuesBefore.size()) * sizeof(double)) == 0);
    const Eigen::MatrixXd &probabilitiesBefore = before.value().probabilities, &probabilitiesAfter = after.value().probabilities;
    QCOMPARE(probabilitiesAfter.size(), probabilitiesBefore.size());
    QVERIFY(probabilitiesBefore.size() == 0
            || std::memcmp(probabilitiesAfter.data(), probabilitiesBefore.data(),
                           std::size_t(probabilitiesBefore.size()) * sizeof(double))
                == 0);
}

void TestSklearnImporter::hostileGraphsRefused_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("attack");
    QTest::addColumn<QString>("reason"); // what the message must contain
    QTest::newRow("tree-child-out-of-range")
        << "decision_tree_classifier.p4.pkl" << 0 << "tree_.nodes: node 0: child 999 is outside";
    QTest::newRow("tree-cycle") << "decision_tree_classifier.p4.pkl" << 1 << "cannot be reached from the root (a cycle)";
    QTest::newRow("tree-two-parents") << "decision_tree_regressor.p4.pkl" << 2 << "the node has two parents";
    QTest::newRow("tree-feature-out-of-range")
        << "decision_tree_classifier_v14.p4.pkl" << 3 << "tree_.nodes: node 0: feature 99 is outside 0..3";
    QTest::newRow("tree-unknown-layout") << "decision_tree_classifier.p4.pkl" << 4 << "neither scikit-learn layout";
    QTest::newRow("tree-negative-count") << "decision_tree_classifier.p4.pkl" << 5
                                         << "tree_.values: node 0 holds a negative class count";
    QTest::newRow("forest-tree-child") << "random_forest_regressor.p4.pkl" << 6 << "estimators_[2].tree_.nodes: node 0: child";
    QTest::newRow("coef-wrong-dtype-shape") << "linear_regression.p4.pkl" << 7
                                            << "coef_: expected a float64 array of shape (4,), found int64 (2,)";
    QTest::newRow("coef-a-string") << "ridge.p2.pkl" << 8 << "coef_: expected a float64 array of shape (4,), found a str";
    QTest::newRow("classes-mismatch") << "logistic_multiclass.p4.pkl" << 9
                                      << "coef_: expected a float64 array of shape (1, 4), found ";
    QTest::newRow("pipeline-step-scale") << "numeric_pipeline_positions.p4.pkl" << 10
                                         << "steps[1].scale_: expected a float64 array of shape (4,)";
    QTest::newRow("boosting-child-out-of-range")
        << "hist_gradient_boosting_regressor.p4.pkl" << 11 << "_predictors[0][0].nodes: node 0: child 500";
    QTest::newRow("classes-a-list") << "gaussian_nb.p4.pkl" << 12
                                    << "classes_: expected a 1-D array of n labels, found a list of 0";
    QTest::newRow("column-transformer-unknown-column")
        << "mixed_pipeline_logistic.p4.pkl" << 13 << "is not among the input features";
    QTest::newRow("tree-nodes-a-float-array")
        << "decision_tree_regressor.p2.pkl" << 15 << "tree_.nodes: expected a 1-D structured array, found float64 (3,)";
    QTest::newRow("scaler-step-an-int") << "numeric_pipeline_positions.p5.pkl" << 16
                                        << "steps[1]: expected a supported transformer";
    QTest::newRow("knn-labels-out-of-range") << "knn_classifier.p4.pkl" << 14 << "'targets'";
}

void TestSklearnImporter::hostileGraphsRefused()
{
    QFETCH(QString, file);
    QFETCH(int, attack);
    QFETCH(QString, reason);
    PickleScanReport report = scanFixture(file);
    QVERIFY2(report.isImportable(), qPrintable(report.reason));
    PickleGraph &graph = report.graph;
    const auto node = [&](const QStringList &path) -> PickleValue & {
        const PickleNodeId id = nodeAt(graph, path);
        return graph.node(id >= 0 ? id : graph.root());
    };
    switch (attack) {
    case 0:
        writeField<std::int64_t>(node({QStringLiteral("tree_"), QStringLiteral("nodes")}).array, 0, QStringLiteral("left_child"),
                                 999);
        break;
    case 1: { // the root's left child L is bypassed (the root points at L's left child) and L loops to itself:
        // every node still has one parent, but L and its right subtree hang off a cycle
        NumpyArray &nodes = node({QStringLiteral("tree_"), QStringLiteral("nodes")}).array;
        const std::int64_t left = readField<std::int64_t>(nodes, 0, QStringLiteral("left_child"));
        const std::int64_t grandchild = readField<std::int64_t>(nodes, left, QStringLiteral("left_child"));
        QVERIFY(grandchild > 0);
        writeField<std::int64_t>(nodes, 0, QStringLiteral("left_child"), grandchild);
        writeField<std::int64_t>(nodes, left, QStringLiteral("left_child"), left);
        break;
    }
    case 2: {
        NumpyArray &nodes = node({QStringLiteral("tree_"), QStringLiteral("nodes")}).array;
        writeField<std::int64_t>(nodes, 0, QStringLiteral("right_child"),
                                 readField<std::int64_t>(nodes, 0, QStringLiteral("left_child")));
        break;
    }
    case 3:
        writeField<std::int64_t>(node({QStringLiteral("tree_"), QStringLiteral("nodes")}).array, 0, QStringLiteral("feature"),
                                 99);
        break;
    case 4: {
        NumpyArray &nodes = node({QStringLiteral("tree_"), QStringLiteral("nodes")}).array;
        nodes.dtype.itemSize = 60; // every field still lies in the record; the layout is neither 56 nor 64 bytes
        nodes.shape = {std::int64_t(nodes.data.size() / 60)};
        nodes.data.truncate(nodes.shape[0] * 60);
        break;
    }
    case 5: {
        NumpyArray &values = node({QStringLiteral("tree_"), QStringLiteral("values")}).array;
        const double negative = -3;
        std::memcpy(values.data.data(), &negative, sizeof negative);
        break;
    }
    case 6:
        writeField<std::int64_t>(
            node({QStringLiteral("estimators_"), QStringLiteral("2"), QStringLiteral("tree_"), QStringLiteral("nodes")}).array, 0,
            QStringLiteral("left_child"), 777);
        break;
    case 7: {
        NumpyArray &coef = node({QStringLiteral("coef_")}).array;
        coef.dtype = NumpyDtype{'i', 8, true, {}};
        coef.shape = {2};
        coef.data = QByteArray(16, '\0');
        break;
    }
    case 8: {
        PickleValue &coef = node({QStringLiteral("coef_")});
        coef = PickleValue{};
        coef.kind = PickleValue::Kind::String;
        coef.text = QStringLiteral("not an array");
        break;
    }
    case 9: { // classes_ of two labels, while coef_ still holds three rows
        NumpyArray &classes = node({QStringLiteral("classes_")}).array;
        classes.shape = {2};
        classes.data.truncate(2 * classes.dtype.itemSize);
        break;
    }
    case 10: {
        NumpyArray &scale
            = node({QStringLiteral("steps"), QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("scale_")}).array;
        scale.shape = {3};
        scale.data.truncate(24);
        break;
    }
    case 11: {
        NumpyArray &nodes
            = node({QStringLiteral("_predictors"), QStringLiteral("0"), QStringLiteral("0"), QStringLiteral("nodes")}).array;
        writeField<std::uint32_t>(nodes, 0, QStringLiteral("left"), 500);
        break;
    }
    case 12: {
        PickleValue &classes = node({QStringLiteral("classes_")});
        classes = PickleValue{};
        classes.kind = PickleValue::Kind::List;
        break;
    }
    case 13: { // the first branch's column list names a column the model was not fitted on
        const PickleNodeId transformers = nodeAt(
            graph, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("transformers_")});
        QVERIFY(transformers >= 0);
        const PickleNodeId branch = graph.node(transformers).items.at(0);
        const PickleNodeId columns = graph.node(branch).items.at(2);
        PickleValue name;
        name.kind = PickleValue::Kind::String;
        name.text = QStringLiteral("salary");
        graph.node(columns) = PickleValue{};
        graph.node(columns).kind = PickleValue::Kind::List;
        graph.node(columns).items = {graph.add(name)};
        break;
    }
    case 14: {
        NumpyArray &targets = node({QStringLiteral("_y")}).array;
        const std::int64_t bad = 7;
        QCOMPARE(targets.dtype.itemSize, 8);
        std::memcpy(targets.data.data(), &bad, sizeof bad);
        break;
    }
    case 15: {
        NumpyArray &nodes = node({QStringLiteral("tree_"), QStringLiteral("nodes")}).array;
        nodes.dtype = NumpyDtype{'f', 8, true, {}};
        nodes.shape = {3};
        nodes.data = QByteArray(24, '\0');
        break;
    }
    case 16: { // the scaler in steps[1] replaced by the number 3
        const PickleNodeId step = nodeAt(graph, {QStringLiteral("steps"), QStringLiteral("1")});
        QVERIFY(step >= 0 && graph.node(step).items.size() == 2);
        PickleValue three;
        three.kind = PickleValue::Kind::Int;
        three.integer = 3;
        graph.node(step).items[1] = graph.add(three);
        break;
    }
    }
    Result<ImportedModel> imported = importSklearn(report);
    QVERIFY2(!imported.ok(), "a hostile graph must be refused");
    QVERIFY2(imported.error().message.contains(reason), qPrintable(imported.error().message));
}

void TestSklearnImporter::refusesReportThatIsNotImportable()
{
    PickleScanReport report;
    report.verdict = PickleScanReport::Verdict::Refused;
    report.reason = QStringLiteral("offset 2: GLOBAL posix.system is not on the allow-list");
    Result<ImportedModel> imported = importSklearn(report);
    QVERIFY(!imported.ok());
    QVERIFY(imported.error().message.contains(QStringLiteral("refused")));
    QVERIFY(imported.error().message.contains(report.reason));
}

// A two-class LogisticRegression fitted as multinomial takes softmax(-s, s) = sigmoid(2 s) of its
// score s; the one-vs-rest fixture's probabilities are sigmoid(s). Marking the same coefficients
// multinomial must therefore give sigmoid(2 logit(p)) for each expected p (hand-derived identity).
void TestSklearnImporter::binaryMultinomialLogistic()
{
    PickleScanReport report = scanFixture(QStringLiteral("logistic_binary.p4.pkl"));
    QVERIFY(report.isImportable());
    QVERIFY(setRootText(report.graph, QStringLiteral("multi_class"), QStringLiteral("multinomial")));
    Result<ImportedModel> imported = importSklearn(report);
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
    Result<Dataset> data = CsvReader::readFile(kFixtures + QStringLiteral("logistic_binary.inputs.csv"));
    QVERIFY(data.ok());
    const Result<Prediction> prediction = imported.value().pipeline->predict(data.value());
    QVERIFY(prediction.ok());
    const QList<QStringList> rows = readSimpleCsv(kFixtures + QStringLiteral("logistic_binary.expected.csv"));
    for (qsizetype r = 1; r < rows.size(); ++r) {
        const double p = rows[r][2].toDouble(); // p_yes under one-vs-rest
        const double doubled = 1.0 / (1.0 + std::exp(-2.0 * std::log(p / (1.0 - p))));
        QVERIFY2(std::fabs(prediction.value().probabilities(r - 1, 1) - doubled) <= 1e-9,
                 qPrintable(
                     QStringLiteral("row %1: %2 vs %3").arg(r - 1).arg(prediction.value().probabilities(r - 1, 1)).arg(doubled)));
    }
    // With three classes one-vs-rest normalises three sigmoids, which Plumb cannot express.
    PickleScanReport multiclass = scanFixture(QStringLiteral("logistic_multiclass.p4.pkl"));
    QVERIFY(setRootText(multiclass.graph, QStringLiteral("multi_class"), QStringLiteral("ovr")));
    Result<ImportedModel> refused = importSklearn(multiclass);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QStringLiteral("one-vs-rest with 3 classes is not supported")),
             qPrintable(refused.error().message));
}

void TestSklearnImporter::cleanupTestCase()
{
    qInfo("largest difference from scikit-learn: %.3g (%s); tolerance %.0g", mLargestDifference, qPrintable(mLargestAt),
          kTolerance);
}

QTEST_GUILESS_MAIN(TestSklearnImporter)
#include "tst_sklearnimporter.moc"
