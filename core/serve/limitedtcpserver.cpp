#include "serve/limitedtcpserver.h"

#include "serve/jsonrow.h"

#include <QTcpSocket>

#include <algorithm>

#include <sys/socket.h>

namespace plumb {

namespace {

constexpr qint64 kHeadBytes = 16 * 1024; // request line and headers: larger heads are refused too
constexpr int kLingerMs = 5000;

// What a complete request head says about the body.
struct HeadInfo
{
    qint64 headLength = 0;       // up to and including the blank line
    qint64 contentLength = 0;    // 0 without the header; -1 when unreadable
    bool chunked = false;        // Transfer-Encoding: the body's end is not known in advance
};

// The head's fields, if the head (ending with a blank line) is complete.
std::optional<HeadInfo> readHead(const QByteArray &head)
{
    const qsizetype end = head.indexOf("\r\n\r\n");
    if (end < 0)
        return std::nullopt;
    HeadInfo info;
    info.headLength = end + 4;
    for (const QByteArray &line : head.left(end).split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 value = line.mid(colon + 1).trimmed().toLongLong(&ok);
            info.contentLength = ok && value >= 0 ? value : -1;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            info.chunked = true;
        }
    }
    return info;
}

QByteArray statusLine(int status)
{
    return status == 408 ? QByteArrayLiteral("HTTP/1.1 408 Request Timeout\r\n")
                         : QByteArrayLiteral("HTTP/1.1 413 Payload Too Large\r\n");
}

} // namespace

// One connection's progress through its current request.
struct LimitedTcpServer::Guard
{
    qint64 received = 0;           // bytes since the last answer
    QByteArray head;               // the request head as it arrives, up to kHeadBytes
    std::optional<HeadInfo> info;  // once the head is complete
    bool refusing = false;
    qint64 startedMs = -1;         // when the request under way began to arrive (mClock); -1: none is arriving
};

LimitedTcpServer::LimitedTcpServer(qint64 maxRequestBytes, int requestTimeoutMs, QObject *parent)
    : QTcpServer(parent), mMaxRequestBytes(maxRequestBytes), mRequestTimeoutMs(requestTimeoutMs)
{
    if (mRequestTimeoutMs <= 0)
        return;
    // One sweep for all connections instead of a timer per request: starting and stopping a
    // QTimer for every request cost about 15% of the single-row throughput.
    mClock.start();
    mSweep.setInterval(std::clamp(mRequestTimeoutMs / 5, 10, 250));
    connect(&mSweep, &QTimer::timeout, this, &LimitedTcpServer::refuseLateRequests);
    mSweep.start();
}

LimitedTcpServer::~LimitedTcpServer() = default;

void LimitedTcpServer::refuseLateRequests()
{
    const qint64 now = mClock.elapsed();
    std::vector<std::pair<QTcpSocket *, std::shared_ptr<Guard>>> late;
    for (auto it = mGuards.cbegin(); it != mGuards.cend(); ++it)
        if (it.value()->startedMs >= 0 && !it.value()->refusing && now - it.value()->startedMs >= mRequestTimeoutMs)
            late.emplace_back(it.key(), it.value());
    for (const auto &[socket, state] : late)
        refuse(socket, *state, 408, QStringLiteral("the request did not arrive within %1 s (the limit per request)")
                                        .arg(double(mRequestTimeoutMs) / 1000.0));
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
    auto state = std::make_shared<Guard>();
    const bool timed = mRequestTimeoutMs > 0;
    if (timed) {
        // The first request's time runs from the connection's start, so that a client that connects
        // and sends nothing is closed too.
        state->startedMs = mClock.elapsed();
        mGuards.insert(socket, state);
        connect(socket, &QObject::destroyed, this, [this, socket] { mGuards.remove(socket); });
    }
    // An answer ends the request: the next byte starts the next one (keep-alive connections send many).
    connect(socket, &QTcpSocket::bytesWritten, socket, [state] {
        if (state->refusing)
            return;
        state->received = 0;
        state->head.clear();
        state->info.reset();
        state->startedMs = -1;
    });
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, state, timed] {
        if (state->refusing) {
            socket->skip(socket->bytesAvailable()); // discard: the HTTP server must not buffer it
            return;
        }
        // The HTTP server reads after this slot, so what is available here is new.
        const qint64 available = socket->bytesAvailable();
        if (timed && state->received == 0 && state->startedMs < 0)
            state->startedMs = mClock.elapsed();
        if (!state->info && state->head.size() < kHeadBytes) {
            state->head += socket->peek(std::min(available, kHeadBytes - state->head.size()));
            state->info = readHead(state->head);
        }
        state->received += available;
        const bool tooLong = (state->info && (state->info->contentLength < 0 || state->info->contentLength > mMaxRequestBytes))
                             || state->received > mMaxRequestBytes + kHeadBytes;
        if (tooLong) {
            refuse(socket, *state, 413, QStringLiteral("the request body is larger than %1 bytes").arg(mMaxRequestBytes));
            return;
        }
        // Delivered whole: the time limit stops here (working on it is the service's to bound).
        if (state->info && !state->info->chunked && state->received >= state->info->headLength + state->info->contentLength)
            state->startedMs = -1;
    });
}

void LimitedTcpServer::refuse(QTcpSocket *socket, Guard &state, int status, const QString &reason)
{
    state.refusing = true;
    state.startedMs = -1;
    ++mRefused;
    emit refused(status, reason);
    socket->skip(socket->bytesAvailable());
    std::string body = "{\"error\":";
    appendJsonString(reason.toStdString(), body);
    body += '}';
    socket->write(statusLine(status) + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                  + QByteArray::number(qsizetype(body.size())) + "\r\n\r\n" + QByteArray::fromStdString(body));
    // A lingering close, as HTTP servers do: closing at once while the client is still sending
    // makes the kernel reset the connection, and a reset can discard the answer before the
    // client reads it. So send the answer, end the sending side, keep discarding what arrives,
    // and close when the client does (or after kLingerMs).
    socket->flush();
    ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    QTimer::singleShot(kLingerMs, socket, [socket] { socket->abort(); });
}

} // namespace plumb
