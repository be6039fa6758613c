#include "serve/featurebatch.h"

#include "data/valueparser.h"

namespace plumb {

FeatureBatch::FeatureBatch(const std::vector<FeatureSpec> &features) : mFeatures(features)
{
    reset();
}

void FeatureBatch::reset()
{
    mColumns.clear();
    mDictionaries.assign(mFeatures.size(), {});
    for (const FeatureSpec &feature : mFeatures)
        mColumns.emplace_back(feature.name, feature.type);
    mRows = 0;
}

void FeatureBatch::append(const std::vector<FeatureValue> &values)
{
    for (std::size_t f = 0; f < mFeatures.size(); ++f) {
        Column &column = mColumns[f];
        const FeatureValue &value = values[f];
        if (mFeatures[f].type != ColumnType::Categorical) {
            column.numbers().push_back(value.number);
            continue;
        }
        if (value.isMissing) {
            column.codes().push_back(-1);
            continue;
        }
        Dictionary &dictionary = mDictionaries[f];
        auto found = dictionary.find(value.text);
        if (found == dictionary.end()) {
            found = dictionary.emplace(std::string(value.text), std::int32_t(column.categories().size())).first;
            column.categories().append(decodeUtf8(value.text));
        }
        column.codes().push_back(found->second);
    }
    ++mRows;
}

void FeatureBatch::reserve(std::size_t rows)
{
    for (std::size_t f = 0; f < mFeatures.size(); ++f) {
        if (mFeatures[f].type == ColumnType::Categorical)
            mColumns[f].codes().reserve(rows);
        else
            mColumns[f].numbers().reserve(rows);
    }
}

Dataset FeatureBatch::takeDataset()
{
    Dataset data;
    for (Column &column : mColumns)
        data.addColumn(std::move(column));
    reset();
    return data;
}

} // namespace plumb
