// Trees: DecisionTree{Classifier,Regressor} and RandomForest{Classifier,Regressor}.

#include "interop/sklearnconversion.h"

#include "learn/tree.h"

#include <cmath>
#include <cstring>
#include <deque>
#include <limits>

namespace plumb {

namespace {

// The fields of scikit-learn's node record (sklearn.tree._tree.NODE_DTYPE): 56 bytes before 1.3,
// 64 bytes with missing_go_to_left from 1.3 on. The layout is told by the fields, not the version.
enum NodeField { kLeft, kRight, kFeature, kThreshold, kImpurity, kWeightedSamples, kMissingLeft };

const std::vector<RecordField> &nodeFields(bool withMissing)
{
    static const std::vector<RecordField> base{
        {QStringLiteral("left_child"), QStringLiteral("i")}, {QStringLiteral("right_child"), QStringLiteral("i")},
        {QStringLiteral("feature"), QStringLiteral("i")},    {QStringLiteral("threshold"), QStringLiteral("f")},
        {QStringLiteral("impurity"), QStringLiteral("f")},   {QStringLiteral("weighted_n_node_samples"), QStringLiteral("f")}};
    static const std::vector<RecordField> withFlag = [] {
        std::vector<RecordField> fields = base;
        fields.push_back({QStringLiteral("missing_go_to_left"), QStringLiteral("u")});
        return fields;
    }();
    return withMissing ? withFlag : base;
}

// One scikit-learn tree, checked and renumbered breadth-first, in the flat layout Plumb stores.
struct FlatTree
{
    std::vector<double> feature, threshold, samples, values; // values: nodes x outputs
    std::vector<double> missingLeft; // 1 where a split sends missing values left (scikit-learn 1.3+)
    Eigen::VectorXd importances;
};

// The node records of a Tree object, after checking that its dtype is one of the two layouts.
Result<RecordArray> treeNodes(const SklearnGraphReader &reader, const GraphRef &nodes)
{
    const PickleValue &value = reader.value(nodes);
    bool hasMissing = false;
    if (value.kind == PickleValue::Kind::Array)
        for (const NumpyDtype::Field &field : value.array.dtype.fields)
            hasMissing = hasMissing || field.name == QLatin1String("missing_go_to_left");
    Result<RecordArray> records = reader.records(nodes, nodeFields(hasMissing));
    if (!records)
        return records.error();
    const int size = value.array.dtype.itemSize;
    if (size != (hasMissing ? 64 : 56))
        return SklearnGraphReader::at(nodes,
                                      QStringLiteral("a %1-byte node record %2 missing_go_to_left is neither scikit-learn layout")
                                          .arg(size)
                                          .arg(hasMissing ? QStringLiteral("with") : QStringLiteral("without")));
    return records;
}

// Checks the links of every node: a leaf has both children -1; a split has a feature below
// `inputs`, a finite threshold, missing_go_to_left 0 or 1 (64-byte layout), and children in
// range; every node but the root is the child of exactly one split. Counts parents per node.
std::optional<Error> checkLinks(const GraphRef &where, const RecordArray &nodes, Eigen::Index inputs, bool hasMissing)
{
    const std::int64_t count = nodes.size();
    std::vector<int> parents(std::size_t(count), 0);
    const auto bad = [&](std::int64_t node, const QString &why) {
        return SklearnGraphReader::at(where, QStringLiteral("node %1: %2").arg(node).arg(why));
    };
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t left = nodes.integer(i, kLeft), right = nodes.integer(i, kRight);
        if (left == -1 || right == -1) {
            if (left != right)
                return bad(i, QStringLiteral("one child is -1 and the other %1").arg(std::max(left, right)));
            continue;
        }
        for (const std::int64_t child : {left, right}) {
            if (child < 1 || child >= count)
                return bad(i, QStringLiteral("child %1 is outside 1..%2").arg(child).arg(count - 1));
            if (++parents[std::size_t(child)] > 1)
                return bad(child, QStringLiteral("the node has two parents"));
        }
        const std::int64_t feature = nodes.integer(i, kFeature);
        if (feature < 0 || feature >= inputs)
            return bad(i, QStringLiteral("feature %1 is outside 0..%2").arg(feature).arg(inputs - 1));
        if (!std::isfinite(nodes.real(i, kThreshold)))
            return bad(i, QStringLiteral("the threshold is not a finite number"));
        if (hasMissing && nodes.integer(i, kMissingLeft) != 0 && nodes.integer(i, kMissingLeft) != 1)
            return bad(i, QStringLiteral("missing_go_to_left is %1, not 0 or 1").arg(nodes.integer(i, kMissingLeft)));
    }
    for (std::int64_t i = 1; i < count; ++i)
        if (parents[std::size_t(i)] != 1)
            return bad(i, QStringLiteral("the node is no split's child"));
    return std::nullopt;
}

// Appends a node's outputs: class counts or fractions become fractions (value / their sum, a zero
// sum left as zeros, as scikit-learn's predict_proba does); a regression value is kept. False for a
// negative count.
bool appendValues(const double *row, int outputs, bool classify, std::vector<double> &out)
{
    double sum = 0;
    for (int o = 0; o < outputs; ++o) {
        if (classify && row[o] < 0)
            return false;
        sum += row[o];
    }
    for (int o = 0; o < outputs; ++o)
        out.push_back(classify ? row[o] / (sum == 0.0 ? 1.0 : sum) : row[o]);
    return true;
}

// Renumbers breadth-first, the order Plumb's trees use (the children of the k-th split are nodes
// 2k+1 and 2k+2), with thresholds made exact for double inputs (float32SplitAsDouble).
Result<FlatTree> flattenTree(const SklearnGraphReader &reader, const GraphRef &tree, Eigen::Index inputs, int classes)
{
    Result<GraphRef> nodesRef = reader.attribute(tree, QStringLiteral("nodes"));
    Result<GraphRef> valuesRef = reader.attribute(tree, QStringLiteral("values"));
    if (!nodesRef || !valuesRef)
        return !nodesRef ? nodesRef.error() : valuesRef.error();
    Result<RecordArray> nodes = treeNodes(reader, nodesRef.value());
    if (!nodes)
        return nodes.error();
    const std::int64_t count = nodes.value().size();
    if (count < 1 || count > std::numeric_limits<std::int32_t>::max() / 2)
        return SklearnGraphReader::at(nodesRef.value(), QStringLiteral("%1 nodes is out of range").arg(count));
    const bool hasMissing = reader.value(nodesRef.value()).array.dtype.itemSize == 64;
    if (auto error = checkLinks(nodesRef.value(), nodes.value(), inputs, hasMissing))
        return *error;
    const int outputs = classes > 0 ? classes : 1;
    std::vector<std::int64_t> shape{count, 1, outputs};
    Result<std::vector<double>> values = reader.reals(valuesRef.value(), shape);
    if (!values)
        return values.error();

    FlatTree flat;
    flat.importances = Eigen::VectorXd::Zero(inputs);
    std::deque<std::int64_t> queue{0};
    std::int64_t visited = 0;
    while (!queue.empty()) {
        const std::int64_t node = queue.front();
        queue.pop_front();
        ++visited;
        const bool split = nodes.value().integer(node, kLeft) != -1;
        const double weight = nodes.value().real(node, kWeightedSamples);
        if (!(weight >= 0) || !std::isfinite(weight))
            return SklearnGraphReader::at(
                nodesRef.value(), QStringLiteral("node %1: the weighted sample count is not a non-negative number").arg(node));
        flat.feature.push_back(split ? double(nodes.value().integer(node, kFeature)) : -1.0);
        flat.threshold.push_back(split ? float32SplitAsDouble(nodes.value().real(node, kThreshold)) : 0.0);
        flat.samples.push_back(weight);
        flat.missingLeft.push_back(split && hasMissing ? double(nodes.value().integer(node, kMissingLeft)) : 0.0);
        if (!appendValues(values.value().data() + node * outputs, outputs, classes > 0, flat.values))
            return SklearnGraphReader::at(valuesRef.value(), QStringLiteral("node %1 holds a negative class count").arg(node));
        if (!split)
            continue;
        const std::int64_t left = nodes.value().integer(node, kLeft), right = nodes.value().integer(node, kRight);
        // Mean decrease in impurity (scikit-learn's compute_feature_importances).
        flat.importances[Eigen::Index(nodes.value().integer(node, kFeature))] += weight * nodes.value().real(node, kImpurity)
            - nodes.value().real(left, kWeightedSamples) * nodes.value().real(left, kImpurity)
            - nodes.value().real(right, kWeightedSamples) * nodes.value().real(right, kImpurity);
        queue.push_back(left);
        queue.push_back(right);
    }
    if (visited != count)
        return SklearnGraphReader::at(
            nodesRef.value(),
            QStringLiteral("%1 of the %2 nodes cannot be reached from the root (a cycle)").arg(count - visited).arg(count));
    const double total = flat.importances.sum();
    if (total > 0 && std::isfinite(total))
        flat.importances /= total;
    else
        flat.importances.setZero();
    return flat;
}

// The decision trees of the estimator: itself, or a forest's estimators_.
Result<std::vector<GraphRef>> treeEstimators(ConversionContext &context, const GraphRef &ref, bool forest)
{
    if (!forest)
        return std::vector<GraphRef>{ref};
    Result<GraphRef> list = context.reader.attribute(ref, QStringLiteral("estimators_"));
    if (!list)
        return list.error();
    Result<std::vector<GraphRef>> trees = context.reader.items(list.value());
    if (trees && trees.value().empty())
        return SklearnGraphReader::at(list.value(), QStringLiteral("the forest has no trees"));
    return trees;
}

std::optional<Error> requireSingleOutput(const ConversionContext &context, const GraphRef &estimator)
{
    if (const auto outputs = context.reader.optionalAttribute(estimator, QStringLiteral("n_outputs_"))) {
        Result<std::int64_t> n = context.reader.integer(*outputs);
        if (!n)
            return n.error();
        if (n.value() != 1)
            return SklearnGraphReader::at(*outputs, QStringLiteral("%1 outputs; Plumb's trees predict one").arg(n.value()));
    }
    return std::nullopt;
}

} // namespace

double float32SplitAsDouble(double threshold)
{
    // f: the largest float32 <= threshold; g: the next float32 up; m: their midpoint, exact in a
    // double (a float32 mantissa has 24 bits). float(x) <= f exactly when x < m, or x == m and the
    // tie goes to f (round half to even: f's last mantissa bit is 0).
    constexpr double kLargest = double(std::numeric_limits<float>::max());
    const double halfTopUlp = std::ldexp(1.0, 103); // half the float32 spacing just below FLT_MAX
    if (threshold
        >= kLargest) // every finite float32 is <= threshold; x rounds to +inf from FLT_MAX + halfTopUlp on (a tie goes up: FLT_MAX is odd)
        return std::nextafter(kLargest + halfTopUlp, -std::numeric_limits<double>::infinity());
    if (threshold < -kLargest) // only -inf is <= threshold: x <= -(FLT_MAX + halfTopUlp), the tie going to -inf
        return -(kLargest + halfTopUlp);
    float f = static_cast<float>(threshold);
    if (double(f) > threshold)
        f = std::nextafter(f, -std::numeric_limits<float>::infinity());
    const float g = std::nextafter(f, std::numeric_limits<float>::infinity());
    const double midpoint = (double(f) + double(g)) / 2.0;
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    const bool odd = (bits & 1u) != 0;
    return odd ? std::nextafter(midpoint, -std::numeric_limits<double>::infinity()) : midpoint;
}

Result<ConvertedModel> convertTreeModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const QString name = context.sklearnClass(ref);
    const bool forest = name.startsWith(QLatin1String("RandomForest"));
    const bool classifier = name.endsWith(QLatin1String("Classifier"));
    Result<TargetSpec> target = classifier ? classifierTarget(context, ref) : Result<TargetSpec>(regressorTarget());
    if (!target)
        return target.error();
    if (auto error = requireSingleOutput(context, ref))
        return *error;
    Result<std::vector<GraphRef>> estimators = treeEstimators(context, ref, forest);
    if (!estimators)
        return estimators.error();
    const int classes = classifier ? int(target.value().classes.size()) : 0;
    Tensor sizes, feature, threshold, samples, values, missingLeft;
    Eigen::VectorXd importances = Eigen::VectorXd::Zero(inputs);
    for (const GraphRef &estimator : estimators.value()) {
        const QString expected = classifier ? QStringLiteral("DecisionTreeClassifier") : QStringLiteral("DecisionTreeRegressor");
        if (context.sklearnClass(estimator) != expected)
            return context.reader.mismatch(estimator, QStringLiteral("a %1").arg(expected));
        if (auto error = checkFeatureCount(context, estimator, inputs))
            return *error;
        if (auto error = requireSingleOutput(context, estimator))
            return *error;
        Result<GraphRef> tree = context.reader.attribute(estimator, QStringLiteral("tree_"));
        if (!tree)
            return tree.error();
        Result<FlatTree> flat = flattenTree(context.reader, tree.value(), inputs, classes);
        if (!flat)
            return flat.error();
        sizes.data.push_back(double(flat.value().feature.size()));
        feature.data.insert(feature.data.end(), flat.value().feature.begin(), flat.value().feature.end());
        threshold.data.insert(threshold.data.end(), flat.value().threshold.begin(), flat.value().threshold.end());
        samples.data.insert(samples.data.end(), flat.value().samples.begin(), flat.value().samples.end());
        missingLeft.data.insert(missingLeft.data.end(), flat.value().missingLeft.begin(), flat.value().missingLeft.end());
        values.data.insert(values.data.end(), flat.value().values.begin(), flat.value().values.end());
        importances += flat.value().importances;
    }
    const auto total = std::int64_t(feature.data.size());
    sizes.shape = {std::int64_t(sizes.data.size())};
    feature.shape = threshold.shape = samples.shape = missingLeft.shape = {total};
    values.shape = {total, std::int64_t(classifier ? classes : 1)};
    if (importances.sum() > 0)
        importances /= importances.sum();
    ComponentState state;
    state.values.insert(QStringLiteral("features"), double(inputs));
    if (classifier)
        state.values.insert(QStringLiteral("classes"), classes);
    state.arrays[QStringLiteral("importances")] = Tensor::fromVector(importances);
    state.arrays[QStringLiteral("tree_nodes")] = std::move(sizes);
    state.arrays[QStringLiteral("feature")] = std::move(feature);
    state.arrays[QStringLiteral("threshold")] = std::move(threshold);
    state.arrays[QStringLiteral("samples")] = std::move(samples);
    state.arrays[QStringLiteral("values")] = std::move(values);
    // Only trees with a split that sends missing values left carry the array, as Plumb writes it.
    if (std::any_of(missingLeft.data.begin(), missingLeft.data.end(), [](double flag) { return flag != 0; }))
        state.arrays[QStringLiteral("missing_left")] = std::move(missingLeft);
    return restoreModel(context, ref, forest ? QStringLiteral("random_forest") : QStringLiteral("decision_tree"), target.value(),
                        state, inputs);
}

} // namespace plumb
