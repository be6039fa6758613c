// The fitted models as ONNX nodes.
//
// Linear models are MatMul + Add in double, logistic regression adds Sigmoid (two classes, as
// [1 - p, p]) or Softmax. Gaussian naive Bayes is its joint log-likelihood in double, broadcast
// over [N, classes, features], then Softmax. Decision trees, random forests and gradient boosting use the ONNX-ML
// tree ensembles of opset 3 with thresholds and leaf values in double (nodes_values_as_tensor,
// *_weights_as_tensor), so every row reaches the same leaf as in Plumb (native categorical splits
// as chains of tests, see addCategoricalSplit); the operators' outputs are float32 by definition,
// which the notes say.

#include "interop/onnxsteps.h"

#include "learn/gaussiannaivebayes.h"
#include "learn/gradientboosting.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"
#include "learn/nearestneighbours.h"
#include "learn/treemodels.h"

#include <QJsonArray>

#include <cmath>
#include <limits>
#include <numbers>

namespace plumb::onnxexport {

std::string argMax(GraphBuilder &graph, const std::string &scores)
{
    onnx::NodeProto &node = graph.node("ArgMax", {scores});
    GraphBuilder::set(node, "axis", std::int64_t(1));
    GraphBuilder::set(node, "keepdims", std::int64_t(0));
    return node.output(0);
}

namespace {

const QString kFloatNote = QStringLiteral(
    "%1: ONNX-ML opset 3 tree ensembles output float32, so %2 agree with Plumb's to about 7 significant digits; "
    "thresholds and leaf values are kept in double, so every row reaches the same leaves");

std::vector<double> rowMajor(const Eigen::MatrixXd &matrix)
{
    // ONNX initializers are row-major; Eigen is column-major.
    std::vector<double> values;
    for (Eigen::Index r = 0; r < matrix.rows(); ++r)
        for (Eigen::Index c = 0; c < matrix.cols(); ++c)
            values.push_back(matrix(r, c));
    return values;
}

std::string toDouble(GraphBuilder &graph, const std::string &value)
{
    onnx::NodeProto &cast = graph.node("Cast", {value});
    GraphBuilder::set(cast, "to", std::int64_t(onnx::TensorProto::DOUBLE));
    return cast.output(0);
}

// [1 - p, p] from p [N, 1], as the two-class models give their probabilities.
std::string twoClass(GraphBuilder &graph, const std::string &p)
{
    const std::string one = graph.doubles("one", {1.0}, {});
    onnx::NodeProto &concat = graph.node("Concat", {graph.apply("Sub", {one, p}), p});
    GraphBuilder::set(concat, "axis", std::int64_t(1));
    return concat.output(0);
}

std::string softmax(GraphBuilder &graph, const std::string &scores)
{
    onnx::NodeProto &node = graph.node("Softmax", {scores});
    GraphBuilder::set(node, "axis", std::int64_t(1));
    return node.output(0);
}

// The node arrays of an ONNX-ML tree ensemble, filled tree by tree.
struct EnsembleNodes
{
    std::vector<std::int64_t> treeIds, nodeIds, featureIds, trueIds, falseIds, missingTrue;
    QStringList modes;
    std::vector<double> thresholds;
    // Leaves: tree, node, target (or class) and weight.
    std::vector<std::int64_t> leafTree, leafNode, leafTarget;
    std::vector<double> leafWeight;

    // A test "x[feature] <mode> threshold" (BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_EQ): true
    // goes to `left`, false to `right`; NaN goes left when `missingLeft`, else it fails the test.
    void addSplit(std::int64_t tree, std::int64_t node, std::int64_t feature, double threshold, std::int64_t left,
                  std::int64_t right, bool missingLeft, const char *mode = "BRANCH_LEQ")
    {
        treeIds.push_back(tree);
        nodeIds.push_back(node);
        featureIds.push_back(feature);
        modes.append(QLatin1String(mode));
        thresholds.push_back(threshold);
        trueIds.push_back(left);
        falseIds.push_back(right);
        missingTrue.push_back(missingLeft ? 1 : 0);
    }
    void addLeaf(std::int64_t tree, std::int64_t node)
    {
        treeIds.push_back(tree);
        nodeIds.push_back(node);
        featureIds.push_back(0);
        modes.append(QStringLiteral("LEAF"));
        thresholds.push_back(0);
        trueIds.push_back(0);
        falseIds.push_back(0);
        missingTrue.push_back(0);
    }
    void addWeight(std::int64_t tree, std::int64_t node, std::int64_t target, double weight)
    {
        leafTree.push_back(tree);
        leafNode.push_back(node);
        leafTarget.push_back(target);
        leafWeight.push_back(weight);
    }
    // Writes the node attributes and the leaf attributes under `prefix` ("target" or "class").
    void write(onnx::NodeProto &node, const char *prefix) const
    {
        GraphBuilder::set(node, "nodes_treeids", treeIds);
        GraphBuilder::set(node, "nodes_nodeids", nodeIds);
        GraphBuilder::set(node, "nodes_featureids", featureIds);
        GraphBuilder::set(node, "nodes_modes", modes);
        GraphBuilder::setDoubles(node, "nodes_values_as_tensor", thresholds);
        GraphBuilder::set(node, "nodes_truenodeids", trueIds);
        GraphBuilder::set(node, "nodes_falsenodeids", falseIds);
        GraphBuilder::set(node, "nodes_missing_value_tracks_true", missingTrue);
        const std::string p(prefix);
        GraphBuilder::set(node, (p + "_treeids").c_str(), leafTree);
        GraphBuilder::set(node, (p + "_nodeids").c_str(), leafNode);
        GraphBuilder::set(node, (p + "_ids").c_str(), leafTarget);
        GraphBuilder::setDoubles(node, (p + "_weights_as_tensor").c_str(), leafWeight);
    }
};

Result<ModelOutputs> exportLinear(GraphBuilder &graph, const LinearRegressor &model, const std::string &x)
{
    const Eigen::VectorXd &w = model.coefficients();
    const std::string weights = graph.doubles("coefficients", std::vector<double>(w.data(), w.data() + w.size()), {w.size(), 1});
    const std::string intercept = graph.doubles("intercept", {model.intercept()}, {1});
    ModelOutputs out;
    out.value = graph.apply("Add", {graph.apply("MatMul", {x, weights}), intercept});
    return out;
}

Result<ModelOutputs> exportLogistic(GraphBuilder &graph, const LogisticRegression &model, const std::string &x)
{
    const Eigen::MatrixXd &w = model.coefficients();
    const Eigen::VectorXd &b = model.intercepts();
    const std::string weights = graph.doubles("coefficients", rowMajor(w), {w.rows(), w.cols()});
    const std::string intercepts = graph.doubles("intercepts", std::vector<double>(b.data(), b.data() + b.size()), {b.size()});
    const std::string scores = graph.apply("Add", {graph.apply("MatMul", {x, weights}), intercepts});
    ModelOutputs out;
    out.probabilities = model.classCount() == 2 ? twoClass(graph, graph.apply("Sigmoid", {scores})) : softmax(graph, scores);
    out.labelIndex = argMax(graph, out.probabilities);
    return out;
}

Result<ModelOutputs> exportForest(GraphBuilder &graph, const TreeEnsemble &model, const std::string &x)
{
    EnsembleNodes nodes;
    const Eigen::Index outputs = model.rowOutputs();
    const auto &trees = model.trees();
    const bool classifier = model.task() == Task::Classification;
    for (std::size_t t = 0; t < trees.size(); ++t) {
        const Tree &tree = trees[t];
        for (Eigen::Index n = 0; n < tree.nodeCount(); ++n) {
            const Tree::Node &node = tree.nodes()[std::size_t(n)];
            if (node.feature >= 0) {
                nodes.addSplit(std::int64_t(t), n, node.feature, node.threshold, node.left, node.left + 1, node.missingLeft);
                continue;
            }
            nodes.addLeaf(std::int64_t(t), n);
            for (Eigen::Index o = 0; o < outputs; ++o)
                nodes.addWeight(std::int64_t(t), n, o, tree.values(n)[o]);
        }
    }
    ModelOutputs out;
    const double treeCount = double(trees.size());
    if (!classifier) {
        // The mean of the trees' values, as TreeEnsemble::predict averages them.
        onnx::NodeProto &node = graph.node("TreeEnsembleRegressor", {x}, 1, kMlDomain);
        nodes.write(node, "target");
        GraphBuilder::set(node, "n_targets", std::int64_t(1));
        GraphBuilder::set(node, "aggregate_function", "AVERAGE");
        out.value = toDouble(graph, node.output(0));
        out.notes << kFloatNote.arg(model.kind(), QStringLiteral("predicted values"));
        return out;
    }
    // Class weights are the leaves' class fractions, summed over the trees (in double inside the
    // operator) and divided by the tree count here. With more than two classes the label is the
    // operator's, taken from its double sums. With two, ONNX Runtime's label compares the second
    // class's score with 0.5 as if it were a probability (here it is a sum over trees), so the
    // label is the first largest probability, as TreeEnsemble::predict picks it.
    onnx::NodeProto &node = graph.node("TreeEnsembleClassifier", {x}, 2, kMlDomain);
    nodes.write(node, "class");
    std::vector<std::int64_t> labels;
    for (Eigen::Index o = 0; o < outputs; ++o)
        labels.push_back(o);
    GraphBuilder::set(node, "classlabels_int64s", labels);
    const std::string count = graph.doubles("tree_count", {treeCount}, {});
    out.probabilities = graph.apply("Div", {toDouble(graph, node.output(1)), count});
    out.labelIndex = outputs > 2 ? node.output(0) : argMax(graph, out.probabilities);
    out.notes << kFloatNote.arg(model.kind(), QStringLiteral("probabilities"));
    return out;
}

const Tensor *stateArray(const ComponentState &state, const char *name)
{
    const auto found = state.arrays.find(QLatin1String(name));
    return found == state.arrays.end() ? nullptr : &found->second;
}

// A categorical split of gradient boosting (BoostedTrees::categoryGoesRight): a code in the
// split's set goes left, another code right, and NaN or a value outside 0..k-1 the missing side.
// ai.onnx.ml opset 3 has no set test, so the split becomes a chain of nodes that share their
// children, as onnxmltools writes LightGBM's categorical splits: when the missing side is left,
// "x < 0" (NaN too) and "x >= k" go left first; then one "x == c" per category c of the set goes
// left, and the last one's false branch goes right. The encoder's table feeds the trees whole
// codes (or NaN), so these tests decide every value they can receive as Plumb does.
// `nextId` is the first free node id of the tree; the chain's extra nodes take ids from it.
Result<bool> addCategoricalSplit(EnsembleNodes &nodes, std::int64_t tree, std::int64_t node, std::int64_t feature, int categories,
                                 const double *setWords, std::int64_t left, std::int64_t right, bool missingLeft,
                                 std::int64_t &nextId)
{
    std::vector<int> members;
    for (int c = 0; c < categories; ++c)
        if ((std::uint32_t(setWords[c / 32]) >> (c % 32)) & 1u)
            members.push_back(c);
    std::int64_t id = node;
    const auto next = [&] { return nextId++; };
    if (missingLeft) {
        // With no category in the set, only the missing side goes left.
        const std::int64_t second = next(), third = members.empty() ? right : next();
        nodes.addSplit(tree, id, feature, 0.0, left, second, true, "BRANCH_LT");
        nodes.addSplit(tree, second, feature, double(categories), left, third, false, "BRANCH_GTE");
        id = third;
    } else if (members.empty()) {
        // Every value goes right: no value (NaN neither) is below minus infinity.
        nodes.addSplit(tree, id, feature, -std::numeric_limits<double>::infinity(), left, right, false, "BRANCH_LT");
    }
    for (std::size_t m = 0; m < members.size(); ++m) {
        const bool last = m + 1 == members.size();
        const std::int64_t following = last ? right : next();
        nodes.addSplit(tree, id, feature, double(members[m]), left, following, false, "BRANCH_EQ");
        id = following;
    }
    return true;
}

// Per feature, its category count (0 for a numeric one), from the gradient boosting state.
std::vector<int> categoryCounts(const ComponentState &state, Eigen::Index features)
{
    std::vector<int> counts(std::size_t(features), 0);
    const QJsonArray indices = state.values.value(QLatin1String("categorical_features")).toArray();
    const QJsonArray sizes = state.values.value(QLatin1String("category_counts")).toArray();
    for (qsizetype i = 0; i < std::min(indices.size(), sizes.size()); ++i) {
        const int feature = indices[i].toInt(-1);
        if (feature >= 0 && feature < features)
            counts[std::size_t(feature)] = sizes[i].toInt();
    }
    return counts;
}

// The boosted trees as tree ensemble nodes, read from the state as the model file stores them.
Result<EnsembleNodes> boostedNodes(const GradientBoosting &model, const ComponentState &state)
{
    // The trees as the model file stores them (BoostedTrees::writeState): per tree its node count;
    // per node feature (-1 leaf), threshold, left/right (relative to the tree), missing side,
    // category set (-1 numeric) and leaf value.
    const char *names[] = {"tree_sizes",        "node_feature",      "node_threshold", "node_left", "node_right",
                           "node_missing_left", "node_category_set", "node_value",     "baseline"};
    const Tensor *arrays[9];
    for (int i = 0; i < 9; ++i)
        if (!(arrays[i] = stateArray(state, names[i])))
            return Error::invalid(QStringLiteral("gradient_boosting: its state has no '%1'").arg(QLatin1String(names[i])));
    const auto &[sizes, feature, threshold, left, right, missingLeft, categorySet, value, baseline] = arrays;
    const int outputs = model.trees().outputs();
    const std::vector<int> categories = categoryCounts(state, model.featureCount());
    const Tensor *sets = stateArray(state, "category_sets");
    EnsembleNodes nodes;
    std::size_t first = 0;
    for (std::size_t t = 0; t < sizes->data.size(); ++t) {
        const auto count = std::size_t(sizes->data[t]);
        std::int64_t nextId = std::int64_t(count);
        for (std::size_t n = 0; n < count; ++n) {
            const std::size_t i = first + n;
            if (i >= feature->data.size())
                return Error::invalid(QStringLiteral("gradient_boosting: tree %1 runs past the node arrays").arg(t));
            if (categorySet->data[i] >= 0) {
                const auto f = std::size_t(feature->data[i]);
                const auto row = std::size_t(categorySet->data[i]);
                if (!sets || f >= categories.size() || categories[f] <= 0 || (row + 1) * 8 > sets->data.size())
                    return Error::invalid(
                        QStringLiteral("gradient_boosting: tree %1 has a categorical split the state does not describe").arg(t));
                Result<bool> added = addCategoricalSplit(nodes, std::int64_t(t), std::int64_t(n), std::int64_t(f), categories[f],
                                                         sets->data.data() + row * 8, std::int64_t(left->data[i]),
                                                         std::int64_t(right->data[i]), missingLeft->data[i] != 0, nextId);
                if (!added)
                    return Error::invalid(QStringLiteral("gradient_boosting: %1").arg(added.error().message));
                continue;
            }
            if (feature->data[i] < 0) {
                nodes.addLeaf(std::int64_t(t), std::int64_t(n));
                nodes.addWeight(std::int64_t(t), std::int64_t(n), std::int64_t(t % std::size_t(outputs)), value->data[i]);
            } else {
                nodes.addSplit(std::int64_t(t), std::int64_t(n), std::int64_t(feature->data[i]), threshold->data[i],
                               std::int64_t(left->data[i]), std::int64_t(right->data[i]), missingLeft->data[i] != 0);
            }
        }
        first += count;
    }
    return nodes;
}

Result<ModelOutputs> exportBoosting(GraphBuilder &graph, const GradientBoosting &model, const std::string &x)
{
    const ComponentState state = model.state();
    Result<EnsembleNodes> nodes = boostedNodes(model, state);
    if (!nodes)
        return nodes.error();
    const int outputs = model.trees().outputs();
    const Tensor *baseline = stateArray(state, "baseline");
    onnx::NodeProto &node = graph.node("TreeEnsembleRegressor", {x}, 1, kMlDomain);
    nodes.value().write(node, "target");
    GraphBuilder::set(node, "n_targets", std::int64_t(outputs));
    GraphBuilder::set(node, "aggregate_function", "SUM");
    GraphBuilder::setDoubles(node, "base_values_as_tensor", baseline->data);
    const std::string raw = toDouble(graph, node.output(0));
    ModelOutputs out;
    if (model.task() == Task::Regression) {
        out.value = raw;
        out.notes << kFloatNote.arg(model.kind(), QStringLiteral("predicted values"));
        return out;
    }
    out.probabilities = outputs == 1 ? twoClass(graph, graph.apply("Sigmoid", {raw})) : softmax(graph, raw);
    out.labelIndex = argMax(graph, out.probabilities);
    out.notes << kFloatNote.arg(model.kind(), QStringLiteral("raw scores (and so the probabilities)"));
    return out;
}

Result<ModelOutputs> exportNaiveBayes(GraphBuilder &graph, const GaussianNaiveBayes &model, const std::string &x)
{
    // jll_c(x) = log prior_c - 1/2 sum_f log(2 pi var_cf) - 1/2 sum_f (x_f - mean_cf)^2 / var_cf,
    // the class terms computed as GaussianNaiveBayes::prepare does.
    const Eigen::MatrixXd &means = model.means();
    const Eigen::MatrixXd &variances = model.variances();
    const Eigen::Index classes = means.rows(), features = means.cols();
    std::vector<double> terms;
    for (Eigen::Index c = 0; c < classes; ++c)
        terms.push_back(std::log(model.priors()[c]) - 0.5 * (2.0 * std::numbers::pi * variances.row(c).array()).log().sum());
    const std::string axisOne = graph.int64s("axis", {1}, {1});
    const std::string rows = graph.apply("Unsqueeze", {x, axisOne}); // [N, 1, features]
    const std::string centred = graph.apply("Sub", {rows, graph.doubles("means", rowMajor(means), {1, classes, features})});
    const std::string scaled = graph.apply(
        "Div", {graph.apply("Mul", {centred, centred}), graph.doubles("variances", rowMajor(variances), {1, classes, features})});
    onnx::NodeProto &sum = graph.node("ReduceSum", {scaled, graph.int64s("axis", {2}, {1})});
    GraphBuilder::set(sum, "keepdims", std::int64_t(0));
    const std::string half = graph.doubles("half", {0.5}, {});
    const std::string jll = graph.apply(
        "Sub", {graph.doubles("class_terms", terms, {classes}), graph.apply("Mul", {half, sum.output(0)})});
    ModelOutputs out;
    out.probabilities = softmax(graph, jll);
    // The label is the largest joint log-likelihood, as GaussianNaiveBayes::predict takes it.
    out.labelIndex = argMax(graph, jll);
    return out;
}

} // namespace

Result<ModelOutputs> exportModel(GraphBuilder &graph, const Model &model, const std::string &features)
{
    if (const auto *linear = dynamic_cast<const LinearRegressor *>(&model))
        return exportLinear(graph, *linear, features);
    if (const auto *logistic = dynamic_cast<const LogisticRegression *>(&model))
        return exportLogistic(graph, *logistic, features);
    if (const auto *forest = dynamic_cast<const TreeEnsemble *>(&model))
        return exportForest(graph, *forest, features);
    if (const auto *boosting = dynamic_cast<const GradientBoosting *>(&model))
        return exportBoosting(graph, *boosting, features);
    if (const auto *bayes = dynamic_cast<const GaussianNaiveBayes *>(&model))
        return exportNaiveBayes(graph, *bayes, features);
    if (const auto *neighbours = dynamic_cast<const KNearestNeighbours *>(&model))
        return exportNeighbours(graph, *neighbours, features);
    return Error::invalid(QStringLiteral("model %1: no ONNX export for this kind yet").arg(model.kind()));
}

} // namespace plumb::onnxexport
