#pragma once

#include "base/progress.h"
#include "base/result.h"
#include "learn/componentstate.h"
#include "learn/params.h"

#include <Eigen/Core>

#include <cstdint>
#include <memory>
#include <optional>

namespace plumb {

enum class Task { Regression, Classification };

// What a model learns from: values for regression, class indices 0..classCount-1 for
// classification. Optional per-row weights (empty = all 1).
struct FitTarget
{
    Eigen::VectorXd values;
    std::vector<int> classes;
    int classCount = 0;
    Eigen::VectorXd weights;
};

// How a fit went. An iterative solver that stops at its iteration limit says so here:
// converged = false and a warning, never silently.
struct FitReport
{
    int iterations = 0; // of an iterative solver or of boosting; 0 for models fitted in one pass
    bool converged = true;
    QStringList warnings;
};

// What a model asks of the default preprocessing (ColumnRouter::withDefaults).
struct InputNeeds
{
    bool scaled = true; // standardised numbers: models built on distances or penalties
    bool missingAllowed = false; // NaN passed through: models that route missing values themselves
    bool categoryCodes = false; // categories as codes 0..k-1, the model told which inputs hold them
    // With categoryCodes: the most codes a column may use (0: no limit). The default preprocessing
    // keeps that many minus one most frequent categories and gives the rest one shared code.
    int mostCategoryCodes = 0;
};

// The contract every model follows (after mlpack's): constructed valid with default parameters;
// fit() replaces all learned state and keeps no reference to the data; changing a parameter never
// retrains; predict() takes one row or many (rows of X, features already preprocessed).
class Model
{
public:
    virtual ~Model();

    // Stable identifier in files and on the command line: "logistic_regression".
    virtual QString kind() const = 0;
    virtual Task task() const = 0;

    const ParamValues &params() const { return mParams; }
    std::optional<Error> setParam(const QString &name, const QVariant &value) { return mParams.set(name, value); }
    std::optional<Error> setParams(const ParamValues &values);
    // Sets a parameter from text as typed after --set NAME=VALUE.
    std::optional<Error> setParamFromText(const QString &name, const QString &text) { return mParams.setFromText(name, text); }

    // X is n x p; y has n values or classes. Fails for empty or mismatched input, non-finite
    // values, a single class, or cancellation.
    virtual Result<FitReport> fit(const Eigen::MatrixXd &X, const FitTarget &y, ProgressSink &progress) = 0;
    virtual bool isFitted() const = 0;
    // Number of input features the fitted model expects.
    virtual Eigen::Index featureCount() const = 0;

    // Regression: the predicted values. Classification: the most probable class index per row.
    virtual Eigen::VectorXd predict(const Eigen::MatrixXd &X) const = 0;
    // Classification: n x classCount probabilities. Regression models return an empty matrix.
    virtual Eigen::MatrixXd predictProba(const Eigen::MatrixXd &X) const;
    // One row, without allocating: x holds featureCount() values; `out` receives one value
    // (regression: the prediction) or classCount() probabilities (classification). Bit-identical
    // to the same row in predict() / predictProba().
    virtual void predictRow(const double *x, double *out) const = 0;
    // Values predictRow writes: 1 for regression, the class count for classification.
    virtual Eigen::Index rowOutputs() const = 0;
    // What this model needs of its inputs; the default preprocessing follows it.
    virtual InputNeeds inputNeeds() const { return {}; }
    // For models whose needs ask for category codes: which inputs hold them. The pipeline calls it
    // before each fit.
    virtual std::optional<Error> setCategoricalInputs(const std::vector<int> &) { return std::nullopt; }
    // Names of the input features (the preprocessing's output columns), for messages only: the
    // pipeline sets them before each fit. They are not state and not saved.
    void setInputNames(QStringList names) { mInputNames = std::move(names); }
    // "'petal_width'" for a named input, else "input 3" (0-based).
    QString inputName(Eigen::Index feature) const;
    const QStringList &inputNames() const { return mInputNames; }
    // Importance of each input feature (absolute coefficients for linear models), for charts.
    virtual Eigen::VectorXd featureImportances() const = 0;

    virtual ComponentState state() const = 0;
    // Replaces the learned state, checking every value; on error the model is left unfitted.
    virtual std::optional<Error> restore(const ComponentState &state) = 0;
    // A fresh, unfitted model of the same kind and parameters.
    virtual std::unique_ptr<Model> cloneUnfitted() const = 0;

protected:
    explicit Model(ParamValues params) : mParams(std::move(params)) { }
    ParamValues mParams;
    QStringList mInputNames;
};

// Checks X and y before fitting: sizes agree, at least one row, all values finite (NaN allowed
// in X when the model's needs say it takes missing values), classes in range and at least two
// of them present. `owner` names the model in messages.
std::optional<Error> checkFitInput(const QString &owner, Task task, const Eigen::MatrixXd &X, const FitTarget &y,
                                   InputNeeds needs = {});

// The closed set of model kinds Plumb knows, and a factory for them. Some kinds do one task
// (logistic_regression classifies); others do both (decision_tree) and take the task from the caller.
QStringList modelKinds();
// The task a kind is limited to, or nullopt when it does both (or is unknown).
std::optional<Task> onlyTaskOf(const QString &kind);
// A new model of `kind` for `task` (nullopt: the kind's only task). Null for an unknown kind, a
// kind that cannot do the task, or a two-task kind without a task.
std::unique_ptr<Model> createModel(const QString &kind, std::optional<Task> task = std::nullopt);
// The parameter every randomised model takes its seed from; the trainer fills it from --seed.
// Seeds are whole numbers up to 2^53 - 1, so a double holds them exactly.
inline constexpr auto kSeedParam = "seed";
inline constexpr std::uint64_t kMaxSeed = (std::uint64_t(1) << 53) - 1;

} // namespace plumb
