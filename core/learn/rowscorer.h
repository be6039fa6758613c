#pragma once

#include "learn/pipeline.h"

#include <QHash>

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

// Scores single rows with a fitted pipeline, for the manual-scoring form and the scoring service.
// The preprocessing is folded at construction into one plan per feature (impute, scale and place;
// or look up a category's one-hot slot), so a row costs a few hash look-ups and a dot product and
// allocates nothing. Results are bit-identical to Pipeline::predict on the same row. Pipelines
// with steps the plan does not cover are scored through the general path instead.
class RowScorer
{
public:
    // The pipeline must be fitted and outlive the scorer.
    explicit RowScorer(const Pipeline &pipeline);

    // Values in pipeline.features() order. `out` receives model().rowOutputs() values: the
    // prediction, or one probability per class. Fails for a wrong value count, or text in a
    // numeric feature that does not read as a number (naming the feature).
    std::optional<Error> score(const std::vector<RowValue> &values, double *out, TransformNotes &notes) const;

    // The model's input row for `values` (pipeline.features() order): the preprocessed values,
    // router().outputNames().size() of them, as Pipeline::predict feeds the model. For
    // explanations (contributions per feature). Fails as score() does.
    std::optional<Error> transform(const std::vector<RowValue> &values, Eigen::VectorXd &inputs, TransformNotes &notes) const;

    bool usesFastPath() const { return mFast; }

private:
    struct NumericStep
    {
        enum class Op { Impute, Standardise, Rescale } op;
        double a, b; // fill; mean and scale; scale and offset
    };
    struct FeaturePlan
    {
        Eigen::Index feature = 0; // index into values
        Eigen::Index slot = 0; // first output column
        bool categorical = false;
        std::vector<NumericStep> steps; // numeric features
        Eigen::Index width = 1; // output columns
        QHash<QString, Eigen::Index> slotOf; // categorical: category -> output column (offset from slot)
        bool imputesMissing = false; // categorical: a missing value becomes the imputer's fill
        Eigen::Index missingSlot = -1; // categorical: where that fill goes (-1: nowhere, counted)
        Eigen::Index unknownSlot = -1; // categorical: where an unseen category goes (-1: nowhere, counted)
    };

    bool compile();
    bool compileNumeric(const RouterBranch &branch, qsizetype column, FeaturePlan &plan) const;
    bool compileCategorical(const RouterBranch &branch, qsizetype column, FeaturePlan &plan) const;
    std::optional<Error> scoreGeneral(const std::vector<RowValue> &values, double *out, TransformNotes &notes) const;
    std::optional<Error> fillInputs(const std::vector<RowValue> &values, TransformNotes &notes) const;
    Result<Dataset> rowDataset(const std::vector<RowValue> &values) const;

    const Pipeline &mPipeline;
    std::vector<FeaturePlan> mPlans;
    Eigen::Index mWidth = 0;
    bool mFast = false;
    mutable Eigen::VectorXd mInputs; // scratch for one row; one scorer serves one thread
};

} // namespace plumb
