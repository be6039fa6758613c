// XGBoost's trees (RegTree saved as JSON) onto Plumb's boosted trees.
//
// XGBoost scores a row by rounding each input to float32 and, at a split, going to left_children
// when the value is below split_conditions (a float32), to right_children otherwise, and to the
// default_left side when the value is missing (NaN); a leaf's split_conditions is its value, the
// learning rate already applied (src/tree/tree_model.cc, predictor/predict_fn.h). Plumb goes left
// when x <= threshold on the double input, so each threshold t becomes the largest double x
// with float(x) < t: float(x) < t exactly when float(x) <= the float32 just below t, which
// float32SplitAsDouble turns into a double threshold (as for scikit-learn's float32 trees).

#include "interop/sklearnconversion.h"
#include "interop/xgboostconversion.h"

#include <cmath>
#include <limits>

namespace plumb {

namespace {

constexpr qint64 kMostNodes = qint64(1) << 26; // per tree: far beyond any depth XGBoost grows

// The arrays of one tree, each checked to hold num_nodes numbers.
struct TreeArrays
{
    std::vector<double> left, right, feature, condition, defaultLeft, cover, gain, splitType;
};

Result<TreeArrays> readTreeArrays(const XgboostField &tree, qint64 &nodes)
{
    Result<XgboostField> param = tree.member(QStringLiteral("tree_param"));
    Result<XgboostField> numNodes = param ? param.value().member(QStringLiteral("num_nodes"))
                                          : Result<XgboostField>(param.error());
    Result<qint64> count = numNodes ? numNodes.value().integer(1, kMostNodes) : Result<qint64>(numNodes.error());
    if (!count)
        return count.error();
    nodes = count.value();
    TreeArrays arrays;
    const std::pair<const char *, std::vector<double> *> fields[] = {
        {"left_children", &arrays.left},         {"right_children", &arrays.right},     {"split_indices", &arrays.feature},
        {"split_conditions", &arrays.condition}, {"default_left", &arrays.defaultLeft}, {"sum_hessian", &arrays.cover},
        {"loss_changes", &arrays.gain}};
    for (const auto &[key, out] : fields) {
        Result<XgboostField> field = tree.member(QLatin1String(key));
        Result<std::vector<double>> values = field ? xgboostNumbers(field.value(), nodes)
                                                   : Result<std::vector<double>>(field.error());
        if (!values)
            return values.error();
        *out = std::move(values).value();
    }
    // split_type (0 numeric, 1 categorical) is written from XGBoost 1.6 on; older files have
    // numeric splits only.
    if (tree.value.toObject().contains(QLatin1String("split_type"))) {
        Result<std::vector<double>> types = xgboostNumbers(tree.member(QStringLiteral("split_type")).value(), nodes);
        if (!types)
            return types.error();
        arrays.splitType = std::move(types).value();
    }
    return arrays;
}

// The node order of a tree, breadth-first from the root (old index per new position), after
// checking every split's children: in range, and each node reached once.
Result<std::vector<qint64>> breadthFirst(const XgboostField &tree, const TreeArrays &arrays, qint64 nodes)
{
    const auto bad = [&](const char *field, qint64 node, const QString &why) {
        return Error::invalid(QStringLiteral("%1.%2: node %3: %4").arg(tree.path, QLatin1String(field)).arg(node).arg(why));
    };
    std::vector<qint64> order{0};
    std::vector<char> reached(std::size_t(nodes), 0);
    reached[0] = 1;
    for (std::size_t at = 0; at < order.size(); ++at) {
        const qint64 node = order[at];
        const double left = arrays.left[std::size_t(node)], right = arrays.right[std::size_t(node)];
        if (left == -1 && right == -1)
            continue;
        const std::pair<const char *, double> children[] = {{"left_children", left}, {"right_children", right}};
        for (const auto &[field, child] : children) {
            if (!(child >= 0 && child < double(nodes)) || child != std::floor(child))
                return bad(field, node, QStringLiteral("the child %1 is outside 0..%2").arg(child).arg(nodes - 1));
            if (reached[std::size_t(child)]++)
                return bad(field, node, QStringLiteral("the child %1 is reached twice (a cycle or a shared node)").arg(child));
            order.push_back(qint64(child));
        }
    }
    return order;
}

std::vector<double> &array(ComponentState &state, const char *key)
{
    return state.arrays[QLatin1String(key)].data;
}

} // namespace

std::optional<Error> appendXgboostTrees(const XgboostField &treesField, const std::vector<qsizetype> &trees, qint64 features,
                                        ComponentState &state)
{
    Result<QJsonArray> all = treesField.array();
    if (!all)
        return all.error();
    for (const qsizetype index : trees) {
        const XgboostField tree{all.value().at(index), QStringLiteral("%1[%2]").arg(treesField.path).arg(index)};
        if (!tree.value.isObject())
            return tree.error(QStringLiteral("expected an object"));
        qint64 nodes = 0;
        Result<TreeArrays> read = readTreeArrays(tree, nodes);
        if (!read)
            return read.error();
        const TreeArrays &a = read.value();
        Result<std::vector<qint64>> order = breadthFirst(tree, a, nodes);
        if (!order)
            return order.error();
        std::vector<qint64> position(std::size_t(nodes), -1);
        for (std::size_t i = 0; i < order.value().size(); ++i)
            position[std::size_t(order.value()[i])] = qint64(i);
        const auto bad = [&](const char *field, qint64 node, const QString &why) {
            return Error::invalid(QStringLiteral("%1.%2: node %3: %4").arg(tree.path, QLatin1String(field)).arg(node).arg(why));
        };
        for (const qint64 node : order.value()) {
            const auto n = std::size_t(node);
            const bool leaf = a.left[n] == -1;
            const float condition = float(a.condition[n]);
            if (!std::isfinite(condition))
                return bad("split_conditions", node, QStringLiteral("%1 is not a finite float32").arg(a.condition[n]));
            // XGBoost's node statistics are float32: JSON writes them as the shortest decimal
            // that reads back as that float32, UBJSON as the float32 itself.
            const double cover = double(float(a.cover[n])), gain = double(float(a.gain[n]));
            if (!(cover >= 0) || !std::isfinite(cover))
                return bad("sum_hessian", node, QStringLiteral("%1 is not a finite number of at least 0").arg(a.cover[n]));
            array(state, "node_cover").push_back(cover);
            array(state, "node_category_set").push_back(-1);
            if (leaf) {
                for (const char *key : {"node_feature", "node_left", "node_right"})
                    array(state, key).push_back(-1);
                for (const char *key : {"node_threshold", "node_missing_left", "node_gain"})
                    array(state, key).push_back(0);
                array(state, "node_value").push_back(double(condition));
                continue;
            }
            if (!a.splitType.empty() && a.splitType[n] != 0)
                return bad("split_type", node, QStringLiteral("categorical splits are not supported"));
            if (!(a.feature[n] >= 0 && a.feature[n] < double(features)) || a.feature[n] != std::floor(a.feature[n]))
                return bad("split_indices", node,
                           QStringLiteral("feature %1 is outside 0..%2").arg(a.feature[n]).arg(features - 1));
            if (a.defaultLeft[n] != 0 && a.defaultLeft[n] != 1)
                return bad("default_left", node, QStringLiteral("%1 is neither 0 nor 1").arg(a.defaultLeft[n]));
            const float below = std::nextafter(condition, -std::numeric_limits<float>::infinity());
            array(state, "node_feature").push_back(a.feature[n]);
            array(state, "node_threshold").push_back(float32SplitAsDouble(double(below)));
            array(state, "node_left").push_back(double(position[std::size_t(a.left[n])]));
            array(state, "node_right").push_back(double(position[std::size_t(a.right[n])]));
            array(state, "node_missing_left").push_back(a.defaultLeft[n]);
            array(state, "node_value").push_back(0);
            array(state, "node_gain").push_back(std::isfinite(gain) ? gain : 0.0);
        }
        array(state, "tree_sizes").push_back(double(order.value().size()));
    }
    for (auto &[key, tensor] : state.arrays)
        if (key.startsWith(QLatin1String("node_")) || key == QLatin1String("tree_sizes"))
            tensor.shape = {std::int64_t(tensor.data.size())};
    return std::nullopt;
}

} // namespace plumb
