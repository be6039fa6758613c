#pragma once

#include "data/dataset.h"
#include "learn/columnrouter.h"
#include "learn/model.h"

namespace plumb {

// An input column as the fitted pipeline expects it: its name and type, the categories seen
// (categorical and boolean features) and the training range (numeric features).
struct FeatureSpec
{
    QString name;
    ColumnType type = ColumnType::Float;
    QStringList categories;
    double minimum = 0, maximum = 0;
};

// The target: its column, the task, and for classification the class labels in index order
// (numbers sorted numerically, text sorted as text, as scikit-learn's classes_).
struct TargetSpec
{
    QString name;
    ColumnType type = ColumnType::Float;
    Task task = Task::Regression;
    QStringList classes;
};

// What a pipeline returns for a set of rows.
struct Prediction
{
    Eigen::VectorXd values; // regression: predictions; classification: class index per row
    Eigen::MatrixXd probabilities; // classification: rows x classes
    QStringList classes; // classification: label of each class index
    TransformNotes notes;

    // The prediction of a row as a person reads it: a number, or the class label.
    QString label(Eigen::Index row) const;
};

// Preprocessing and a model as one object that takes raw rows (columns named and typed as in the
// training data) and returns predictions, so a dataset, a row typed by hand and a JSON request
// are all scored the same way.
class Pipeline
{
public:
    Pipeline(ColumnRouter router, std::unique_ptr<Model> model);
    // A fitted pipeline read back from a file; the codec checks the parts agree first.
    Pipeline(std::vector<FeatureSpec> features, TargetSpec target, ColumnRouter router, std::unique_ptr<Model> model);
    Pipeline(Pipeline &&) = default;
    Pipeline &operator=(Pipeline &&) = default;

    // The default preprocessing (ColumnRouter::withDefaults) for `features` of `data` around `model`,
    // changed as `choices` say. Fails for an unknown column, no features or a bad choice.
    static Result<Pipeline> withDefaults(const Dataset &data, const QStringList &features, std::unique_ptr<Model> model,
                                         const PreprocessingChoices &choices = {});

    // Fits on the given rows of `data` (all rows when empty), predicting `target`. Rows whose
    // target is missing are left out, with a warning. Classification labels come from every
    // non-missing target value in `data`, so folds of one dataset share them.
    Result<FitReport> fit(const Dataset &data, const QString &target, const std::vector<std::size_t> &rows,
                          ProgressSink &progress = nullProgress());
    bool isFitted() const { return mModel->isFitted() && mRouter.isFitted(); }

    // Predicts the given rows (all when empty). Checks the schema first: every feature must be a
    // column of `data`, numeric features must hold numbers; extra columns are ignored.
    Result<Prediction> predict(const Dataset &data, const std::vector<std::size_t> &rows = {}) const;
    // Schema check alone; the message names the column and what was expected.
    std::optional<Error> checkInput(const Dataset &data) const;
    // Whether feature i (features() order) may be missing in rows to score: the model takes
    // missing values, or a step of the branch that reads the feature turns a missing value into a
    // defined one (Transformer::definesMissing: an imputer, a one-hot encoder).
    bool acceptsMissing(std::size_t feature) const;

    const std::vector<FeatureSpec> &features() const { return mFeatures; }
    const TargetSpec &target() const { return mTarget; }
    const ColumnRouter &router() const { return mRouter; }
    const Model &model() const { return *mModel; }
    Model &model() { return *mModel; }

    // The same preprocessing and model parameters, unfitted: for cross-validation folds.
    Pipeline cloneUnfitted() const;

    // Extracts the target of the given rows for this pipeline's task: values for regression,
    // class indices for classification; rows with a missing target are dropped from `rows`.
    Result<FitTarget> targetOf(const Dataset &data, std::vector<std::size_t> &rows) const;

private:
    std::optional<Error> describeTarget(const Dataset &data, const QString &target);
    void describeFeatures(const Dataset &data, const std::vector<std::size_t> &rows);

    std::vector<FeatureSpec> mFeatures;
    TargetSpec mTarget;
    ColumnRouter mRouter;
    std::unique_ptr<Model> mModel;
};

} // namespace plumb
