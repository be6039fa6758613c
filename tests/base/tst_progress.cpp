// ProgressRange: a sub-task's fraction mapped onto its part of the parent's bar, with cancellation
// passed through. Expected values are the linear map from + (to - from) * fraction.

#include "base/progress.h"

#include <QTest>

using namespace plumb;

namespace {

class Recorder final : public ProgressSink
{
public:
    void setProgress(double fraction, const QString &) override { last = fraction; }
    bool isCancelled() const override { return cancelled; }
    double last = -1;
    bool cancelled = false;
};

} // namespace

class TestProgress : public QObject
{
    Q_OBJECT

private slots:
    void mapsIntoRange_data();
    void mapsIntoRange();
    void cancellationPassesThrough();
};

void TestProgress::mapsIntoRange_data()
{
    QTest::addColumn<double>("fraction");
    QTest::addColumn<double>("expected"); // on the range [0.25, 0.75]
    QTest::newRow("start") << 0.0 << 0.25;
    QTest::newRow("middle") << 0.5 << 0.5;
    QTest::newRow("end") << 1.0 << 0.75;
}

void TestProgress::mapsIntoRange()
{
    QFETCH(double, fraction);
    QFETCH(double, expected);
    Recorder parent;
    ProgressRange range(parent, 0.25, 0.75);
    range.setProgress(fraction, QString());
    QCOMPARE(parent.last, expected);
}

void TestProgress::cancellationPassesThrough()
{
    Recorder parent;
    ProgressRange range(parent, 0.0, 0.5);
    QVERIFY(!range.isCancelled());
    parent.cancelled = true;
    QVERIFY(range.isCancelled());
}

QTEST_GUILESS_MAIN(TestProgress)
#include "tst_progress.moc"
