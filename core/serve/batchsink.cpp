#include "serve/batchsink.h"

#include "data/typeinference.h"
#include "data/valueparser.h"

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

bool writeAll(QIODevice &device, const std::string &bytes)
{
    qint64 done = 0;
    while (done < qint64(bytes.size())) {
        const qint64 n = device.write(bytes.data() + done, qint64(bytes.size()) - done);
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

std::optional<Error> outputError(const QIODevice &output)
{
    return Error::io(QStringLiteral("cannot write the output: %1").arg(output.errorString()));
}

std::optional<Error> rejectsError(const QIODevice &rejects)
{
    return Error::io(QStringLiteral("cannot write the rejects: %1").arg(rejects.errorString()));
}

// A category column as the type CsvReader would give its values: the same column when that is
// categorical, else numbers read from each distinct value once.
Column typedAsRead(Column column, const ValueSyntax &syntax)
{
    TypeGuesser guesser(syntax);
    std::vector<QByteArray> texts;
    for (const QString &category : column.categories()) {
        texts.push_back(category.toUtf8());
        guesser.observe(std::string_view(texts.back().constData(), std::size_t(texts.back().size())));
    }
    const ColumnType type = guesser.type();
    if (type == ColumnType::Categorical)
        return column;
    std::vector<double> values;
    for (const QByteArray &text : texts) {
        const std::string_view field(text.constData(), std::size_t(text.size()));
        std::optional<double> value;
        if (type == ColumnType::Boolean) {
            if (const auto flag = parseBoolean(field))
                value = *flag ? 1.0 : 0.0;
        } else {
            value = type == ColumnType::Datetime ? parseDatetime(field) : syntax.parseNumber(field);
        }
        values.push_back(syntax.isMissing(field) || !value ? std::nan("") : *value);
    }
    Column typed(column.name(), type);
    typed.numbers().reserve(column.codes().size());
    for (const std::int32_t code : column.codes())
        typed.numbers().push_back(code < 0 ? std::nan("") : values[std::size_t(code)]);
    return typed;
}

} // namespace

BatchSink::~BatchSink() = default;

DeviceSink::DeviceSink(QIODevice &output, QIODevice *rejects, bool rejectsHeader)
    : mOutput(output), mRejects(rejects), mRejectsHeader(rejectsHeader)
{
}

std::optional<Error> DeviceSink::begin(const ChunkScorer &scorer)
{
    if (!writeAll(mOutput, scorer.header()))
        return outputError(mOutput);
    if (mRejects && mRejectsHeader && !writeAll(*mRejects, "line,reason\n"))
        return rejectsError(*mRejects);
    return std::nullopt;
}

std::optional<Error> DeviceSink::write(ScoredChunk &chunk)
{
    if (!writeAll(mOutput, chunk.output))
        return outputError(mOutput);
    if (mRejects && !writeAll(*mRejects, chunk.rejects))
        return rejectsError(*mRejects);
    return std::nullopt;
}

std::optional<Error> TableSink::begin(const ChunkScorer &scorer)
{
    mTable = scorer.emptyTable();
    mSyntax = scorer.syntax();
    mRefused.clear();
    return std::nullopt;
}

std::optional<Error> TableSink::write(ScoredChunk &chunk)
{
    const std::size_t room = mMaxRefused - std::min(mMaxRefused, mRefused.size());
    const auto keep = std::ptrdiff_t(std::min(room, chunk.refused.size()));
    mRefused.insert(mRefused.end(), std::make_move_iterator(chunk.refused.begin()),
                    std::make_move_iterator(chunk.refused.begin() + keep));
    if (chunk.table.rowCount() == 0)
        return std::nullopt;
    return mTable.appendRows(chunk.table);
}

std::optional<Error> TableSink::finish()
{
    for (Column &column : mTable.columns())
        if (column.type() == ColumnType::Categorical)
            column = typedAsRead(std::move(column), mSyntax);
    return std::nullopt;
}

} // namespace plumb
