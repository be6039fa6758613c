#pragma once

// Internal to the scikit-learn importer: what the per-family converters share. Each converter
// reads one scikit-learn object through the SklearnGraphReader, builds the ComponentState the
// matching Plumb component stores in a model file, and lets that component's restore() check it.

#include "interop/sklearngraphreader.h"
#include "interop/sklearnimporter.h"
#include "learn/model.h"
#include "learn/transformer.h"

#include <memory>

namespace plumb {

// The reader, and where converters record what they converted and what they noticed.
struct ConversionContext
{
    const SklearnGraphReader &reader;
    std::vector<ConvertedComponent> &components;
    QStringList &warnings;

    // Notes that the object at `ref` became `component`.
    void record(const GraphRef &ref, const QString &component);
    // The short class name of an Object ("StandardScaler"), empty unless its module is sklearn's.
    QString sklearnClass(const GraphRef &ref) const;
};

// A converted final estimator: the restored model and the target it predicts (task, classes in
// scikit-learn's classes_ order, and the target's column type).
struct ConvertedModel
{
    std::unique_ptr<Model> model;
    TargetSpec target;
};

// The preprocessing classes convertTransformer takes.
bool isSklearnTransformer(const QString &sklearnClass);
// True for OneHotEncoder and OrdinalEncoder: categories in, numbers out.
bool isSklearnEncoder(const QString &sklearnClass);

// A fitted preprocessing step receiving `inputColumns` columns (categories when `categorical`).
// `categories`, for an encoder, receives its per-column categories as text (for the router's
// vocabularies and the feature specs).
Result<std::unique_ptr<Transformer>> convertTransformer(ConversionContext &context, const GraphRef &ref,
                                                        Eigen::Index inputColumns, bool categorical,
                                                        std::vector<QStringList> *categories);

// The final estimator receiving `inputs` columns: dispatches to the family converters below.
Result<ConvertedModel> convertModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs);
Result<ConvertedModel> convertLinearModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs);
Result<ConvertedModel> convertTreeModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs);
Result<ConvertedModel> convertBoostedModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs);
Result<ConvertedModel> convertNeighboursModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs);
Result<ConvertedModel> convertNaiveBayesModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs);

// Creates the Plumb model `kind` for `target`, restores `state` into it and checks that it takes
// `inputs` features and yields the target's class count; errors are prefixed with the ref's path.
Result<ConvertedModel> restoreModel(ConversionContext &context, const GraphRef &ref, const QString &kind, TargetSpec target,
                                    const ComponentState &state, Eigen::Index inputs);

// A classifier's target from its classes_ (at least two labels; type from the array's dtype).
Result<TargetSpec> classifierTarget(const ConversionContext &context, const GraphRef &estimator);
// A regressor's target: a float column named "target".
TargetSpec regressorTarget();

// The number of features an estimator was fitted on (n_features_in_), checked against `inputs`
// when it is present.
std::optional<Error> checkFeatureCount(const ConversionContext &context, const GraphRef &estimator, Eigen::Index inputs);

// The double t' such that (x <= t') == (float(x) <= t) for every double x, where float(x) is
// x rounded to the nearest float32 (ties to even, overflow to infinity) as numpy's astype does:
// scikit-learn's trees cast X to float32 and compare it with a float64 threshold.
double float32SplitAsDouble(double threshold);

} // namespace plumb
