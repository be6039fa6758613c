#pragma once

#include "base/error.h"

#include <QJsonObject>
#include <QString>

#include <Eigen/Core>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace plumb {

// A float64 array with its shape, stored row-major (the model file's layout).
struct Tensor
{
    std::vector<std::int64_t> shape;
    std::vector<double> data;

    static Tensor fromVector(const Eigen::VectorXd &vector);
    static Tensor fromMatrix(const Eigen::MatrixXd &matrix);
    std::int64_t elementCount() const;
};

// The learned values of a fitted component, as the model file stores them: small values
// (scalars, strings, lists of category names) in JSON, numeric arrays as named tensors.
// Components restore themselves from it and validate every value before use.
struct ComponentState
{
    QJsonObject values;
    std::map<QString, Tensor> arrays;

    // Reads a 1-D array of exactly `length` elements (length < 0: any), all finite.
    // The error names the component and the array.
    std::optional<Error> vector(const QString &owner, const QString &name, Eigen::Index length, Eigen::VectorXd &out) const;
    // Reads a 2-D array of the given shape (a negative extent matches any), all finite.
    std::optional<Error> matrix(const QString &owner, const QString &name, Eigen::Index rows, Eigen::Index cols,
                                Eigen::MatrixXd &out) const;
    // The same checks as vector() and matrix(), but `out` views the stored elements in place (a
    // matrix row after row) instead of copying them: valid while this state lives unchanged.
    std::optional<Error> vectorView(const QString &owner, const QString &name, Eigen::Index length,
                                    std::span<const double> &out) const;
    std::optional<Error> matrixView(const QString &owner, const QString &name, Eigen::Index rows, Eigen::Index cols,
                                    std::span<const double> &out) const;
};

// Checks that every value of the array `name` (already read as `values`) is a positive normal
// number: above 0 and at least DBL_MIN (2.2e-308). Scales and variances are divided by; a zero,
// negative or subnormal one turns predictions into infinities or flips their sign. The error names
// the component, the array and the first value that is not.
std::optional<Error> requirePositiveNormal(const QString &owner, const QString &name, std::span<const double> values);

} // namespace plumb
