#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace plumb {

// Limits on a request head (request line and header fields).
struct HeadLimits
{
    qsizetype maxBytes = 16 * 1024; // the whole head, blank line included: 431 past it
    int maxFields = 100; // header field lines: 431 past it
    qsizetype maxFieldBytes = 8000; // one field line: 431 past it (QHttpServer refuses fields over 8 KiB)
};

// What the socket guard makes of a complete request head, read as RFC 9112 says, before the HTTP
// server sees any of it. A refused head has a status and a reason; an accepted one says how the body
// is framed and whether the connection closes after the answer.
struct RequestHead
{
    int status = 0; // 0: accepted; else 400, 431, 501 or 505 (the connection is then closed)
    QString reason; // why it was refused, naming the line or field
    QByteArray forwarded; // request line and fields for the HTTP server, each ending CRLF, without the
        // blank line, Content-Length or Transfer-Encoding (the guard adds the length)
    qint64 contentLength = 0; // the body's length, 0 without one (or when chunked)
    bool chunked = false; // Transfer-Encoding: chunked (decoded by ChunkedBody)
    bool verbatim = false; // the head as sent means the same to QHttpServer as `forwarded` with its
        // length: no Transfer-Encoding, at most one Content-Length value
    bool closeAfter = false; // Connection: close, or HTTP/1.0 (RFC 9112 9.3: its keep-alive needs the answer to say so)
    QByteArray authorization; // the Authorization field's value; empty without one
};

// Reads `head`: the bytes from the request line up to and including the blank line that ends the
// fields (leading empty lines already dropped). Refusals: a malformed request line, a field line
// without a colon, white space before a colon, obsolete line folding (400); two different
// Content-Length values, Content-Length with Transfer-Encoding, Transfer-Encoding on HTTP/1.0 (400,
// RFC 9112 6.1 and 6.3: the request-smuggling rules); a transfer coding other than chunked (501);
// more fields or bytes than `limits` (431); an HTTP version other than 1.0 and 1.1 (505).
RequestHead readRequestHead(QByteArrayView head, const HeadLimits &limits = {});

// Where the head that starts `data` ends: the offset just past its blank line ("\r\n\r\n" or a bare
// "\n\n"), or -1 when it has not all arrived. `lineStart`, when given, is where to resume: the start
// of a line not yet complete, updated as lines are found (for a head that arrives in pieces).
qsizetype requestHeadEnd(QByteArrayView data, qsizetype *lineStart = nullptr);

// A chunked request body (RFC 9112 7.1) decoded as it arrives into one buffer: the body costs its
// decoded size, however small the chunks. Chunk extensions and trailer fields are read and dropped.
class ChunkedBody
{
public:
    explicit ChunkedBody(qint64 maxBytes) : mMaxBytes(maxBytes) { }

    // Reads the next bytes of the stream. Returns how many belong to the body (the rest, once
    // isDone(), are the next request's). After a refusal (status() != 0) it reads no more.
    qsizetype feed(QByteArrayView data);
    bool isDone() const { return mState == State::Done; }
    int status() const { return mStatus; } // 0, 400 (malformed framing) or 413 (decoded size past the limit)
    const QString &reason() const { return mReason; }
    const QByteArray &body() const { return mBody; }
    QByteArray takeBody() { return std::move(mBody); }

private:
    enum class State { SizeLine, Data, DataCr, DataLf, Trailer, Done };
    void refuse(int status, const QString &reason);

    qint64 mMaxBytes;
    State mState = State::SizeLine;
    QByteArray mLine; // the size or trailer line under way
    qint64 mLeft = 0; // bytes of the current chunk still to come
    qint64 mTrailerBytes = 0;
    int mStatus = 0;
    QString mReason;
    QByteArray mBody;
};

} // namespace plumb
