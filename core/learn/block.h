#pragma once

#include <QStringList>

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace plumb {

// Codes of a categorical value that is not in the vocabulary.
constexpr std::int32_t kMissingCode = -1; // the value was missing
constexpr std::int32_t kUnknownCode = -2; // the value was not seen when fitting

// The values flowing through one preprocessing branch: either numbers (rows x columns,
// NaN = missing) or categories (per column, codes into that column's vocabulary).
struct Block
{
    QStringList names; // one per column

    Eigen::MatrixXd numbers; // numeric blocks

    std::vector<std::vector<std::int32_t>> codes; // categorical blocks: codes[column][row]
    std::vector<QStringList> vocabularies; // categorical blocks: sorted category names

    bool isCategorical() const { return !codes.empty() || (numbers.size() == 0 && !vocabularies.empty()); }
    Eigen::Index rows() const
    {
        return isCategorical() ? Eigen::Index(codes.empty() ? 0 : codes.front().size()) : numbers.rows();
    }
    Eigen::Index columns() const { return names.size(); }
};

// One row flowing through a branch: the one-row form of Block, for scoring a single row without
// building matrices (Transformer::transformRow). Numeric rows: one number per column (NaN =
// missing). Categorical rows: per column a code, kMissingCode, kUnknownCode or 0 and above for a
// category of the branch's vocabulary, that category's text being texts[column]. A RowBlock kept
// between rows reuses its buffers.
struct RowBlock
{
    bool categorical = false;
    std::vector<double> numbers; // numeric rows
    std::vector<std::int32_t> codes; // categorical rows
    std::vector<QString> texts; // categorical rows: the category where codes[column] >= 0
};

} // namespace plumb
