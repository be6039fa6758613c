#include "learn/scalers.h"

#include "base/parallel.h"

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

const QString kWithMean = QStringLiteral("with_mean");
const QString kWithStd = QStringLiteral("with_std");

std::optional<Error> requireNumeric(const QString &kind, const Block &block)
{
    if (block.isCategorical())
        return Error::invalid(QStringLiteral("%1: '%2' holds categories; encode them first").arg(kind, block.names.value(0)));
    return std::nullopt;
}

// A zero spread would divide by zero: such columns are left unscaled, as scikit-learn does.
double usableScale(double scale)
{
    return scale == 0.0 || !std::isfinite(scale) ? 1.0 : scale;
}

} // namespace

StandardScaler::StandardScaler()
    : Transformer(ParamValues({booleanParam(kWithMean, true, QStringLiteral("Subtract the training mean.")),
                               booleanParam(kWithStd, true, QStringLiteral("Divide by the training standard deviation."))}))
{
}

Result<Block> StandardScaler::fitTransform(const Block &block)
{
    mFitted = false;
    if (auto error = requireNumeric(kind(), block))
        return *error;
    const Eigen::Index columns = block.numbers.cols();
    mMeans = Eigen::VectorXd::Zero(columns);
    mScales = Eigen::VectorXd::Ones(columns);
    // Columns are independent: one per worker, each summed in row order, so the result does not
    // depend on the thread count.
    parallelFor(std::size_t(columns), [&](std::size_t column) {
        const auto c = Eigen::Index(column);
        double sum = 0, count = 0;
        for (Eigen::Index r = 0; r < block.numbers.rows(); ++r)
            if (!std::isnan(block.numbers(r, c))) {
                sum += block.numbers(r, c);
                count += 1;
            }
        double mean = count > 0 ? sum / count : 0.0;
        if (!std::isfinite(mean)) { // the sum of values near the largest double overflowed: sum fractions
            mean = 0;
            for (Eigen::Index r = 0; r < block.numbers.rows(); ++r)
                if (!std::isnan(block.numbers(r, c)))
                    mean += block.numbers(r, c) / count;
        }
        double squares = 0; // two passes: mean first, then squared deviations
        for (Eigen::Index r = 0; r < block.numbers.rows(); ++r)
            if (!std::isnan(block.numbers(r, c)))
                squares += (block.numbers(r, c) - mean) * (block.numbers(r, c) - mean);
        double deviation = count > 0 ? std::sqrt(squares / count) : 0.0;
        if (!std::isfinite(deviation) && std::isfinite(mean)) {
            // The squares of values near 1e300 overflow, their spread does not: square the
            // deviations divided by the largest one (only then, so ordinary columns keep their bits).
            double largest = 0, scaled = 0;
            for (Eigen::Index r = 0; r < block.numbers.rows(); ++r)
                if (!std::isnan(block.numbers(r, c)))
                    largest = std::max(largest, std::fabs(block.numbers(r, c) - mean));
            for (Eigen::Index r = 0; r < block.numbers.rows(); ++r)
                if (!std::isnan(block.numbers(r, c)))
                    scaled += ((block.numbers(r, c) - mean) / largest) * ((block.numbers(r, c) - mean) / largest);
            deviation = largest * std::sqrt(scaled / count);
        }
        if (mParams.boolean(kWithMean))
            mMeans[c] = mean;
        if (mParams.boolean(kWithStd))
            mScales[c] = usableScale(deviation);
    });
    mFitted = true;
    TransformNotes notes;
    return transform(block, notes);
}

Block StandardScaler::transform(const Block &block, TransformNotes &) const
{
    Block out;
    out.names = block.names;
    out.numbers = ((block.numbers.rowwise() - mMeans.transpose()).array().rowwise() / mScales.transpose().array()).matrix();
    return out;
}

void StandardScaler::transformRow(RowBlock &row, TransformNotes &) const
{
    for (std::size_t c = 0; c < row.numbers.size(); ++c)
        row.numbers[c] = (row.numbers[c] - mMeans[Eigen::Index(c)]) / mScales[Eigen::Index(c)];
}

ComponentState StandardScaler::state() const
{
    ComponentState state;
    state.arrays[QStringLiteral("means")] = Tensor::fromVector(mMeans);
    state.arrays[QStringLiteral("scales")] = Tensor::fromVector(mScales);
    return state;
}

std::optional<Error> StandardScaler::restore(const ComponentState &state, Eigen::Index inputColumns)
{
    mFitted = false;
    if (auto error = state.vector(kind(), QStringLiteral("means"), inputColumns, mMeans))
        return error;
    if (auto error = state.vector(kind(), QStringLiteral("scales"), inputColumns, mScales))
        return error;
    if (auto error = requirePositiveNormal(kind(), QStringLiteral("scales"),
                                           std::span<const double>(mScales.data(), std::size_t(mScales.size()))))
        return error;
    mFitted = true;
    return std::nullopt;
}

std::unique_ptr<Transformer> StandardScaler::cloneUnfitted() const
{
    auto clone = std::make_unique<StandardScaler>();
    clone->setParams(mParams);
    return clone;
}

MinMaxScaler::MinMaxScaler() : Transformer(ParamValues(std::vector<ParamSpec>{}))
{
}

Result<Block> MinMaxScaler::fitTransform(const Block &block)
{
    mFitted = false;
    if (auto error = requireNumeric(kind(), block))
        return *error;
    const Eigen::Index columns = block.numbers.cols();
    mMinima.resize(columns);
    mScales.resize(columns);
    for (Eigen::Index c = 0; c < columns; ++c) {
        double low = std::numeric_limits<double>::infinity(), high = -low;
        for (Eigen::Index r = 0; r < block.numbers.rows(); ++r)
            if (!std::isnan(block.numbers(r, c))) {
                low = std::min(low, block.numbers(r, c));
                high = std::max(high, block.numbers(r, c));
            }
        if (low > high)
            return Error::invalid(
                QStringLiteral("min_max_scaler: column '%1' has no values in the training rows").arg(block.names[c]));
        mMinima[c] = low;
        mScales[c] = 1.0 / usableScale(high - low);
    }
    mFitted = true;
    TransformNotes notes;
    return transform(block, notes);
}

Block MinMaxScaler::transform(const Block &block, TransformNotes &) const
{
    Block out;
    out.names = block.names;
    // scikit-learn's form: X * scale + (0 - min * scale), so results match bit for bit.
    const Eigen::RowVectorXd offsets = -(mMinima.array() * mScales.array()).matrix().transpose();
    out.numbers = ((block.numbers.array().rowwise() * mScales.transpose().array()).rowwise() + offsets.array()).matrix();
    return out;
}

void MinMaxScaler::transformRow(RowBlock &row, TransformNotes &) const
{
    // The operations of transform(), in its order: x * scale + -(min * scale).
    for (std::size_t c = 0; c < row.numbers.size(); ++c) {
        const auto i = Eigen::Index(c);
        row.numbers[c] = row.numbers[c] * mScales[i] + -(mMinima[i] * mScales[i]);
    }
}

ComponentState MinMaxScaler::state() const
{
    ComponentState state;
    state.arrays[QStringLiteral("minima")] = Tensor::fromVector(mMinima);
    state.arrays[QStringLiteral("scales")] = Tensor::fromVector(mScales);
    return state;
}

std::optional<Error> MinMaxScaler::restore(const ComponentState &state, Eigen::Index inputColumns)
{
    mFitted = false;
    if (auto error = state.vector(kind(), QStringLiteral("minima"), inputColumns, mMinima))
        return error;
    if (auto error = state.vector(kind(), QStringLiteral("scales"), inputColumns, mScales))
        return error;
    if (auto error = requirePositiveNormal(kind(), QStringLiteral("scales"),
                                           std::span<const double>(mScales.data(), std::size_t(mScales.size()))))
        return error;
    mFitted = true;
    return std::nullopt;
}

std::unique_ptr<Transformer> MinMaxScaler::cloneUnfitted() const
{
    return std::make_unique<MinMaxScaler>();
}

} // namespace plumb
