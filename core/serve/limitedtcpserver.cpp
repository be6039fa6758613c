#include "serve/limitedtcpserver.h"

#include "serve/jsonrow.h"

#include <QTcpSocket>

#include <algorithm>
#include <optional>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace plumb {

namespace {

constexpr int kLingerMs = 5000;
constexpr int kAcceptPauseMs = 100;
constexpr qint64 kCloseAfterBodyBytes = 1 << 20; // a connection that carried a larger body closes after its answer
constexpr qint64 kTrimBytes = 1 << 20; // in-flight bytes past which malloc_trim runs once all are answered
constexpr qint64 kReservedDescriptors = 64; // for the log, the model file, pipes and the rest
constexpr qint64 kMaxDefaultConnections = 10000;
constexpr int kListenBacklog = 4096; // capped by the kernel's net.core.somaxconn

QByteArray statusLine(int status)
{
    switch (status) {
    case 400:
        return QByteArrayLiteral("HTTP/1.1 400 Bad Request\r\n");
    case 401:
        return QByteArrayLiteral("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n");
    case 408:
        return QByteArrayLiteral("HTTP/1.1 408 Request Timeout\r\n");
    case 413:
        return QByteArrayLiteral("HTTP/1.1 413 Payload Too Large\r\n");
    case 431:
        return QByteArrayLiteral("HTTP/1.1 431 Request Header Fields Too Large\r\n");
    case 501:
        return QByteArrayLiteral("HTTP/1.1 501 Not Implemented\r\n");
    case 505:
        return QByteArrayLiteral("HTTP/1.1 505 HTTP Version Not Supported\r\n");
    default:
        return QByteArrayLiteral("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n");
    }
}

// A whole answer with a JSON reason, for a connection that is closed after it.
QByteArray closingAnswer(int status, const QString &reason)
{
    std::string body = "{\"error\":";
    appendJsonString(reason.toStdString(), body);
    body += '}';
    return statusLine(status) + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + QByteArray::number(qsizetype(body.size())) + "\r\n\r\n" + QByteArray::fromStdString(body);
}

// Drops what has arrived. Inside the HTTP server's open transaction a skip would only move the
// transaction's position and keep the bytes (a refused client sending 100 MB kept all of it).
void discard(QTcpSocket *socket)
{
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    socket->skip(socket->bytesAvailable());
}

} // namespace

QString LimitedTcpServer::inflightReason() const
{
    return QStringLiteral("requests under way hold more than %1 bytes (the service's limit); try again shortly")
        .arg(mLimits.maxInflightBytes);
}

// One connection: where its current request stands, and what the guard holds for it.
struct LimitedTcpServer::Connection
{
    enum class Phase {
        Head, // reading a request head (the HTTP server has seen none of it)
        Body, // head handed on; Content-Length bytes pass straight to the HTTP server
        Chunked, // head accepted; the guard decodes the body before handing the request on
        Answering, // handed on whole; bytes that arrive now are held until the answer is written
        Closing, // refused or closed: whatever arrives is discarded
    };
    QTcpSocket *socket = nullptr;
    Phase phase = Phase::Head;
    QByteArray head; // the head as it arrives, leading empty lines dropped
    qsizetype headScanned = 0; // where the search for the head's end resumes
    RequestHead request;
    std::optional<ChunkedBody> chunked;
    QByteArray held; // the next request's bytes, sent before this one's answer
    qint64 bodyLeft = 0; // Content-Length bytes still to pass
    qint64 bodyBytes = 0; // the body being held for this request (declared or decoded so far)
    qint64 reserved = 0; // bodyBytes + held.size(), as counted in mInflight
    qint64 unread = 0; // bytes handed on outside readyRead that the HTTP server has not read yet
    qint64 startedMs = -1; // when the request under way began to arrive; -1: none is
    qint64 idleSinceMs = 0;
    std::optional<std::list<Connection *>::iterator> idleAt; // in mIdle while idle
    bool closeAfter = false;
    bool gone = false; // disconnected: its descriptor is closed
};

LimitedTcpServer::LimitedTcpServer(const ConnectionLimits &limits, QObject *parent) : QTcpServer(parent), mLimits(limits)
{
    if (mLimits.maxConnections <= 0)
        mLimits.maxConnections = defaultMaxConnections();
    // Qt's default queue of connections not yet accepted is 50: 2,000 connects took 21 s.
    setListenBacklogSize(kListenBacklog);
    mClock.start();
    // One sweep for all connections instead of a timer per request: starting and stopping a
    // QTimer for every request cost about 15% of the single-row throughput.
    int shortest = 1250;
    for (int limit : {mLimits.requestTimeoutMs, mLimits.idleTimeoutMs})
        if (limit > 0)
            shortest = std::min(shortest, limit);
    mSweep.setInterval(std::clamp(shortest / 5, 10, 250));
    connect(&mSweep, &QTimer::timeout, this, &LimitedTcpServer::sweep);
    mSweep.start();
    // Qt stops accepting after an error other than a temporary one (EMFILE, ENFILE, ENOBUFS): make
    // room and resume shortly, so that a lack of descriptors never turns into a busy loop.
    connect(this, &QTcpServer::acceptError, this, [this] {
        pauseAccepting();
        evictLongestIdle();
        QTimer::singleShot(kAcceptPauseMs, this, [this] { resumeAccepting(); });
    });
}

LimitedTcpServer::~LimitedTcpServer()
{
    for (auto it = mConnections.cbegin(); it != mConnections.cend(); ++it)
        it.key()->disconnect(this);
}

DescriptorLimits LimitedTcpServer::raiseDescriptorLimit()
{
    DescriptorLimits limits;
    rlimit current{};
    if (::getrlimit(RLIMIT_NOFILE, &current) != 0)
        return limits;
    limits.softBefore = qint64(current.rlim_cur);
    if (current.rlim_cur < current.rlim_max) {
        rlimit raised = current;
        raised.rlim_cur = current.rlim_max == RLIM_INFINITY ? rlim_t(1) << 20 : current.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &raised);
        ::getrlimit(RLIMIT_NOFILE, &current);
    }
    limits.soft = qint64(current.rlim_cur);
    limits.hard = current.rlim_max == RLIM_INFINITY ? -1 : qint64(current.rlim_max);
    return limits;
}

int LimitedTcpServer::defaultMaxConnections()
{
    rlimit current{};
    const qint64 soft = ::getrlimit(RLIMIT_NOFILE, &current) == 0 && current.rlim_cur != RLIM_INFINITY ? qint64(current.rlim_cur)
                                                                                                       : 1024;
    return int(std::clamp<qint64>(soft - kReservedDescriptors, 16, kMaxDefaultConnections));
}

void LimitedTcpServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        ::close(int(socketDescriptor));
        return;
    }
    if (mConnections.size() - mGone >= mLimits.maxConnections && !evictLongestIdle()) {
        // Every connection has a request under way: this one is answered and closed, not queued.
        const QString reason
            = QStringLiteral("the service has %1 connections open (its limit), none of them idle").arg(mLimits.maxConnections);
        ++mRefused;
        emit refused(503, reason);
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->write(closingAnswer(503, reason));
        socket->disconnectFromHost();
        return;
    }
    auto connection = std::make_shared<Connection>();
    connection->socket = socket;
    if (mLimits.requestTimeoutMs > 0)
        connection->startedMs = mClock.elapsed(); // a client that connects and sends nothing is timed too
    setIdle(*connection, true);
    mConnections.insert(socket, connection);
    connect(socket, &QObject::destroyed, this, [this, socket] {
        const auto it = mConnections.constFind(socket);
        if (it == mConnections.constEnd())
            return;
        Connection &closed = **it;
        setIdle(closed, false);
        mInflight -= closed.reserved;
        mGone -= closed.gone ? 1 : 0;
        mConnections.erase(it);
    });
    connect(socket, &QAbstractSocket::disconnected, this, [this, connection] {
        if (!std::exchange(connection->gone, true))
            ++mGone;
    });
    // Connected before the HTTP server's reader, so the guard runs first.
    connect(socket, &QTcpSocket::readyRead, socket, [this, connection] { onReadyRead(*connection); });
    connect(socket, &QTcpSocket::bytesWritten, socket, [this, connection] { onAnswerWritten(*connection); });
    addPendingConnection(socket);
}

void LimitedTcpServer::onReadyRead(Connection &c)
{
    QTcpSocket *socket = c.socket;
    if (c.phase == Connection::Phase::Closing) {
        discard(socket);
        return;
    }
    const qint64 fresh = socket->bytesAvailable() - c.unread;
    const bool unreadAhead = c.unread > 0;
    c.unread = 0; // the HTTP server reads them right after this slot
    if (fresh <= 0)
        return;
    if (c.phase == Connection::Phase::Body) {
        // The HTTP server reads the body itself, and only up to its length.
        c.bodyLeft -= std::min(fresh, c.bodyLeft);
        if (c.bodyLeft == 0) {
            c.phase = Connection::Phase::Answering;
            c.startedMs = -1;
        }
        return;
    }
    // Bytes handed on are ahead of these: the HTTP server reads those first and asks again.
    if (unreadAhead)
        return;
    // Everything else is taken out of the socket, so that the HTTP server sees only what is handed
    // on. Its transaction, if one is open, is empty: it has read nothing since its last request.
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    if (c.phase == Connection::Phase::Head && c.head.isEmpty() && admitInPlace(c, fresh))
        return;
    take(c, socket->readAll(), true);
}

void LimitedTcpServer::take(Connection &c, QByteArray data, bool fromReadyRead)
{
    using Phase = Connection::Phase;
    while (!data.isEmpty()) {
        switch (c.phase) {
        case Phase::Closing:
            return;
        case Phase::Body:
        case Phase::Answering:
            c.held += data;
            if (!account(c))
                refuse(c, 503, inflightReason());
            return;
        case Phase::Head: {
            setIdle(c, false);
            if (c.startedMs < 0)
                c.startedMs = mClock.elapsed(); // empty lines count: they do not restart the clock
            if (c.head.isEmpty()) {
                // RFC 9112 2.2: empty lines before a request line are ignored.
                qsizetype skip = 0;
                while (skip < data.size() && (data[skip] == '\r' || data[skip] == '\n'))
                    ++skip;
                data.remove(0, skip);
                if (data.isEmpty())
                    return;
            }
            c.head += data;
            const qsizetype end = requestHeadEnd(c.head, &c.headScanned);
            if (end < 0) {
                if (c.head.size() > mLimits.head.maxBytes)
                    refuse(c, 431, QStringLiteral("the request head is larger than %1 bytes").arg(mLimits.head.maxBytes));
                return;
            }
            data = c.head.mid(end);
            c.head.truncate(end);
            if (!startRequest(c, data, fromReadyRead))
                return;
            break;
        }
        case Phase::Chunked: {
            const qsizetype used = c.chunked->feed(data);
            if (c.chunked->status() != 0)
                return refuse(c, c.chunked->status(), c.chunked->reason());
            c.bodyBytes = c.chunked->body().size();
            if (!account(c))
                return refuse(c, 503, inflightReason());
            if (!c.chunked->isDone())
                return;
            const QByteArray body = c.chunked->takeBody();
            c.chunked.reset();
            c.closeAfter = c.closeAfter || body.size() > kCloseAfterBodyBytes;
            c.phase = Phase::Answering;
            c.startedMs = -1;
            handOn(c, c.request.forwarded + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body,
                   fromReadyRead);
            data.remove(0, used);
            break;
        }
        }
    }
}

bool LimitedTcpServer::admit(Connection &c)
{
    const RequestHead &request = c.request;
    if (request.status != 0) {
        refuse(c, request.status, request.reason);
        return false;
    }
    // The token is checked from the head: without it, not a byte of the body is read.
    if (mAuthoriser && !mAuthoriser(request.authorization)) {
        refuse(c, 401, QStringLiteral("a bearer token is required"));
        return false;
    }
    if (request.contentLength > mLimits.maxRequestBytes) {
        refuse(c, 413, QStringLiteral("the request body is larger than %1 bytes").arg(mLimits.maxRequestBytes));
        return false;
    }
    c.bodyBytes = request.contentLength;
    if (!account(c)) {
        refuse(c, 503, inflightReason());
        return false;
    }
    c.closeAfter = request.closeAfter || request.contentLength > kCloseAfterBodyBytes;
    return true;
}

void LimitedTcpServer::expectBody(Connection &c, qint64 arrived)
{
    c.bodyLeft = c.request.contentLength - arrived;
    c.phase = c.bodyLeft > 0 ? Connection::Phase::Body : Connection::Phase::Answering;
    if (c.bodyLeft == 0)
        c.startedMs = -1;
}

bool LimitedTcpServer::startRequest(Connection &c, QByteArray &rest, bool fromReadyRead)
{
    c.request = readRequestHead(c.head, mLimits.head);
    c.head.clear();
    c.headScanned = 0;
    if (!admit(c))
        return false;
    const RequestHead &request = c.request;
    if (request.chunked) {
        c.chunked.emplace(mLimits.maxRequestBytes);
        c.phase = Connection::Phase::Chunked;
        return true;
    }
    const qsizetype arrived = qsizetype(std::min<qint64>(rest.size(), request.contentLength));
    expectBody(c, arrived);
    const QByteArray length = request.contentLength > 0 ? "Content-Length: " + QByteArray::number(request.contentLength) + "\r\n"
                                                        : QByteArray();
    handOn(c, request.forwarded + length + "\r\n" + rest.left(arrived), fromReadyRead);
    rest.remove(0, arrived);
    return true;
}

bool LimitedTcpServer::admitInPlace(Connection &c, qint64 available)
{
    // The common case: a whole head that needs no rewriting has arrived. It is read where it lies
    // (peeked) and left there for the HTTP server, rather than taken out and put back (which cost
    // a fifth of the single-row throughput). Anything else takes the general path.
    const QByteArray peeked = c.socket->peek(std::min<qint64>(available, mLimits.head.maxBytes));
    if (peeked.isEmpty() || peeked.front() == '\r' || peeked.front() == '\n')
        return false;
    const qsizetype end = requestHeadEnd(peeked);
    if (end < 0)
        return false;
    RequestHead request = readRequestHead(QByteArrayView(peeked).first(end), mLimits.head);
    if (request.status != 0 || !request.verbatim)
        return false;
    setIdle(c, false);
    if (c.startedMs < 0)
        c.startedMs = mClock.elapsed();
    c.request = std::move(request);
    if (admit(c))
        expectBody(c, std::min<qint64>(available - end, c.request.contentLength));
    return true;
}

void LimitedTcpServer::handOn(Connection &c, const QByteArray &bytes, bool fromReadyRead)
{
    // Put back in front of the socket's read buffer, where the HTTP server reads it (the guard has
    // taken everything else out). Within readyRead the HTTP server's reader runs right after this
    // slot; otherwise it is asked to read.
    QTcpSocket *socket = c.socket;
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    for (qsizetype i = bytes.size(); i-- > 0;)
        socket->ungetChar(bytes[i]);
    if (!fromReadyRead) {
        c.unread = bytes.size();
        QMetaObject::invokeMethod(socket, &QAbstractSocket::readyRead, Qt::QueuedConnection);
    }
}

void LimitedTcpServer::onAnswerWritten(Connection &c)
{
    if (c.phase != Connection::Phase::Answering || c.socket->bytesToWrite() > 0)
        return;
    // The answer is out: the request is over.
    c.bodyBytes = 0;
    account(c);
    if (c.closeAfter) {
        c.phase = Connection::Phase::Closing;
        c.held.clear();
        account(c);
        c.socket->disconnectFromHost();
        return;
    }
    c.phase = Connection::Phase::Head;
    c.startedMs = -1;
    c.request = {};
    setIdle(c, true);
    // What arrived meanwhile is the next request.
    QTcpSocket *socket = c.socket;
    if (socket->isTransactionStarted())
        socket->commitTransaction();
    QByteArray next = std::exchange(c.held, {}) + socket->readAll();
    account(c);
    if (!next.isEmpty())
        take(c, std::move(next), false);
}

bool LimitedTcpServer::account(Connection &c)
{
    const qint64 total = c.bodyBytes + c.held.size();
    const qint64 after = mInflight - c.reserved + total;
    if (total > c.reserved && after > mLimits.maxInflightBytes)
        return false;
    mInflight = after;
    c.reserved = total;
    mTrimDue = mTrimDue || mInflight > kTrimBytes;
    return true;
}

void LimitedTcpServer::setIdle(Connection &c, bool idle)
{
    if (idle && !c.idleAt) {
        c.idleSinceMs = mClock.elapsed();
        c.idleAt = mIdle.insert(mIdle.end(), &c);
    } else if (!idle && c.idleAt) {
        mIdle.erase(*c.idleAt);
        c.idleAt.reset();
    }
}

void LimitedTcpServer::closeIdle(Connection &c)
{
    setIdle(c, false);
    if (c.phase == Connection::Phase::Closing) { // a refused one, lingering: its answer is sent
        c.socket->abort();
        return;
    }
    c.phase = Connection::Phase::Closing;
    c.socket->disconnectFromHost(); // nothing to write: the descriptor is closed now
}

bool LimitedTcpServer::evictLongestIdle()
{
    if (mIdle.empty())
        return false;
    closeIdle(*mIdle.front());
    ++mEvicted;
    return true;
}

void LimitedTcpServer::refuse(Connection &c, int status, QString reason)
{
    if (c.phase == Connection::Phase::Closing)
        return;
    QTcpSocket *socket = c.socket;
    c.phase = Connection::Phase::Closing;
    c.startedMs = -1;
    c.bodyBytes = 0;
    c.held.clear();
    c.chunked.reset();
    account(c);
    ++mRefused;
    emit refused(status, reason);
    discard(socket);
    socket->write(closingAnswer(status, reason));
    // A lingering close, as HTTP servers do: closing at once while the client is still sending
    // makes the kernel reset the connection, and a reset can discard the answer before the
    // client reads it. So send the answer, end the sending side, keep discarding what arrives,
    // and close when the client does (or after kLingerMs).
    socket->flush();
    ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
    QTimer::singleShot(kLingerMs, socket, [socket] { socket->abort(); });
    // Lingering holds a descriptor: a new connection may take it, as it takes an idle one's.
    setIdle(c, true);
}

void LimitedTcpServer::sweep()
{
    using Phase = Connection::Phase;
    const qint64 now = mClock.elapsed();
    if (mLimits.requestTimeoutMs > 0) {
        std::vector<std::shared_ptr<Connection>> late;
        for (const auto &c : std::as_const(mConnections))
            if (c->startedMs >= 0 && c->phase != Phase::Answering && c->phase != Phase::Closing
                && now - c->startedMs >= mLimits.requestTimeoutMs)
                late.push_back(c);
        for (const auto &c : late)
            refuse(*c, 408,
                   QStringLiteral("the request did not arrive within %1 s (the limit per request)")
                       .arg(double(mLimits.requestTimeoutMs) / 1000.0));
    }
    // Idle connections are closed without an answer (RFC 9112 9.5), the longest-idle first.
    while (mLimits.idleTimeoutMs > 0 && !mIdle.empty() && now - mIdle.front()->idleSinceMs >= mLimits.idleTimeoutMs)
        closeIdle(*mIdle.front());
    // Give memory back once the requests that needed it are answered: glibc keeps freed blocks of
    // a spike otherwise (hundreds of MB after eight 16 MB requests).
    if (mTrimDue && mInflight == 0 && ++mQuietSweeps >= 2) {
#if defined(__GLIBC__)
        ::malloc_trim(0);
#endif
        mTrimDue = false;
    }
    if (mInflight > 0)
        mQuietSweeps = 0;
}

} // namespace plumb
