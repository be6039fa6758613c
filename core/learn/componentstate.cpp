#include "learn/componentstate.h"

#include <limits>

namespace plumb {

Tensor Tensor::fromVector(const Eigen::VectorXd &vector)
{
    return {{std::int64_t(vector.size())}, std::vector<double>(vector.data(), vector.data() + vector.size())};
}

Tensor Tensor::fromMatrix(const Eigen::MatrixXd &matrix)
{
    Tensor tensor{{std::int64_t(matrix.rows()), std::int64_t(matrix.cols())}, {}};
    tensor.data.reserve(std::size_t(matrix.size()));
    for (Eigen::Index r = 0; r < matrix.rows(); ++r)
        for (Eigen::Index c = 0; c < matrix.cols(); ++c)
            tensor.data.push_back(matrix(r, c));
    return tensor;
}

std::int64_t Tensor::elementCount() const
{
    std::int64_t count = 1;
    for (std::int64_t extent : shape)
        count *= extent;
    return count;
}

namespace {

std::optional<Error> findTensor(const ComponentState &state, const QString &owner, const QString &name, std::size_t dimensions,
                                const Tensor *&tensor)
{
    const auto found = state.arrays.find(name);
    if (found == state.arrays.end())
        return Error::invalid(QStringLiteral("%1: array '%2' is missing").arg(owner, name));
    tensor = &found->second;
    if (tensor->shape.size() != dimensions)
        return Error::invalid(QStringLiteral("%1: array '%2' has %3 dimensions, expected %4")
                                  .arg(owner, name)
                                  .arg(tensor->shape.size())
                                  .arg(dimensions));
    if (std::int64_t(tensor->data.size()) != tensor->elementCount())
        return Error::invalid(QStringLiteral("%1: array '%2' does not match its shape").arg(owner, name));
    // x - x is 0 for a finite x and NaN for an infinite or NaN one: one vectorised sum checks them all.
    const Eigen::Map<const Eigen::ArrayXd> values(tensor->data.data(), Eigen::Index(tensor->data.size()));
    if (!((values - values).sum() == 0.0))
        return Error::invalid(QStringLiteral("%1: array '%2' holds a non-finite value").arg(owner, name));
    return std::nullopt;
}

} // namespace

std::optional<Error> ComponentState::vectorView(const QString &owner, const QString &name, Eigen::Index length,
                                                std::span<const double> &out) const
{
    const Tensor *tensor = nullptr;
    if (auto error = findTensor(*this, owner, name, 1, tensor))
        return error;
    if (length >= 0 && tensor->shape[0] != length)
        return Error::invalid(
            QStringLiteral("%1: array '%2' has %3 elements, expected %4").arg(owner, name).arg(tensor->shape[0]).arg(length));
    out = tensor->data;
    return std::nullopt;
}

std::optional<Error> ComponentState::matrixView(const QString &owner, const QString &name, Eigen::Index rows, Eigen::Index cols,
                                                std::span<const double> &out) const
{
    const Tensor *tensor = nullptr;
    if (auto error = findTensor(*this, owner, name, 2, tensor))
        return error;
    if ((rows >= 0 && tensor->shape[0] != rows) || (cols >= 0 && tensor->shape[1] != cols))
        return Error::invalid(QStringLiteral("%1: array '%2' is %3 x %4, expected %5 x %6")
                                  .arg(owner, name)
                                  .arg(tensor->shape[0])
                                  .arg(tensor->shape[1])
                                  .arg(rows)
                                  .arg(cols));
    out = tensor->data;
    return std::nullopt;
}

std::optional<Error> ComponentState::vector(const QString &owner, const QString &name, Eigen::Index length,
                                            Eigen::VectorXd &out) const
{
    std::span<const double> view;
    if (auto error = vectorView(owner, name, length, view))
        return error;
    out = Eigen::Map<const Eigen::VectorXd>(view.data(), Eigen::Index(view.size()));
    return std::nullopt;
}

std::optional<Error> ComponentState::matrix(const QString &owner, const QString &name, Eigen::Index rows, Eigen::Index cols,
                                            Eigen::MatrixXd &out) const
{
    std::span<const double> view;
    if (auto error = matrixView(owner, name, rows, cols, view))
        return error;
    const std::vector<std::int64_t> &shape = arrays.at(name).shape;
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    out = Eigen::Map<const RowMajor>(view.data(), Eigen::Index(shape[0]), Eigen::Index(shape[1]));
    return std::nullopt;
}

std::optional<Error> requirePositiveNormal(const QString &owner, const QString &name, std::span<const double> values)
{
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!(values[i] >= std::numeric_limits<double>::min()))
            return Error::invalid(
                QStringLiteral("%1: array '%2' holds %3 (element %4), but each must be a positive normal number "
                               "(at least 2.2e-308)")
                    .arg(owner, name)
                    .arg(values[i])
                    .arg(i));
    return std::nullopt;
}

} // namespace plumb
