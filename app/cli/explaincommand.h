#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb explain MODEL INPUT [-o OUT] and the options of plumb predict: streams INPUT through the
// model as plumb predict does and writes each row's input fields, then its exact SHAP values
// (ShapExplainer::columnNames: one shap:<feature> column per feature, per class as
// shap:<feature>@<class> for three classes or more, and the shap:base value), in the raw output
// space the summary names (probability, log-odds, logit or value). Linear and logistic models
// are explained against the training means their reference profile gives. Models that cannot be
// explained exactly (k-nearest neighbours, naive Bayes, ...) are refused with the reason.
int runExplain(const QStringList &arguments, Io io);

} // namespace plumb::cli
