// The socket guard's reading of request heads and chunked bodies (RFC 9112 sections 3-7), apart
// from any socket: accepted heads and what they say about the body, and chunked streams fed whole
// and one byte at a time (as a slow client sends them).
#include "serve/requesthead.h"

#include <QTest>

using namespace plumb;

class TestRequestHead : public QObject
{
    Q_OBJECT

private slots:
    void acceptedHeads_data();
    void acceptedHeads();
    void headEnd_data();
    void headEnd();
    void chunkedBodies_data();
    void chunkedBodies();
};

void TestRequestHead::acceptedHeads_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<qint64>("contentLength");
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<bool>("verbatim");
    QTest::addColumn<QByteArray>("forwarded");
    QTest::newRow("get") << QByteArray("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n") << qint64(0) << false << false << true
                         << QByteArray("GET /healthz HTTP/1.1\r\nHost: a\r\n");
    QTest::newRow("post-length") << QByteArray(
        "POST /v1/predict HTTP/1.1\r\nContent-Length: 12\r\nAuthorization: Bearer x\r\n\r\n")
                                 << qint64(12) << false << false << true
                                 << QByteArray("POST /v1/predict HTTP/1.1\r\nAuthorization: Bearer x\r\n");
    // RFC 9112 6.3: identical values stand for one; the head is rewritten with a single length.
    QTest::newRow("identical-lengths") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 7\r\ncontent-length: 7, 7\r\n\r\n")
                                       << qint64(7) << false << false << false << QByteArray("POST / HTTP/1.1\r\n");
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n") << qint64(0) << true << false
                             << false << QByteArray("POST / HTTP/1.1\r\n");
    QTest::newRow("lf-only-lines") << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << qint64(0) << false << false << true
                                   << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n");
    QTest::newRow("connection-close") << QByteArray("GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n") << qint64(0) << false
                                      << true << true << QByteArray("GET / HTTP/1.1\r\nConnection: TE, close\r\n");
    // RFC 9112 9.3 and C.2.2: HTTP/1.0 persists only if the answer says keep-alive, which it never does here.
    QTest::newRow("http10-keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") << qint64(0) << false
                                       << true << true << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n");
}

void TestRequestHead::acceptedHeads()
{
    QFETCH(QByteArray, head);
    QFETCH(qint64, contentLength);
    QFETCH(bool, chunked);
    QFETCH(bool, closeAfter);
    QFETCH(bool, verbatim);
    QFETCH(QByteArray, forwarded);
    const RequestHead read = readRequestHead(head);
    QCOMPARE(read.status, 0);
    QCOMPARE(read.contentLength, contentLength);
    QCOMPARE(read.chunked, chunked);
    QCOMPARE(read.closeAfter, closeAfter);
    QCOMPARE(read.verbatim, verbatim);
    QCOMPARE(read.forwarded, forwarded);
}

void TestRequestHead::headEnd_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<qsizetype>("end"); // counted by hand: the offset just past the blank line
    QTest::newRow("crlf") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n\r\nbody") << qsizetype(24);
    QTest::newRow("lf") << QByteArray("GET / HTTP/1.1\nA: b\n\nbody") << qsizetype(21);
    QTest::newRow("incomplete") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n") << qsizetype(-1);
    QTest::newRow("cr-without-lf") << QByteArray("GET / HTTP/1.1\r\nA: b\r\n\r") << qsizetype(-1);
}

void TestRequestHead::headEnd()
{
    QFETCH(QByteArray, data);
    QFETCH(qsizetype, end);
    QCOMPARE(requestHeadEnd(data), end);
    // Resumed as the bytes arrive one at a time: the same end, found when its byte comes.
    qsizetype lineStart = 0, found = -1;
    for (qsizetype n = 1; n <= data.size() && found < 0; ++n)
        found = requestHeadEnd(QByteArrayView(data).first(n), &lineStart);
    QCOMPARE(found, end);
}

void TestRequestHead::chunkedBodies_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // decoded, when accepted
    QTest::addColumn<qsizetype>("used"); // bytes of the stream that are the body's (the rest: the next request)
    QTest::newRow("two-chunks") << QByteArray("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nGET") << 0 << QByteArray("abcde") << qsizetype(20);
    QTest::newRow("extension-trailer-uppercase")
        << QByteArray("A;name=v\r\n0123456789\r\n0\r\nX-Sum: 1\r\n\r\n") << 0 << QByteArray("0123456789") << qsizetype(37);
    QTest::newRow("lf-only") << QByteArray("1\nx\n0\n\n") << 0 << QByteArray("x") << qsizetype(7);
    QTest::newRow("not-hex") << QByteArray("zz\r\nab\r\n") << 400 << QByteArray() << qsizetype(0);
    QTest::newRow("data-without-crlf") << QByteArray("2\r\nabXY") << 400 << QByteArray() << qsizetype(0);
    // 16 bytes decoded against a limit of 10 (set in chunkedBodies).
    QTest::newRow("over-the-limit") << QByteArray("8\r\n01234567\r\n8\r\n01234567\r\n0\r\n\r\n") << 413 << QByteArray()
                                    << qsizetype(0);
}

void TestRequestHead::chunkedBodies()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(qsizetype, used);
    for (const bool byteByByte : {false, true}) {
        ChunkedBody chunked(10);
        qsizetype consumed = 0;
        if (byteByByte) {
            for (qsizetype i = 0; i < stream.size() && !chunked.isDone() && chunked.status() == 0; ++i)
                consumed += chunked.feed(QByteArrayView(stream).sliced(i, 1));
        } else {
            consumed = chunked.feed(stream);
        }
        QCOMPARE(chunked.status(), status);
        if (status != 0)
            continue;
        QVERIFY(chunked.isDone());
        QCOMPARE(chunked.body(), body);
        QCOMPARE(consumed, used);
    }
}

QTEST_GUILESS_MAIN(TestRequestHead)
#include "tst_requesthead.moc"
