// Refusals of a POST /v1/predict body and their HTTP statuses: every status comes from the kind of
// the error (httpStatusFor), never from the text of its message.

#include "serve/errorstatus.h"
#include "serve/predictrequest.h"
#include "servetestutil.h"

#include <QTest>

using namespace plumb;

class TestPredictRequest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void statusOfEachKind_data();
    void statusOfEachKind();
    void refusalStatus_data();
    void refusalStatus();

private:
    std::shared_ptr<const Pipeline> mRidge;
};

void TestPredictRequest::initTestCase()
{
    mRidge = std::make_shared<const Pipeline>(test::fittedPipeline(QStringLiteral("ridge")));
}

void TestPredictRequest::statusOfEachKind_data()
{
    // The statuses are RFC 9110's meanings (section 15): 400 Bad Request, 403 Forbidden,
    // 413 Content Too Large, 422 Unprocessable Content, 500 Internal Server Error, 503 Service Unavailable.
    QTest::addColumn<Error::Kind>("kind");
    QTest::addColumn<int>("status");
    QTest::newRow("invalid") << Error::Kind::Invalid << 400;
    QTest::newRow("too-large") << Error::Kind::TooLarge << 413;
    QTest::newRow("unsupported") << Error::Kind::Unsupported << 422;
    QTest::newRow("integrity") << Error::Kind::Integrity << 422;
    QTest::newRow("untrusted") << Error::Kind::Untrusted << 403;
    QTest::newRow("io") << Error::Kind::Io << 500;
    QTest::newRow("internal") << Error::Kind::Internal << 500;
    QTest::newRow("cancelled") << Error::Kind::Cancelled << 503;
}

void TestPredictRequest::statusOfEachKind()
{
    QFETCH(Error::Kind, kind);
    QFETCH(int, status);
    QCOMPARE(httpStatusFor(kind), status);
}

// A row of x1, x2, colour followed by `extra` keys e0, e1, ...
static QByteArray rowWithKeys(int extra)
{
    QByteArray row = R"({"x1":1,"x2":2,"colour":"red")";
    for (int k = 0; k < extra; ++k)
        row += ",\"e" + QByteArray::number(k) + "\":0";
    return row + '}';
}

void TestPredictRequest::refusalStatus_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    // 10,003 keys: 3 features and 10,000 extra, one past JsonRowLimits::maxFields (10,000). The
    // same row must get the same status alone and inside an array (it got 413 alone, 400 in an array).
    const QByteArray wide = rowWithKeys(10000);
    QTest::newRow("10003-keys-alone") << wide << 413 << QStringLiteral("more than 10000 keys (the limit per request)");
    QTest::newRow("10003-keys-in-array") << QByteArray('[' + wide + ']') << 413
                                         << QStringLiteral("row 0 (0-based index in the request's array): more than 10000 keys "
                                                           "(the limit per request)");
    QTest::newRow("10000-keys-alone") << rowWithKeys(9997) << 200 << QString();
    QTest::newRow("too-many-rows") << QByteArray('[' + rowWithKeys(0).repeated(6).replace("}{", "},{") + ']') << 413
                                   << QStringLiteral("more than 5 rows (the limit per request)");
    QTest::newRow("malformed") << QByteArray(R"({"x1":1,)") << 400 << QStringLiteral("expected a quoted key at byte 9");
    QTest::newRow("wrong-type") << QByteArray(R"({"x1":"abc","x2":2,"colour":"red"})") << 400 << QString();
    QTest::newRow("no-rows") << QByteArray("[]") << 400 << QStringLiteral("no rows");
}

void TestPredictRequest::refusalStatus()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    PredictJob job{mRidge,
                   std::make_shared<const RowValidator>(*mRidge),
                   QStringLiteral("ridge.plumb"),
                   QStringLiteral("abc123"),
                   5,
                   32,
                   0,
                   body,
                   false,
                   nullptr};
    const PredictAnswer answer = answerPredict(job, QDeadlineTimer(QDeadlineTimer::Forever));
    QVERIFY2(answer.status == status, answer.body.substr(0, 300).c_str());
    if (!error.isEmpty())
        QCOMPARE(answer.record.error, error);
}

QTEST_GUILESS_MAIN(TestPredictRequest)
#include "tst_predictrequest.moc"
