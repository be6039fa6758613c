#pragma once

#include "base/result.h"
#include "interop/onnxgraph.h"
#include "learn/pipeline.h"

#include <map>

namespace plumb {
class KNearestNeighbours;
}

namespace plumb::onnxexport {

// The graph values the preprocessing reads: per feature name, its graph input.
using FeatureInputs = std::map<QString, std::string>;

// Whether a feature enters the graph as text (it is read by a categorical branch) rather than as
// a double.
bool isTextFeature(const Pipeline &pipeline, const QString &feature);

// Appends the pipeline's column routing and preprocessing to the graph and returns the name of the
// joined double matrix [N, outputs], as ColumnRouter::transform builds it. Fails naming the branch
// and step that has no exact ONNX form.
Result<std::string> exportPreprocessing(GraphBuilder &graph, const Pipeline &pipeline, const FeatureInputs &inputs);

// What the model part of the graph produces: regression, `value` (double [N, 1]); classification,
// `probabilities` (double [N, classes]) and `labelIndex` (int64 [N], the predicted class index).
// `notes` say where a result is not bit-identical to Plumb's (float outputs of an operator).
struct ModelOutputs
{
    std::string value;
    std::string probabilities;
    std::string labelIndex;
    QStringList notes;
};

// The index of the first largest value of each row of `scores` [N, C], as int64 [N].
std::string argMax(GraphBuilder &graph, const std::string &scores);

// k-nearest neighbours (onnxneighbours.cpp).
Result<ModelOutputs> exportNeighbours(GraphBuilder &graph, const KNearestNeighbours &model, const std::string &features);

// Appends the fitted model reading the matrix `features`. Fails naming the model and why it has no
// exact ONNX form.
Result<ModelOutputs> exportModel(GraphBuilder &graph, const Model &model, const std::string &features);

} // namespace plumb::onnxexport
