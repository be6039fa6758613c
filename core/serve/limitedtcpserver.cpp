#include "serve/limitedtcpserver.h"

#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace plumb {

namespace {

constexpr qint64 kHeadBytes = 16 * 1024; // request line and headers: larger heads are refused too
constexpr int kLingerMs = 5000;

// Content-Length from a request head, if the head is complete and has one.
std::optional<qint64> contentLength(const QByteArray &head)
{
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    for (const QByteArray &line : head.left(end).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 value = line.mid(colon + 1).trimmed().toLongLong(&ok);
            return ok ? value : -1;
        }
    }
    return std::nullopt;
}

} // namespace

LimitedTcpServer::LimitedTcpServer(qint64 maxRequestBytes, QObject *parent)
    : QTcpServer(parent), mMaxRequestBytes(maxRequestBytes)
{
}

void LimitedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    guard(socket); // connected before the HTTP server's reader, so it runs first
    addPendingConnection(socket);
}

void LimitedTcpServer::guard(QTcpSocket *socket)
{
    // Bytes received since the last response; the HTTP server reads after this slot, so what is
    // available here is new. A response resets the count (keep-alive connections send many requests).
    auto received = std::make_shared<qint64>(0);
    auto refusing = std::make_shared<bool>(false);
    connect(socket, &QTcpSocket::bytesWritten, socket, [received] { *received = 0; });
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, received, refusing] {
        if (*refusing) {
            socket->skip(socket->bytesAvailable()); // discard: the HTTP server must not buffer it
            return;
        }
        const qint64 available = socket->bytesAvailable();
        const std::optional<qint64> declared = *received == 0 ? contentLength(socket->peek(kHeadBytes)) : std::nullopt;
        *received += available;
        const bool tooLong = (declared && (*declared < 0 || *declared > mMaxRequestBytes))
                             || *received > mMaxRequestBytes + kHeadBytes;
        if (!tooLong)
            return;
        *refusing = true;
        ++mRefused;
        emit refused();
        socket->skip(socket->bytesAvailable());
        const QByteArray body = QByteArrayLiteral("{\"error\":\"the request body is larger than ")
                                + QByteArray::number(mMaxRequestBytes) + QByteArrayLiteral(" bytes\"}");
        socket->write("HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\nConnection: close\r\n"
                      "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        // A lingering close, as HTTP servers do: closing at once while the client is still sending
        // makes the kernel reset the connection, and a reset can discard the answer before the
        // client reads it. So send the answer, end the sending side, keep discarding what arrives,
        // and close when the client does (or after kLingerMs).
        socket->flush();
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
        QTimer::singleShot(kLingerMs, socket, [socket] { socket->abort(); });
    });
}

} // namespace plumb
