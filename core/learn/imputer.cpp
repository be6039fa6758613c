#include "learn/imputer.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

const QString kStrategy = QStringLiteral("strategy");
const QString kFillValue = QStringLiteral("fill_value");
const QString kFillText = QStringLiteral("fill_text");

std::vector<double> presentSorted(const Eigen::MatrixXd &numbers, Eigen::Index column)
{
    std::vector<double> values;
    values.reserve(std::size_t(numbers.rows()));
    for (Eigen::Index row = 0; row < numbers.rows(); ++row)
        if (!std::isnan(numbers(row, column)))
            values.push_back(numbers(row, column));
    std::sort(values.begin(), values.end());
    return values;
}

double mostFrequentOfSorted(const std::vector<double> &sorted)
{
    double best = sorted.front();
    std::size_t bestCount = 0;
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i])
            ++j;
        if (j - i > bestCount) { // strictly more: ties keep the smaller value
            bestCount = j - i;
            best = sorted[i];
        }
        i = j;
    }
    return best;
}

} // namespace

SimpleImputer::SimpleImputer()
    : Transformer(ParamValues({
        choiceParam(
            kStrategy, QStringLiteral("mean"),
            {QStringLiteral("mean"), QStringLiteral("median"), QStringLiteral("most_frequent"), QStringLiteral("constant")},
            QStringLiteral("What replaces a missing value (text columns: most_frequent or constant).")),
        realParam(kFillValue, 0.0, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                  QStringLiteral("The number used by the constant strategy.")),
        textParam(kFillText, QStringLiteral("missing"), QStringLiteral("The category used by the constant strategy.")),
    }))
{
}

Result<Block> SimpleImputer::fitTransform(const Block &block)
{
    mFitted = false;
    mCategorical = block.isCategorical();
    if (auto error = mCategorical ? fitCategorical(block) : fitNumeric(block))
        return *error;
    mFitted = true;
    TransformNotes notes;
    return transform(block, notes);
}

std::optional<Error> SimpleImputer::fitNumeric(const Block &block)
{
    const QString strategy = mParams.choice(kStrategy);
    mNumericFills.resize(block.numbers.cols());
    for (Eigen::Index c = 0; c < block.numbers.cols(); ++c) {
        if (strategy == QLatin1String("constant")) {
            mNumericFills[c] = mParams.real(kFillValue);
            continue;
        }
        const std::vector<double> values = presentSorted(block.numbers, c);
        if (values.empty())
            return Error::invalid(QStringLiteral("simple_imputer: column '%1' has no values in the training rows; "
                                                 "use the constant strategy or leave the column out")
                                      .arg(block.names[c]));
        const std::size_t n = values.size();
        if (strategy == QLatin1String("mean"))
            mNumericFills[c] = Eigen::Map<const Eigen::VectorXd>(values.data(), Eigen::Index(n)).mean();
        else if (strategy == QLatin1String("median"))
            mNumericFills[c] = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
        else
            mNumericFills[c] = mostFrequentOfSorted(values);
    }
    return std::nullopt;
}

std::optional<Error> SimpleImputer::fitCategorical(const Block &block)
{
    const QString strategy = mParams.choice(kStrategy);
    if (strategy == QLatin1String("mean") || strategy == QLatin1String("median"))
        return Error::invalid(QStringLiteral("simple_imputer: the %1 strategy needs numbers, but '%2' holds categories; "
                                             "use most_frequent or constant")
                                  .arg(strategy, block.names.value(0)));
    mCategoricalFills.clear();
    for (std::size_t c = 0; c < block.codes.size(); ++c) {
        if (strategy == QLatin1String("constant")) {
            mCategoricalFills.append(mParams.text(kFillText));
            continue;
        }
        std::vector<std::size_t> counts(std::size_t(block.vocabularies[c].size()), 0);
        for (std::int32_t code : block.codes[c])
            if (code >= 0)
                ++counts[std::size_t(code)];
        const auto best = std::max_element(counts.begin(), counts.end()); // first of the tied maxima
        if (best == counts.end() || *best == 0)
            return Error::invalid(QStringLiteral("simple_imputer: column '%1' has no values in the training rows; "
                                                 "use the constant strategy or leave the column out")
                                      .arg(block.names[qsizetype(c)]));
        mCategoricalFills.append(block.vocabularies[c][qsizetype(best - counts.begin())]);
    }
    return std::nullopt;
}

Block SimpleImputer::transform(const Block &block, TransformNotes &) const
{
    Block out = block;
    if (!mCategorical) {
        for (Eigen::Index c = 0; c < out.numbers.cols(); ++c)
            out.numbers.col(c) = out.numbers.col(c).unaryExpr(
                [fill = mNumericFills[c]](double v) { return std::isnan(v) ? fill : v; });
        return out;
    }
    for (std::size_t c = 0; c < out.codes.size(); ++c) {
        // The fill joins the vocabulary in sorted position; codes after it shift by one.
        QStringList &vocabulary = out.vocabularies[c];
        const QString &fill = mCategoricalFills[qsizetype(c)];
        const auto position = std::lower_bound(vocabulary.begin(), vocabulary.end(), fill);
        const auto fillCode = std::int32_t(position - vocabulary.begin());
        const bool inserted = position == vocabulary.end() || *position != fill;
        if (inserted)
            vocabulary.insert(position, fill);
        for (std::int32_t &code : out.codes[c]) {
            if (code == kMissingCode)
                code = fillCode;
            else if (inserted && code >= fillCode)
                ++code;
        }
    }
    return out;
}

void SimpleImputer::transformRow(RowBlock &row, TransformNotes &) const
{
    if (!mCategorical) {
        for (std::size_t c = 0; c < row.numbers.size(); ++c)
            row.numbers[c] = std::isnan(row.numbers[c]) ? mNumericFills[Eigen::Index(c)] : row.numbers[c];
        return;
    }
    // As transform(): a missing value becomes the fill, a category of the vocabulary from then on;
    // an unknown one stays unknown.
    for (std::size_t c = 0; c < row.codes.size(); ++c)
        if (row.codes[c] == kMissingCode) {
            row.codes[c] = 0;
            row.texts[c] = mCategoricalFills[qsizetype(c)];
        }
}

ComponentState SimpleImputer::state() const
{
    ComponentState state;
    if (mCategorical)
        state.values.insert(QStringLiteral("categorical_fills"), QJsonArray::fromStringList(mCategoricalFills));
    else
        state.arrays[QStringLiteral("numeric_fills")] = Tensor::fromVector(mNumericFills);
    return state;
}

std::optional<Error> SimpleImputer::restore(const ComponentState &state, Eigen::Index inputColumns)
{
    mFitted = false;
    mCategorical = state.values.contains(QStringLiteral("categorical_fills"));
    if (mCategorical) {
        const QJsonArray fills = state.values.value(QStringLiteral("categorical_fills")).toArray();
        if (fills.size() != inputColumns)
            return Error::invalid(
                QStringLiteral("simple_imputer: %1 categorical fills for %2 columns").arg(fills.size()).arg(inputColumns));
        mCategoricalFills.clear();
        for (const QJsonValue &fill : fills) {
            if (!fill.isString())
                return Error::invalid(QStringLiteral("simple_imputer: a categorical fill is not text"));
            mCategoricalFills.append(fill.toString());
        }
    } else if (auto error = state.vector(kind(), QStringLiteral("numeric_fills"), inputColumns, mNumericFills)) {
        return error;
    }
    mFitted = true;
    return std::nullopt;
}

std::unique_ptr<Transformer> SimpleImputer::cloneUnfitted() const
{
    auto clone = std::make_unique<SimpleImputer>();
    clone->setParams(mParams);
    return clone;
}

} // namespace plumb
