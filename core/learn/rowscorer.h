#pragma once

#include "learn/pipeline.h"

#include <QSet>

namespace plumb {

// One raw value of a row typed by hand or sent as JSON.
struct RowValue
{
    enum class Kind { Missing, Number, Text };
    Kind kind = Kind::Missing;
    double number = 0;
    QString text;

    static RowValue missing() { return {}; }
    static RowValue of(double value) { return {Kind::Number, value, {}}; }
    static RowValue of(QString value) { return {Kind::Text, 0, std::move(value)}; }
};

// Scores single rows with a fitted pipeline, for the manual-scoring form and explanations. A
// row's values are read as readFeatureText reads text (the batch scorer and the scoring service
// read theirs so too), then go through each preprocessing step's one-row transform
// (Transformer::transformRow) and the model's predictRow: no Dataset, no matrix, and after the
// first row no allocation beyond reading text values. Results are bit-identical to
// Pipeline::predict on the same row.
class RowScorer
{
public:
    // The pipeline must be fitted and outlive the scorer.
    explicit RowScorer(const Pipeline &pipeline);

    // Values in pipeline.features() order. `out` receives model().rowOutputs() values: the
    // prediction, or one probability per class. Fails for a wrong value count, or a value its
    // feature does not take (text that is not a number in a numeric feature, an infinite number),
    // naming the feature.
    std::optional<Error> score(const std::vector<RowValue> &values, double *out, TransformNotes &notes) const;

    // The model's input row for `values` (pipeline.features() order): the preprocessed values,
    // router().outputNames().size() of them, as Pipeline::predict feeds the model. For
    // explanations (contributions per feature). Fails as score() does.
    std::optional<Error> transform(const std::vector<RowValue> &values, Eigen::VectorXd &inputs, TransformNotes &notes) const;

private:
    // Where a router input comes from: the feature, and for a categorical branch the vocabulary
    // the branch was fitted with (a category outside it is unknown, as ColumnRouter reads it).
    struct Source
    {
        std::size_t feature = 0;
        QSet<QString> vocabulary;
    };

    std::optional<Error> transformInto(const std::vector<RowValue> &values, TransformNotes &notes) const;
    std::optional<Error> readBranch(const std::vector<RowValue> &values, std::size_t branch) const;

    const Pipeline &mPipeline;
    std::vector<std::vector<Source>> mSources; // per branch, per column
    mutable std::vector<RowBlock> mRows; // scratch for one row, per branch; one scorer serves one thread
    mutable Eigen::VectorXd mInputs;
};

} // namespace plumb
