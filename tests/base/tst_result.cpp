// Result<T>: asking an error for its value (or a value for its error) stops the program with a
// message that says what happened, never with an anonymous std::bad_variant_access.

#include "base/result.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

using namespace plumb;

namespace {

// The misuse a child run of this program commits, chosen by its first argument.
int misuse(const QString &which)
{
    if (which == QLatin1String("value-of-error")) {
        const Result<int> result(Error::invalid(QStringLiteral("row 812 has 11 fields; the header has 12")));
        return result.value();
    }
    const Result<int> result(7);
    return result.error().message.size();
}

} // namespace

class TestResult : public QObject
{
    Q_OBJECT

private slots:
    void valueAndError();
    void misuseStopsWithMessage_data();
    void misuseStopsWithMessage();
};

void TestResult::valueAndError()
{
    Result<QString> good(QStringLiteral("x"));
    QVERIFY(good.ok());
    QCOMPARE(good.value(), QStringLiteral("x"));
    const Result<QString> bad(Error{QStringLiteral("too big"), Error::Kind::TooLarge});
    QVERIFY(!bad);
    QCOMPARE(bad.error().kind, Error::Kind::TooLarge);
    QCOMPARE(bad.error().message, QStringLiteral("too big"));
}

void TestResult::misuseStopsWithMessage_data()
{
    QTest::addColumn<QString>("which");
    QTest::addColumn<QString>("message"); // what the fatal message must say, written in result.h
    QTest::newRow("value-of-error") << QStringLiteral(
        "value-of-error") << QStringLiteral("Result::value() called on an error: row 812 has 11 fields; the header has 12");
    QTest::newRow("error-of-value") << QStringLiteral("error-of-value")
                                    << QStringLiteral("Result::error() called on a result that holds a value");
}

void TestResult::misuseStopsWithMessage()
{
    QFETCH(QString, which);
    QFETCH(QString, message);
    QProcess child;
    child.setProgram(QCoreApplication::applicationFilePath());
    child.setArguments({QStringLiteral("--misuse"), which});
    child.start();
    QVERIFY2(child.waitForFinished(30000), "the child did not finish within 30 s");
    QCOMPARE(child.exitStatus(), QProcess::CrashExit); // qFatal aborts
    const QString err = QString::fromUtf8(child.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY2(!err.contains(QLatin1String("bad_variant_access")), qPrintable(err));
}

int main(int argc, char *argv[])
{
    if (argc == 3 && qstrcmp(argv[1], "--misuse") == 0)
        return misuse(QString::fromLocal8Bit(argv[2]));
    QCoreApplication app(argc, argv);
    TestResult test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_result.moc"
