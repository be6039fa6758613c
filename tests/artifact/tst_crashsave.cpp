// A save killed part-way leaves the previous complete file or the new complete one, never a mix:
// the savechild executable overwrites one path with two models in turn, and this suite kills it
// with SIGKILL after seeded random delays, then reads the path. The two acceptable digests are the
// ones the child prints on start. Nothing here depends on how fast anything runs: a kill before,
// during or after a write must all leave a complete file.

#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "base/random.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

namespace plumb {

class TestCrashSave : public QObject
{
    Q_OBJECT

private slots:
    void killedWhileSaving_data();
    void killedWhileSaving();
};

void TestCrashSave::killedWhileSaving_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<int>("kills");
    QTest::addColumn<int>("maxDelayMicroseconds");

    // Delays from within the first save of the large version (about 1 MB) to a few save cycles.
    QTest::newRow("short-delays") << quint64(20240309) << 25 << 20000;
    QTest::newRow("longer-delays") << quint64(7) << 25 << 400000;
}

void TestCrashSave::killedWhileSaving()
{
    QFETCH(quint64, seed);
    QFETCH(int, kills);
    QFETCH(int, maxDelayMicroseconds);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"model.plumb"_s);
    Random random(seed);
    int found[2] = {0, 0}; // how often each version was there after a kill, for the log

    for (int kill = 0; kill < kills; ++kill) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QStringLiteral(PLUMB_SAVECHILD_PATH), {path});
        QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
        // The child prints the two digests, then "ready" once the path holds a complete file.
        QStringList lines;
        while (lines.size() < 3 && child.state() == QProcess::Running) {
            if (!child.canReadLine() && !child.waitForReadyRead(60000))
                break;
            while (child.canReadLine())
                lines.append(QString::fromLatin1(child.readLine()).trimmed());
        }
        QVERIFY2(lines.size() == 3 && lines[2] == u"ready"_s, qPrintable(lines.join(u" | "_s)));
        const QStringList digests = lines.mid(0, 2);
        QVERIFY(digests[0] != digests[1]);

        QThread::usleep(random.below(std::uint64_t(maxDelayMicroseconds)));
        child.kill(); // SIGKILL
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit); // killed, not finished on its own

        const Result<ModelArtifact> loaded = loadModelArtifact(path);
        QVERIFY2(loaded.ok(), qPrintable(u"after kill %1: %2"_s.arg(kill).arg(loaded.ok() ? QString() : loaded.error().message)));
        QVERIFY2(digests.contains(loaded.value().digest),
                 qPrintable(u"after kill %1: digest %2"_s.arg(kill).arg(loaded.value().digest)));
        ++found[digests.indexOf(loaded.value().digest)];
    }
    qInfo("after %d kills the path held the small version %d times and the large one %d times", kills, found[0], found[1]);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestCrashSave)
#include "tst_crashsave.moc"
