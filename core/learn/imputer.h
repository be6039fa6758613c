#pragma once

#include "learn/transformer.h"

namespace plumb {

// Replaces missing values column by column (scikit-learn's SimpleImputer).
// Numbers: mean, median, most_frequent (the smallest of tied values) or constant (fill_value).
// Categories: most_frequent (the first in sorted order among ties) or constant (fill_text, which
// joins the vocabulary). Unknown categories pass through unchanged.
// Parameters: strategy, fill_value, fill_text.
class SimpleImputer final : public Transformer
{
public:
    SimpleImputer();
    QString kind() const override { return QStringLiteral("simple_imputer"); }
    bool acceptsCategorical() const override { return true; }
    bool acceptsNumeric() const override { return true; }
    Result<Block> fitTransform(const Block &block) override;
    bool isFitted() const override { return mFitted; }
    Block transform(const Block &block, TransformNotes &notes) const override;
    void transformRow(RowBlock &row, TransformNotes &notes) const override;
    bool definesMissing() const override { return true; }
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state, Eigen::Index inputColumns) override;
    std::unique_ptr<Transformer> cloneUnfitted() const override;

    // Numeric fills per column, or categorical fills per column.
    const Eigen::VectorXd &numericFills() const { return mNumericFills; }
    const QStringList &categoricalFills() const { return mCategoricalFills; }

private:
    std::optional<Error> fitNumeric(const Block &block);
    std::optional<Error> fitCategorical(const Block &block);

    Eigen::VectorXd mNumericFills;
    QStringList mCategoricalFills;
    bool mCategorical = false;
    bool mFitted = false;
};

} // namespace plumb
