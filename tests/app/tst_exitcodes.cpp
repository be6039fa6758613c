// The CLI's one table of exit codes, row by row: each error kind, in a command that uses a file
// and in one that verifies it. The codes are the ones `plumb --help` documents (0 ok, 1 error,
// 2 usage, 3 integrity or signature verification failed).

#include "exitcodes.h"

#include <QTest>

using namespace plumb;
using namespace plumb::cli;

class TestExitCodes : public QObject
{
    Q_OBJECT

private slots:
    void exitCodeOfEachKind_data();
    void exitCodeOfEachKind();
};

void TestExitCodes::exitCodeOfEachKind_data()
{
    QTest::addColumn<Error::Kind>("kind");
    QTest::addColumn<int>("use"); // inspect, predict, drift, retrain, serve
    QTest::addColumn<int>("verify"); // verify, sign, import-xgboost: any refusal of the file is a failed check
    QTest::newRow("invalid") << Error::Kind::Invalid << 1 << 3;
    QTest::newRow("too-large") << Error::Kind::TooLarge << 1 << 3;
    QTest::newRow("unsupported") << Error::Kind::Unsupported << 1 << 3;
    QTest::newRow("integrity") << Error::Kind::Integrity << 3 << 3;
    QTest::newRow("untrusted") << Error::Kind::Untrusted << 3 << 3;
    QTest::newRow("io") << Error::Kind::Io << 1 << 1;
    QTest::newRow("cancelled") << Error::Kind::Cancelled << 1 << 1;
    QTest::newRow("internal") << Error::Kind::Internal << 1 << 1;
}

void TestExitCodes::exitCodeOfEachKind()
{
    QFETCH(Error::Kind, kind);
    QFETCH(int, use);
    QFETCH(int, verify);
    QCOMPARE(exitCodeFor(kind), use);
    QCOMPARE(exitCodeFor(kind, ExitContext::Verify), verify);
}

QTEST_GUILESS_MAIN(TestExitCodes)
#include "tst_exitcodes.moc"
