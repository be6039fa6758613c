#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QTcpServer>
#include <QTimer>

#include <memory>

namespace plumb {

// A TCP server for QHttpServer that enforces two limits at the socket, before anything is buffered
// or handled:
//  - size: QHttpServer 6.4 reads a whole body into memory before a handler runs (a 200 MB POST
//    took 580 MB). A request whose Content-Length or received bytes pass the cap is answered 413.
//  - time: a request (request line, headers and body) must arrive within the time limit, counted
//    from the connection's start or from the first byte after the previous answer; a client that
//    sends part of a request and stalls (slowloris) is answered 408. Chunked bodies have no known
//    end, so for them the limit runs until the answer is written. One timer sweeps the
//    connections every fifth of the limit (10 to 250 ms), so a late request is answered within
//    that much after its limit.
// Each accepted socket gets a guard that runs before the HTTP server's own reader: it reads the
// request head as it arrives, and when a limit is passed it answers with a JSON reason, discards
// what arrives and closes. Other connections are not affected.
class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    // `maxRequestBytes`: the largest body; `requestTimeoutMs`: the time a request may take to
    // arrive (0: no limit).
    LimitedTcpServer(qint64 maxRequestBytes, int requestTimeoutMs, QObject *parent = nullptr);
    ~LimitedTcpServer() override;

    qint64 maxRequestBytes() const { return mMaxRequestBytes; }
    int requestTimeoutMs() const { return mRequestTimeoutMs; }
    // Requests refused here (answered 413 or 408 before the HTTP server saw them whole).
    quint64 refusedCount() const { return mRefused; }

signals:
    // A request was refused at the socket: `status` 413 (size) or 408 (time), with the reason sent.
    void refused(int status, const QString &reason);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    struct Guard;
    void guard(class QTcpSocket *socket);
    void refuse(QTcpSocket *socket, Guard &state, int status, const QString &reason);
    void refuseLateRequests();

    qint64 mMaxRequestBytes;
    int mRequestTimeoutMs;
    quint64 mRefused = 0;
    QElapsedTimer mClock;
    QTimer mSweep;
    QHash<QTcpSocket *, std::shared_ptr<Guard>> mGuards; // the timed connections
};

} // namespace plumb
