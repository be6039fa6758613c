#include "artifact/strictjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

#include <vector>

namespace plumb {

namespace {

// Walks the text once, tracking objects and their keys. Only structure is checked here; the
// values themselves are validated by QJsonDocument afterwards.
class DuplicateKeyScanner
{
public:
    DuplicateKeyScanner(const QByteArray &text, int maxDepth) : mText(text), mMaxDepth(maxDepth) { }

    std::optional<QString> scan()
    {
        // Each open container: is it an object, its keys, and whether the next string is a key.
        struct Frame
        {
            bool object;
            QSet<QByteArray> keys;
            bool expectKey;
        };
        std::vector<Frame> stack;
        for (qsizetype i = 0; i < mText.size(); ++i) {
            const char c = mText[i];
            if (c == '{' || c == '[') {
                if (int(stack.size()) >= mMaxDepth)
                    return QStringLiteral("nesting deeper than %1 levels").arg(mMaxDepth);
                stack.push_back({c == '{', {}, c == '{'});
            } else if (c == '}' || c == ']') {
                if (!stack.empty())
                    stack.pop_back();
            } else if (c == ',') {
                if (!stack.empty() && stack.back().object)
                    stack.back().expectKey = true;
            } else if (c == '"') {
                const qsizetype start = i + 1;
                for (++i; i < mText.size() && mText[i] != '"'; ++i)
                    if (mText[i] == '\\')
                        ++i;
                if (!stack.empty() && stack.back().object && stack.back().expectKey) {
                    QByteArray key = mText.mid(start, i - start);
                    if (key.contains('\\')) // compare escaped keys by what they mean
                        key = QJsonDocument::fromJson("[\"" + key + "\"]").array().first().toString().toUtf8();
                    if (stack.back().keys.contains(key))
                        return QStringLiteral("the key \"%1\" appears twice in one object").arg(QString::fromUtf8(key));
                    stack.back().keys.insert(key);
                    stack.back().expectKey = false;
                }
            }
        }
        return std::nullopt;
    }

private:
    const QByteArray &mText;
    int mMaxDepth;
};

} // namespace

Result<QJsonObject> parseStrictJsonObject(const QByteArray &text, const QString &what, int maxDepth)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(
            QStringLiteral("%1: invalid JSON at byte %2: %3").arg(what).arg(parseError.offset).arg(parseError.errorString()));
    if (!document.isObject())
        return Error::invalid(QStringLiteral("%1: expected a JSON object").arg(what));
    if (const auto problem = DuplicateKeyScanner(text, maxDepth).scan())
        return Error::invalid(QStringLiteral("%1: %2").arg(what, *problem));
    return document.object();
}

} // namespace plumb
