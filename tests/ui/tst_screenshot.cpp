#include "uitestsupport.h"

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QtTest>

// plumb-workbench's command line, run as a separate process on the offscreen platform.
class TestScreenshot : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writesEveryView_data();
    void writesEveryView();
    void everyViewFitsTheSize_data();
    void everyViewFitsTheSize();
    void badSizeIsRefused();
    void failedLoadExitsNonZero();
    void helpAndVersion();
    void needsNoWindowSystem();

private:
    // Runs plumb-workbench with the offscreen platform, or with no window system at all.
    int runWorkbench(const QStringList &arguments, QByteArray *output = nullptr, bool offscreen = true);

    QTemporaryDir mDirectory;
};

void TestScreenshot::initTestCase()
{
    QVERIFY(mDirectory.isValid());
    QVERIFY(QFileInfo(QStringLiteral(PLUMB_WORKBENCH_EXECUTABLE)).isExecutable());
}

int TestScreenshot::runWorkbench(const QStringList &arguments, QByteArray *output, bool offscreen)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (offscreen)
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(PLUMB_WORKBENCH_EXECUTABLE), arguments);
    if (!process.waitForFinished(plumb::ui::test::kLoadTimeoutMs))
        return -1;
    if (output)
        *output = process.readAll();
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

void TestScreenshot::writesEveryView_data()
{
    QTest::addColumn<bool>("withFile");
    QTest::newRow("with-file") << true;
    QTest::newRow("without-file") << false;
}

void TestScreenshot::writesEveryView()
{
    QFETCH(bool, withFile);
    const QString output = QDir(mDirectory.path()).filePath(QString::fromLatin1(QTest::currentDataTag()));
    QStringList arguments{QStringLiteral("--screenshot"), output};
    if (withFile)
        arguments << plumb::ui::test::writeFile(mDirectory, QStringLiteral("mixed.csv"), plumb::ui::test::kMixedCsv);
    QByteArray log;
    QCOMPARE(runWorkbench(arguments, &log), 0);

    for (const char *view : {"data", "train", "models", "predict", "monitor"}) {
        const QString file = QDir(output).filePath(QString::fromLatin1(view) + QStringLiteral(".png"));
        QVERIFY2(QFileInfo(file).size() > 0, qPrintable(file));
        const QImage image(file);
        QVERIFY2(!image.isNull(), qPrintable(file));
        QVERIFY(image.width() >= 960 && image.height() >= 600);
        // A rendered view has text and lines: far more than a handful of distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(file));
    }
}

void TestScreenshot::everyViewFitsTheSize_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<QString>("scheme");
    // The smallest window the views are laid out for, and the default; each in light and in dark.
    for (const QSize size : {QSize(1024, 640), QSize(1440, 900)})
        for (const char *scheme : {"light", "dark"})
            QTest::addRow("%dx%d-%s", size.width(), size.height(), scheme) << size << QString::fromLatin1(scheme);
}

void TestScreenshot::everyViewFitsTheSize()
{
    QFETCH(QSize, size);
    QFETCH(QString, scheme);
    // The demo workspace shows every view with content: trained runs, a signed model, the
    // Monitor view computed on its batches, the scored batch.
    const QString workspace = QStringLiteral(PLUMB_BINARY_DIR "/demo-workspace");
    QVERIFY2(QFileInfo(workspace).isDir(), "the build makes the demo workspace before this suite");
    const QString output
        = QDir(mDirectory.path()).filePath(QStringLiteral("size-") + QString::fromLatin1(QTest::currentDataTag()));
    const QString sizeText = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
    QByteArray log;
    QCOMPARE(runWorkbench({QStringLiteral("--screenshot"), output, QStringLiteral("--size"), sizeText,
                           QStringLiteral("--color-scheme"), scheme, workspace},
                          &log),
             0);
    // Each cut widget is reported as "plumb-workbench: at WxH, VIEW: ..." (ui/layoutcheck.h).
    const QString cut
        = QString::fromUtf8(log).split(QLatin1Char('\n')).filter(QStringLiteral("at ") + sizeText).join(QLatin1Char('\n'));
    QVERIFY2(cut.isEmpty(), qPrintable(cut));
    for (const char *view : {"data", "train", "models", "predict", "monitor"}) {
        const QImage image(QDir(output).filePath(QString::fromLatin1(view) + QStringLiteral(".png")));
        QCOMPARE(image.size(), size);
        // The view header's background (below the menu bar, right of the navigation) is the
        // scheme's surface: white in light (lightness 255), slate in dark (ui/theme.cpp, under 60).
        const int lightness = image.pixelColor(size.width() - 4, 40).lightness();
        QVERIFY2(scheme == QLatin1String("dark") ? lightness < 60 : lightness > 240,
                 qPrintable(QStringLiteral("%1.png: lightness %2").arg(QString::fromLatin1(view)).arg(lightness)));
    }
}

void TestScreenshot::badSizeIsRefused()
{
    QByteArray log;
    const QString output = QDir(mDirectory.path()).filePath(QStringLiteral("bad-size"));
    QCOMPARE(runWorkbench({QStringLiteral("--screenshot"), output, QStringLiteral("--size"), QStringLiteral("1024by640")}, &log),
             2);
    QVERIFY2(log.contains("--size wants WIDTHxHEIGHT"), log.constData());
    QVERIFY(!QFileInfo::exists(output));
}

void TestScreenshot::failedLoadExitsNonZero()
{
    const QString bad = plumb::ui::test::writeFile(mDirectory, QStringLiteral("ragged.csv"), "a,b\n1\n");
    const QString output = QDir(mDirectory.path()).filePath(QStringLiteral("failed"));
    QByteArray log;
    QCOMPARE(runWorkbench({QStringLiteral("--screenshot"), output, bad}, &log), 1);
    QVERIFY(log.contains("plumb-workbench:"));
    // The views are still written, showing the error, so a broken run can be seen.
    QVERIFY(QFileInfo(QDir(output).filePath(QStringLiteral("data.png"))).size() > 0);
}

void TestScreenshot::helpAndVersion()
{
    QByteArray log;
    QCOMPARE(runWorkbench({QStringLiteral("--help")}, &log), 0);
    QVERIFY(log.contains("--screenshot"));
    QCOMPARE(runWorkbench({QStringLiteral("--version")}, &log), 0);
    QVERIFY(log.contains(PLUMB_VERSION));
}

void TestScreenshot::needsNoWindowSystem()
{
    // Neither a display nor QT_QPA_PLATFORM: --version answers, --screenshot renders offscreen.
    QByteArray log;
    QCOMPARE(runWorkbench({QStringLiteral("--version")}, &log, false), 0);
    QVERIFY(log.contains(PLUMB_VERSION));
    const QString output = QDir(mDirectory.path()).filePath(QStringLiteral("headless"));
    QCOMPARE(runWorkbench({QStringLiteral("--screenshot=") + output}, &log, false), 0);
    QVERIFY(QFileInfo(QDir(output).filePath(QStringLiteral("monitor.png"))).size() > 0);
}

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
