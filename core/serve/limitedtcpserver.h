#pragma once

#include "serve/requesthead.h"

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>
#include <QTimer>

#include <functional>
#include <list>
#include <memory>

class QTcpSocket;

namespace plumb {

// What the socket guard allows each connection and all of them together.
struct ConnectionLimits
{
    qint64 maxRequestBytes = 16 << 20; // a request body, chunked ones by decoded size: 413
    int requestTimeoutMs = 10000; // a request (head and body) must arrive within this: 408 (0: no limit)
    int idleTimeoutMs = 75000; // a keep-alive connection with no request under way is closed (0: never)
    int maxConnections = 0; // open connections; 0: from the descriptor limit (defaultMaxConnections)
    qint64 maxInflightBytes = 128 << 20; // bodies held at once, across connections: 503 with Retry-After past it
    HeadLimits head; // request head size and field count: 431
};

// The soft and hard limits on open descriptors (RLIMIT_NOFILE), before and after raising the soft one.
struct DescriptorLimits
{
    qint64 softBefore = 0;
    qint64 soft = 0;
    qint64 hard = 0;
};

// A TCP server for QHttpServer whose guard stands between each socket and the HTTP server: the HTTP
// server sees a request only once the guard has read its head whole and accepted it.
//  - head: read as RFC 9112 says (RequestHead): malformed lines 400, conflicting framing 400 and
//    close, header floods 431; the bearer token (the authoriser) is checked from the head, so a
//    request without it is answered 401 before any of its body is read, and the connection closed.
//  - size: a Content-Length over the limit is answered 413 from the head; a chunked body is decoded
//    by the guard (ChunkedBody) and handed on with a Content-Length, so it costs its decoded size.
//  - memory: the bodies of all requests under way are counted; one that would pass maxInflightBytes
//    is answered 503 with Retry-After. When they all are answered, freed memory is returned to the
//    system (malloc_trim). A connection that carried a body over 1 MiB is closed after its answer,
//    so that the HTTP server's copy of it goes at once.
//  - time: a request must arrive within requestTimeoutMs, counted from the connection's start or
//    from its first byte after the previous answer; empty lines between requests count as its
//    bytes and do not restart the clock (408 and close). A connection idle between requests is
//    closed after idleTimeoutMs.
//  - connections: at most maxConnections are open; a new one closes the longest-idle one (idle
//    between requests, or lingering after a refusal) to make room, or, when none is, is answered
//    503 and closed. An accept that fails for want of
//    descriptors pauses accepting for 100 ms instead of retrying at once.
//  - HTTP/1.0 requests and Connection: close are closed once their answer is written.
//  - pipelined requests are handed on one at a time, the next once the previous one is answered.
// One timer sweeps the connections every fifth of the shortest limit (10 to 250 ms).
class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit LimitedTcpServer(const ConnectionLimits &limits, QObject *parent = nullptr);
    ~LimitedTcpServer() override;

    // Decides whether a request's Authorization value (empty without one) is allowed; unset: all are.
    void setAuthoriser(std::function<bool(QByteArrayView)> authoriser) { mAuthoriser = std::move(authoriser); }

    const ConnectionLimits &limits() const { return mLimits; }
    // Requests refused here (answered before the HTTP server saw them).
    quint64 refusedCount() const { return mRefused; }
    // Idle connections closed to make room for new ones.
    quint64 evictedCount() const { return mEvicted; }
    qsizetype connectionCount() const { return mConnections.size(); }
    qint64 inflightBytes() const { return mInflight; }

    // Raises the soft limit on open descriptors to the hard limit (a service's first step).
    static DescriptorLimits raiseDescriptorLimit();
    // The connections a service may hold under the current soft descriptor limit: 64 descriptors
    // are kept for the log, the model and the rest, and at most 10000.
    static int defaultMaxConnections();

signals:
    // A request was refused at the socket: `status` 400, 401, 408, 413, 431, 501, 503 or 505, with the reason sent.
    void refused(int status, const QString &reason);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    struct Connection;
    void onReadyRead(Connection &connection);
    void onAnswerWritten(Connection &connection);
    void take(Connection &connection, QByteArray data, bool fromReadyRead);
    bool startRequest(Connection &connection, QByteArray &rest, bool fromReadyRead);
    bool admitInPlace(Connection &connection, qint64 available);
    bool admit(Connection &connection);
    void expectBody(Connection &connection, qint64 arrived);
    void handOn(Connection &connection, const QByteArray &bytes, bool fromReadyRead);
    // `reason` is taken by value: it may be the reason of a part of the connection refuse() discards.
    void refuse(Connection &connection, int status, QString reason);
    QString inflightReason() const;
    // Counts the connection's held bytes in mInflight; false (nothing changed) when growing past the limit.
    bool account(Connection &connection);
    void setIdle(Connection &connection, bool idle);
    void closeIdle(Connection &connection);
    bool evictLongestIdle();
    void sweep();

    ConnectionLimits mLimits;
    std::function<bool(QByteArrayView)> mAuthoriser;
    quint64 mRefused = 0;
    quint64 mEvicted = 0;
    qint64 mInflight = 0;
    bool mTrimDue = false; // memory was held since the last malloc_trim
    int mQuietSweeps = 0; // sweeps since in-flight bytes went to zero
    qsizetype mGone = 0; // connections closed but not yet deleted
    QElapsedTimer mClock;
    QTimer mSweep;
    QHash<QTcpSocket *, std::shared_ptr<Connection>> mConnections;
    std::list<Connection *> mIdle; // idle connections, longest-idle first
};

} // namespace plumb
