#include "serve/requesthead.h"

#include <QList>

#include <algorithm>
#include <cctype>
#include <string_view>

namespace plumb {

namespace {

constexpr qsizetype kChunkLineBytes = 4096; // a chunk-size line, extensions included
constexpr qint64 kTrailerBytes = 16 * 1024; // all trailer fields of a chunked body

// RFC 9110 5.6.2: the characters of a token (field names, methods).
bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

// A field line quoted for a message: at most 40 bytes, printable ASCII.
QString excerpt(QByteArrayView line)
{
    QString text;
    for (char c : line.first(std::min<qsizetype>(line.size(), 40)))
        text += c >= 0x20 && c < 0x7f ? QChar::fromLatin1(c) : QChar(u'?');
    return line.size() > 40 ? text + QStringLiteral("...") : text;
}

// The comma-separated elements of a field value, trimmed and lowercased (empty elements dropped).
QList<QByteArray> listElements(QByteArrayView value)
{
    QList<QByteArray> elements;
    for (const QByteArray &element : value.toByteArray().split(','))
        if (const QByteArray trimmed = element.trimmed().toLower(); !trimmed.isEmpty())
            elements.append(trimmed);
    return elements;
}

RequestHead refused(int status, const QString &reason)
{
    RequestHead head;
    head.status = status;
    head.reason = reason;
    return head;
}

} // namespace

qsizetype requestHeadEnd(QByteArrayView data, qsizetype *lineStart)
{
    qsizetype start = lineStart ? *lineStart : 0;
    qsizetype end = -1;
    for (qsizetype i = data.indexOf('\n', start); i >= 0; i = data.indexOf('\n', i + 1)) {
        const qsizetype length = i - start;
        if (length == 0 || (length == 1 && data[start] == '\r')) {
            end = i + 1;
            break;
        }
        start = i + 1;
    }
    if (lineStart)
        *lineStart = start;
    return end;
}

namespace {

// The lines of a request head up to the blank line that ends it, without their line ends.
QList<QByteArrayView> headLines(QByteArrayView head)
{
    QList<QByteArrayView> lines;
    for (qsizetype start = 0, end = head.indexOf('\n'); end >= 0; start = end + 1, end = head.indexOf('\n', start)) {
        QByteArrayView line = head.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break; // the blank line that ends the head
        lines.append(line);
    }
    return lines;
}

// RFC 9112 3: method SP request-target SP HTTP-version, single spaces; HTTP/1.0 or 1.1. A
// refusal, or nothing with `http10` set.
std::optional<RequestHead> checkRequestLine(QByteArrayView requestLine, bool &http10)
{
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1 || !isToken(requestLine.first(firstSpace))
        || requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1).contains(' '))
        return refused(400, QStringLiteral("the request line '%1' is not 'METHOD TARGET HTTP/1.1'").arg(excerpt(requestLine)));
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    http10 = version == "HTTP/1.0";
    if (!http10 && version != "HTTP/1.1") {
        if (version.size() == 8 && version.startsWith("HTTP/") && version[6] == '.')
            return refused(505,
                           QStringLiteral("HTTP version %1 is not supported (1.0 and 1.1 are)").arg(excerpt(version.sliced(5))));
        return refused(400, QStringLiteral("the request line '%1' is not 'METHOD TARGET HTTP/1.1'").arg(excerpt(requestLine)));
    }
    return std::nullopt;
}

// What the header fields say about the body's framing, gathered over the fields.
struct Framing
{
    bool hasLength = false;
    int lengthValues = 0;
    QList<QByteArray> codings; // Transfer-Encoding, in order
};

// RFC 9112 6.3: a Content-Length field; a list of identical values may stand for one, different
// values are an error.
std::optional<RequestHead> readContentLength(QByteArrayView value, Framing &framing, RequestHead &result)
{
    for (const QByteArray &element : listElements(value)) {
        const bool digits = element.size() <= 18
            && std::all_of(element.begin(), element.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits)
            return refused(400, QStringLiteral("Content-Length '%1' is not a number of bytes").arg(excerpt(element)));
        const qint64 length = element.toLongLong();
        if (framing.hasLength && length != result.contentLength)
            return refused(
                400, QStringLiteral("two different Content-Length values (%1 and %2)").arg(result.contentLength).arg(length));
        framing.hasLength = true;
        ++framing.lengthValues;
        result.contentLength = length;
    }
    if (value.isEmpty())
        return refused(400, QStringLiteral("Content-Length is empty"));
    return std::nullopt;
}

// One header field line (line `lineNumber` of the head): checked, then read into `result` and
// `framing`; the fields other than the framing ones are forwarded.
std::optional<RequestHead> readField(QByteArrayView line, int lineNumber, const HeadLimits &limits, Framing &framing,
                                     RequestHead &result)
{
    if (line.size() > limits.maxFieldBytes)
        return refused(431, QStringLiteral("header line %1 is longer than %2 bytes").arg(lineNumber).arg(limits.maxFieldBytes));
    if (line.front() == ' ' || line.front() == '\t')
        return refused(400,
                       QStringLiteral("header line %1 is folded onto the previous one (obsolete, RFC 9112 5.2)").arg(lineNumber));
    const qsizetype colon = line.indexOf(':');
    if (colon < 0)
        return refused(400, QStringLiteral("header line %1 ('%2') has no colon").arg(lineNumber).arg(excerpt(line)));
    const QByteArrayView name = line.first(colon);
    if (!isToken(name))
        return refused(
            400,
            QStringLiteral("header line %1 ('%2') has no valid field name before its colon").arg(lineNumber).arg(excerpt(line)));
    const QByteArrayView value = line.sliced(colon + 1).trimmed();
    if (name.compare("content-length", Qt::CaseInsensitive) == 0)
        return readContentLength(value, framing, result);
    if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
        framing.codings += listElements(value);
        return std::nullopt;
    }
    if (name.compare("connection", Qt::CaseInsensitive) == 0) {
        for (const QByteArray &option : listElements(value))
            result.closeAfter = result.closeAfter || option == "close";
    } else if (name.compare("authorization", Qt::CaseInsensitive) == 0) {
        result.authorization = value.toByteArray();
    }
    result.forwarded += line.toByteArray() + "\r\n";
    return std::nullopt;
}

// RFC 9112 6.1: Transfer-Encoding with Content-Length, or on HTTP/1.0, is how requests are
// smuggled past a proxy that reads the framing differently: refuse it and close. Only chunked is
// supported.
std::optional<RequestHead> checkFraming(const Framing &framing, bool http10, RequestHead &result)
{
    result.verbatim = framing.codings.isEmpty() && framing.lengthValues <= 1;
    if (framing.codings.isEmpty())
        return std::nullopt;
    if (framing.hasLength)
        return refused(400, QStringLiteral("the request has both Content-Length and Transfer-Encoding"));
    if (http10)
        return refused(400, QStringLiteral("Transfer-Encoding is not defined for HTTP/1.0"));
    if (framing.codings != QList<QByteArray>{QByteArrayLiteral("chunked")})
        return refused(501,
                       QStringLiteral("the transfer coding '%1' is not supported (send chunked, or a Content-Length)")
                           .arg(QString::fromLatin1(framing.codings.join(", "))));
    result.chunked = true;
    return std::nullopt;
}

} // namespace

RequestHead readRequestHead(QByteArrayView head, const HeadLimits &limits)
{
    if (head.size() > limits.maxBytes)
        return refused(431, QStringLiteral("the request head is larger than %1 bytes").arg(limits.maxBytes));
    const QList<QByteArrayView> lines = headLines(head);
    if (lines.isEmpty())
        return refused(400, QStringLiteral("the request has no request line"));
    bool http10 = false;
    if (std::optional<RequestHead> refusal = checkRequestLine(lines.first(), http10))
        return *refusal;
    if (lines.size() - 1 > limits.maxFields)
        return refused(431, QStringLiteral("more than %1 header fields").arg(limits.maxFields));

    RequestHead result;
    result.forwarded = lines.first().toByteArray() + "\r\n";
    Framing framing;
    for (qsizetype n = 1; n < lines.size(); ++n) // the request line is line 1
        if (std::optional<RequestHead> refusal = readField(lines[n], int(n) + 1, limits, framing, result))
            return *refusal;
    if (std::optional<RequestHead> refusal = checkFraming(framing, http10, result))
        return *refusal;
    // An HTTP/1.0 connection persists only when the answer says "Connection: keep-alive" (RFC 9112
    // 9.3, appendix C.2.2), which QHttpServer's answers never say: so it closes, keep-alive or not.
    result.closeAfter = result.closeAfter || http10;
    return result;
}

void ChunkedBody::refuse(int status, const QString &reason)
{
    mStatus = status;
    mReason = reason;
    mBody = QByteArray();
}

qsizetype ChunkedBody::feed(QByteArrayView data)
{
    qsizetype at = 0;
    while (at < data.size() && mStatus == 0 && mState != State::Done) {
        switch (mState) {
        case State::SizeLine:
        case State::Trailer: {
            const qsizetype newline = data.indexOf('\n', at);
            const qsizetype end = newline < 0 ? data.size() : newline;
            const qsizetype segment = end - at;
            mLine += data.sliced(at, segment);
            at = newline < 0 ? data.size() : newline + 1;
            if (mState == State::SizeLine && mLine.size() > kChunkLineBytes) {
                refuse(400, QStringLiteral("a chunk-size line is longer than %1 bytes").arg(kChunkLineBytes));
                return at;
            }
            if (mState == State::Trailer && (mTrailerBytes += segment) > kTrailerBytes) {
                refuse(400, QStringLiteral("the chunked body's trailer is longer than %1 bytes").arg(kTrailerBytes));
                return at;
            }
            if (newline < 0)
                break;
            if (mLine.endsWith('\r'))
                mLine.chop(1);
            if (mState == State::Trailer) {
                if (mLine.isEmpty())
                    mState = State::Done;
                mLine.clear();
                break;
            }
            // chunk-size [; extensions]: hexadecimal, at most 15 digits (under 2^60).
            const qsizetype semicolon = mLine.indexOf(';');
            const QByteArray size = (semicolon < 0 ? mLine : mLine.first(semicolon)).trimmed();
            bool ok = size.size() <= 15 && !size.isEmpty()
                && std::all_of(size.begin(), size.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
            const qint64 length = ok ? size.toLongLong(&ok, 16) : 0;
            if (!ok) {
                refuse(400, QStringLiteral("the chunk size '%1' is not a hexadecimal number").arg(excerpt(mLine)));
                return at;
            }
            mLine.clear();
            if (length > mMaxBytes - mBody.size()) {
                refuse(413, QStringLiteral("the request body is larger than %1 bytes").arg(mMaxBytes));
                return at;
            }
            mLeft = length;
            mState = length == 0 ? State::Trailer : State::Data;
            break;
        }
        case State::Data: {
            const qsizetype take = qsizetype(std::min<qint64>(mLeft, data.size() - at));
            mBody += data.sliced(at, take);
            at += take;
            mLeft -= take;
            if (mLeft == 0)
                mState = State::DataCr;
            break;
        }
        case State::DataCr:
        case State::DataLf: {
            const char c = data[at++];
            if (c == '\n')
                mState = State::SizeLine;
            else if (c == '\r' && mState == State::DataCr)
                mState = State::DataLf;
            else {
                refuse(400, QStringLiteral("chunk data is not followed by CRLF"));
                return at;
            }
            break;
        }
        case State::Done:
            break;
        }
    }
    return at;
}

} // namespace plumb
