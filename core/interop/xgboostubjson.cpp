#include "interop/xgboostubjson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <cstring>
#include <optional>

namespace plumb {

namespace {

// A cursor over the document. UBJSON numbers are big-endian.
class UbjsonParser
{
public:
    UbjsonParser(const QByteArray &bytes, const QString &name) : mBytes(bytes), mName(name) { }

    Result<QJsonValue> document()
    {
        Result<QJsonValue> value = valueOf(nextMarker(), 0);
        if (value && mError.isEmpty() && mAt != mBytes.size())
            fail(QStringLiteral("%1 bytes follow the end of the document").arg(mBytes.size() - mAt));
        if (!mError.isEmpty())
            return Error::invalid(mError);
        return value;
    }

private:
    qsizetype left() const { return mBytes.size() - mAt; }

    // Records the first fault (with its offset) and returns a null value to unwind with.
    QJsonValue fail(const QString &why)
    {
        if (mError.isEmpty())
            mError = QStringLiteral("%1: byte %2: %3").arg(mName).arg(mAt).arg(why);
        return {};
    }

    // The next marker, skipping no-ops; 0 at the end of the bytes (with the fault recorded).
    char nextMarker()
    {
        while (mAt < mBytes.size() && mBytes[mAt] == 'N')
            ++mAt;
        if (mAt >= mBytes.size()) {
            fail(QStringLiteral("the document ends too early"));
            return 0;
        }
        return mBytes[mAt++];
    }

    static int scalarSize(char marker)
    {
        switch (marker) {
        case 'i':
        case 'U':
        case 'C':
            return 1;
        case 'I':
            return 2;
        case 'l':
        case 'd':
            return 4;
        case 'L':
        case 'D':
            return 8;
        default:
            return 0;
        }
    }

    // A fixed-size scalar of type `marker` (an integer, a float or a char) read from the cursor.
    std::optional<QJsonValue> scalar(char marker)
    {
        const int size = scalarSize(marker);
        if (size == 0)
            --mAt; // name the marker's own offset (only a marker read from the document is unknown)
        if (size == 0 || left() < size) {
            fail(size == 0 ? QStringLiteral("unknown type marker 0x%1").arg(quint8(marker), 2, 16, QLatin1Char('0'))
                           : QStringLiteral("the document ends inside a number"));
            return std::nullopt;
        }
        quint64 bits = 0;
        for (int i = 0; i < size; ++i)
            bits = (bits << 8) | quint8(mBytes[mAt + i]);
        mAt += size;
        switch (marker) {
        case 'i':
            return QJsonValue(qint64(qint8(bits)));
        case 'U':
            return QJsonValue(qint64(quint8(bits)));
        case 'C':
            return QJsonValue(QString(QChar(char16_t(bits))));
        case 'I':
            return QJsonValue(qint64(qint16(bits)));
        case 'l':
            return QJsonValue(qint64(qint32(bits)));
        case 'L':
            return QJsonValue(qint64(bits));
        case 'd': {
            const auto word = quint32(bits);
            float f = 0;
            std::memcpy(&f, &word, sizeof f);
            return QJsonValue(double(f));
        }
        default: {
            double d = 0;
            std::memcpy(&d, &bits, sizeof d);
            return QJsonValue(d);
        }
        }
    }

    // A length or count: an integer of any width, at least 0.
    std::optional<qint64> length()
    {
        const char marker = nextMarker();
        if (marker == 0)
            return std::nullopt;
        if (marker != 'i' && marker != 'U' && marker != 'I' && marker != 'l' && marker != 'L') {
            fail(QStringLiteral("a length must be an integer, not marker '%1'").arg(QLatin1Char(marker)));
            return std::nullopt;
        }
        const std::optional<QJsonValue> value = scalar(marker);
        if (!value)
            return std::nullopt;
        const qint64 n = value->toInteger(-1);
        if (n < 0) {
            fail(QStringLiteral("negative length %1").arg(n));
            return std::nullopt;
        }
        return n;
    }

    std::optional<QString> text()
    {
        const std::optional<qint64> n = length();
        if (!n)
            return std::nullopt;
        if (*n > left()) {
            fail(QStringLiteral("a string of %1 bytes exceeds the %2 bytes left").arg(*n).arg(left()));
            return std::nullopt;
        }
        const QString s = QString::fromUtf8(mBytes.constData() + mAt, qsizetype(*n));
        mAt += qsizetype(*n);
        return s;
    }

    // After '[' or '{': the optional "$type" and "#count". A typed container must be counted,
    // and its elements must take bytes (no typed null or boolean containers: they would let a
    // few bytes claim billions of elements).
    bool containerHeader(char &type, qint64 &count)
    {
        type = 0;
        count = -1;
        if (mAt < mBytes.size() && mBytes[mAt] == '$') {
            ++mAt;
            if (mAt >= mBytes.size()) {
                fail(QStringLiteral("the document ends inside a container header"));
                return false;
            }
            type = mBytes[mAt++];
            if (type != 'S' && type != '[' && type != '{' && scalarSize(type) == 0) {
                fail(QStringLiteral("unsupported element type marker 0x%1").arg(quint8(type), 2, 16, QLatin1Char('0')));
                return false;
            }
            if (mAt >= mBytes.size() || mBytes[mAt] != '#') {
                fail(QStringLiteral("a typed container has no count"));
                return false;
            }
        }
        if (mAt < mBytes.size() && mBytes[mAt] == '#') {
            ++mAt;
            const std::optional<qint64> n = length();
            if (!n)
                return false;
            const qint64 smallest = scalarSize(type) > 0 ? scalarSize(type) : 1;
            if (*n > left() / smallest) {
                fail(QStringLiteral("%1 elements of at least %2 bytes each exceed the %3 bytes left")
                         .arg(*n)
                         .arg(smallest)
                         .arg(left()));
                return false;
            }
            count = *n;
        }
        return true;
    }

    // In a container without a count: skips no-ops, then consumes `close` if it comes next.
    bool closes(char close)
    {
        while (mAt < mBytes.size() && mBytes[mAt] == 'N')
            ++mAt;
        if (mAt < mBytes.size() && mBytes[mAt] == close) {
            ++mAt;
            return true;
        }
        return false;
    }

    QJsonValue element(char type, int depth)
    {
        if (type == 0)
            return valueOf(nextMarker(), depth);
        if (type == 'S' || type == '[' || type == '{')
            return valueOf(type, depth);
        const std::optional<QJsonValue> value = scalar(type);
        return value ? *value : QJsonValue();
    }

    QJsonValue array(int depth)
    {
        char type = 0;
        qint64 count = -1;
        if (!containerHeader(type, count))
            return {};
        QJsonArray array;
        for (qint64 i = 0; count < 0 || i < count; ++i) {
            if (count < 0 && closes(']'))
                break;
            const QJsonValue value = element(type, depth + 1);
            if (!mError.isEmpty())
                return {};
            array.append(value);
        }
        return array;
    }

    QJsonValue object(int depth)
    {
        char type = 0;
        qint64 count = -1;
        if (!containerHeader(type, count))
            return {};
        QJsonObject object;
        for (qint64 i = 0; count < 0 || i < count; ++i) {
            if (count < 0 && closes('}'))
                break;
            const qsizetype keyAt = mAt;
            const std::optional<QString> key = text();
            if (!key)
                return {};
            if (object.contains(*key)) {
                mAt = keyAt;
                return fail(QStringLiteral("the key '%1' appears twice in one object").arg(*key));
            }
            const QJsonValue value = element(type, depth + 1);
            if (!mError.isEmpty())
                return {};
            object.insert(*key, value);
        }
        return object;
    }

    QJsonValue valueOf(char marker, int depth)
    {
        if (!mError.isEmpty())
            return {};
        if (depth >= kMaxUbjsonDepth)
            return fail(QStringLiteral("nesting deeper than %1 levels").arg(kMaxUbjsonDepth));
        switch (marker) {
        case 'Z':
            return QJsonValue(QJsonValue::Null);
        case 'T':
            return true;
        case 'F':
            return false;
        case 'S': {
            const std::optional<QString> s = text();
            return s ? QJsonValue(*s) : QJsonValue();
        }
        case '[':
            return array(depth);
        case '{':
            return object(depth);
        case 'H':
            return fail(QStringLiteral("high-precision numbers are not supported"));
        default: {
            const std::optional<QJsonValue> value = scalar(marker);
            return value ? *value : QJsonValue();
        }
        }
    }

    const QByteArray &mBytes;
    const QString &mName;
    qsizetype mAt = 0;
    QString mError;
};

} // namespace

Result<QJsonValue> readUbjson(const QByteArray &bytes, const QString &name)
{
    return UbjsonParser(bytes, name).document();
}

} // namespace plumb
