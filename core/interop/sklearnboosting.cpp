// HistGradientBoosting{Classifier,Regressor}: the TreePredictor nodes onto Plumb's boosted trees.
//
// scikit-learn scores raw float64 inputs: baseline + the leaf value of each iteration's tree (the
// learning rate is already in the leaf values), x <= num_threshold going left and NaN going the
// split's missing_go_to_left side; probabilities are expit (two classes) or softmax (more).
// Plumb's BoostedTrees follows the same rules, tree t adding to output t % outputs, in tree order.

#include "interop/sklearnconversion.h"

#include <QJsonArray>

#include <cmath>
#include <limits>

namespace plumb {

namespace {

// The fields of PREDICTOR_RECORD_DTYPE the conversion reads.
enum PredictorField { kValue, kFeature, kThreshold, kMissingLeft, kLeft, kRight, kGain, kIsLeaf, kIsCategorical };

const std::vector<RecordField> kPredictorFields{
    {QStringLiteral("value"), QStringLiteral("f")},         {QStringLiteral("feature_idx"), QStringLiteral("iu")},
    {QStringLiteral("num_threshold"), QStringLiteral("f")}, {QStringLiteral("missing_go_to_left"), QStringLiteral("u")},
    {QStringLiteral("left"), QStringLiteral("iu")},         {QStringLiteral("right"), QStringLiteral("iu")},
    {QStringLiteral("gain"), QStringLiteral("f")},          {QStringLiteral("is_leaf"), QStringLiteral("u")},
    {QStringLiteral("is_categorical"), QStringLiteral("u")}};

// The node arrays of Plumb's boosted-tree state, filled tree after tree.
struct NodeColumns
{
    std::vector<double> sizes, feature, threshold, left, right, missingLeft, categorySet, value, gain;

    void appendLeaf(double leafValue)
    {
        for (auto *column : {&feature, &left, &right})
            column->push_back(-1);
        for (auto *column : {&threshold, &missingLeft, &gain})
            column->push_back(0);
        value.push_back(leafValue);
    }
};

// Appends one TreePredictor's nodes, checking them: known fields, numeric splits only, features
// in range, children in range and after their parent, each node but the root with one parent.
std::optional<Error> appendPredictor(const SklearnGraphReader &reader, const GraphRef &predictor, Eigen::Index inputs,
                                     NodeColumns &out)
{
    Result<GraphRef> nodesRef = reader.attribute(predictor, QStringLiteral("nodes"));
    if (!nodesRef)
        return nodesRef.error();
    Result<RecordArray> nodes = reader.records(nodesRef.value(), kPredictorFields);
    if (!nodes)
        return nodes.error();
    const std::int64_t count = nodes.value().size();
    if (count < 1 || count > std::numeric_limits<std::int32_t>::max())
        return SklearnGraphReader::at(nodesRef.value(), QStringLiteral("%1 nodes is out of range").arg(count));
    const auto bad = [&](std::int64_t node, const QString &why) {
        return SklearnGraphReader::at(nodesRef.value(), QStringLiteral("node %1: %2").arg(node).arg(why));
    };
    std::vector<int> parents(std::size_t(count), 0);
    for (std::int64_t i = 0; i < count; ++i) {
        const RecordArray &n = nodes.value();
        const bool leaf = n.integer(i, kIsLeaf) != 0;
        if (leaf) {
            if (!std::isfinite(n.real(i, kValue)))
                return bad(i, QStringLiteral("the leaf value is not a finite number"));
            out.appendLeaf(n.real(i, kValue));
        } else {
            if (n.integer(i, kIsCategorical) != 0)
                return bad(i, QStringLiteral("categorical splits are not supported"));
            const std::int64_t feature = n.integer(i, kFeature), left = n.integer(i, kLeft), right = n.integer(i, kRight);
            if (feature < 0 || feature >= inputs)
                return bad(i, QStringLiteral("feature %1 is outside 0..%2").arg(feature).arg(inputs - 1));
            for (const std::int64_t child : {left, right}) {
                if (child <= i || child >= count)
                    return bad(i, QStringLiteral("child %1 is outside %2..%3").arg(child).arg(i + 1).arg(count - 1));
                if (++parents[std::size_t(child)] > 1)
                    return bad(child, QStringLiteral("the node has two parents"));
            }
            // A split of the non-missing values from the missing ones has threshold +inf: every
            // number goes left. The largest double does the same for every finite input.
            double threshold = n.real(i, kThreshold);
            if (threshold == std::numeric_limits<double>::infinity())
                threshold = std::numeric_limits<double>::max();
            if (!std::isfinite(threshold))
                return bad(i, QStringLiteral("the threshold is not a finite number"));
            const double gain = n.real(i, kGain);
            out.feature.push_back(double(feature));
            out.threshold.push_back(threshold);
            out.left.push_back(double(left));
            out.right.push_back(double(right));
            out.missingLeft.push_back(n.integer(i, kMissingLeft) != 0 ? 1 : 0);
            out.value.push_back(0);
            out.gain.push_back(std::isfinite(gain) ? gain : 0.0);
        }
        out.categorySet.push_back(-1);
    }
    for (std::int64_t i = 1; i < count; ++i)
        if (parents[std::size_t(i)] != 1)
            return bad(i, QStringLiteral("the node is no split's child"));
    out.sizes.push_back(double(count));
    return std::nullopt;
}

// Checks the loss is one whose raw score maps to the prediction as Plumb's does for the task.
std::optional<Error> checkLoss(const ConversionContext &context, const GraphRef &ref, bool classifier, qsizetype classes)
{
    Result<GraphRef> loss = context.reader.attribute(ref, QStringLiteral("_loss"));
    if (!loss)
        return loss.error();
    const QString name = context.reader.value(loss.value()).name;
    const QString wanted = !classifier ? QStringLiteral("HalfSquaredError")
        : classes == 2                 ? QStringLiteral("HalfBinomialLoss")
                                       : QStringLiteral("HalfMultinomialLoss");
    const bool identity = name == QLatin1String("AbsoluteError") || name == QLatin1String("PinballLoss");
    if (name != wanted && !(!classifier && identity))
        return context.reader.mismatch(loss.value(), QStringLiteral("a %1 loss").arg(wanted));
    return std::nullopt;
}

} // namespace

Result<ConvertedModel> convertBoostedModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const SklearnGraphReader &reader = context.reader;
    const bool classifier = context.sklearnClass(ref).endsWith(QLatin1String("Classifier"));
    Result<TargetSpec> target = classifier ? classifierTarget(context, ref) : Result<TargetSpec>(regressorTarget());
    if (!target)
        return target.error();
    const qsizetype classes = target.value().classes.size();
    if (auto error = checkLoss(context, ref, classifier, classes))
        return *error;
    if (const auto categorical = reader.optionalAttribute(ref, QStringLiteral("is_categorical_"));
        categorical && !reader.isNone(*categorical))
        return SklearnGraphReader::at(*categorical, QStringLiteral("categorical features are not supported"));
    const int outputs = classifier && classes > 2 ? int(classes) : 1;
    Result<GraphRef> baselineRef = reader.attribute(ref, QStringLiteral("_baseline_prediction"));
    if (!baselineRef)
        return baselineRef.error();
    std::vector<std::int64_t> shape{1, outputs};
    Result<std::vector<double>> baseline = reader.reals(baselineRef.value(), shape);
    if (!baseline)
        return baseline.error();
    Result<GraphRef> predictorsRef = reader.attribute(ref, QStringLiteral("_predictors"));
    Result<std::vector<GraphRef>> iterations = predictorsRef ? reader.items(predictorsRef.value())
                                                             : Result<std::vector<GraphRef>>(predictorsRef.error());
    if (!iterations)
        return iterations.error();
    if (iterations.value().empty())
        return SklearnGraphReader::at(predictorsRef.value(), QStringLiteral("the model has no iterations"));
    NodeColumns nodes;
    for (const GraphRef &iteration : iterations.value()) {
        Result<std::vector<GraphRef>> trees = reader.items(iteration);
        if (!trees)
            return trees.error();
        if (qsizetype(trees.value().size()) != outputs)
            return SklearnGraphReader::at(
                iteration, QStringLiteral("%1 trees in an iteration; expected %2").arg(trees.value().size()).arg(outputs));
        for (const GraphRef &tree : trees.value()) {
            if (context.sklearnClass(tree) != QLatin1String("TreePredictor"))
                return reader.mismatch(tree, QStringLiteral("a TreePredictor"));
            if (auto error = appendPredictor(reader, tree, inputs, nodes))
                return *error;
        }
    }
    const auto tensor = [](const std::vector<double> &data) { return Tensor{{std::int64_t(data.size())}, data}; };
    ComponentState state;
    state.values.insert(QStringLiteral("classes"), classifier ? int(classes) : 0);
    state.values.insert(QStringLiteral("outputs"), outputs);
    state.values.insert(QStringLiteral("features"), qint64(inputs));
    state.values.insert(QStringLiteral("categorical_features"), QJsonArray());
    state.values.insert(QStringLiteral("category_counts"), QJsonArray());
    state.arrays[QStringLiteral("baseline")] = tensor(baseline.value());
    state.arrays[QStringLiteral("tree_sizes")] = tensor(nodes.sizes);
    state.arrays[QStringLiteral("node_feature")] = tensor(nodes.feature);
    state.arrays[QStringLiteral("node_threshold")] = tensor(nodes.threshold);
    state.arrays[QStringLiteral("node_left")] = tensor(nodes.left);
    state.arrays[QStringLiteral("node_right")] = tensor(nodes.right);
    state.arrays[QStringLiteral("node_missing_left")] = tensor(nodes.missingLeft);
    state.arrays[QStringLiteral("node_category_set")] = tensor(nodes.categorySet);
    state.arrays[QStringLiteral("node_value")] = tensor(nodes.value);
    state.arrays[QStringLiteral("node_gain")] = tensor(nodes.gain);
    state.arrays[QStringLiteral("category_sets")] = Tensor{{0, 8}, {}};
    return restoreModel(context, ref, QStringLiteral("gradient_boosting"), target.value(), state, inputs);
}

} // namespace plumb
