// `plumb drift --html` on the demo stream, read as its readers read it: the page parses as XML,
// its heat map and performance chart hold the numbers of `plumb drift --json`, its summary names
// where and when the generator planted drift (resources/demo/demogenerator.cpp; README "Monitoring
// and retraining"), and headless Chromium renders and prints it with no console message and no
// network request. The screenshots and PDF land in PLUMB_REPORT_SHOTS when that is set.
#include "plumbprocess.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace plumb::test;

namespace {

const QString kWorkspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
const QString kModel = kWorkspace + QStringLiteral("/models/churn-logistic.plumb");

struct Browsed
{
    bool finished = false;
    QString log; // chromium's stderr: console messages are "CONSOLE" lines
    QStringList network; // http(s) URLs the page requested, from the network log
};

// Runs headless Chromium on `page` with a network log.
Browsed browse(const QString &page, const QStringList &output, const QString &directory)
{
    const QString netLog = directory + QStringLiteral("/net.json");
    QProcess chromium;
    chromium.start(QStandardPaths::findExecutable(QStringLiteral("chromium")),
                   QStringList{QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                               QStringLiteral("--disable-background-networking"), QStringLiteral("--disable-component-update"),
                               QStringLiteral("--disable-sync"), QStringLiteral("--no-pings"),
                               QStringLiteral("--disable-default-apps"), QStringLiteral("--no-first-run"),
                               QStringLiteral("--enable-logging=stderr"), QStringLiteral("--v=0"),
                               QStringLiteral("--user-data-dir=") + directory + QStringLiteral("/profile"),
                               QStringLiteral("--log-net-log=") + netLog}
                       + output + QStringList{QUrl::fromLocalFile(page).toString()});
    Browsed browsed;
    browsed.finished = chromium.waitForFinished(120000) && chromium.exitCode() == 0;
    browsed.log = QString::fromUtf8(chromium.readAllStandardError());
    QFile log(netLog);
    if (log.open(QIODevice::ReadOnly)) {
        // One event a line; a request the page (a file:// origin) caused has it as its network
        // isolation key, the browser's own (update checks, accounts) do not.
        static const QRegularExpression url(QStringLiteral("\"url\":\"(https?://[^\"]*)\""));
        while (!log.atEnd()) {
            const QString line = QString::fromUtf8(log.readLine());
            if (!line.contains(QLatin1String("\"network_isolation_key\":\"file://")))
                continue;
            for (const QRegularExpressionMatch &match : url.globalMatch(line))
                if (!browsed.network.contains(match.captured(1)))
                    browsed.network.append(match.captured(1));
        }
    }
    return browsed;
}

} // namespace

class TestCliReportHtml : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pageHoldsTheJsonNumbers();
    void summaryTellsWhereAndWhen_data();
    void summaryTellsWhereAndWhen();
    void browserCatchesWhatItShould();
    void rendersOfflineInChromium_data();
    void rendersOfflineInChromium();

private:
    QTemporaryDir mDirectory;
    QString mPage;
    QByteArray mHtml;
    QJsonObject mJson;
};

void TestCliReportHtml::initTestCase()
{
    if (!QFileInfo::exists(kModel))
        QFAIL("the demo workspace is built before this suite (plumb-demo-workspace)");
    QStringList batches;
    for (const QFileInfo &file :
         QDir(kWorkspace + QStringLiteral("/batches")).entryInfoList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name))
        batches.append(file.absoluteFilePath());
    QCOMPARE(batches.size(), 12);
    mPage = mDirectory.filePath(QStringLiteral("demo-report.html"));
    const Run run = runPlumb(QStringList{QStringLiteral("drift"), kModel} + batches
                             + QStringList{QStringLiteral("--html"), mPage, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    mJson = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QFile page(mPage);
    QVERIFY(page.open(QIODevice::ReadOnly));
    mHtml = page.readAll();
}

void TestCliReportHtml::pageHoldsTheJsonNumbers()
{
    QXmlStreamReader reader(mHtml);
    std::map<std::pair<QString, QString>, QXmlStreamAttributes> cells; // (column, window)
    QStringList performanceTitles, sections;
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        const QXmlStreamAttributes attributes = reader.attributes();
        if (reader.name() == QLatin1String("section"))
            sections.append(attributes.value(QLatin1String("id")).toString());
        if (reader.name() == QLatin1String("rect") && attributes.hasAttribute(QLatin1String("data-column")))
            cells[{attributes.value(QLatin1String("data-column")).toString(),
                   attributes.value(QLatin1String("data-window")).toString()}]
                = attributes;
        if (reader.name() == QLatin1String("circle") && attributes.value(QLatin1String("class")) == QLatin1String("c-point")) {
            reader.readNext();
            if (reader.isStartElement() && reader.name() == QLatin1String("title"))
                performanceTitles.append(reader.readElementText());
        }
    }
    QVERIFY2(!reader.hasError(), qPrintable(QStringLiteral("line %1: %2").arg(reader.lineNumber()).arg(reader.errorString())));
    for (const char *section : {"summary", "heatmap", "dataset", "predictions", "performance", "features", "alerts"})
        QVERIFY2(sections.contains(QLatin1String(section)), section);
    // 12 compared columns (11 features and the target) x 12 windows.
    QCOMPARE(cells.size(), std::size_t(144));
    const QJsonArray windows = mJson.value(QLatin1String("windows")).toArray();
    int compared = 0;
    for (const QJsonValue &window : windows)
        for (const QJsonValue &entry : window.toObject().value(QLatin1String("columns")).toArray()) {
            const QJsonObject column = entry.toObject();
            const auto cell = cells.find(
                {column.value(QLatin1String("column")).toString(), window.toObject().value(QLatin1String("label")).toString()});
            QVERIFY(cell != cells.end());
            QCOMPARE(cell->second.value(QLatin1String("data-statistic")).toDouble(),
                     column.value(QLatin1String("statistic")).toDouble());
            QCOMPARE(cell->second.value(QLatin1String("data-drifted")) == QLatin1String("true"),
                     column.value(QLatin1String("drifted")).toBool());
            ++compared;
        }
    QCOMPARE(compared, 144);
    // The performance chart's points name each window's metric and band, to the 4 digits shown.
    const QJsonObject performance = mJson.value(QLatin1String("performance")).toObject();
    const QJsonArray measured = performance.value(QLatin1String("windows")).toArray();
    for (qsizetype w = 0; w < measured.size(); ++w) {
        const QJsonObject window = measured.at(w).toObject();
        const QString expected = QStringLiteral("%1: accuracy %2 (%3 \u2013 %4)")
                                     .arg(windows.at(w).toObject().value(QLatin1String("label")).toString())
                                     .arg(QString::number(window.value(QLatin1String("value")).toDouble(), 'g', 4),
                                          QString::number(window.value(QLatin1String("lower")).toDouble(), 'g', 4),
                                          QString::number(window.value(QLatin1String("upper")).toDouble(), 'g', 4));
        QVERIFY2(performanceTitles.contains(expected), qPrintable(expected));
    }
}

void TestCliReportHtml::summaryTellsWhereAndWhen_data()
{
    QTest::addColumn<QString>("line");
    // What demogenerator.cpp plants (README "Monitoring and retraining"): the payment-method mix
    // from June, charges rising from July, support calls in August-September, the West region late
    // in the year, and accuracy below its validation band from May on.
    QTest::newRow("payment-method") << QStringLiteral("payment_method</a>: 2026-06 \u2013 2026-12");
    QTest::newRow("charges") << QStringLiteral("monthly_charges</a>: 2026-07 \u2013 2026-12");
    QTest::newRow("support-calls") << QStringLiteral("support_calls</a>: 2026-08 \u2013 2026-09");
    QTest::newRow("region") << QStringLiteral("region</a>: 2026-11 \u2013 2026-12");
    QTest::newRow("accuracy") << QStringLiteral(
        "below its validation baseline 0.8379</span> in 8 windows: 2026-05 \u2013 2026-12");
    QTest::newRow("retraining") << QStringLiteral("proposed</span>: accuracy 0.7696 in 2026-12");
}

void TestCliReportHtml::summaryTellsWhereAndWhen()
{
    QFETCH(QString, line);
    const QString html = QString::fromUtf8(mHtml);
    const QString summary = html.mid(html.indexOf(QLatin1String("<section id=\"summary\">")),
                                     html.indexOf(QLatin1String("<section id=\"heatmap\""))
                                         - html.indexOf(QLatin1String("<section id=\"summary\">")));
    QVERIFY2(summary.contains(line), qPrintable(line));
}

void TestCliReportHtml::browserCatchesWhatItShould()
{
    // The checks below can fail: a page that logs to the console and fetches an image is caught.
    if (QStandardPaths::findExecutable(QStringLiteral("chromium")).isEmpty())
        QFAIL("chromium is not installed (.ci/install-deps installs it)");
    QTemporaryDir directory;
    const QString page = directory.filePath(QStringLiteral("bad.html"));
    QFile file(page);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("<html><body><script>console.error('boom')</script><img src=\"http://192.0.2.1/x.png\"/></body></html>");
    file.close();
    const Browsed browsed = browse(page, {QStringLiteral("--screenshot=") + directory.filePath(QStringLiteral("bad.png"))},
                                   directory.path());
    QVERIFY(browsed.finished);
    QVERIFY(browsed.log.contains(QLatin1String("CONSOLE")));
    QVERIFY(browsed.network.contains(QStringLiteral("http://192.0.2.1/x.png")));
}

void TestCliReportHtml::rendersOfflineInChromium_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("output");
    QTest::newRow("screenshot-wide") << QStringList{QStringLiteral("--window-size=1100,2600")}
                                     << QStringLiteral("report-wide.png");
    QTest::newRow("screenshot-narrow") << QStringList{QStringLiteral("--window-size=420,1800")}
                                       << QStringLiteral("report-narrow.png");
    QTest::newRow("screenshot-dark") << QStringList{QStringLiteral("--window-size=1100,2600"),
                                                    QStringLiteral("--force-dark-mode"),
                                                    QStringLiteral("--blink-settings=preferredColorScheme=0")}
                                     << QStringLiteral("report-dark.png");
    QTest::newRow("pdf") << QStringList{QStringLiteral("--no-pdf-header-footer")} << QStringLiteral("report.pdf");
}

void TestCliReportHtml::rendersOfflineInChromium()
{
    QFETCH(QStringList, options);
    QFETCH(QString, output);
    if (QStandardPaths::findExecutable(QStringLiteral("chromium")).isEmpty())
        QFAIL("chromium is not installed (.ci/install-deps installs it)");
    QTemporaryDir directory;
    const QString shots = qEnvironmentVariableIsSet("PLUMB_REPORT_SHOTS") ? qEnvironmentVariable("PLUMB_REPORT_SHOTS")
                                                                          : directory.path();
    const QString file = shots + QLatin1Char('/') + output;
    QFile::remove(file);
    const QString how = output.endsWith(QLatin1String(".pdf")) ? QStringLiteral("--print-to-pdf=")
                                                               : QStringLiteral("--screenshot=");
    const Browsed browsed = browse(mPage, options + QStringList{how + file}, directory.path());
    QVERIFY2(browsed.finished, qPrintable(browsed.log.right(2000)));
    QVERIFY2(!browsed.log.contains(QLatin1String("CONSOLE")), qPrintable(browsed.log));
    QVERIFY2(browsed.network.isEmpty(), qPrintable(browsed.network.join(QLatin1Char('\n'))));
    QFile written(file);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray head = written.read(8);
    QVERIFY(head.startsWith("%PDF-") || head.startsWith("\x89PNG"));
    QVERIFY(written.size() > 20000);
}

QTEST_GUILESS_MAIN(TestCliReportHtml)
#include "tst_clireporthtml.moc"
