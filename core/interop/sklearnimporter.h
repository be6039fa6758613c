#pragma once

#include "base/result.h"
#include "interop/picklescanner.h"
#include "learn/pipeline.h"

#include <QJsonArray>

#include <optional>
#include <vector>

namespace plumb {

// One scikit-learn object the importer converted: where it sat in the file's object graph
// ("steps[0].transformers_[1]"), its class, and the Plumb component that now does its work
// ("standard_scaler", "router branch 'num'", "logistic_regression").
struct ConvertedComponent
{
    QString path;
    QString sourceClass;
    QString component;
};

// A scikit-learn model converted into a fitted Plumb pipeline, with what was converted into what
// and any non-fatal finding (say, an encoder that raised on unknown categories now encodes them as
// zeros).
struct ImportedModel
{
    std::optional<Pipeline> pipeline; // always set in a successful import
    std::vector<ConvertedComponent> components;
    QStringList warnings;
    // The model was fitted on an array (no feature_names_in_) and no names were given: its
    // features are named x0, x1, ... and mean "the i-th column" (see ColumnBinding).
    bool positionalFeatures = false;

    // The conversion as the .plumb metadata records it: one {"path", "class", "component"} per item.
    QJsonArray conversionJson() const;
};

// Converts the estimator of an Importable scan into a fitted Plumb pipeline that predicts the
// same (within 1e-9; see each family's file for how each formula is matched). Supported:
// Pipeline, ColumnTransformer (remainder drop or passthrough), StandardScaler, MinMaxScaler,
// SimpleImputer, OneHotEncoder, OrdinalEncoder, LinearRegression, Ridge, Lasso, ElasticNet,
// LogisticRegression, DecisionTree{Classifier,Regressor}, RandomForest{Classifier,Regressor},
// HistGradientBoosting{Classifier,Regressor}, KNeighbors{Classifier,Regressor} and GaussianNB.
// Every value read from the graph is checked for type, shape and range, then handed to the
// matching Plumb component's restore(), which validates it as it validates a model file. Fails for
// a report that is not Importable, an unsupported class or setting, or an invalid value, with a
// message naming the graph path: "steps[1].coef_: expected a float64 array of shape (3,), found
// int64 (2,)".
// `featureNames`, when not empty, names the features of a model fitted on an array, in column
// order; they must be distinct, non-empty and as many as n_features_in_ ("3 feature names were
// given (a, b, c), but the model was fitted on 4 features"), and for a model that records its own
// feature_names_in_ they must be those.
Result<ImportedModel> importSklearn(const PickleScanReport &report, const QStringList &featureNames = {});

} // namespace plumb
