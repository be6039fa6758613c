// parallelFor: every index runs exactly once, on several threads when asked, whether the loop runs
// on the kept worker threads, inside another loop, or beside a loop started from another thread.

#include "base/parallel.h"

#include <QDeadlineTimer>
#include <QTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace plumb {

namespace {

// Sets PLUMB_THREADS for one test and puts the previous value back.
class ThreadCount
{
public:
    explicit ThreadCount(const QByteArray &threads)
        : mHad(qEnvironmentVariableIsSet("PLUMB_THREADS")), mSaved(qgetenv("PLUMB_THREADS"))
    {
        qputenv("PLUMB_THREADS", threads);
    }
    ~ThreadCount()
    {
        if (mHad)
            qputenv("PLUMB_THREADS", mSaved);
        else
            qunsetenv("PLUMB_THREADS");
    }

private:
    bool mHad;
    QByteArray mSaved;
};

// How many times each index of a loop over `count` ran.
std::vector<int> runCounts(std::size_t count)
{
    std::vector<std::atomic<int>> runs(count);
    parallelFor(count, [&](std::size_t i) { runs[i].fetch_add(1); });
    std::vector<int> out;
    for (const std::atomic<int> &run : runs)
        out.push_back(run.load());
    return out;
}

} // namespace

class TestParallel : public QObject
{
    Q_OBJECT

private slots:
    void everyIndexRunsOnce_data();
    void everyIndexRunsOnce();
    void loopsUseSeveralThreads();
    void manyShortLoopsInARow();
    void nestedLoopRunsOnItsThread();
    void loopsFromTwoThreadsAtOnce();
};

void TestParallel::everyIndexRunsOnce_data()
{
    QTest::addColumn<QByteArray>("threads");
    QTest::addColumn<int>("count");
    for (const char *threads : {"1", "2", "3", "8"})
        for (const int count : {0, 1, 2, 7, 1000})
            QTest::addRow("%s threads, %d items", threads, count) << QByteArray(threads) << count;
}

void TestParallel::everyIndexRunsOnce()
{
    QFETCH(QByteArray, threads);
    QFETCH(int, count);
    ThreadCount setting(threads);
    QCOMPARE(runCounts(std::size_t(count)), std::vector<int>(std::size_t(count), 1));
}

void TestParallel::loopsUseSeveralThreads()
{
    ThreadCount setting("3");
    // Each item waits until three items are running at once, so the loop finishes only when it
    // runs on three threads; on fewer, the wait gives up at a deadline and the test fails saying so.
    std::atomic<int> arrived{0};
    std::atomic<bool> gaveUp{false};
    std::mutex lock;
    std::set<std::thread::id> seen;
    const QDeadlineTimer deadline(30000);
    parallelFor(3, [&](std::size_t) {
        {
            std::lock_guard guard(lock);
            seen.insert(std::this_thread::get_id());
        }
        arrived.fetch_add(1);
        while (arrived.load() < 3) {
            if (deadline.hasExpired()) {
                gaveUp = true;
                break;
            }
            std::this_thread::yield();
        }
    });
    QVERIFY2(!gaveUp, "the three items were not running at once within 30 s: the loop runs on fewer than three threads");
    QCOMPARE(seen.size(), std::size_t(3));
}

void TestParallel::manyShortLoopsInARow()
{
    ThreadCount setting("2");
    std::atomic<long> total{0};
    for (int loop = 0; loop < 2000; ++loop)
        parallelFor(4, [&](std::size_t i) { total.fetch_add(long(i) + 1); });
    QCOMPARE(total.load(), 2000L * 10);
}

void TestParallel::nestedLoopRunsOnItsThread()
{
    ThreadCount setting("2");
    std::atomic<int> inner{0}, foreign{0};
    // The inner items take long enough that any other thread would get some of them.
    parallelFor(4, [&](std::size_t) {
        const std::thread::id outer = std::this_thread::get_id();
        parallelFor(5, [&](std::size_t) {
            inner.fetch_add(1);
            if (std::this_thread::get_id() != outer)
                foreign.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        });
    });
    QCOMPARE(inner.load(), 20);
    QCOMPARE(foreign.load(), 0);
}

void TestParallel::loopsFromTwoThreadsAtOnce()
{
    ThreadCount setting("2");
    const std::vector<int> once(5000, 1);
    std::atomic<int> otherWrong{0};
    std::thread other([&] {
        for (int loop = 0; loop < 200; ++loop)
            if (runCounts(once.size()) != once)
                otherWrong.fetch_add(1);
    });
    int wrong = 0;
    for (int loop = 0; loop < 200; ++loop)
        if (runCounts(once.size()) != once)
            ++wrong;
    other.join();
    QCOMPARE(wrong, 0);
    QCOMPARE(otherWrong.load(), 0);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestParallel)
#include "tst_parallel.moc"
