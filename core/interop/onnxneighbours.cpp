// k-nearest neighbours as standard ONNX operators, in double precision.
//
// The squared distance to every training row is sum_j (q_j - x_j)^2 added feature by feature,
// one Sub, Mul and Add per feature over [N, training rows], so each distance is the same double
// NeighbourSearch computes (in feature order, no fused multiply-add). TopK (smallest first; equal
// values by lower index, as the ONNX specification fixes) then picks the same neighbours in the
// same order as Plumb: nearest first, equally near rows in training order. The neighbours'
// targets are combined as KNearestNeighbours does: uniform votes or the mean, or weights
// 1 / distance (only the neighbours at distance 0 when there are some).
// The graph holds the training rows, and ONNX Runtime materialises [N, training rows] distances:
// score large batches in slices.

#include "interop/onnxsteps.h"

#include "learn/nearestneighbours.h"

namespace plumb::onnxexport {

namespace {

std::string reduceSum(GraphBuilder &graph, const std::string &value, std::int64_t axis, bool keep)
{
    onnx::NodeProto &node = graph.node("ReduceSum", {value, graph.int64s("axis", {axis}, {1})});
    GraphBuilder::set(node, "keepdims", std::int64_t(keep ? 1 : 0));
    return node.output(0);
}

// [N, training rows] squared distances from the rows of `x` to every training row.
std::string squaredDistances(GraphBuilder &graph, const Tensor &training, const std::string &x)
{
    const std::int64_t rows = training.shape[0], features = training.shape[1];
    std::string sum;
    for (std::int64_t j = 0; j < features; ++j) {
        std::vector<double> column;
        for (std::int64_t r = 0; r < rows; ++r)
            column.push_back(training.data[std::size_t(r * features + j)]);
        const std::string query = graph.apply(
            "Slice", {x, graph.int64s("start", {j}, {1}), graph.int64s("end", {j + 1}, {1}), graph.int64s("axis", {1}, {1})});
        const std::string difference = graph.apply("Sub", {query, graph.doubles("training", column, {1, rows})});
        const std::string square = graph.apply("Mul", {difference, difference});
        sum = j == 0 ? square : graph.apply("Add", {sum, square});
    }
    return sum;
}

} // namespace

Result<ModelOutputs> exportNeighbours(GraphBuilder &graph, const KNearestNeighbours &model, const std::string &x)
{
    const ComponentState state = model.state();
    const auto training = state.arrays.find(QStringLiteral("training"));
    const auto targets = state.arrays.find(QStringLiteral("targets"));
    if (training == state.arrays.end() || targets == state.arrays.end() || training->second.shape.size() != 2)
        return Error::invalid(QStringLiteral("model knn: its state has no training rows and targets"));
    const std::int64_t rows = training->second.shape[0];
    const std::int64_t k = std::clamp<std::int64_t>(model.params().integer(QStringLiteral("n_neighbors")), 1,
                                                    std::max<std::int64_t>(1, rows));
    const bool weighted = model.params().choice(QStringLiteral("weights")) == QLatin1String("distance");

    const std::string distances = squaredDistances(graph, training->second, x);
    onnx::NodeProto &topK = graph.node("TopK", {distances, graph.int64s("k", {k}, {1})}, 2);
    GraphBuilder::set(topK, "axis", std::int64_t(1));
    GraphBuilder::set(topK, "largest", std::int64_t(0));
    GraphBuilder::set(topK, "sorted", std::int64_t(1));
    const std::string nearest = topK.output(0), indices = topK.output(1);
    const std::string values = graph.apply("Gather", {graph.doubles("targets", targets->second.data, {rows}), indices}); // [N, k]

    // Weights [N, k]: 1; or 1 / distance, unless some distance is 0: then 1 for those, 0 for the rest.
    std::string weights;
    const std::string zero = graph.doubles("zero", {0.0}, {});
    if (weighted) {
        onnx::NodeProto &closest = graph.node("ReduceMin", {nearest});
        GraphBuilder::set(closest, "axes", std::vector<std::int64_t>{1});
        GraphBuilder::set(closest, "keepdims", std::int64_t(1));
        onnx::NodeProto &exact = graph.node("Cast", {graph.apply("Equal", {nearest, zero})});
        GraphBuilder::set(exact, "to", std::int64_t(onnx::TensorProto::DOUBLE));
        const std::string inverse = graph.apply("Reciprocal", {graph.apply("Sqrt", {nearest})});
        weights = graph.apply("Where", {graph.apply("Equal", {closest.output(0), zero}), exact.output(0), inverse});
    }
    ModelOutputs out;
    if (model.task() == Task::Regression) {
        // Uniform: the mean of the targets; distance: sum(y * w) / sum(w).
        if (!weighted) {
            out.value = graph.apply("Div", {reduceSum(graph, values, 1, true), graph.doubles("k", {double(k)}, {})});
        } else {
            out.value = graph.apply(
                "Div", {reduceSum(graph, graph.apply("Mul", {values, weights}), 1, true), reduceSum(graph, weights, 1, true)});
        }
        return out;
    }
    // Per class, the neighbours' weights (or votes) summed: [N, k, 1] == [1, 1, C], times the weights.
    const int classes = model.classCount();
    std::vector<double> labels;
    for (int c = 0; c < classes; ++c)
        labels.push_back(c);
    const std::string classOf = graph.apply("Unsqueeze", {values, graph.int64s("axis", {2}, {1})});
    onnx::NodeProto &member = graph.node("Cast",
                                         {graph.apply("Equal", {classOf, graph.doubles("classes", labels, {1, 1, classes})})});
    GraphBuilder::set(member, "to", std::int64_t(onnx::TensorProto::DOUBLE));
    std::string counted = member.output(0);
    if (weighted)
        counted = graph.apply("Mul", {counted, graph.apply("Unsqueeze", {weights, graph.int64s("axis", {2}, {1})})});
    const std::string sums = reduceSum(graph, counted, 1, false); // [N, C]
    out.probabilities = graph.apply("Div", {sums, reduceSum(graph, sums, 1, true)});
    // The most votes or the largest weight sum, ties to the lower class index.
    out.labelIndex = argMax(graph, sums);
    return out;
}

} // namespace plumb::onnxexport
