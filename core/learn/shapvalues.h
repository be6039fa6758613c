#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace plumb {

// How a model's predictions are explained, or why they cannot be.
enum class ShapMethod {
    TreeShap, // exact path-dependent TreeSHAP (trees, forests, boosting)
    LinearShap // exact SHAP of a linear model under independent features: w x (x - training mean)
};
enum class ShapAvailability {
    Exact, // create() succeeds
    NotForModelKind, // k-nearest neighbours, naive Bayes, ...: no exact explanation exists here
    NeedsNodeCovers, // a boosting model saved before node covers were stored: retrain or re-import
    NeedsTrainingMeans, // a linear model explained without the training means of its inputs
    UntraceableInputs // a preprocessing step mixes columns, so inputs cannot be summed back to features
};

// The SHAP values of one row: per pipeline feature and per explained output, in the stated space.
// base[o] + sum over features of value(f, o) equals the model's raw output o for the row (within
// floating-point rounding): a probability for decision trees and forests, the log-odds or the
// softmax logit for boosting and logistic regression, the predicted value for regression.
struct ShapValues
{
    ShapMethod method = ShapMethod::TreeShap;
    QString space; // "probability", "log-odds", "logit", "value"
    QStringList outputs; // per output, what it is: "log-odds of 'yes'", "prediction"
    std::vector<double> base; // per output: the expected raw output
    std::vector<double> values; // features x outputs, row-major

    int outputCount() const { return int(outputs.size()); }
    double value(std::size_t feature, std::size_t output) const { return values[feature * outputs.size() + output]; }
};

} // namespace plumb
