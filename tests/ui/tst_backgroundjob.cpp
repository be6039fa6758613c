#include "ui/common/backgroundjob.h"

#include <QSemaphore>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace plumb::ui;

// The helper every long job of the workbench runs through: where its result arrives, what Cancel
// and a restart deliver, and what the progress panel reads.
class TestBackgroundJob : public QObject
{
    Q_OBJECT

private slots:
    void resultArrivesOnTheGuiThread();
    void cancelDeliversNoResult();
    void progressReachesTheGui();
    void restartDeliversOnlyTheLatest();
    void finishNowDeliversAtOnce();
    void receiverHoldsTheOnlyCopy();
};

namespace {

constexpr int kDeadlineMs = 10000; // a job that should finish at once; fails rather than hangs

// Blocks the worker until the test releases it (or the deadline passes, failing the test later).
bool waitForRelease(QSemaphore &gate)
{
    return gate.tryAcquire(1, kDeadlineMs);
}

} // namespace

void TestBackgroundJob::resultArrivesOnTheGuiThread()
{
    QObject owner;
    BackgroundJob<QThread *> job(&owner);
    QThread *worker = nullptr;
    QThread *deliveredOn = nullptr;
    job.start([](ProgressTracker &) { return QThread::currentThread(); },
              [&](QThread *thread) {
                  worker = thread;
                  deliveredOn = QThread::currentThread();
              });
    QVERIFY(job.isRunning());
    QVERIFY(QTest::qWaitFor([&] { return !job.isRunning(); }, kDeadlineMs));
    QVERIFY(worker);
    QVERIFY(worker != qApp->thread()); // the work ran off the GUI thread
    QCOMPARE(deliveredOn, qApp->thread());
}

void TestBackgroundJob::cancelDeliversNoResult()
{
    QObject owner;
    BackgroundJob<int> job(&owner);
    QSemaphore started;
    int delivered = 0;
    int cancelled = 0;
    job.start(
        [&started](ProgressTracker &progress) {
            started.release();
            QDeadlineTimer deadline(kDeadlineMs);
            while (!progress.isCancelled() && !deadline.hasExpired())
                QThread::msleep(1);
            return 42; // a job that stops early still returns something: it must not arrive
        },
        [&](int) { ++delivered; }, [&] { ++cancelled; });
    QVERIFY(started.tryAcquire(1, kDeadlineMs));
    job.cancel();
    QVERIFY(QTest::qWaitFor([&] { return !job.isRunning(); }, kDeadlineMs));
    QCOMPARE(delivered, 0);
    QCOMPARE(cancelled, 1);
}

void TestBackgroundJob::progressReachesTheGui()
{
    QObject owner;
    BackgroundJob<int> job(&owner);
    QSemaphore gate;
    int delivered = -1;
    job.start(
        [&gate](ProgressTracker &progress) {
            progress.setProgress(0.5, QStringLiteral("halfway"));
            return waitForRelease(gate) ? 1 : 0;
        },
        [&](int value) { delivered = value; });
    const std::shared_ptr<const ProgressTracker> progress = job.progress();
    QVERIFY(progress);
    QVERIFY(QTest::qWaitFor([&] { return progress->fraction() == 0.5; }, kDeadlineMs));
    QCOMPARE(progress->stage(), QStringLiteral("halfway"));
    QVERIFY(job.isRunning());
    gate.release();
    QVERIFY(QTest::qWaitFor([&] { return !job.isRunning(); }, kDeadlineMs));
    QCOMPARE(delivered, 1);
    QVERIFY(!job.progress());
}

void TestBackgroundJob::restartDeliversOnlyTheLatest()
{
    QObject owner;
    BackgroundJob<int> job(&owner);
    QSemaphore firstGate;
    std::atomic<bool> firstSawCancel = false;
    QList<int> delivered;
    // The first job ignores Cancel and finishes after the second: its result must still not arrive.
    job.start(
        [&](ProgressTracker &progress) {
            waitForRelease(firstGate);
            firstSawCancel = progress.isCancelled();
            return 1;
        },
        [&](int value) { delivered.append(value); });
    job.start([](ProgressTracker &) { return 2; }, [&](int value) { delivered.append(value); });
    QVERIFY(QTest::qWaitFor([&] { return !job.isRunning(); }, kDeadlineMs));
    firstGate.release();
    // Wait for the first to end too, then give its (dropped) outcome time to arrive if it would.
    QVERIFY(QTest::qWaitFor([&] { return firstSawCancel.load(); }, kDeadlineMs));
    QTest::qWait(50);
    QCOMPARE(delivered, QList<int>{2});
}

void TestBackgroundJob::finishNowDeliversAtOnce()
{
    QObject owner;
    BackgroundJob<int> job(&owner);
    int delivered = 0;
    job.start([](ProgressTracker &) { return 7; }, [&](int value) { delivered += value; });
    job.finishNow();
    QCOMPARE(delivered, 7);
    QVERIFY(!job.isRunning());
    // The watcher's own signal, still queued, delivers nothing more.
    QTest::qWait(50);
    QCOMPARE(delivered, 7);
}

void TestBackgroundJob::receiverHoldsTheOnlyCopy()
{
    // The batch scoring job frees an old table on a worker, which works only when its own copy
    // is the last one: the helper keeps none.
    QObject owner;
    BackgroundJob<std::shared_ptr<int>> job(&owner);
    std::shared_ptr<int> delivered;
    job.start([](ProgressTracker &) { return std::make_shared<int>(5); },
              [&](std::shared_ptr<int> value) { delivered = std::move(value); });
    QVERIFY(QTest::qWaitFor([&] { return delivered != nullptr; }, kDeadlineMs));
    QCOMPARE(delivered.use_count(), 1L);
}

QTEST_MAIN(TestBackgroundJob)
#include "tst_backgroundjob.moc"
