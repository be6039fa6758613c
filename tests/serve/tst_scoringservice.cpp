// The scoring service on an ephemeral loopback port: valid and invalid requests, the limits and
// their statuses, the bearer token, and the metrics. Expected predictions come from
// Pipeline::predict on the same rows, compared bit for bit.
#include "serve/scoringservice.h"

#include "data/csvreader.h"
#include "data/valueparser.h"
#include "serve/jsonrow.h"
#include "serve/predictionlog.h"
#include "serve/predictrequest.h"
#include "servetestutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>

using namespace plumb;

namespace {

// How long a test waits for an answer before it fails (a local service answers in milliseconds;
// this bounds a hang, it measures nothing).
constexpr int kAnswerDeadlineMs = 30000;

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray allow; // the Allow header
};

} // namespace

class TestScoringService : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void predictsLikePipeline_data();
    void predictsLikePipeline();
    void refusesBadRequests_data();
    void refusesBadRequests();
    void refusesLargeBodyAtSocket();
    void omittedFeatures_data();
    void omittedFeatures();
    void wrongMethodIs405_data();
    void wrongMethodIs405();
    void positionalFeatures_data();
    void positionalFeatures();
    void answersWithinDeadline_data();
    void answersWithinDeadline();
    void timesOutStalledRequest_data();
    void timesOutStalledRequest();
    void infoEndpoints();
    void requiresToken();
    void concurrentClients();
    void reloadSwapsOrKeepsModel();
    void logsRequests();

private:
    Reply request(quint16 port, const QByteArray &method, const QString &path, const QByteArray &body = {},
                  const QByteArray &token = {});

    std::shared_ptr<const Pipeline> mRidge, mLogistic;
    std::unique_ptr<ScoringService> mService, mClassifier;
    QNetworkAccessManager mNetwork;
};

Reply TestScoringService::request(quint16 port, const QByteArray &method, const QString &path, const QByteArray &body,
                                  const QByteArray &token)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = mNetwork.sendCustomRequest(request, method, body);
    // A deadline, so that a service that never answers fails the comparison that follows (status 0,
    // this body) instead of hanging the suite.
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, kAnswerDeadlineMs)) {
        reply->abort();
        reply->deleteLater();
        return Reply{0, QByteArrayLiteral("no answer within the test's deadline of 30 s"), {}};
    }
    Reply result{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(), reply->rawHeader("Allow")};
    reply->deleteLater();
    return result;
}

void TestScoringService::initTestCase()
{
    mRidge = std::make_shared<const Pipeline>(test::fittedPipeline(QStringLiteral("ridge")));
    mLogistic = std::make_shared<const Pipeline>(test::fittedPipeline(QStringLiteral("logistic_regression")));
    ServiceOptions options;
    options.limits.maxRows = 5;
    options.limits.maxBodyBytes = 64 * 1024;
    mService = std::make_unique<ScoringService>(ServedModel{mRidge, QStringLiteral("ridge.plumb"), QStringLiteral("abc123")},
                                                options);
    QVERIFY(!mService->listen(QHostAddress::LocalHost, 0));
    QVERIFY(mService->port() > 0);
    options.bearerToken = "s3cret";
    mClassifier = std::make_unique<ScoringService>(
        ServedModel{mLogistic, QStringLiteral("logistic.plumb"), QStringLiteral("abc123")}, options);
    QVERIFY(!mClassifier->listen(QHostAddress::LocalHost, 0));
}

void TestScoringService::predictsLikePipeline_data()
{
    QTest::addColumn<bool>("classifier");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("csv"); // the same rows, for Pipeline::predict
    QTest::newRow("one-row") << false << QByteArray(R"({"x1": 1.5, "x2": 2, "colour": "red"})")
                             << QByteArray("x1,x2,colour\n1.5,2,red\n");
    QTest::newRow("rows-extra-and-null")
        << false << QByteArray(R"([{"x1":1,"x2":null,"colour":"blue","id":7},{"x1":-3.25,"x2":4,"colour":"purple"}])")
        << QByteArray("x1,x2,colour\n1,,blue\n-3.25,4,purple\n");
    // x2 is imputed (training has gaps): leaving its key out is a missing value, as null is.
    QTest::newRow("optional-key-omitted") << false << QByteArray(R"({"x1": 1.5, "colour": "red"})")
                                          << QByteArray("x1,x2,colour\n1.5,,red\n");
    QTest::newRow("optional-key-omitted-in-row-1")
        << false << QByteArray(R"([{"x1":1,"x2":2,"colour":"red"},{"colour":"blue","x1":4}])")
        << QByteArray("x1,x2,colour\n1,2,red\n4,,blue\n");
    // Keys in another order than the model's features: found all the same.
    QTest::newRow("keys-reordered") << false << QByteArray(R"({"colour": "blue", "x2": 0.5, "x1": 7})")
                                    << QByteArray("x1,x2,colour\n7,0.5,blue\n");
    // Bodies over 4 KiB are scored on the service's pool, smaller ones on its own thread
    // (kInlineBodyBytes in scoringservice.cpp): white space after the row sends this one to the pool.
    QTest::newRow("pool-sized-body") << false << QByteArray(R"({"x1": 1.5, "x2": 2, "colour": "red"})") + QByteArray(5000, ' ')
                                     << QByteArray("x1,x2,colour\n1.5,2,red\n");
    QTest::newRow("classifier") << true << QByteArray(R"([{"x1":9,"x2":8,"colour":"green"},{"x1":0,"x2":1,"colour":"red"}])")
                                << QByteArray("x1,x2,colour\n9,8,green\n0,1,red\n");
}

void TestScoringService::predictsLikePipeline()
{
    QFETCH(bool, classifier);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, csv);
    const Reply reply = request((classifier ? mClassifier : mService)->port(), "POST", QStringLiteral("/v1/predict"), body,
                                classifier ? QByteArray("s3cret") : QByteArray());
    QCOMPARE(reply.status, 200);
    const Pipeline &pipeline = classifier ? *mLogistic : *mRidge;
    const Prediction expected = pipeline.predict(CsvReader::readBytes(csv, QStringLiteral("rows.csv")).value()).value();
    // Read the answer with the service's own strict reader: {"predictions":[...], ...}.
    const std::string text = reply.body.toStdString();
    const std::size_t open = text.find('['), close = text.find(']');
    QVERIFY(open != std::string::npos && close != std::string::npos);
    std::vector<std::string> items;
    std::string item;
    for (char c : text.substr(open + 1, close - open - 1)) {
        if (c == ',') {
            items.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    items.push_back(item);
    QCOMPARE(qsizetype(items.size()), qsizetype(expected.values.size()));
    for (std::size_t r = 0; r < items.size(); ++r) {
        if (classifier) {
            QCOMPARE(QString::fromStdString(items[r]), QLatin1Char('"') + expected.label(Eigen::Index(r)) + QLatin1Char('"'));
        } else {
            const double got = *parseNumber(items[r]);
            QCOMPARE(std::memcmp(&got, &expected.values[Eigen::Index(r)], sizeof got), 0);
        }
    }
    if (classifier)
        QVERIFY(reply.body.contains(R"("classes":["no","yes"],"probabilities":[[)"));
    QVERIFY(reply.body.endsWith(R"("model_digest":"abc123"})"));
}

void TestScoringService::refusesBadRequests_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("error");
    QTest::newRow("malformed-json") << QByteArray(R"({"x1":1,)") << 400
                                    << QByteArray(R"({"error":"expected a quoted key at byte 9"})");
    QTest::newRow("wrong-type-in-row-1")
        << QByteArray(R"([{"x1":1,"x2":2,"colour":"red"},{"x1":"1","x2":2,"colour":"red"}])") << 400
        << QByteArray(
               R"x({"error":"row 1 (0-based index in the request's array): column 'x1' must be a number, not a string"})x");
    // 40 nested arrays inside a row: deeper than the limit of 32.
    QTest::newRow("deep-nesting") << (QByteArray(R"({"x1":1,"x2":2,"colour":"red","deep":)") + QByteArray(40, '[')
                                      + QByteArray(40, ']') + "}")
                                  << 400 << QByteArray(R"({"error":"nesting deeper than 32 levels"})");
    QTest::newRow("too-many-rows") << ("[" + QByteArray(R"({"x1":1,"x2":2,"colour":"red"},)").repeated(6).chopped(1) + "]") << 413
                                   << QByteArray(R"x({"error":"more than 5 rows (the limit per request)"})x");
    QTest::newRow("empty-array") << QByteArray("[]") << 400 << QByteArray(R"({"error":"no rows"})");
}

void TestScoringService::refusesBadRequests()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, error);
    const Reply reply = request(mService->port(), "POST", QStringLiteral("/v1/predict"), body);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.body, error);
}

void TestScoringService::omittedFeatures_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("answer"); // 400: the whole body; 200: its start
    // strictPipeline: x1 has no imputer, colour is a category (missing allowed).
    QTest::newRow("optional-omitted") << QByteArray(R"({"x1":1})") << 200 << QByteArray(R"({"predictions":[)");
    QTest::newRow("required-omitted") << QByteArray(R"({"colour":"red"})") << 400
                                      << QByteArray(R"({"error":"no column 'x1', which the model needs"})");
    QTest::newRow("required-null") << QByteArray(R"({"x1":null,"colour":"red"})") << 400
                                   << QByteArray(R"({"error":"column 'x1' is missing, and the model has no way to fill it in"})");
    QTest::newRow("required-omitted-in-row-2")
        << QByteArray(R"([{"x1":1,"colour":"red"},{"x1":2},{"colour":"red"}])") << 400
        << QByteArray(R"x({"error":"row 2 (0-based index in the request's array): no column 'x1', which the model needs"})x");
}

// A key left out for a feature the pipeline fills in is a missing value; for any other feature, 400.
void TestScoringService::omittedFeatures()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, answer);
    ScoringService service(ServedModel{std::make_shared<const Pipeline>(test::strictPipeline()), QStringLiteral("strict.plumb"),
                                       QStringLiteral("d2")},
                           ServiceOptions{});
    QVERIFY(!service.listen(QHostAddress::LocalHost, 0));
    const Reply reply = request(service.port(), "POST", QStringLiteral("/v1/predict"), body);
    QCOMPARE(reply.status, status);
    if (status == 200)
        QVERIFY2(reply.body.startsWith(answer), reply.body.constData());
    else
        QCOMPARE(reply.body, answer);
}

void TestScoringService::wrongMethodIs405_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow"); // RFC 9110 15.5.6: a 405 names the methods the path takes
    QTest::newRow("get-predict") << QByteArray("GET") << QStringLiteral("/v1/predict") << 405 << QByteArray("POST");
    QTest::newRow("put-predict") << QByteArray("PUT") << QStringLiteral("/v1/predict") << 405 << QByteArray("POST");
    QTest::newRow("post-model") << QByteArray("POST") << QStringLiteral("/v1/model") << 405 << QByteArray("GET");
    QTest::newRow("delete-metrics") << QByteArray("DELETE") << QStringLiteral("/metrics") << 405 << QByteArray("GET");
    QTest::newRow("get-reload") << QByteArray("GET") << QStringLiteral("/v1/reload") << 405 << QByteArray("POST");
    QTest::newRow("unknown-path") << QByteArray("GET") << QStringLiteral("/v1/predictions") << 404 << QByteArray();
}

void TestScoringService::wrongMethodIs405()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    const Reply reply = request(mService->port(), method, path);
    QCOMPARE(reply.status, status);
    QCOMPARE(reply.allow, allow);
    if (status == 405)
        QCOMPARE(reply.body, "{\"error\":\"" + path.toLatin1() + " takes " + allow + " only\"}");
}

void TestScoringService::positionalFeatures_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("csv"); // 200: the same rows by name, for Pipeline::predict
    QTest::addColumn<QString>("expected"); // 200: the notice; otherwise the error
    // strictPipeline: features x1 (no imputer) and colour.
    QTest::newRow("by-name") << QByteArray(R"({"colour":"red","x1":1.5})") << 200 << QByteArray("x1,colour\n1.5,red\n")
                             << QString();
    QTest::newRow("by-position")
        << QByteArray(R"([{"a":1.5,"c":"red"},{"a":7,"c":null}])") << 200 << QByteArray("x1,colour\n1.5,red\n7,\n")
        << u"model features are positional (x1..colour); scoring the keys of 2 row(s) in their order by position"_qs;
    QTest::newRow("too-few-keys")
        << QByteArray(R"({"a":1.5})") << 400 << QByteArray()
        << u"no column 'x1', which the model needs; the model's features are positional (x1..colour): a row of "
           "exactly 2 keys, none named like a feature, is read by position, and this one has 1"_qs;
}

// A model whose features are positional (an array-fitted import): rows whose keys are not the
// features' names are read by position when there are exactly as many, and the answer says so.
void TestScoringService::positionalFeatures()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QByteArray, csv);
    QFETCH(QString, expected);
    const auto strict = std::make_shared<const Pipeline>(test::strictPipeline());
    ScoringService service(ServedModel{strict, QStringLiteral("array.plumb"), QStringLiteral("d1"), true}, ServiceOptions{});
    QVERIFY(!service.listen(QHostAddress::LocalHost, 0));
    const Reply reply = request(service.port(), "POST", QStringLiteral("/v1/predict"), body);
    QCOMPARE(reply.status, status);
    const QJsonObject answer = QJsonDocument::fromJson(reply.body).object();
    if (status != 200) {
        QCOMPARE(answer.value(QLatin1String("error")).toString(), expected);
        return;
    }
    QCOMPARE(answer.value(QLatin1String("notice")).toString(), expected);
    const Prediction want = strict->predict(CsvReader::readBytes(csv, QStringLiteral("rows.csv")).value()).value();
    const QJsonArray got = answer.value(QLatin1String("predictions")).toArray();
    QCOMPARE(qsizetype(got.size()), qsizetype(want.values.size()));
    for (qsizetype r = 0; r < got.size(); ++r)
        QCOMPARE(got[r].toDouble(), want.values[Eigen::Index(r)]); // shortest round-trip text reads back exactly
}

void TestScoringService::refusesLargeBodyAtSocket()
{
    // A raw client announces 8 MB against the 64 KiB limit and starts sending: the answer is 413
    // from the socket guard, before the HTTP server buffers the body.
    // The service runs on this thread: wait with the event loop running (QTest::qWait), never with
    // the socket's blocking waits.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, mService->port());
    socket.write("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                 "Content-Length: 8000000\r\n\r\n");
    socket.write(QByteArray(256 * 1024, ' '));
    QByteArray answer;
    for (int waited = 0; waited < 10000 && !answer.contains("\r\n\r\n{\"error\""); waited += 20) {
        QTest::qWait(20);
        answer += socket.readAll();
    }
    QTest::qWait(20);
    answer += socket.readAll();
    QVERIFY2(answer.startsWith("HTTP/1.1 413 Payload Too Large\r\n"), answer.constData());
    QVERIFY(answer.endsWith(R"({"error":"the request body is larger than 65536 bytes"})"));
}

void TestScoringService::answersWithinDeadline_data()
{
    // The work of one request against its deadline: an expired one is answered 503 with the limit
    // (0.3 s as set here) in the reason, before any row is scored; an open one, 200.
    QTest::addColumn<bool>("expired");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("bodyStart");
    QTest::newRow("deadline-passed") << true << 503
                                     << QByteArray(R"j({"error":"scoring took longer than 0.3 s (the limit per request)"})j");
    QTest::newRow("deadline-open") << false << 200 << QByteArray(R"({"predictions":[)");
}

void TestScoringService::answersWithinDeadline()
{
    QFETCH(bool, expired);
    QFETCH(int, status);
    QFETCH(QByteArray, bodyStart);
    PredictJob job{mRidge,
                   std::make_shared<const RowValidator>(*mRidge),
                   QStringLiteral("ridge.plumb"),
                   QStringLiteral("abc123"),
                   10,
                   32,
                   300,
                   R"([{"x1":1,"x2":2,"colour":"red"},{"x1":3,"x2":4,"colour":"blue"}])",
                   false,
                   nullptr};
    const PredictAnswer answer = answerPredict(job, expired ? QDeadlineTimer(0) : QDeadlineTimer(QDeadlineTimer::Forever));
    QCOMPARE(answer.status, status);
    QVERIFY2(QByteArray::fromStdString(answer.body).startsWith(bodyStart), answer.body.c_str());
    QCOMPARE(answer.rowsScored, std::size_t(expired ? 0 : 2));
    QCOMPARE(answer.record.modelDigest, QStringLiteral("abc123"));
}

void TestScoringService::timesOutStalledRequest_data()
{
    // What a stalled client (slowloris) sends before it stops: each must be answered 408 after the
    // limit, while a whole request on another connection is answered meanwhile.
    QTest::addColumn<QByteArray>("sent");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("half-the-head") << QByteArray("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Ty");
    QTest::newRow("half-the-body") << QByteArray(
        "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        "Content-Length: 30\r\n\r\n{\"x1\":1,\"x2\"");
}

void TestScoringService::timesOutStalledRequest()
{
    QFETCH(QByteArray, sent);
    // A service with a 0.3 s limit per request (the service runs on this thread: wait with the
    // event loop running).
    ServiceOptions options;
    options.limits.requestTimeoutMs = 300;
    ScoringService service(ServedModel{mRidge, QStringLiteral("ridge.plumb"), QStringLiteral("abc123")}, options);
    QVERIFY(!service.listen(QHostAddress::LocalHost, 0));
    QTcpSocket stalled;
    stalled.connectToHost(QHostAddress::LocalHost, service.port());
    QVERIFY(QTest::qWaitFor([&] { return stalled.state() == QAbstractSocket::ConnectedState; }, 5000));
    stalled.write(sent);
    // Meanwhile a whole request on another connection is scored: the stalled one blocks nothing.
    const Reply normal = request(service.port(), "POST", QStringLiteral("/v1/predict"), R"({"x1":1,"x2":2,"colour":"red"})");
    QCOMPARE(normal.status, 200);
    QVERIFY(normal.body.startsWith(R"({"predictions":[)"));
    QByteArray answer;
    QVERIFY(QTest::qWaitFor(
        [&] {
            answer += stalled.readAll();
            return stalled.state() == QAbstractSocket::UnconnectedState || answer.endsWith('}');
        },
        10000));
    // The status and reason the socket guard sends (LimitedTcpServer), 0.3 s being the limit set above.
    QVERIFY2(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer.constData());
    QVERIFY2(answer.contains("Connection: close\r\n"), answer.constData());
    QVERIFY2(answer.endsWith(R"j({"error":"the request did not arrive within 0.3 s (the limit per request)"})j"),
             answer.constData());
    // The connection is closed by the service (the lingering close ends when the client's side does).
    QVERIFY(QTest::qWaitFor(
        [&] {
            stalled.readAll();
            return stalled.state() == QAbstractSocket::UnconnectedState;
        },
        10000));
    QCOMPARE(service.metrics().requestsByStatus.at(408), quint64(1));
    QCOMPARE(service.metrics().requestsByStatus.at(200), quint64(1));
}

void TestScoringService::infoEndpoints()
{
    const Reply health = request(mService->port(), "GET", QStringLiteral("/healthz"));
    QCOMPARE(health.status, 200);
    QCOMPARE(request(mService->port(), "GET", QStringLiteral("/readyz")).status, 200);
    const Reply model = request(mService->port(), "GET", QStringLiteral("/v1/model"));
    QCOMPARE(model.status, 200);
    QVERIFY2(
        model.body.startsWith(
            R"({"name":"ridge.plumb","digest":"abc123","kind":"ridge","task":"regression","features":[{"name":"x1","type":"float")"),
        model.body.constData());
    QCOMPARE(request(mService->port(), "GET", QStringLiteral("/nowhere")).status, 404);
    const Reply metrics = request(mService->port(), "GET", QStringLiteral("/metrics"));
    QCOMPARE(metrics.status, 200);
    QVERIFY(metrics.body.contains("plumb_model_info{digest=\"abc123\"} 1\n"));
    QVERIFY(metrics.body.contains("plumb_requests_total{status=\"200\"} "));
    QVERIFY(metrics.body.contains("plumb_requests_total{status=\"400\"} "));
    QVERIFY(metrics.body.contains("plumb_request_seconds_bucket{le=\"+Inf\"} "));
    // The rows of predictsLikePipeline on this service: 1 + 2 + 1 + 2 + 1 + 1.
    QCOMPARE(mService->metrics().rowsScored, quint64(8));
    QVERIFY(metrics.body.contains("plumb_rows_scored_total 8\n"));
}

void TestScoringService::requiresToken()
{
    const QByteArray row = R"({"x1":1,"x2":2,"colour":"red"})";
    QCOMPARE(request(mClassifier->port(), "POST", QStringLiteral("/v1/predict"), row).status, 401);
    QCOMPARE(request(mClassifier->port(), "POST", QStringLiteral("/v1/predict"), row, "wrong").status, 401);
    QCOMPARE(request(mClassifier->port(), "POST", QStringLiteral("/v1/predict"), row, "s3cret").status, 200);
}

void TestScoringService::concurrentClients()
{
    // 60 requests in flight at once (QNetworkAccessManager opens several connections to one host):
    // every one answered 200 with its own row's prediction, the same as one at a time.
    const quint64 before = mService->metrics().rowsScored;
    const QByteArray first
        = request(mService->port(), "POST", QStringLiteral("/v1/predict"), R"({"x1":0,"x2":1,"colour":"red"})").body;
    std::vector<QNetworkReply *> replies;
    for (int i = 0; i < 60; ++i) {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/predict").arg(mService->port())));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        // Every other body padded past 4 KiB: answered on the pool, interleaved with those answered inline.
        replies.push_back(mNetwork.post(request,
                                        "{\"x1\":" + QByteArray::number(i % 3) + ",\"x2\":1,\"colour\":\"red\"}"
                                            + QByteArray(i % 2 ? 5000 : 0, ' ')));
    }
    const auto allFinished = [&] {
        return std::all_of(replies.begin(), replies.end(), [](const QNetworkReply *reply) { return reply->isFinished(); });
    };
    QVERIFY2(QTest::qWaitFor(allFinished, 2 * kAnswerDeadlineMs),
             "60 requests were not all answered within the test's deadline of 60 s");
    for (std::size_t i = 0; i < replies.size(); ++i) {
        QCOMPARE(replies[i]->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QByteArray body = replies[i]->readAll();
        if (i % 3 == 0)
            QCOMPARE(body, first); // x1 = 0: the same row as the one sent alone
        replies[i]->deleteLater();
    }
    QCOMPARE(mService->metrics().rowsScored, before + 61);
}

void TestScoringService::reloadSwapsOrKeepsModel()
{
    // The classifier service (token "s3cret") reloads through its reloader: first a file that does
    // not verify (the old model keeps serving), then a new model (the answers change with it).
    const QByteArray row = R"({"x1":9,"x2":8,"colour":"green"})";
    const QByteArray before = request(mClassifier->port(), "POST", QStringLiteral("/v1/predict"), row, "s3cret").body;
    bool verifies = false;
    mClassifier->setReloader([&]() -> Result<ServedModel> {
        if (!verifies)
            return Error{QStringLiteral("model.plumb: the SHA-256 digest does not match"), Error::Kind::Integrity};
        return ServedModel{mRidge, QStringLiteral("ridge.plumb"), QStringLiteral("def456")};
    });
    QCOMPARE(request(mClassifier->port(), "POST", QStringLiteral("/v1/reload"), {}).status, 401);
    const Reply refused = request(mClassifier->port(), "POST", QStringLiteral("/v1/reload"), {}, "s3cret");
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.body,
             QByteArray(R"({"error":"the model was not replaced: model.plumb: the SHA-256 digest does not match"})"));
    QCOMPARE(request(mClassifier->port(), "POST", QStringLiteral("/v1/predict"), row, "s3cret").body, before);
    verifies = true;
    const Reply swapped = request(mClassifier->port(), "POST", QStringLiteral("/v1/reload"), {}, "s3cret");
    QCOMPARE(swapped.status, 200);
    QCOMPARE(swapped.body, QByteArray(R"({"digest":"def456"})"));
    const QByteArray after = request(mClassifier->port(), "POST", QStringLiteral("/v1/predict"), row, "s3cret").body;
    QVERIFY(after.startsWith(R"({"predictions":[)"));
    QVERIFY(!after.contains("classes")); // the ridge regression now answers
    QVERIFY(after.endsWith(R"("model_digest":"def456"})"));
    // Without a token, reload over HTTP is not offered at all.
    QCOMPARE(request(mService->port(), "POST", QStringLiteral("/v1/reload"), {}).status, 403);
}

void TestScoringService::logsRequests()
{
    // A service with a prediction log: a scored request, a refused one (400), one with too many
    // rows (413) and one too large (413 at the socket) each leave one record, with the status, the digest, a latency and (when scored)
    // the inputs and outputs; the metrics count what the log wrote.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("log.sqlite"));
    auto log = std::move(PredictionLog::open(path)).value();
    ServiceOptions options;
    options.limits.maxRows = 5;
    options.limits.maxBodyBytes = 64 * 1024;
    ScoringService service(ServedModel{mRidge, QStringLiteral("ridge.plumb"), QStringLiteral("abc123")}, options);
    service.setPredictionLog(log.get());
    QVERIFY(!service.listen(QHostAddress::LocalHost, 0));
    const QByteArray rows = R"([{"x1":1,"x2":2,"colour":"red","id":7},{"x1":0.5,"x2":null,"colour":"blue"}])";
    const Reply answered = request(service.port(), "POST", QStringLiteral("/v1/predict"), rows);
    QCOMPARE(answered.status, 200);
    QCOMPARE(request(service.port(), "POST", QStringLiteral("/v1/predict"), R"({"x1":"1","x2":2,"colour":"red"})").status, 400);
    const QByteArray six = "[" + QByteArray(R"({"x1":1,"x2":2,"colour":"red"},)").repeated(6).chopped(1) + "]";
    QCOMPARE(request(service.port(), "POST", QStringLiteral("/v1/predict"), six).status, 413);
    // A body over the limit, refused at the socket before any handler runs, is logged too.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, service.port());
    socket.write("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: 8000000\r\n\r\n" + QByteArray(128 * 1024, ' '));
    QByteArray answer;
    for (int waited = 0; waited < 10000 && !answer.contains("}"); waited += 20) {
        QTest::qWait(20);
        answer += socket.readAll();
    }
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
    log->flush();
    QVERIFY(request(service.port(), "GET", QStringLiteral("/metrics"))
                .body.contains("plumb_log_records_total{outcome=\"written\"} 4\n"));

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check-service-log"));
    db.setDatabaseName(path);
    QVERIFY(db.open());
    {
        QSqlQuery query(QStringLiteral("SELECT model_digest, status, latency_seconds, row_count, inputs, outputs, error "
                                       "FROM plumb_requests ORDER BY id"),
                        db);
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("abc123"));
        QCOMPARE(query.value(1).toInt(), 200);
        QVERIFY(query.value(2).toDouble() > 0);
        QCOMPARE(query.value(3).toInt(), 2);
        // The model's features only (the extra "id" is not one), as the request gave them.
        QCOMPARE(query.value(4).toString(),
                 QStringLiteral(R"([{"x1":1,"x2":2,"colour":"red"},{"x1":0.5,"x2":null,"colour":"blue"}])"));
        // The predictions exactly as answered.
        const QByteArray answer = answered.body;
        const qsizetype open = answer.indexOf('['), close = answer.indexOf(']');
        QCOMPARE(query.value(5).toString().toUtf8(), answer.mid(open, close - open + 1));
        QVERIFY(query.value(6).isNull());
        QVERIFY(query.next());
        QCOMPARE(query.value(1).toInt(), 400);
        QCOMPARE(query.value(3).toInt(), 0);
        QVERIFY(query.value(4).isNull());
        QCOMPARE(query.value(6).toString(), QStringLiteral("column 'x1' must be a number, not a string"));
        QVERIFY(query.next());
        QCOMPARE(query.value(1).toInt(), 413);
        QCOMPARE(query.value(6).toString(), QStringLiteral("more than 5 rows (the limit per request)"));
        QVERIFY(query.next());
        QCOMPARE(query.value(1).toInt(), 413);
        QCOMPARE(query.value(6).toString(), QStringLiteral("the request body is larger than 65536 bytes"));
        QVERIFY(!query.next());
    }
    db.close();
    db = {};
    QSqlDatabase::removeDatabase(QStringLiteral("check-service-log"));
}

QTEST_GUILESS_MAIN(TestScoringService)
#include "tst_scoringservice.moc"
