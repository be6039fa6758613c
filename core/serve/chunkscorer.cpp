#include "serve/chunkscorer.h"

#include "data/csvwriter.h"
#include "data/valueparser.h"
#include "learn/shapexplainer.h"
#include "serve/featurebatch.h"
#include "serve/jsonrow.h"
#include "serve/predictionjson.h"

#include <QHash>

#include <charconv>
#include <cmath>
#include <cstring>

namespace plumb {

namespace {

// A text column of the input that feeds no feature, built row by row for a table: categories in
// order of first appearance, missing-value tokens missing.
class TextColumn
{
public:
    explicit TextColumn(const QString &name) : mColumn(name, ColumnType::Categorical) { }
    void append(std::string_view field, const ValueSyntax &syntax)
    {
        if (syntax.isMissing(field)) {
            mColumn.codes().push_back(kMissingCode);
            return;
        }
        const QString text = decodeUtf8(field);
        auto found = mCodes.constFind(text);
        if (found == mCodes.constEnd()) {
            found = mCodes.insert(text, std::int32_t(mColumn.categories().size()));
            mColumn.categories().append(text);
        }
        mColumn.codes().push_back(*found);
    }
    Column take() { return std::move(mColumn); }

private:
    Column mColumn;
    QHash<QString, std::int32_t> mCodes;
};

} // namespace

struct ChunkScorer::Echoes
{
    std::vector<TextColumn> texts; // table output: the input columns that feed no feature, in order

    // Each accepted row's echoed text: a view of the input record itself (CSV to CSV), or of text
    // built in `bytes` (other formats; views are made once `bytes` is complete, from `ends`).
    std::vector<std::string_view> rows;
    std::string bytes;
    std::vector<std::size_t> ends;
    std::vector<std::uint8_t> emptyObject; // JSON output: the echoed object has no key yet

    void viewBuiltRows()
    {
        std::size_t start = 0;
        for (std::size_t end : ends) {
            rows.emplace_back(bytes.data() + start, end - start);
            start = end;
        }
    }
};

namespace {

// Shortest text that reads back as the same double (std::to_chars without a precision).
void appendNumber(double value, std::string &out)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

std::string_view trimLineEnd(std::string_view record)
{
    while (!record.empty() && (record.back() == '\n' || record.back() == '\r'))
        record.remove_suffix(1);
    return record;
}

bool isBlank(std::string_view line)
{
    for (char c : line)
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    return true;
}

} // namespace

ChunkScorer::ChunkScorer(const Pipeline &pipeline, const RowValidator &validator, ChunkLayout layout)
    : mPipeline(pipeline), mValidator(validator), mLayout(std::move(layout))
{
    const CsvWriter writer(mLayout.delimiter);
    for (const QString &label : pipeline.target().classes) {
        const std::string utf8 = label.toStdString();
        mCsvLabels.emplace_back();
        writer.appendField(utf8, mCsvLabels.back());
        mJsonLabels.emplace_back();
        appendJsonString(utf8, mJsonLabels.back());
    }
    for (const QString &column : mLayout.columns) {
        mJsonKeys.emplace_back();
        appendJsonString(column.toStdString(), mJsonKeys.back());
        mJsonKeys.back().push_back(':');
        mColumnNames.push_back(column.toStdString());
    }
    mFeatureAt.assign(std::size_t(mLayout.columns.size()), -1);
    for (std::size_t f = 0; f < mLayout.featureColumns.size(); ++f)
        mFeatureAt[mLayout.featureColumns[f]] = int(f);
    if (mLayout.explainer)
        for (const QString &column : mLayout.explainer->columnNames()) {
            mShapKeys.emplace_back();
            appendJsonString(column.toStdString(), mShapKeys.back());
            mShapKeys.back().push_back(':');
        }
}

std::string ChunkScorer::header() const
{
    if (mLayout.output != RowFormat::Csv)
        return {};
    QStringList names = mLayout.columns;
    if (mLayout.explainer) {
        names.append(mLayout.explainer->columnNames());
    } else {
        names.append(QStringLiteral("prediction"));
        for (const QString &label : mPipeline.target().classes)
            names.append(QStringLiteral("proba:") + label);
    }
    QByteArray line;
    CsvWriter(mLayout.delimiter).appendRow(names, line);
    return line.toStdString();
}

void ChunkScorer::reject(std::int64_t line, const QString &reason, ScoredChunk &result) const
{
    ++result.rejected;
    if (mLayout.table) {
        result.refused.push_back({line, reason});
        return;
    }
    appendNumber(double(line), result.rejects);
    result.rejects.push_back(',');
    CsvWriter().appendField(std::string_view(reason.toStdString()), result.rejects);
    result.rejects.push_back('\n');
}

ScoredChunk ChunkScorer::score(InputChunk &chunk) const
{
    ScoredChunk result;
    FeatureBatch batch(mValidator.features());
    batch.reserve(countLineEnds(chunk.bytes.data(), chunk.bytes.size()) + 1);
    Echoes echoes;
    if (mLayout.table)
        for (std::size_t c = 0; c < mFeatureAt.size(); ++c)
            if (mFeatureAt[c] < 0)
                echoes.texts.emplace_back(mLayout.columns[qsizetype(c)]);
    std::string original; // CSV: the chunk before the tokenizer unescaped quoted fields in place
    if (mLayout.input == RowFormat::Csv)
        readCsv(chunk, original, batch, echoes, result);
    else
        readJsonLines(chunk, batch, echoes, result);
    if (batch.rowCount() == 0)
        return result;
    if (echoes.rows.empty())
        echoes.viewBuiltRows();
    const Dataset data = batch.takeDataset();
    if (mLayout.explainer) {
        appendExplanations(data, echoes, result);
        return result;
    }
    Result<Prediction> prediction = mPipeline.predict(data);
    if (!prediction) {
        result.error = prediction.error();
        return result;
    }
    result.unknownCategories = prediction.value().notes.unknownCategories;
    result.scored = data.rowCount();
    if (mLayout.table) {
        result.table = tableOf(data, echoes, &prediction.value());
        return result;
    }
    result.output.reserve(chunk.bytes.size() + echoes.bytes.size() + result.scored * (24 + 24 * mCsvLabels.size()));
    for (std::size_t row = 0; row < result.scored; ++row) {
        result.output.append(echoes.rows[row]);
        if (mLayout.output == RowFormat::Csv && mLayout.input == RowFormat::Csv)
            result.output.push_back(mLayout.delimiter);
        if (mLayout.output == RowFormat::JsonLines && !echoes.emptyObject[row])
            result.output.push_back(',');
        appendPrediction(prediction.value(), Eigen::Index(row), result.output);
    }
    return result;
}

Dataset ChunkScorer::emptyTable() const
{
    Echoes echoes;
    for (std::size_t c = 0; c < mFeatureAt.size(); ++c)
        if (mFeatureAt[c] < 0)
            echoes.texts.emplace_back(mLayout.columns[qsizetype(c)]);
    return tableOf(FeatureBatch(mValidator.features()).takeDataset(), echoes, nullptr);
}

// The accepted rows as a table (emptyTable's columns): the features as FeatureBatch typed them,
// the other input columns as read, then the prediction (none: no row).
Dataset ChunkScorer::tableOf(const Dataset &features, Echoes &echoes, const Prediction *prediction) const
{
    Dataset table;
    std::size_t text = 0;
    for (std::size_t c = 0; c < mFeatureAt.size(); ++c) {
        if (mFeatureAt[c] < 0) {
            table.addColumn(echoes.texts[text++].take());
            continue;
        }
        Column column = features.column(std::size_t(mFeatureAt[c]));
        column.setName(mLayout.columns[qsizetype(c)]);
        table.addColumn(std::move(column));
    }
    const QStringList &classes = mPipeline.target().classes;
    Column predicted(QStringLiteral("prediction"), classes.isEmpty() ? ColumnType::Float : ColumnType::Categorical);
    if (prediction && classes.isEmpty())
        predicted.numbers().assign(prediction->values.begin(), prediction->values.end());
    if (!classes.isEmpty()) {
        predicted.categories() = classes;
        if (prediction)
            for (const double value : prediction->values)
                predicted.codes().push_back(std::int32_t(value));
    }
    table.addColumn(std::move(predicted));
    for (qsizetype k = 0; k < classes.size(); ++k) {
        Column probability(QStringLiteral("proba:") + classes[k], ColumnType::Float);
        if (prediction)
            probability.numbers().assign(prediction->probabilities.col(k).begin(), prediction->probabilities.col(k).end());
        table.addColumn(std::move(probability));
    }
    return table;
}

void ChunkScorer::appendPrediction(const Prediction &prediction, Eigen::Index row, std::string &out) const
{
    const bool classifies = !mCsvLabels.empty();
    if (mLayout.output == RowFormat::Csv) {
        if (classifies)
            out.append(mCsvLabels[std::size_t(prediction.values[row])]);
        else
            appendNumber(prediction.values[row], out);
        for (Eigen::Index c = 0; c < prediction.probabilities.cols(); ++c) {
            out.push_back(mLayout.delimiter);
            appendNumber(prediction.probabilities(row, c), out);
        }
        out.push_back('\n');
        return;
    }
    out.append("\"prediction\":");
    if (classifies)
        out.append(mJsonLabels[std::size_t(prediction.values[row])]);
    else
        appendJsonNumber(prediction.values[row], out);
    for (Eigen::Index c = 0; c < prediction.probabilities.cols(); ++c) {
        out.append(",\"proba:");
        out.append(mJsonLabels[std::size_t(c)], 1, std::string::npos); // the label's text and closing quote
        out.push_back(':');
        appendJsonNumber(prediction.probabilities(row, c), out);
    }
    out.append("}\n");
}

// Each row's SHAP values (ShapExplainer::columnNames order) after its echo, in place of the prediction.
void ChunkScorer::appendExplanations(const Dataset &data, const Echoes &echoes, ScoredChunk &result) const
{
    TransformNotes notes;
    const Eigen::MatrixXd X = mPipeline.router().transform(data, {}, notes);
    result.unknownCategories = notes.unknownCategories;
    result.scored = data.rowCount();
    const ShapExplainer &explainer = *mLayout.explainer;
    std::vector<double> values(explainer.columnNames().size());
    Eigen::VectorXd row(X.cols());
    for (std::size_t r = 0; r < result.scored; ++r) {
        row = X.row(Eigen::Index(r)).transpose();
        explainer.explainColumns(row.data(), values.data());
        result.output.append(echoes.rows[r]);
        const bool csv = mLayout.output == RowFormat::Csv;
        if (csv && mLayout.input == RowFormat::Csv)
            result.output.push_back(mLayout.delimiter);
        if (!csv && !echoes.emptyObject[r])
            result.output.push_back(',');
        for (std::size_t c = 0; c < values.size(); ++c) {
            if (c > 0)
                result.output.push_back(csv ? mLayout.delimiter : ',');
            if (csv) {
                appendNumber(values[c], result.output);
            } else {
                result.output.append(mShapKeys[c]);
                appendJsonNumber(values[c], result.output);
            }
        }
        result.output.append(csv ? "\n" : "}\n");
    }
}

// CSV records: the tokenizer unescapes quoted fields in place, so the echo comes from an untouched
// copy when the chunk holds a quote at all (rare in bulk numeric data, so usually no copy is made).
void ChunkScorer::readCsv(InputChunk &chunk, std::string &original, FeatureBatch &batch, Echoes &echoes,
                          ScoredChunk &result) const
{
    char *begin = chunk.bytes.data();
    char *end = begin + chunk.bytes.size();
    const bool quoted = std::memchr(begin, '"', chunk.bytes.size()) != nullptr;
    if (quoted)
        original = chunk.bytes;
    const char *echoSource = quoted ? original.data() : begin;
    CsvTokenizer tokenizer(begin, end, mLayout.delimiter);
    std::vector<std::string_view> fields;
    std::vector<FeatureValue> values(mValidator.featureCount());
    const std::size_t expected = std::size_t(mLayout.columns.size());
    while (tokenizer.nextRecord(fields)) {
        const std::int64_t line = chunk.firstLine + tokenizer.recordLine() + 1;
        if (fields.size() != expected) {
            reject(line, QStringLiteral("%1 fields, but the header has %2").arg(fields.size()).arg(expected), result);
            continue;
        }
        std::optional<QString> reason;
        for (std::size_t f = 0; f < values.size() && !reason; ++f)
            reason = mValidator.readField(f, fields[mLayout.featureColumns[f]], values[f]);
        if (reason) {
            reject(line, *reason, result);
            continue;
        }
        batch.append(values);
        if (mLayout.table) {
            for (std::size_t c = 0, text = 0; c < fields.size(); ++c)
                if (mFeatureAt[c] < 0)
                    echoes.texts[text++].append(fields[c], mValidator.syntax());
            continue;
        }
        if (mLayout.output == RowFormat::Csv) {
            const std::string_view record(echoSource + tokenizer.recordOffset(), tokenizer.position() - tokenizer.recordOffset());
            echoes.rows.push_back(trimLineEnd(record));
            continue;
        }
        echoCsvAsJson(fields, echoes.bytes);
        echoes.emptyObject.push_back(fields.empty());
        echoes.ends.push_back(echoes.bytes.size());
    }
    if (tokenizer.hasUnterminatedQuote())
        reject(chunk.firstLine + tokenizer.unterminatedLine() + 1, QStringLiteral("a quoted field opened here is never closed"),
               result);
}

// A CSV record as a JSON object (without its closing brace): numbers stay numbers, missing-value
// tokens become null, everything else a string.
void ChunkScorer::echoCsvAsJson(const std::vector<std::string_view> &fields, std::string &out) const
{
    out.push_back('{');
    for (std::size_t c = 0; c < fields.size(); ++c) {
        out.append(mJsonKeys[c]);
        if (const auto number = mValidator.syntax().parseNumber(fields[c]); number && std::isfinite(*number))
            appendNumber(*number, out);
        else if (mValidator.syntax().isMissing(fields[c]))
            out.append("null");
        else
            appendJsonString(fields[c], out);
        out.push_back(',');
    }
    if (!fields.empty())
        out.pop_back();
}

// A JSON row as CSV fields in the layout's columns: numbers, true/false and nested values as
// written, strings unescaped, absent keys and null empty.
void ChunkScorer::echoJsonAsCsv(const JsonRow &row, std::string &out) const
{
    const CsvWriter writer(mLayout.delimiter);
    for (const std::string &name : mColumnNames) {
        if (const JsonField *field = row.find(name)) {
            if (field->kind == JsonField::Kind::String)
                writer.appendField(field->text, out);
            else if (field->kind != JsonField::Kind::Null)
                writer.appendField(field->raw, out);
        }
        out.push_back(mLayout.delimiter);
    }
}

void ChunkScorer::readJsonLines(const InputChunk &chunk, FeatureBatch &batch, Echoes &echoes, ScoredChunk &result) const
{
    JsonRow row;
    std::vector<FeatureValue> values;
    std::string_view rest(chunk.bytes);
    for (std::int64_t line = chunk.firstLine + 1; !rest.empty(); ++line) {
        const std::size_t lineEnd = rest.find('\n');
        const std::string_view text = trimLineEnd(rest.substr(0, lineEnd));
        rest.remove_prefix(lineEnd == std::string_view::npos ? rest.size() : lineEnd + 1);
        if (isBlank(text))
            continue;
        std::optional<QString> reason = readJsonRow(text, row);
        bool byPosition = false;
        if (!reason)
            reason = mValidator.readJsonRow(row, values, &byPosition);
        if (reason) {
            reject(line, *reason, result);
            continue;
        }
        result.positionalRows += byPosition ? 1 : 0;
        batch.append(values);
        if (mLayout.output == RowFormat::JsonLines) {
            std::string_view object = text;
            while (!object.empty() && object.back() != '}')
                object.remove_suffix(1);
            object.remove_suffix(1); // the closing brace; the prediction keys follow
            echoes.bytes.append(object);
            echoes.emptyObject.push_back(row.fields.empty());
        } else {
            echoJsonAsCsv(row, echoes.bytes);
        }
        echoes.ends.push_back(echoes.bytes.size());
    }
}

} // namespace plumb
