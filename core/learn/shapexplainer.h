#pragma once

#include "base/result.h"
#include "data/columnprofile.h"
#include "learn/pipeline.h"
#include "learn/shapvalues.h"
#include "learn/treeshap.h"

#include <Eigen/Core>

#include <vector>

namespace plumb {

// Which model inputs (the router's output columns) come from which pipeline feature: index f of
// pipeline.features() for each output column (a one-hot encoded feature's columns all name it).
// Fails for a preprocessing step whose outputs cannot be traced to its inputs (a step that mixes
// columns).
Result<std::vector<int>> inputSources(const Pipeline &pipeline);

// Explains a fitted pipeline's predictions with exact SHAP values per input feature: TreeSHAP
// for decision trees, random forests (the mean of their trees' values) and gradient boosting
// (the sum of its trees, in raw-score space: log-odds for two classes, one logit per class for
// more); linear SHAP for linear and logistic regression. The model's inputs (one-hot columns,
// scaled values) are explained first, then summed back to the pipeline feature they come from.
// Explained outputs: regression, one (the prediction); classification with two classes, one
// (the second class: its probability, or log-odds); more classes, one per class.
// Immutable once created: explain() may be called from several threads at once.
class ShapExplainer
{
public:
    // Whether create() can explain this pipeline, and if not, why (see ShapAvailability).
    // `haveMeans`: the caller passes the training means of the model inputs.
    static ShapAvailability availability(const Pipeline &pipeline, bool haveMeans);
    // Why a pipeline whose availability() is not Exact has no SHAP values, and what explanation it
    // can give instead, for a person: a boosting model file saved before node covers were stored
    // needs retraining with this version; `fileHasImportance`: the model file holds permutation
    // importance, which is then offered as the explanation available. Empty for Exact.
    static QString unavailableReason(const Pipeline &pipeline, ShapAvailability availability, bool fileHasImportance);
    // An explainer for `pipeline` (fitted; it must outlive the explainer). Linear models need
    // `inputMeans`: the training mean of each model input (router().outputNames() order), see
    // inputMeans(); tree models ignore it. Fails, with a message naming the model kind or the
    // step, for everything availability() does not call Exact.
    static Result<ShapExplainer> create(const Pipeline &pipeline, const Eigen::VectorXd &inputMeans = {});

    ShapMethod method() const { return mMethod; }
    // "probability", "log-odds", "logit" or "value".
    const QString &space() const { return mSpace; }
    // Per explained output, what it is ("log-odds of 'yes'"), and its short name for column
    // headers (the class label; "prediction" for regression).
    const QStringList &outputs() const { return mOutputs; }
    const QStringList &outputLabels() const { return mLabels; }
    int outputCount() const { return int(mOutputs.size()); }
    int featureCount() const { return int(mFeatureCount); }
    // The expected raw output per explained output.
    const std::vector<double> &baseValues() const { return mBase; }

    // The contributions of one row: `inputs` is the row as the model takes it
    // (RowScorer::transform, model().featureCount() values); `phi` receives featureCount() x
    // outputCount() values, row-major (phi[f * outputCount() + o]).
    void explain(const double *inputs, double *phi) const;
    // The same as a value, with the base and the names. Fails for a row of the wrong length.
    Result<ShapValues> explainRow(const Eigen::VectorXd &inputs) const;

    // The columns of a table of explanations (plumb explain, POST /v1/explain): per explained
    // output, one per feature, "shap:<feature>", then "shap:base"; with several outputs, each
    // name ends in "@<class>" ("shap:age@setosa"), output after output.
    const QStringList &columnNames() const { return mColumns; }
    // One row's values in columnNames() order (columnNames().size() values into out).
    void explainColumns(const double *inputs, double *out) const;

private:
    ShapExplainer() = default;

    const Pipeline *mPipeline = nullptr;
    ShapMethod mMethod = ShapMethod::TreeShap;
    QString mSpace;
    QStringList mOutputs, mLabels, mColumns;
    std::vector<double> mBase;
    std::vector<int> mSources; // per model input: its pipeline feature
    std::vector<int> mShown; // per explained output: the model output it is
    std::size_t mFeatureCount = 0;
    TreeShap mTrees;
    Eigen::MatrixXd mWeights; // linear: inputs x outputs
    Eigen::VectorXd mMeans; // linear: per input
};

// The mean of each model input (router().outputNames() order) over the rows of `data` (all rows
// when `rows` is empty) transformed as the pipeline does: the training means linear SHAP needs.
// Fails as the pipeline's transform does.
Result<Eigen::VectorXd> inputMeans(const Pipeline &pipeline, const Dataset &data, const std::vector<std::size_t> &rows = {});

// The same means from a model file's reference profile (the training data's), exactly: each
// feature's preprocessing acts on that feature alone and is affine on its present values, so the
// mean of its outputs is the count-weighted mean of the outputs of the profile's mean and of a
// missing value (numbers), or of each category and a missing value (categories). Fails, naming
// the feature, when the profile lacks a feature or keeps only the most frequent of its
// categories (more than ColumnProfile::kTopCategories), or when the preprocessing mixes features.
Result<Eigen::VectorXd> inputMeansFromProfile(const Pipeline &pipeline, const std::vector<ColumnProfile> &profiles);

} // namespace plumb
