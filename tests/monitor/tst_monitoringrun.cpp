// The monitoring workflow in core: files read with the model's column types, and a report that
// names a prediction-drift failure instead of failing. The data is built so that each expected
// type and message follows from its construction.

#include "monitor/monitoringrun.h"
#include "monitor/retrainingrun.h"

#include "base/sha256.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace plumb;

namespace {

// x spread over [0, 10), a zone code cycling through `codes`, y = "big" exactly when x > 5.
QByteArray table(int rows, const QStringList &codes)
{
    QByteArray csv = "x,zone,y\n";
    for (int i = 0; i < rows; ++i) {
        const double x = 10.0 * ((i * 7919) % rows) / rows;
        csv += QByteArray::number(x) + ',' + codes[i % codes.size()].toUtf8() + ',' + (x > 5 ? "big" : "small") + '\n';
    }
    return csv;
}

using TypeOverrides = QHash<QString, ColumnType>;

} // namespace

class TestMonitoringRun : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void readsWithTheModelsTypes_data();
    void readsWithTheModelsTypes();
    void predictionDriftFailureKeepsTheReport();
    void histogramOnlyReferenceIsNamed();
    void openedModelProfileIsUsedAsParsed();
    void retrainingRecordsTheBytesRead();

private:
    QString write(const QString &name, const QByteArray &content);
    QTemporaryDir mDir;
    std::shared_ptr<const OpenedModel> mModel; // as openModelFile gives a model: its profile parsed
};

QString TestMonitoringRun::write(const QString &name, const QByteArray &content)
{
    QFile file(mDir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return file.fileName();
}

void TestMonitoringRun::initTestCase()
{
    QVERIFY(mDir.isValid());
    // "other" among the digits: zone is categorical in training.
    Result<Dataset> training = CsvReader::readBytes(
        table(600, {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("other")}), QStringLiteral("training.csv"));
    QVERIFY(training);
    QCOMPARE(training.value().column(1).type(), ColumnType::Categorical);
    Result<Pipeline> pipeline = Pipeline::withDefaults(training.value(), {QStringLiteral("x"), QStringLiteral("zone")},
                                                       createModel(QStringLiteral("logistic_regression"), Task::Classification));
    QVERIFY2(pipeline, qPrintable(pipeline ? QString() : pipeline.error().message));
    QVERIFY(pipeline.value().fit(training.value(), QStringLiteral("y"), {}));
    auto model = std::make_shared<OpenedModel>();
    model->path = mDir.filePath(QStringLiteral("m.plumb"));
    model->artifact.profile = referenceProfile(training.value(), pipeline.value());
    model->artifact.pipeline.emplace(std::move(pipeline).value());
    model->artifact.metadata.metrics = {{QStringLiteral("accuracy"), 1.0}};
    model->profiles = profilesFromJson(model->artifact.profile).value();
    mModel = model;
}

void TestMonitoringRun::readsWithTheModelsTypes_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<TypeOverrides>("overrides");
    QTest::addColumn<ColumnType>("zone");
    const QStringList digits{QStringLiteral("1"), QStringLiteral("2")};
    // Alone the digits read as integers; the model reads zone as categories.
    QTest::newRow("digits-in-a-categorical-column") << table(100, digits) << TypeOverrides() << ColumnType::Categorical;
    QTest::newRow("text-as-in-training") << table(100, digits + QStringList{QStringLiteral("other")}) << TypeOverrides()
                                         << ColumnType::Categorical;
    // The user's --type wins over the model's.
    QTest::newRow("user-type-wins") << table(100, digits) << TypeOverrides{{QStringLiteral("zone"), ColumnType::Float}}
                                    << ColumnType::Float;
}

void TestMonitoringRun::readsWithTheModelsTypes()
{
    QFETCH(QByteArray, csv);
    QFETCH(TypeOverrides, overrides);
    QFETCH(ColumnType, zone);
    const QString path = write(QStringLiteral("batch.csv"), csv);
    QVERIFY(!path.isEmpty());
    CsvOptions options;
    options.typeOverrides = overrides;
    Result<Dataset> read = readWithModelTypes(path, mModel->pipeline(), options);
    QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
    QCOMPARE(read.value().column(*read.value().indexOf(QStringLiteral("zone"))).type(), zone);
    QCOMPARE(read.value().rowCount(), std::size_t(100));
}

void TestMonitoringRun::predictionDriftFailureKeepsTheReport()
{
    // Data without zone, against a reference profile with zone left out: x and y compare, the
    // model cannot score a row.
    QByteArray csv = "x,y\n";
    for (int i = 0; i < 100; ++i)
        csv += QByteArray::number(i / 10.0) + ',' + (i > 50 ? "big" : "small") + '\n';
    const QString a = write(QStringLiteral("a.csv"), csv), b = write(QStringLiteral("b.csv"), csv);
    MonitoringData data;
    setMonitoredModel(data, mModel);
    data.profiles.erase(std::remove_if(data.profiles.begin(), data.profiles.end(),
                                       [](const ColumnProfile &p) { return p.name == QLatin1String("zone"); }),
                        data.profiles.end());
    MonitoringSource source;
    source.batches = {{QString(), a}, {QString(), b}};
    QVERIFY(!readMonitoringData(data, source));
    Result<MonitoringResult> result = computeMonitoring(data, {});
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QVERIFY(!result.value().predictions);
    QCOMPARE(result.value().predictionsError,
             QStringLiteral("reference window a: the input has no column 'zone', which the model needs"));
    QCOMPARE(result.value().report.windows.size(), std::size_t(2));
    const QJsonObject json = monitoringReportJson(data, result.value());
    QCOMPARE(json.value(QLatin1String("schema_version")).toInt(), kMonitoringReportSchemaVersion);
    QCOMPARE(json.value(QLatin1String("prediction_drift")).toObject().value(QLatin1String("error")).toString(),
             result.value().predictionsError);
    QVERIFY(json.value(QLatin1String("performance")).isObject()); // y is there: windows say why they have no value
    QVERIFY(json.value(QLatin1String("service")).isNull());
}

// A profile as model format 2 wrote it (histograms, no knots): the report's warnings name the
// numeric columns whose statistics are approximate. x (600 distinct values) is one; a profile
// with its knots gives no warning.
void TestMonitoringRun::histogramOnlyReferenceIsNamed()
{
    MonitoringData current;
    setMonitoredModel(current, mModel);
    QCOMPARE(current.warnings, QStringList());

    auto old = std::make_shared<OpenedModel>();
    old->path = mDir.filePath(QStringLiteral("old.plumb"));
    old->artifact.profile = mModel->artifact.profile;
    for (qsizetype i = 0; i < old->artifact.profile.size(); ++i) {
        QJsonObject column = old->artifact.profile[i].toObject();
        column.remove(QStringLiteral("distribution"));
        old->artifact.profile[i] = column;
    }
    old->profiles = profilesFromJson(old->artifact.profile).value();
    MonitoringData data;
    setMonitoredModel(data, old);
    QCOMPARE(data.warnings.size(), 1);
    QVERIFY2(data.warnings[0].startsWith(QLatin1String("old.plumb: the reference profile of x keeps histograms only")),
             qPrintable(data.warnings[0]));
}

// A model opened with openModelFile brings its parsed profile and the warnings of its parts that
// did not read: monitoring takes those as they are rather than parsing the profile JSON again.
void TestMonitoringRun::openedModelProfileIsUsedAsParsed()
{
    auto opened = std::make_shared<OpenedModel>();
    opened->path = mDir.filePath(QStringLiteral("m.plumb"));
    opened->artifact.profile = mModel->artifact.profile;
    opened->profiles = mModel->profiles;
    QCOMPARE(opened->profiles.size(), std::size_t(3)); // x, zone and the target y
    opened->profiles.pop_back(); // unlike the JSON: only a copy of what was parsed could say this
    opened->warnings = {QStringLiteral("m.plumb: a part of the profile did not read")};
    MonitoringData data;
    setMonitoredModel(data, opened);
    QCOMPARE(data.profiles.size(), std::size_t(2));
    QCOMPARE(data.profiles.front().name, QStringLiteral("x"));
    QCOMPARE(data.warnings, opened->warnings);
    QCOMPARE(data.modelPath, opened->path);
    QCOMPARE(data.artifact.get(), &opened->artifact);
}

// The retrained model's lineage is the digest of its training files as `cat a.csv | sha256sum`
// prints it, and only while each file still holds the bytes its rows were read from: a file
// rewritten after it was read fails the retraining, naming the file, instead of recording a
// digest of data the model never saw.
void TestMonitoringRun::retrainingRecordsTheBytesRead()
{
    const QByteArray older = table(300, {QStringLiteral("1"), QStringLiteral("other")});
    const QString a = write(QStringLiteral("older.csv"), older);
    const QString b = write(QStringLiteral("newer.csv"), table(200, {QStringLiteral("2"), QStringLiteral("other")}));
    MonitoringData data;
    setMonitoredModel(data, mModel);
    MonitoringSource source;
    source.batches = {{QString(), a}, {QString(), b}};
    QVERIFY(!readMonitoringData(data, source));

    Result<RetrainingRunPtr> run = retrainOnWindows(data, {0}, QStringLiteral("test"));
    QVERIFY2(run, qPrintable(run ? QString() : run.error().message));
    QCOMPARE(run.value()->metadata.sourceFile, QStringLiteral("older.csv"));
    QCOMPARE(run.value()->metadata.sourceSha256, QString::fromLatin1(sha256(older).toHex()));

    QVERIFY(!write(QStringLiteral("older.csv"), older + "9.5,1,big\n").isEmpty());
    Result<RetrainingRunPtr> changed = retrainOnWindows(data, {0}, QStringLiteral("test"));
    QVERIFY(!changed);
    QCOMPARE(changed.error().message, a + QStringLiteral(" changed after it was read; read the batches again before retraining"));
}

QTEST_GUILESS_MAIN(TestMonitoringRun)
#include "tst_monitoringrun.moc"
