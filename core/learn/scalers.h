#pragma once

#include "learn/transformer.h"

namespace plumb {

// Centres each column on its mean and divides by its population standard deviation (ddof 0),
// ignoring missing values when fitting and passing them through (scikit-learn's StandardScaler).
// A constant column keeps scale 1. Parameters: with_mean, with_std.
class StandardScaler final : public Transformer
{
public:
    StandardScaler();
    QString kind() const override { return QStringLiteral("standard_scaler"); }
    bool acceptsCategorical() const override { return false; }
    bool acceptsNumeric() const override { return true; }
    Result<Block> fitTransform(const Block &block) override;
    bool isFitted() const override { return mFitted; }
    Block transform(const Block &block, TransformNotes &notes) const override;
    void transformRow(RowBlock &row, TransformNotes &notes) const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state, Eigen::Index inputColumns) override;
    std::unique_ptr<Transformer> cloneUnfitted() const override;

    const Eigen::VectorXd &means() const { return mMeans; }
    const Eigen::VectorXd &scales() const { return mScales; }

private:
    Eigen::VectorXd mMeans, mScales;
    bool mFitted = false;
};

// Maps each column's training range [min, max] onto [0, 1] (scikit-learn's MinMaxScaler with the
// default feature_range). A constant column keeps scale 1. Missing values pass through.
class MinMaxScaler final : public Transformer
{
public:
    MinMaxScaler();
    QString kind() const override { return QStringLiteral("min_max_scaler"); }
    bool acceptsCategorical() const override { return false; }
    bool acceptsNumeric() const override { return true; }
    Result<Block> fitTransform(const Block &block) override;
    bool isFitted() const override { return mFitted; }
    Block transform(const Block &block, TransformNotes &notes) const override;
    void transformRow(RowBlock &row, TransformNotes &notes) const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state, Eigen::Index inputColumns) override;
    std::unique_ptr<Transformer> cloneUnfitted() const override;

    const Eigen::VectorXd &minima() const { return mMinima; }
    const Eigen::VectorXd &scales() const { return mScales; }

private:
    Eigen::VectorXd mMinima, mScales;
    bool mFitted = false;
};

} // namespace plumb
