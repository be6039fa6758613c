#pragma once

#include <QTcpServer>

namespace plumb {

// A TCP server for QHttpServer that enforces a request-body limit at the socket, before anything is
// buffered: QHttpServer 6.4 reads a whole body into memory before a handler runs (a 200 MB POST
// took 580 MB). Each accepted socket gets a guard that runs before the HTTP server's own reader:
// it peeks at the request head for Content-Length and counts the bytes received since the last
// response; past the cap it answers 413 with a JSON reason, discards what arrives and closes.
class LimitedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit LimitedTcpServer(qint64 maxRequestBytes, QObject *parent = nullptr);

    qint64 maxRequestBytes() const { return mMaxRequestBytes; }
    // Requests refused here (answered 413 before the HTTP server saw them).
    quint64 refusedCount() const { return mRefused; }

signals:
    // A request was refused at the socket for its size.
    void refused();

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void guard(class QTcpSocket *socket);

    qint64 mMaxRequestBytes;
    quint64 mRefused = 0;
};

} // namespace plumb
