#include "learn/rowscorer.h"

#include "learn/featurevalue.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace plumb {

namespace {

// The category a present value names, written as ColumnRouter reads it from a column
// (Column::displayText): text as given, booleans as true/false, numbers in their shortest form.
QString categoryText(const RowValue &value, const FeatureValue &read, ColumnType type)
{
    if (value.kind == RowValue::Kind::Text && type == ColumnType::Categorical)
        return value.text;
    if (type == ColumnType::Boolean)
        return read.number != 0 ? QStringLiteral("true") : QStringLiteral("false");
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, read.number);
    return QString::fromLatin1(buffer, qsizetype(result.ptr - buffer));
}

// `value` as `feature` takes it; text is read by readFeatureText, as batch scoring reads a field.
// Fails naming the feature.
std::optional<Error> readValue(const RowValue &value, const FeatureSpec &feature, FeatureValue &out)
{
    const bool numeric = feature.type == ColumnType::Float || feature.type == ColumnType::Integer;
    switch (value.kind) {
    case RowValue::Kind::Missing:
        out = {std::numeric_limits<double>::quiet_NaN(), {}, true};
        return std::nullopt;
    case RowValue::Kind::Number:
        if (numeric && std::isinf(value.number))
            break;
        out = {value.number, {}, std::isnan(value.number)};
        return std::nullopt;
    case RowValue::Kind::Text: {
        const QByteArray utf8 = value.text.toUtf8();
        switch (readFeatureText(feature.type, std::string_view(utf8.constData(), std::size_t(utf8.size())), {}, out)) {
        case FeatureReading::Value:
        case FeatureReading::Missing:
            out.text = {}; // points into utf8; categoryText reads value.text instead
            return std::nullopt;
        case FeatureReading::Infinite:
            break;
        case FeatureReading::NotAValue:
        case FeatureReading::InvalidUtf8:
            return Error::invalid(
                QStringLiteral("feature '%1': '%2' is not %3").arg(feature.name, value.text, featureValueKind(feature.type)));
        }
        break;
    }
    }
    return Error::invalid(QStringLiteral("feature '%1': infinite values are not allowed").arg(feature.name));
}

} // namespace

RowScorer::RowScorer(const Pipeline &pipeline) : mPipeline(pipeline)
{
    QHash<QString, std::size_t> featureIndex;
    for (std::size_t f = 0; f < pipeline.features().size(); ++f)
        featureIndex.insert(pipeline.features()[f].name, f);
    for (const RouterBranch &branch : pipeline.router().branches()) {
        std::vector<Source> sources;
        for (qsizetype c = 0; c < branch.columns.size(); ++c) {
            Source source{featureIndex.value(branch.columns[c]), {}};
            if (branch.categorical) {
                const QStringList &vocabulary = branch.vocabularies[std::size_t(c)];
                source.vocabulary = QSet<QString>(vocabulary.begin(), vocabulary.end());
            }
            sources.push_back(std::move(source));
        }
        mSources.push_back(std::move(sources));
    }
    mRows.resize(mSources.size());
    mInputs.resize(pipeline.router().outputNames().size());
}

std::optional<Error> RowScorer::readBranch(const std::vector<RowValue> &values, std::size_t branch) const
{
    const bool categorical = mPipeline.router().branches()[branch].categorical;
    const std::vector<Source> &sources = mSources[branch];
    RowBlock &row = mRows[branch];
    row.categorical = categorical;
    row.numbers.resize(categorical ? 0 : sources.size());
    row.codes.resize(categorical ? sources.size() : 0);
    row.texts.resize(categorical ? sources.size() : 0);
    for (std::size_t c = 0; c < sources.size(); ++c) {
        const FeatureSpec &feature = mPipeline.features()[sources[c].feature];
        const RowValue &value = values[sources[c].feature];
        FeatureValue read;
        if (auto error = readValue(value, feature, read))
            return error;
        if (!categorical) {
            row.numbers[c] = read.isMissing ? std::numeric_limits<double>::quiet_NaN() : read.number;
            continue;
        }
        if (read.isMissing) {
            row.codes[c] = kMissingCode;
            continue;
        }
        row.texts[c] = categoryText(value, read, feature.type);
        row.codes[c] = sources[c].vocabulary.contains(row.texts[c]) ? 0 : kUnknownCode;
    }
    return std::nullopt;
}

std::optional<Error> RowScorer::transformInto(const std::vector<RowValue> &values, TransformNotes &notes) const
{
    const auto &features = mPipeline.features();
    if (values.size() != features.size())
        return Error::invalid(
            QStringLiteral("expected %1 values (one per feature), got %2").arg(features.size()).arg(values.size()));
    // Every value is read before any is transformed, so a refused row leaves `notes` as it was.
    for (std::size_t b = 0; b < mRows.size(); ++b)
        if (auto error = readBranch(values, b))
            return error;
    mPipeline.router().transformRow(mRows, mInputs.data(), notes);
    return std::nullopt;
}

std::optional<Error> RowScorer::score(const std::vector<RowValue> &values, double *out, TransformNotes &notes) const
{
    if (auto error = transformInto(values, notes))
        return error;
    mPipeline.model().predictRow(mInputs.data(), out);
    return std::nullopt;
}

std::optional<Error> RowScorer::transform(const std::vector<RowValue> &values, Eigen::VectorXd &inputs,
                                          TransformNotes &notes) const
{
    if (auto error = transformInto(values, notes))
        return error;
    inputs = mInputs;
    return std::nullopt;
}

} // namespace plumb
