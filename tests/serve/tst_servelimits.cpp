// The scoring service against hostile and careless clients, over raw loopback connections: idle
// keep-alive connections past the cap and past the idle limit, a CRLF trickler, bodies refused
// before they are read (no token, over the in-flight limit), chunked bodies counted by decoded
// size, framing that RFC 9112 requires refusing, and connections that must close after the answer.
// The service runs on this thread: every wait runs the event loop, with a generous deadline.
#include "serve/limitedtcpserver.h"
#include "serve/scoringservice.h"
#include "servetestutil.h"

#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace plumb;

namespace {

constexpr int kDeadlineMs = 10000; // generous: each wait ends as soon as its condition holds

const QByteArray kRow = R"({"x1":1,"x2":2,"colour":"red"})";
const QByteArray kToken = "0123456789abcdef0123456789abcdef";

// A raw client: sends what QNetworkAccessManager would not, and reads answers as they come.
class RawClient
{
public:
    bool connectTo(quint16 port)
    {
        mSocket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor([&] { return mSocket.state() == QAbstractSocket::ConnectedState; }, kDeadlineMs);
    }
    void send(const QByteArray &bytes) { mSocket.write(bytes); }
    // The next whole answer (head and Content-Length body), or empty when none came in time.
    QByteArray answer()
    {
        QByteArray whole;
        [[maybe_unused]] const bool complete = QTest::qWaitFor(
            [&] {
                mReceived += mSocket.readAll();
                const qsizetype headEnd = mReceived.indexOf("\r\n\r\n");
                if (headEnd < 0)
                    return false;
                const qsizetype at = mReceived.toLower().indexOf("content-length: ");
                const qsizetype length = at < 0 ? 0
                                                : mReceived.mid(at + 16, mReceived.indexOf("\r\n", at) - at - 16).toLongLong();
                if (mReceived.size() < headEnd + 4 + length)
                    return false;
                whole = mReceived.left(headEnd + 4 + length);
                mReceived.remove(0, whole.size());
                return true;
            },
            kDeadlineMs);
        return whole;
    }
    // Whether the service closed the connection (within the deadline).
    bool closedByService()
    {
        return QTest::qWaitFor(
            [&] {
                mReceived += mSocket.readAll();
                return mSocket.state() == QAbstractSocket::UnconnectedState;
            },
            kDeadlineMs);
    }
    bool isOpen() const { return mSocket.state() == QAbstractSocket::ConnectedState; }

private:
    QTcpSocket mSocket;
    QByteArray mReceived;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + extra + "\r\n";
}

QByteArray post(const QByteArray &body, const QByteArray &extra = {})
{
    return "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n" + extra + "\r\n" + body;
}

// `body` as a chunked transfer coding of 1-byte chunks ("1\r\nX\r\n" each), then the last chunk.
QByteArray oneByteChunks(const QByteArray &body)
{
    QByteArray out;
    out.reserve(body.size() * 6 + 5);
    for (char c : body)
        out += QByteArray("1\r\n") + c + "\r\n";
    return out + "0\r\n\r\n";
}

} // namespace

class TestServeLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void idleConnectionsPastCapMakeRoom();
    void idleKeepAliveClosed();
    void crlfTricklerTimesOut_data();
    void crlfTricklerTimesOut();
    void bodyLimits_data();
    void bodyLimits();
    void inflightLimitAnswers503();
    void refusesBadFraming_data();
    void refusesBadFraming();
    void closesAfterAnswer_data();
    void closesAfterAnswer();

private:
    std::unique_ptr<ScoringService> service(ServiceLimits limits, const QByteArray &token = {});
    std::shared_ptr<const Pipeline> mRidge;
};

void TestServeLimits::initTestCase()
{
    mRidge = std::make_shared<const Pipeline>(test::fittedPipeline(QStringLiteral("ridge")));
}

std::unique_ptr<ScoringService> TestServeLimits::service(ServiceLimits limits, const QByteArray &token)
{
    ServiceOptions options;
    options.limits = limits;
    options.bearerToken = token;
    auto served = std::make_unique<ScoringService>(ServedModel{mRidge, QStringLiteral("ridge.plumb"), QStringLiteral("abc123")},
                                                   options);
    if (served->listen(QHostAddress::LocalHost, 0))
        return nullptr;
    return served;
}

void TestServeLimits::idleConnectionsPastCapMakeRoom()
{
    // A cap of 8 connections and 12 clients that each ask /healthz once and stay connected (what
    // filled 1,024 descriptors): each new one past the cap closes the longest-idle, so the first 4
    // are closed by the service, the last 8 stay, and a new client is answered.
    const QByteArray authorised = "Authorization: Bearer " + kToken + "\r\n";
    ServiceLimits limits;
    limits.maxConnections = 8;
    auto served = service(limits, kToken);
    QVERIFY(served);
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 12; ++i) {
        idle.push_back(std::make_unique<RawClient>());
        QVERIFY(idle.back()->connectTo(served->port()));
        idle.back()->send(get("/healthz", authorised));
        QVERIFY2(idle.back()->answer().startsWith("HTTP/1.1 200 OK\r\n"), qPrintable(QString::number(i)));
    }
    for (int i = 0; i < 4; ++i)
        QVERIFY2(idle[std::size_t(i)]->closedByService(), qPrintable(QStringLiteral("client %1 was not closed").arg(i)));
    RawClient fresh;
    QVERIFY(fresh.connectTo(served->port()));
    fresh.send(post(kRow, authorised));
    QVERIFY(fresh.answer().startsWith("HTTP/1.1 200 OK\r\n"));
    fresh.send(get("/healthz", authorised));
    QVERIFY(fresh.answer().endsWith(R"({"status":"ok"})"));
    // The newest idle clients were kept: 5 were closed, the first 4, then client 4 for `fresh`.
    QCOMPARE(served->connections()->evictedCount(), quint64(5));
    QVERIFY(idle.back()->isOpen());
}

void TestServeLimits::idleKeepAliveClosed()
{
    // An idle limit of 0.3 s: after its answer, a keep-alive connection that sends nothing more is
    // closed by the service (it stayed open forever before).
    ServiceLimits limits;
    limits.idleTimeoutMs = 300;
    auto served = service(limits);
    QVERIFY(served);
    RawClient client;
    QVERIFY(client.connectTo(served->port()));
    client.send(get("/healthz"));
    QVERIFY(client.answer().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(client.closedByService());
}

void TestServeLimits::crlfTricklerTimesOut_data()
{
    QTest::addColumn<bool>("afterAnswer"); // trickle after a first request was answered, or from the connection's start
    QTest::newRow("from-connect") << false;
    QTest::newRow("after-an-answer") << true;
}

void TestServeLimits::crlfTricklerTimesOut()
{
    // A client sends a bare CRLF every 50 ms under a 0.3 s request limit (and no idle limit): empty
    // lines do not restart the clock, so it is answered 408 and closed (it was kept forever).
    QFETCH(bool, afterAnswer);
    ServiceLimits limits;
    limits.requestTimeoutMs = 300;
    limits.idleTimeoutMs = 0;
    auto served = service(limits);
    QVERIFY(served);
    RawClient client;
    QVERIFY(client.connectTo(served->port()));
    if (afterAnswer) {
        client.send(get("/healthz"));
        QVERIFY(client.answer().startsWith("HTTP/1.1 200 OK\r\n"));
    }
    QTimer trickle;
    connect(&trickle, &QTimer::timeout, this, [&] { client.send("\r\n"); });
    trickle.start(50);
    const QByteArray answer = client.answer();
    trickle.stop();
    QVERIFY2(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer.constData());
    QVERIFY(client.closedByService());
}

void TestServeLimits::bodyLimits_data()
{
    // A 64 KiB body limit and a token. Heads that announce a body the service must not read are
    // answered from the head alone (no body byte sent) and closed; chunked bodies are measured
    // decoded (1-byte chunks cost 6 bytes each on the wire).
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<bool>("closes");
    const QByteArray start = "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
    const QByteArray chunked = start + "Authorization: Bearer " + kToken + "\r\nTransfer-Encoding: chunked\r\n\r\n";
    QTest::newRow("chunked-no-token") << start + "Transfer-Encoding: chunked\r\n\r\n"
                                      << QByteArray("HTTP/1.1 401 Unauthorized\r\n") << true;
    QTest::newRow("length-no-token") << start + "Content-Length: 60000\r\n\r\n"
                                     << QByteArray("HTTP/1.1 401 Unauthorized\r\n") << true;
    QTest::newRow("chunked-wrong-token") << start
            + "Authorization: Bearer 0123456789abcdef0123456789abcdee\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         << QByteArray("HTTP/1.1 401 Unauthorized\r\n") << true;
    QTest::newRow("length-over-limit") << start + "Authorization: Bearer " + kToken + "\r\nContent-Length: 70000\r\n\r\n"
                                       << QByteArray("HTTP/1.1 413 Payload Too Large\r\n") << true;
    // 20,030 bytes decoded, 120,185 on the wire (refused at 80 KiB of wire bytes before).
    QTest::newRow("chunked-20-kB-decoded") << chunked + oneByteChunks(kRow + QByteArray(20000, ' '))
                                           << QByteArray("HTTP/1.1 200 OK\r\n") << false;
    // 70,030 bytes decoded: past the limit once decoded.
    QTest::newRow("chunked-70-kB-decoded") << chunked + oneByteChunks(kRow + QByteArray(70000, ' '))
                                           << QByteArray("HTTP/1.1 413 Payload Too Large\r\n") << true;
}

void TestServeLimits::bodyLimits()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, statusLine);
    QFETCH(bool, closes);
    ServiceLimits limits;
    limits.maxBodyBytes = 64 * 1024;
    auto served = service(limits, kToken);
    QVERIFY(served);
    RawClient client;
    QVERIFY(client.connectTo(served->port()));
    client.send(request);
    const QByteArray answer = client.answer();
    QVERIFY2(answer.startsWith(statusLine), answer.left(300).constData());
    if (closes)
        QVERIFY(client.closedByService());
    else
        QVERIFY(answer.contains(R"({"predictions":[)"));
}

void TestServeLimits::inflightLimitAnswers503()
{
    // 100,000 bytes in flight at most: one client has announced 60,000 and is still sending; a
    // second announcing 60,000 is answered 503 with Retry-After from its head; the first, once
    // whole, is scored.
    ServiceLimits limits;
    limits.maxBodyBytes = 64 * 1024;
    limits.maxInflightBytes = 100000;
    auto served = service(limits);
    QVERIFY(served);
    const QByteArray body = kRow + QByteArray(60000 - kRow.size(), ' ');
    const QByteArray request = post(body);
    RawClient first, second;
    QVERIFY(first.connectTo(served->port()));
    first.send(request.left(request.size() - 1000));
    QVERIFY(QTest::qWaitFor([&] { return served->connections()->inflightBytes() == 60000; }, kDeadlineMs));
    QVERIFY(second.connectTo(served->port()));
    second.send(request);
    const QByteArray refused = second.answer();
    QVERIFY2(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"), refused.constData());
    QVERIFY(second.closedByService());
    first.send(request.right(1000));
    QVERIFY(first.answer().startsWith("HTTP/1.1 200 OK\r\n"));
}

void TestServeLimits::refusesBadFraming_data()
{
    // RFC 9112's rules for a request's framing and fields; each row answered and closed.
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<QByteArray>("reason");
    const QByteArray start = "POST /v1/predict HTTP/1.1\r\nHost: localhost\r\n";
    QTest::newRow("two-content-lengths") << start + "Content-Length: 30\r\nContent-Length: 31\r\n\r\n" + kRow
                                         << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                         << QByteArray("two different Content-Length values (30 and 31)");
    QTest::newRow("content-length-list") << start + "Content-Length: 30, 7\r\n\r\n" + kRow
                                         << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                         << QByteArray("two different Content-Length values (30 and 7)");
    QTest::newRow("length-and-chunked") << start + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                                        << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                        << QByteArray("both Content-Length and Transfer-Encoding");
    QTest::newRow("chunked-on-http10") << QByteArray("POST /v1/predict HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                                       << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                       << QByteArray("Transfer-Encoding is not defined for HTTP/1.0");
    QTest::newRow("gzip-coding") << start + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
                                 << QByteArray("HTTP/1.1 501 Not Implemented\r\n")
                                 << QByteArray("the transfer coding 'gzip, chunked' is not supported");
    QTest::newRow("no-colon") << start + "X-Broken header\r\n\r\n"
                              << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                              << QByteArray("header line 3 ('X-Broken header') has no colon");
    QTest::newRow("space-before-colon") << start + "Content-Length : 30\r\n\r\n" + kRow
                                        << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                        << QByteArray("header line 3 ('Content-Length : 30') has no valid field name");
    QTest::newRow("folded-line") << start + "X-A: 1\r\n  continued\r\n\r\n"
                                 << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                 << QByteArray("header line 4 is folded onto the previous one");
    QByteArray flood = start;
    for (int i = 0; i < 101; ++i)
        flood += "X-Extra-" + QByteArray::number(i) + ": 1\r\n";
    QTest::newRow("101-fields") << flood + "\r\n"
                                << QByteArray("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                                << QByteArray("more than 100 header fields");
    QTest::newRow("20-kB-head") << start + "X-Big: " + QByteArray(20000, 'a')
                                << QByteArray("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                                << QByteArray("the request head is larger than 16384 bytes");
    QTest::newRow("9-kB-field") << start + "X-Big: " + QByteArray(9000, 'a') + "\r\n\r\n"
                                << QByteArray("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                                << QByteArray("header line 3 is longer than 8000 bytes");
    QTest::newRow("http-2") << QByteArray("GET /healthz HTTP/2.0\r\nHost: localhost\r\n\r\n")
                            << QByteArray("HTTP/1.1 505 HTTP Version Not Supported\r\n")
                            << QByteArray("HTTP version 2.0 is not supported");
}

void TestServeLimits::refusesBadFraming()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, statusLine);
    QFETCH(QByteArray, reason);
    auto served = service(ServiceLimits{});
    QVERIFY(served);
    RawClient client;
    QVERIFY(client.connectTo(served->port()));
    client.send(request);
    const QByteArray answer = client.answer();
    QVERIFY2(answer.startsWith(statusLine), answer.constData());
    QVERIFY2(answer.contains(reason), answer.constData());
    QVERIFY(client.closedByService());
}

void TestServeLimits::closesAfterAnswer_data()
{
    // RFC 9112 9.3 and 9.6: a connection persists unless the request says close or is HTTP/1.0
    // (whose keep-alive the answer would have to confirm).
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<bool>("closes");
    QTest::newRow("connection-close") << get("/healthz", "Connection: close\r\n") << true;
    QTest::newRow("connection-close-post") << post(kRow, "Connection: keep-alive, Close\r\n") << true;
    QTest::newRow("http10") << QByteArray("GET /healthz HTTP/1.0\r\n\r\n") << true;
    QTest::newRow("http10-keep-alive") << QByteArray("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << true;
    QTest::newRow("http11") << get("/healthz") << false;
}

void TestServeLimits::closesAfterAnswer()
{
    QFETCH(QByteArray, request);
    QFETCH(bool, closes);
    auto served = service(ServiceLimits{});
    QVERIFY(served);
    RawClient client;
    QVERIFY(client.connectTo(served->port()));
    client.send(request);
    QVERIFY(client.answer().startsWith("HTTP/1.1 200 OK\r\n"));
    if (closes) {
        QVERIFY(client.closedByService());
        return;
    }
    client.send(get("/healthz")); // still open: a second request is answered on it
    QVERIFY(client.answer().startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(client.isOpen());
}

QTEST_GUILESS_MAIN(TestServeLimits)
#include "tst_servelimits.moc"
