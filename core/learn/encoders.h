#pragma once

#include "learn/transformer.h"

#include <QHash>

namespace plumb {

// One output column per category of each input column (scikit-learn's OneHotEncoder with
// handle_unknown="ignore"): a category not seen when fitting encodes as all zeros and is counted
// in TransformNotes; a missing value (no imputer before the encoder) encodes as all zeros too. With max_categories > 0, a column keeps its
// max_categories - 1 most frequent categories and folds the rest into one "infrequent" column.
// Output names are "<column>_<category>". Parameters: max_categories.
class OneHotEncoder final : public Transformer
{
public:
    OneHotEncoder();
    QString kind() const override { return QStringLiteral("one_hot_encoder"); }
    bool acceptsCategorical() const override { return true; }
    bool acceptsNumeric() const override { return false; }
    bool encodesCategories() const override { return true; }
    Result<Block> fitTransform(const Block &block) override;
    bool isFitted() const override { return mFitted; }
    Block transform(const Block &block, TransformNotes &notes) const override;
    void transformRow(RowBlock &row, TransformNotes &notes) const override;
    bool definesMissing() const override { return true; }
    Eigen::Index outputColumns(Eigen::Index inputColumns) const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state, Eigen::Index inputColumns) override;
    std::unique_ptr<Transformer> cloneUnfitted() const override;

    // Per input column: the categories that get their own output column, in output order.
    const std::vector<QStringList> &categories() const { return mCategories; }
    // Per input column: whether rarer categories share an "infrequent" column after them.
    const std::vector<bool> &hasInfrequent() const { return mHasInfrequent; }

private:
    void indexCategories();

    std::vector<QStringList> mCategories;
    std::vector<bool> mHasInfrequent;
    std::vector<QHash<QString, std::int32_t>> mColumnOf; // per input column: category -> its output column
    bool mFitted = false;
};

// Replaces each category by its index in the sorted training categories (scikit-learn's
// OrdinalEncoder with handle_unknown="use_encoded_value", unknown_value=-1); missing stays missing.
// With a limit of m codes (setMostCategories, 0: none) a column with more than m categories keeps
// its m - 1 most frequent ones (ties: sorted order) as codes 0..m-2, in sorted order, and gives every
// rarer one the shared code m-1, as scikit-learn's max_categories groups infrequent categories.
// The limit is a fitting setting the pipeline takes from the model (gradient boosting: max_bins),
// not a saved parameter; the grouping it made is saved with the categories.
class OrdinalEncoder final : public Transformer
{
public:
    OrdinalEncoder();
    QString kind() const override { return QStringLiteral("ordinal_encoder"); }
    bool acceptsCategorical() const override { return true; }
    bool acceptsNumeric() const override { return false; }
    bool encodesCategories() const override { return true; }
    Result<Block> fitTransform(const Block &block) override;
    bool isFitted() const override { return mFitted; }
    Block transform(const Block &block, TransformNotes &notes) const override;
    void transformRow(RowBlock &row, TransformNotes &notes) const override;
    ComponentState state() const override;
    std::optional<Error> restore(const ComponentState &state, Eigen::Index inputColumns) override;
    std::unique_ptr<Transformer> cloneUnfitted() const override;

    void setMostCategories(int codes) { mMostCategories = codes; }
    int mostCategories() const { return mMostCategories; }
    // Per input column: the categories with a code of their own, in code order.
    const std::vector<QStringList> &categories() const { return mCategories; }
    // Per input column: the rarer categories that share the code after them (empty: none).
    const std::vector<QStringList> &infrequent() const { return mInfrequent; }

private:
    void indexCategories();

    std::vector<QStringList> mCategories;
    std::vector<QStringList> mInfrequent;
    std::vector<QHash<QString, std::int32_t>> mCodeOf; // per input column: category -> its code
    int mMostCategories = 0;
    bool mFitted = false;
};

} // namespace plumb
