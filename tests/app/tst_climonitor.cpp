// `plumb drift` and `plumb retrain` as a user runs them: one window per file, windows by a
// timestamp column, settings, JSON and HTML output, performance where labels exist, retraining
// with lineage, and their errors. The data is built so that the expected verdicts follow
// from its construction (see initTestCase).
#include "plumbprocess.h"

#include "artifact/modelartifact.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace plumb;
using namespace plumb::test;

const QString kLog = QStringLiteral(PLUMB_BINARY_DIR
                                    "/demo-workspace/models/churn-logistic.predictions.sqlite"); // resources/demo/demolog.cpp
const QString kLogModel = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace/models/churn-logistic.plumb");

namespace {

// Rows with x spread evenly over [shift, shift + 10), a colour cycling through `colours`, y = "big"
// exactly when x > 5 (when x <= 5 if `flipped`), and timestamps spread over the 24 hours from
// `firstHour` after 2026-03-01T00:00Z.
QByteArray table(int rows, double shift, const QStringList &colours, int firstHour, bool flipped = false)
{
    QByteArray csv = "time,x,colour,y\n";
    for (int i = 0; i < rows; ++i) {
        const double x = shift + 10.0 * ((i * 7919) % rows) / rows;
        const int hour = firstHour + i * 24 / rows;
        csv += QStringLiteral("2026-03-%1T%2:00:00Z,%3,%4,%5\n")
                   .arg(1 + (hour / 24), 2, 10, QLatin1Char('0'))
                   .arg(hour % 24, 2, 10, QLatin1Char('0'))
                   .arg(x)
                   .arg(colours[i % colours.size()])
                   .arg((x > 5) != flipped ? QStringLiteral("big") : QStringLiteral("small"))
                   .toUtf8();
    }
    return csv;
}

} // namespace

class TestCliMonitor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void oneWindowPerFile();
    void windowsByTimestamp();
    void jsonAndHtml();
    void performanceWhereLabelsExist();
    void retrainWithLineage();
    void retrainErrors();
    void retrainRefusesAWorseModel_data();
    void retrainRefusesAWorseModel();
    void driftJsonNamesEachColumn();
    void driftTextNamesUnscoredColumns();
    void errors_data();
    void errors();
    void batchesReadWithTheModelsTypes_data();
    void batchesReadWithTheModelsTypes();
    void jsonReportHasItsSchemaVersion();
    void predictionDriftFailureIsNamedInTheReport();
    void logReportsTheServiceHistory();

private:
    QString path(const QString &name) const { return mDir.filePath(name); }
    QTemporaryDir mDir;
};

void TestCliMonitor::initTestCase()
{
    QVERIFY(mDir.isValid());
    auto write = [&](const QString &name, const QByteArray &content) {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    };
    const QStringList colours{QStringLiteral("red"), QStringLiteral("green"), QStringLiteral("blue")};
    write(QStringLiteral("train.csv"), table(3000, 0, colours, 0));
    write(QStringLiteral("same.csv"), table(600, 0, colours, 24));
    // x shifted by half its range (far past 0.1 sd), and only reds: both columns drift.
    write(QStringLiteral("moved.csv"), table(600, 5, {QStringLiteral("red")}, 48));
    const Run train = runPlumb({QStringLiteral("train"), path(QStringLiteral("train.csv")), QStringLiteral("--target"),
                                QStringLiteral("y"), QStringLiteral("--features"), QStringLiteral("x,colour"),
                                QStringLiteral("--model"), QStringLiteral("logistic_regression"), QStringLiteral("-o"),
                                path(QStringLiteral("m.plumb"))});
    QVERIFY2(train.exitCode == 0, qPrintable(train.err));
    // The labels turned around: a model refitted on these is wrong wherever the parent is right.
    write(QStringLiteral("flipped.csv"), table(1200, 0, colours, 0, true));
    // 600 rows (Evidently: up to 1000 reference rows take the tests) with a numeric level of four
    // values: its default method is chi-square on the values.
    QByteArray levels = "x,level,y\n";
    for (int i = 0; i < 600; ++i)
        levels += QByteArray::number(10.0 * ((i * 7919) % 600) / 600) + ',' + QByteArray::number(1 + i % 4) + ','
            + (i % 2 ? "big" : "small") + '\n';
    write(QStringLiteral("levels.csv"), levels);
    const Run levelTrain = runPlumb({QStringLiteral("train"), path(QStringLiteral("levels.csv")), QStringLiteral("--target"),
                                     QStringLiteral("y"), QStringLiteral("--model"), QStringLiteral("logistic_regression"),
                                     QStringLiteral("-o"), path(QStringLiteral("levels.plumb"))});
    QVERIFY2(levelTrain.exitCode == 0, qPrintable(levelTrain.err));
    // A zone code that is text in training ("other" among the digits), so the model reads it as
    // categories; in zones-a.csv and zones-b.csv it holds only digits, which alone read as integers.
    auto zones = [](int rows, const QStringList &codes) {
        QByteArray csv = "x,zone,y\n";
        for (int i = 0; i < rows; ++i) {
            const double x = 10.0 * ((i * 7919) % rows) / rows;
            csv += QByteArray::number(x) + ',' + codes[i % codes.size()].toUtf8() + ',' + (x > 5 ? "big" : "small") + '\n';
        }
        return csv;
    };
    const QStringList digits{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
    write(QStringLiteral("zones.csv"), zones(1200, digits + QStringList{QStringLiteral("other")}));
    write(QStringLiteral("zones-a.csv"), zones(600, digits));
    write(QStringLiteral("zones-b.csv"), zones(600, digits));
    const Run zoneTrain = runPlumb({QStringLiteral("train"), path(QStringLiteral("zones.csv")), QStringLiteral("--target"),
                                    QStringLiteral("y"), QStringLiteral("--model"), QStringLiteral("logistic_regression"),
                                    QStringLiteral("-o"), path(QStringLiteral("zones.plumb"))});
    QVERIFY2(zoneTrain.exitCode == 0, qPrintable(zoneTrain.err));
}

void TestCliMonitor::oneWindowPerFile()
{
    const Run run = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")),
                              path(QStringLiteral("moved.csv"))});
    QCOMPARE(run.exitCode, 0);
    const QStringList lines = run.out.split(QLatin1Char('\n'));
    const auto same = std::find_if(lines.begin(), lines.end(),
                                   [](const QString &l) { return l.startsWith(QLatin1String("same ")); });
    const auto moved = std::find_if(lines.begin(), lines.end(),
                                    [](const QString &l) { return l.startsWith(QLatin1String("moved ")); });
    QVERIFY2(same != lines.end() && moved != lines.end(), qPrintable(run.out));
    QVERIFY2(same->contains(QLatin1String("0 of 2")), qPrintable(*same));
    QVERIFY2(moved->contains(QLatin1String("2 of 2")) && moved->contains(QLatin1String("yes")), qPrintable(*moved));
    QVERIFY(run.out.contains(QLatin1String("moved x: wasserstein_normed statistic")));
    QVERIFY(run.out.contains(QLatin1String("moved dataset drift: 2 of 2 features drifted")));
    // x moved to [5, 15): every prediction becomes "big", against half in same.csv; 600 reference
    // rows take chi-square (Evidently: up to 1000).
    QVERIFY2(run.out.contains(
                 QLatin1String("prediction drift: chisquare against the predictions on the first 1 window(s) (600 rows)")),
             qPrintable(run.out));
    QVERIFY(run.out.contains(QRegularExpression(QStringLiteral("\\n  moved  [0-9.e-]+  drifted\\n"))));
}

void TestCliMonitor::windowsByTimestamp()
{
    // same.csv covers 2026-03-02 and moved.csv 2026-03-03: two daily windows from the joined files.
    const Run run = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")),
                              path(QStringLiteral("moved.csv")), QStringLiteral("--timestamp"), QStringLiteral("time"),
                              QStringLiteral("--window"), QStringLiteral("day")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QLatin1String("2 window(s)")), qPrintable(run.out + run.err));
    const QRegularExpression day2(QStringLiteral("\\n2026-03-02 +600 +0 of 2 ")),
        day3(QStringLiteral("\\n2026-03-03 +600 +2 of 2 "));
    QVERIFY2(run.out.contains(day2) && run.out.contains(day3), qPrintable(run.out));
    const Run month = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")),
                                path(QStringLiteral("moved.csv")), QStringLiteral("--timestamp"), QStringLiteral("time"),
                                QStringLiteral("--window"), QStringLiteral("month")});
    QVERIFY2(month.out.contains(QRegularExpression(QStringLiteral("\\n2026-03 +1200 "))), qPrintable(month.out));
}

void TestCliMonitor::jsonAndHtml()
{
    const QString html = path(QStringLiteral("report.html"));
    const Run run = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("moved.csv")),
                              QStringLiteral("--json"), QStringLiteral("--html"), html, QStringLiteral("--method"),
                              QStringLiteral("x=ks"), QStringLiteral("--threshold"), QStringLiteral("colour=0.99"),
                              QStringLiteral("--bins"), QStringLiteral("x=4")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    const QJsonArray columns = json.value(QLatin1String("columns")).toArray();
    QCOMPARE(columns.size(), 3); // x, colour and the target y (present: target drift)
    QCOMPARE(columns[0].toObject().value(QLatin1String("method")).toString(), QStringLiteral("ks"));
    QCOMPARE(columns[1].toObject().value(QLatin1String("threshold")).toDouble(), 0.99);
    QCOMPARE(columns[0].toObject().value(QLatin1String("bins")).toInt(), 4); // kept as asked; KS takes no bins
    QVERIFY(!columns[1].toObject().contains(QLatin1String("bins")));
    QCOMPARE(columns[2].toObject().value(QLatin1String("role")).toString(), QStringLiteral("target"));
    const QJsonObject window = json.value(QLatin1String("windows")).toArray().at(0).toObject();
    QVERIFY(window.value(QLatin1String("columns")).toArray().at(0).toObject().value(QLatin1String("drifted")).toBool());
    QVERIFY(!window.value(QLatin1String("columns")).toArray().at(1).toObject().value(QLatin1String("drifted")).toBool());
    QCOMPARE(json.value(QLatin1String("model")).toObject().value(QLatin1String("digest")).toString().size(), 64);
    QFile page(html);
    QVERIFY(page.open(QIODevice::ReadOnly));
    const QByteArray text = page.readAll();
    QVERIFY(text.startsWith("<!DOCTYPE html>"));
    QVERIFY(text.contains("moved"));
}

void TestCliMonitor::performanceWhereLabelsExist()
{
    // y follows x > 5 exactly in every file, so the model stays accurate; the section is there
    // because the files have y.
    const Run run = runPlumb(
        {QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject performance
        = QJsonDocument::fromJson(run.out.toUtf8()).object().value(QLatin1String("performance")).toObject();
    QCOMPARE(performance.value(QLatin1String("metric")).toString(), QStringLiteral("accuracy"));
    const QJsonObject window = performance.value(QLatin1String("windows")).toArray().at(0).toObject();
    QCOMPARE(window.value(QLatin1String("rows")).toInt(), 600);
    const double value = window.value(QLatin1String("value")).toDouble();
    QVERIFY(window.value(QLatin1String("lower")).toDouble() <= value && value <= window.value(QLatin1String("upper")).toDouble());
    QVERIFY2(value > 0.9, qPrintable(run.out));
    // Accurate and without drift: the policy proposes nothing.
    const QJsonObject retraining
        = QJsonDocument::fromJson(run.out.toUtf8()).object().value(QLatin1String("retraining")).toObject();
    QCOMPARE(retraining.value(QLatin1String("proposed")).toBool(true), false);
    const Run bad = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")),
                              QStringLiteral("--metric"), QStringLiteral("rmse")});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains(QLatin1String("no metric \"rmse\"")), qPrintable(bad.err));
}

void TestCliMonitor::retrainWithLineage()
{
    const QString model = path(QStringLiteral("m.plumb")), retrained = path(QStringLiteral("m2.plumb"));
    const QByteArray parentBytes = [&] {
        QFile file(model);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }();
    const Run run = runPlumb({QStringLiteral("retrain"), model, path(QStringLiteral("train.csv")),
                              path(QStringLiteral("same.csv")), path(QStringLiteral("moved.csv")), QStringLiteral("-o"),
                              retrained});
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    // train.csv + same.csv = 3600 rows to fit on; moved.csv's 600 rows validate both models.
    QVERIFY2(run.out.contains(QLatin1String("on 3600 rows")), qPrintable(run.out));
    QVERIFY(run.out.contains(QLatin1String("validated on 600 rows of moved")));
    QVERIFY(run.out.contains(QLatin1String("retrained")));
    QVERIFY(run.out.contains(QLatin1String("features drifted in moved")));
    const Run inspect = runPlumb({QStringLiteral("inspect"), retrained, QStringLiteral("--json")});
    QCOMPARE(inspect.exitCode, 0);
    const QJsonObject metadata
        = QJsonDocument::fromJson(inspect.out.toUtf8()).object().value(QLatin1String("metadata")).toObject();
    const QString text = QString::fromUtf8(QJsonDocument(metadata).toJson());
    const Run parentInspect = runPlumb({QStringLiteral("inspect"), model, QStringLiteral("--json")});
    const QString parentDigest
        = QJsonDocument::fromJson(parentInspect.out.toUtf8()).object().value(QLatin1String("digest")).toString();
    QCOMPARE(parentDigest.size(), 64);
    QVERIFY2(text.contains(parentDigest), qPrintable(text));
    QVERIFY(text.contains(QLatin1String("newest window: moved\"")));
    // The parent is untouched.
    QFile file(model);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), parentBytes);
}

void TestCliMonitor::retrainErrors()
{
    const QString model = path(QStringLiteral("m.plumb"));
    const Run self = runPlumb({QStringLiteral("retrain"), model, path(QStringLiteral("same.csv")),
                               path(QStringLiteral("moved.csv")), QStringLiteral("-o"), model});
    QCOMPARE(self.exitCode, 2);
    QVERIFY(self.err.contains(QLatin1String("must not replace its parent")));
    const Run one = runPlumb({QStringLiteral("retrain"), model, path(QStringLiteral("same.csv")), QStringLiteral("-o"),
                              path(QStringLiteral("m3.plumb"))});
    QCOMPARE(one.exitCode, 1);
    QVERIFY(one.err.contains(QLatin1String("give several files")));
    // By timestamp: the last month is all the data, so nothing is left to fit on.
    const Run month = runPlumb({QStringLiteral("retrain"), model, path(QStringLiteral("same.csv")), QStringLiteral("--timestamp"),
                                QStringLiteral("time"), QStringLiteral("-o"), path(QStringLiteral("m3.plumb"))});
    QCOMPARE(month.exitCode, 1);
    QVERIFY2(month.err.contains(QLatin1String("no rows to retrain on")), qPrintable(month.err));
    const Run typo = runPlumb({QStringLiteral("retrain"), model, path(QStringLiteral("same.csv")),
                               path(QStringLiteral("moved.csv")), QStringLiteral("--timestamp"), QStringLiteral("tme"),
                               QStringLiteral("-o"), path(QStringLiteral("m3.plumb"))});
    QCOMPARE(typo.exitCode, 1);
    QVERIFY2(typo.err.contains(QLatin1String("the data has no column \"tme\"; close names: time")), qPrintable(typo.err));
    QVERIFY(!QFile::exists(path(QStringLiteral("m3.plumb"))));
}

void TestCliMonitor::retrainRefusesAWorseModel_data()
{
    QTest::addColumn<bool>("acceptWorse");
    QTest::newRow("refused-without-accept-worse") << false;
    QTest::newRow("saved-with-accept-worse") << true;
}

void TestCliMonitor::retrainRefusesAWorseModel()
{
    QFETCH(bool, acceptWorse);
    // Refitted on flipped.csv alone, the model says "big" where x <= 5; on same.csv (y = big
    // exactly when x > 5) the parent is right and the new model wrong: its accuracy falls.
    const QString output = path(acceptWorse ? QStringLiteral("worse-accepted.plumb") : QStringLiteral("worse.plumb"));
    QStringList arguments{QStringLiteral("retrain"),
                          path(QStringLiteral("m.plumb")),
                          path(QStringLiteral("flipped.csv")),
                          path(QStringLiteral("same.csv")),
                          QStringLiteral("-o"),
                          output};
    if (acceptWorse)
        arguments << QStringLiteral("--accept-worse");
    const Run run = runPlumb(arguments);
    const QRegularExpression verdict(QStringLiteral("the retrained model is worse than the current one on same: "
                                                    "accuracy ([0-9.]+) against ([0-9.]+)"));
    const QRegularExpressionMatch match = verdict.match(run.err);
    QVERIFY2(match.hasMatch(), qPrintable(run.out + run.err));
    QVERIFY2(match.captured(1).toDouble() < 0.5 && match.captured(2).toDouble() > 0.9, qPrintable(run.err));
    QCOMPARE(run.exitCode, acceptWorse ? 0 : 1);
    QCOMPARE(QFile::exists(output), acceptWorse);
    QCOMPARE(run.err.contains(QLatin1String("nothing was saved (--accept-worse saves it anyway)")), !acceptWorse);
    QCOMPARE(run.out.contains(QLatin1String("saved ")), acceptWorse);
}

void TestCliMonitor::driftJsonNamesEachColumn()
{
    const Run run = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")),
                              path(QStringLiteral("moved.csv")), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    // As `jq '.windows[].columns[] | select(.column == "x")'`: one entry per window, named with its
    // method (3000 reference rows: Evidently's normed Wasserstein for x).
    int picked = 0;
    for (const QJsonValue &window : json.value(QLatin1String("windows")).toArray())
        for (const QJsonValue &column : window.toObject().value(QLatin1String("columns")).toArray())
            if (column.toObject().value(QLatin1String("column")).toString() == QLatin1String("x")) {
                ++picked;
                QCOMPARE(column.toObject().value(QLatin1String("method")).toString(), QStringLiteral("wasserstein_normed"));
            }
    QCOMPARE(picked, 2);
}

void TestCliMonitor::driftTextNamesUnscoredColumns()
{
    // level's four values get chi-square on the values (Evidently's default), and it is scored.
    const Run run = runPlumb({QStringLiteral("drift"), path(QStringLiteral("levels.plumb")), path(QStringLiteral("levels.csv"))});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(QRegularExpression(QStringLiteral("\\nlevels +600 +0 of 2 "))), qPrintable(run.out));
    QVERIFY2(!run.out.contains(QLatin1String("not scored")), qPrintable(run.out));
    const Run json = runPlumb({QStringLiteral("drift"), path(QStringLiteral("levels.plumb")), path(QStringLiteral("levels.csv")),
                               QStringLiteral("--json")});
    const QJsonObject report = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(report.value(QLatin1String("not_scored")).toArray().size(), 0);
    const QJsonObject level = report.value(QLatin1String("windows"))
                                  .toArray()
                                  .at(0)
                                  .toObject()
                                  .value(QLatin1String("columns"))
                                  .toArray()
                                  .at(1)
                                  .toObject();
    QCOMPARE(level.value(QLatin1String("column")).toString(), QStringLiteral("level"));
    QCOMPARE(level.value(QLatin1String("method")).toString(), QStringLiteral("chisquare"));
    QCOMPARE(level.value(QLatin1String("scored")).toBool(), true);
    // A window under --min-rows scores nothing: each column (the target too) is named with the
    // reason, and the counts say no feature was scored.
    const Run small = runPlumb({QStringLiteral("drift"), path(QStringLiteral("levels.plumb")), path(QStringLiteral("levels.csv")),
                                QStringLiteral("--min-rows"), QStringLiteral("1000")});
    QCOMPARE(small.exitCode, 0);
    QVERIFY2(small.out.contains(QRegularExpression(QStringLiteral("\\nlevels +600 +0 of 0 "))), qPrintable(small.out));
    QVERIFY2(
        small.out.contains(QLatin1String(
            "not scored (left out of the counts above):\n  x, level, y (levels): too few rows to compare (600; at least 1000)\n")),
        qPrintable(small.out));
}

void TestCliMonitor::errors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no-current") << QStringList{QStringLiteral("m.plumb")} << 2
                                << QStringLiteral("give CURRENT files or --log STORE, one of them");
    QTest::newRow("bad-method") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"), QStringLiteral("--method"),
                                               QStringLiteral("x=magic")}
                                << 2 << QStringLiteral("--method takes COL=METHOD");
    QTest::newRow("bad-bins") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"), QStringLiteral("--bins"),
                                             QStringLiteral("x=1")}
                              << 2 << QStringLiteral("--bins takes COL=N with N a whole number of at least 2");
    QTest::newRow("bad-window") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"), QStringLiteral("--window"),
                                               QStringLiteral("fortnight")}
                                << 2 << QStringLiteral("--window takes hour, day, week or month");
    QTest::newRow("no-such-timestamp") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"),
                                                      QStringLiteral("--timestamp"), QStringLiteral("when")}
                                       << 1 << QStringLiteral("has no column \"when\"");
    QTest::newRow("timestamp-case") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"),
                                                   QStringLiteral("--timestamp"), QStringLiteral("Time")}
                                    << 1 << QStringLiteral("has no column \"Time\"; close names: time");
    QTest::newRow("method-for-unknown-column")
        << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"), QStringLiteral("--method"),
                       QStringLiteral("colr=psi")}
        << 1
        << QStringLiteral(
               "a drift method, threshold or bins were set for \"colr\", which is not a feature or the target of the model; "
               "close names: colour");
    QTest::newRow("threshold-for-unknown-column")
        << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"), QStringLiteral("--threshold"),
                       QStringLiteral("X=0.2")}
        << 1 << QStringLiteral("were set for \"X\", which is not a feature or the target of the model; close names: x");
    QTest::newRow("metric-typo") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"), QStringLiteral("--metric"),
                                                QStringLiteral("acuracy")}
                                 << 1 << QStringLiteral("no metric \"acuracy\"; close names: accuracy");
    QTest::newRow("timestamp-not-datetime") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("same.csv"),
                                                           QStringLiteral("--timestamp"), QStringLiteral("x")}
                                            << 1 << QStringLiteral("column \"x\" is float, not datetime");
    QTest::newRow("missing-feature") << QStringList{QStringLiteral("m.plumb"), QStringLiteral("train.csv"),
                                                    QStringLiteral("--select-never")}
                                     << 2 << QStringLiteral("Unknown option");
    QTest::newRow("not-a-model") << QStringList{QStringLiteral("same.csv"), QStringLiteral("same.csv")} << 3
                                 << QStringLiteral("same.csv");
}

void TestCliMonitor::errors()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QStringList full{QStringLiteral("drift")};
    for (const QString &argument : arguments)
        full.append(argument.endsWith(QLatin1String(".csv")) || argument.endsWith(QLatin1String(".plumb")) ? path(argument)
                                                                                                           : argument);
    const Run run = runPlumb(full);
    QCOMPARE(run.exitCode, exitCode);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void TestCliMonitor::batchesReadWithTheModelsTypes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected");
    QTest::newRow("drift") << QStringList{QStringLiteral("drift"), QStringLiteral("zones.plumb"), QStringLiteral("zones-a.csv")}
                           << QStringLiteral("1 window(s), 3 column(s)");
    QTest::newRow("retrain") << QStringList{QStringLiteral("retrain"),     QStringLiteral("zones.plumb"),
                                            QStringLiteral("zones-a.csv"), QStringLiteral("zones-b.csv"),
                                            QStringLiteral("-o"),          QStringLiteral("zones-2.plumb")}
                             << QStringLiteral("validated on 600 rows of zones-b");
}

void TestCliMonitor::batchesReadWithTheModelsTypes()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    // zone is categorical in the model; the batches hold only digits in it. Read as the model reads
    // them (as `plumb predict` does), they compare and retrain instead of being refused as integers.
    for (QString &argument : arguments)
        if (argument.contains(QLatin1Char('.')))
            argument = path(argument);
    const Run run = runPlumb(arguments);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(expected), qPrintable(run.out));
    QVERIFY2(!run.err.contains(QLatin1String("integer")), qPrintable(run.err));
}

void TestCliMonitor::jsonReportHasItsSchemaVersion()
{
    // README.md, "Drift": the report's keys, version 1.
    const Run run = runPlumb({QStringLiteral("drift"), path(QStringLiteral("m.plumb")), path(QStringLiteral("same.csv")),
                              path(QStringLiteral("moved.csv")), QStringLiteral("--json")});
    QCOMPARE(run.exitCode, 0);
    const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(json.value(QLatin1String("schema_version")).toInt(), 1);
    const QStringList keys{QStringLiteral("alerts"),
                           QStringLiteral("columns"),
                           QStringLiteral("dataset_drift_share"),
                           QStringLiteral("model"),
                           QStringLiteral("not_scored"),
                           QStringLiteral("performance"),
                           QStringLiteral("prediction_drift"),
                           QStringLiteral("retraining"),
                           QStringLiteral("schema_version"),
                           QStringLiteral("service"),
                           QStringLiteral("source"),
                           QStringLiteral("thresholds"),
                           QStringLiteral("warnings"),
                           QStringLiteral("windows")};
    QCOMPARE(json.keys(), keys); // QJsonObject keeps its keys sorted
    QCOMPARE(json.value(QLatin1String("prediction_drift")).toObject().value(QLatin1String("windows")).toArray().size(), 2);
    QVERIFY(json.value(QLatin1String("service")).isNull()); // files, not a prediction log
    const QJsonObject source = json.value(QLatin1String("source")).toObject();
    QCOMPARE(source.value(QLatin1String("files")).toArray().size(), 2);
    QVERIFY(source.value(QLatin1String("timestamp")).isNull());
}

void TestCliMonitor::predictionDriftFailureIsNamedInTheReport()
{
    // m.plumb saved again with a profile that leaves colour out, and data without colour: the drift
    // report compares x and y, but the model cannot score rows without colour. The prediction
    // drift fails by name inside the report; the rest stands.
    Result<ModelArtifact> model = loadModelArtifact(path(QStringLiteral("m.plumb")));
    QVERIFY(model);
    QJsonArray profile;
    for (const QJsonValue &column : model.value().profile)
        if (column.toObject().value(QLatin1String("name")).toString() != QLatin1String("colour"))
            profile.append(column);
    QCOMPARE(profile.size(), model.value().profile.size() - 1);
    const QString partial = path(QStringLiteral("partial.plumb"));
    const std::optional<Error> saved = saveModelArtifact(partial, *model.value().pipeline, model.value().metadata, profile, true);
    QVERIFY2(!saved, qPrintable(saved ? saved->message : QString()));
    QByteArray csv = "x,y\n";
    for (int i = 0; i < 600; ++i)
        csv += QByteArray::number(10.0 * i / 600) + ',' + (i >= 300 ? "big" : "small") + '\n';
    const QStringList files{path(QStringLiteral("nocolour-1.csv")), path(QStringLiteral("nocolour-2.csv"))};
    for (const QString &name : files) {
        QFile file(name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(csv);
    }
    const Run text = runPlumb(QStringList{QStringLiteral("drift"), partial} + files);
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains(QLatin1String("\nprediction drift: not computed: reference window nocolour-1: the input has no "
                                             "column 'colour', which the model needs\n")),
             qPrintable(text.out));
    QVERIFY2(text.out.contains(QRegularExpression(QStringLiteral("\\nnocolour-2 +600 +0 of 1 "))), qPrintable(text.out));
    const Run json = runPlumb(QStringList{QStringLiteral("drift"), partial, QStringLiteral("--json")} + files);
    QCOMPARE(json.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QVERIFY(report.value(QLatin1String("prediction_drift"))
                .toObject()
                .value(QLatin1String("error"))
                .toString()
                .contains(QLatin1String("no column 'colour'")));
    QCOMPARE(report.value(QLatin1String("windows")).toArray().size(), 2);
}

void TestCliMonitor::logReportsTheServiceHistory()
{
    // The demo's prediction log (resources/demo/demolog.cpp): December 2026, every day served.
    if (!QFileInfo::exists(kLog))
        QFAIL("the demo workspace is built before this suite (plumb-demo-workspace)");
    const Run json = runPlumb({QStringLiteral("drift"), kLogModel, QStringLiteral("--log"), kLog, QStringLiteral("--json")});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject service = QJsonDocument::fromJson(json.out.toUtf8()).object().value(QLatin1String("service")).toObject();
    QCOMPARE(service.value(QLatin1String("period")).toString(), QStringLiteral("day"));
    const QJsonArray days = service.value(QLatin1String("windows")).toArray();
    QCOMPARE(days.size(), 31);
    QCOMPARE(days.first().toObject().value(QLatin1String("label")).toString(), QStringLiteral("2026-12-01"));
    QVERIFY(days.first().toObject().value(QLatin1String("requests")).toInt() > 0);
    const Run text = runPlumb({QStringLiteral("drift"), kLogModel, QStringLiteral("--log"), kLog});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains(QLatin1String("\nservice: requests per day (latency in ms)\n")), qPrintable(text.out));
    const QString serviceTable = text.out.mid(text.out.indexOf(QLatin1String("\nservice: ")));
    QVERIFY2(serviceTable.contains(
                 QRegularExpression(QStringLiteral("\\nwindow +requests +errors +rows +p50 +p95 +p99 +max\\n2026-12-01 "))),
             qPrintable(serviceTable));
    QVERIFY2(serviceTable.contains(QLatin1String("\n2026-12-31 ")), qPrintable(serviceTable));
}

QTEST_GUILESS_MAIN(TestCliMonitor)
#include "tst_climonitor.moc"
