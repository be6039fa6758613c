#pragma once

#include "data/dataset.h"
#include "learn/pipeline.h"
#include "serve/rowvalidator.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace plumb {

// Validated rows gathered column by column into the Dataset a Pipeline scores: one column per
// feature, named and typed as the model's features() (categories coded in order of first
// appearance). Scoring that dataset with Pipeline::predict is what makes batch and service
// predictions bit-identical to scoring the same rows loaded from a file.
class FeatureBatch
{
public:
    explicit FeatureBatch(const std::vector<FeatureSpec> &features);

    // Appends one row: values in feature order, as RowValidator produced them.
    void append(const std::vector<FeatureValue> &values);
    std::size_t rowCount() const { return mRows; }
    // Makes room for `rows` rows, so appending does not reallocate.
    void reserve(std::size_t rows);

    // The rows so far as a dataset; the batch is left empty, ready for reuse.
    Dataset takeDataset();

private:
    struct Hash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    using Dictionary = std::unordered_map<std::string, std::int32_t, Hash, std::equal_to<>>;

    void reset();

    const std::vector<FeatureSpec> &mFeatures;
    std::vector<Column> mColumns;
    std::vector<Dictionary> mDictionaries; // categorical features: text -> code
    std::size_t mRows = 0;
};

} // namespace plumb
