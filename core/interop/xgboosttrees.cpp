// XGBoost's trees (RegTree saved as JSON) onto Plumb's boosted trees.
//
// XGBoost scores a row by rounding each input to float32 and, at a split, going to left_children
// when the value is below split_conditions (a float32), to right_children otherwise, and to the
// default_left side when the value is missing (NaN); a leaf's split_conditions is its value, the
// learning rate already applied (src/tree/tree_model.cc, predictor/predict_fn.h). Plumb goes left
// when x <= threshold on the double input, so each threshold t becomes the largest double x
// with float(x) < t: float(x) < t exactly when float(x) <= the float32 just below t, which
// float32SplitAsDouble turns into a double threshold (as for scikit-learn's float32 trees).
//
// A categorical split (split_type 1) lists, in categories[categories_segments[i] ..
// + categories_sizes[i]) for the node categories_nodes[i], the category codes that go to
// right_children; every other valid code goes left, and a missing value the default_left side
// (common::Decision in src/common/categorical.h and GetNextNode in predictor/predict_fn.h: Decision
// is "not in the set", which picks the left child). Plumb's categorical split sends the codes of
// its set to its first child and the other codes to its second, so the set is kept as XGBoost
// writes it and the children change places: Plumb's left is XGBoost's right child, and the missing
// side is left exactly when XGBoost's default is right. Values that are not a code the model
// declares (the importer's encoder makes them unknown) take the missing side in Plumb; XGBoost
// sends them left (Decision's InvalidCat and out-of-bit-field cases), which the importer's README
// section states.

#include "interop/sklearnconversion.h"
#include "interop/xgboostconversion.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plumb {

namespace {

constexpr qint64 kMostNodes = qint64(1) << 26; // per tree: far beyond any depth XGBoost grows
constexpr int kSetWords = 8; // a category set in the state: 256 bits in 32-bit words (boostedtrees.cpp)

// The arrays of one tree, each checked to hold num_nodes numbers.
struct TreeArrays
{
    std::vector<double> left, right, feature, condition, defaultLeft, cover, gain, splitType;
    // Per node, the category codes of its categorical split (empty for other nodes).
    std::vector<std::vector<int>> categories;
};

// The categorical splits' category lists (categories, categories_nodes, categories_segments,
// categories_sizes) into arrays.categories, each node's codes checked to be whole numbers in
// 0..kMostCategoryCodes - 1, listed in ascending order once, and each listed node to be a
// categorical split.
std::optional<Error> readCategories(const XgboostField &tree, qint64 nodes, TreeArrays &arrays)
{
    arrays.categories.assign(std::size_t(nodes), {});
    const QJsonObject object = tree.value.toObject();
    const bool any = std::any_of(arrays.splitType.begin(), arrays.splitType.end(), [](double t) { return t != 0; });
    if (!any && !object.contains(QLatin1String("categories_nodes")))
        return std::nullopt;
    std::vector<double> lists[4];
    const char *keys[] = {"categories", "categories_nodes", "categories_segments", "categories_sizes"};
    for (int i = 0; i < 4; ++i) {
        Result<XgboostField> field = tree.member(QLatin1String(keys[i]));
        if (!field)
            return field.error();
        Result<QJsonArray> array = field.value().array();
        if (!array)
            return array.error();
        Result<std::vector<double>> values = xgboostNumbers(field.value(), array.value().size());
        if (!values)
            return values.error();
        lists[i] = std::move(values).value();
    }
    const auto &[codes, listed, segments, sizes] = lists;
    const QString where = tree.path + QStringLiteral(".categories_nodes");
    if (segments.size() != listed.size() || sizes.size() != listed.size())
        return Error::invalid(QStringLiteral("%1: %2 nodes, but %3 segments and %4 sizes")
                                  .arg(where)
                                  .arg(listed.size())
                                  .arg(segments.size())
                                  .arg(sizes.size()));
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const double node = listed[i], begin = segments[i], size = sizes[i];
        if (!(node >= 0 && node < double(nodes)) || node != std::floor(node) || (i > 0 && node <= listed[i - 1]))
            return Error::invalid(QStringLiteral("%1: entry %2 (%3) is not a node in 0..%4 after the one before")
                                      .arg(where)
                                      .arg(i)
                                      .arg(node)
                                      .arg(nodes - 1));
        if (arrays.splitType.empty() || arrays.splitType[std::size_t(node)] != 1)
            return Error::invalid(QStringLiteral("%1: node %2 is listed but is not a categorical split").arg(where).arg(node));
        if (!(begin >= 0 && size >= 0 && begin + size <= double(codes.size())) || begin != std::floor(begin)
            || size != std::floor(size))
            return Error::invalid(QStringLiteral("%1.categories_segments: node %2's codes %3..%4 are outside the %5 listed")
                                      .arg(tree.path)
                                      .arg(node)
                                      .arg(begin)
                                      .arg(begin + size - 1)
                                      .arg(codes.size()));
        std::vector<int> &set = arrays.categories[std::size_t(node)];
        for (auto c = std::size_t(begin); c < std::size_t(begin + size); ++c) {
            const double code = codes[c];
            if (!(code >= 0 && code < kMostCategoryCodes) || code != std::floor(code) || (!set.empty() && code <= set.back()))
                return Error::invalid(QStringLiteral("%1.categories: node %2's category %3 is not a code in 0..%4 "
                                                     "above the one before (Plumb's categorical splits take %5 codes)")
                                          .arg(tree.path)
                                          .arg(node)
                                          .arg(code)
                                          .arg(kMostCategoryCodes - 1)
                                          .arg(kMostCategoryCodes));
            set.push_back(int(code));
        }
    }
    for (std::size_t node = 0; node < arrays.splitType.size(); ++node)
        if (arrays.splitType[node] == 1 && std::find(listed.begin(), listed.end(), double(node)) == listed.end()
            && arrays.left[node] != -1)
            return Error::invalid(
                QStringLiteral("%1: node %2 is a categorical split without a category list").arg(where).arg(node));
    return std::nullopt;
}

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
        for (std::size_t n = 0; n < arrays.splitType.size(); ++n)
            if (arrays.splitType[n] != 0 && arrays.splitType[n] != 1)
                return Error::invalid(QStringLiteral("%1.split_type: node %2: %3 is neither 0 (numeric) nor 1 (categorical)")
                                          .arg(tree.path)
                                          .arg(n)
                                          .arg(arrays.splitType[n]));
    }
    if (auto error = readCategories(tree, nodes, arrays))
        return *error;
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

// Appends one XGBoost tree's nodes, in breadth-first order, to the boosted model's node arrays.
struct TreeAppender
{
    const XgboostField &tree;
    const TreeArrays &a;
    const std::vector<qint64> &position; // per XGBoost node, its breadth-first position
    const std::vector<XgboostFeature> &features;
    ComponentState &state;
    std::vector<double> &setWords; // every categorical split's set, kSetWords words each

    Error bad(const char *field, qint64 node, const QString &why) const
    {
        return Error::invalid(QStringLiteral("%1.%2: node %3: %4").arg(tree.path, QLatin1String(field)).arg(node).arg(why));
    }

    std::optional<Error> append(qint64 node) const
    {
        const auto n = std::size_t(node);
        // XGBoost's node statistics are float32: JSON writes them as the shortest decimal that
        // reads back as that float32, UBJSON as the float32 itself.
        const double cover = double(float(a.cover[n]));
        if (!(cover >= 0) || !std::isfinite(cover))
            return bad("sum_hessian", node, QStringLiteral("%1 is not a finite number of at least 0").arg(a.cover[n]));
        array(state, "node_cover").push_back(cover);
        return a.left[n] == -1 ? appendLeaf(node) : appendSplit(node);
    }

    std::optional<Error> appendLeaf(qint64 node) const
    {
        const auto n = std::size_t(node);
        const float value = float(a.condition[n]);
        if (!std::isfinite(value))
            return bad("split_conditions", node, QStringLiteral("%1 is not a finite float32").arg(a.condition[n]));
        array(state, "node_category_set").push_back(-1);
        for (const char *key : {"node_feature", "node_left", "node_right"})
            array(state, key).push_back(-1);
        for (const char *key : {"node_threshold", "node_missing_left", "node_gain"})
            array(state, key).push_back(0);
        array(state, "node_value").push_back(double(value));
        return std::nullopt;
    }

    std::optional<Error> appendSplit(qint64 node) const
    {
        const auto n = std::size_t(node);
        if (!(a.feature[n] >= 0 && a.feature[n] < double(features.size())) || a.feature[n] != std::floor(a.feature[n]))
            return bad("split_indices", node,
                       QStringLiteral("feature %1 is outside 0..%2").arg(a.feature[n]).arg(features.size() - 1));
        if (a.defaultLeft[n] != 0 && a.defaultLeft[n] != 1)
            return bad("default_left", node, QStringLiteral("%1 is neither 0 nor 1").arg(a.defaultLeft[n]));
        const XgboostFeature &feature = features[std::size_t(a.feature[n])];
        const bool categorical = !a.splitType.empty() && a.splitType[n] == 1;
        if (categorical != (feature.categories > 0))
            return bad("split_type", node,
                       categorical
                           ? QStringLiteral("a categorical split on '%1', which feature_types calls numeric").arg(feature.name)
                           : QStringLiteral("a numeric split on the categorical feature '%1'").arg(feature.name));
        const double gain = double(float(a.gain[n]));
        array(state, "node_feature").push_back(a.feature[n]);
        array(state, "node_value").push_back(0);
        array(state, "node_gain").push_back(std::isfinite(gain) ? gain : 0.0);
        return categorical ? appendCategoricalSplit(node, feature) : appendNumericSplit(node);
    }

    // The codes of XGBoost's set go to its right child: Plumb's first child.
    std::optional<Error> appendCategoricalSplit(qint64 node, const XgboostFeature &feature) const
    {
        const auto n = std::size_t(node);
        std::uint32_t words[kSetWords] = {};
        for (const int code : a.categories[n]) {
            if (code >= feature.categories)
                return bad("categories", node,
                           QStringLiteral("category %1 of '%2' is beyond its %3 levels")
                               .arg(code)
                               .arg(feature.name)
                               .arg(feature.categories));
            words[code / 32] |= std::uint32_t(1) << (code % 32);
        }
        array(state, "node_category_set").push_back(double(setWords.size() / kSetWords));
        setWords.insert(setWords.end(), std::begin(words), std::end(words));
        array(state, "node_threshold").push_back(0);
        array(state, "node_left").push_back(double(position[std::size_t(a.right[n])]));
        array(state, "node_right").push_back(double(position[std::size_t(a.left[n])]));
        array(state, "node_missing_left").push_back(1 - a.defaultLeft[n]);
        return std::nullopt;
    }

    std::optional<Error> appendNumericSplit(qint64 node) const
    {
        const auto n = std::size_t(node);
        const float condition = float(a.condition[n]);
        if (!std::isfinite(condition))
            return bad("split_conditions", node, QStringLiteral("%1 is not a finite float32").arg(a.condition[n]));
        const float below = std::nextafter(condition, -std::numeric_limits<float>::infinity());
        array(state, "node_category_set").push_back(-1);
        array(state, "node_threshold").push_back(float32SplitAsDouble(double(below)));
        array(state, "node_left").push_back(double(position[std::size_t(a.left[n])]));
        array(state, "node_right").push_back(double(position[std::size_t(a.right[n])]));
        array(state, "node_missing_left").push_back(a.defaultLeft[n]);
        return std::nullopt;
    }
};

std::optional<Error> appendTree(const XgboostField &tree, const std::vector<XgboostFeature> &features, ComponentState &state,
                                std::vector<double> &setWords)
{
    if (!tree.value.isObject())
        return tree.error(QStringLiteral("expected an object"));
    qint64 nodes = 0;
    Result<TreeArrays> read = readTreeArrays(tree, nodes);
    if (!read)
        return read.error();
    Result<std::vector<qint64>> order = breadthFirst(tree, read.value(), nodes);
    if (!order)
        return order.error();
    std::vector<qint64> position(std::size_t(nodes), -1);
    for (std::size_t i = 0; i < order.value().size(); ++i)
        position[std::size_t(order.value()[i])] = qint64(i);
    const TreeAppender appender{tree, read.value(), position, features, state, setWords};
    for (const qint64 node : order.value())
        if (auto error = appender.append(node))
            return error;
    array(state, "tree_sizes").push_back(double(order.value().size()));
    return std::nullopt;
}

} // namespace

std::optional<Error> appendXgboostTrees(const XgboostField &treesField, const std::vector<qsizetype> &trees,
                                        const std::vector<XgboostFeature> &features, ComponentState &state)
{
    std::vector<double> setWords;
    Result<QJsonArray> all = treesField.array();
    if (!all)
        return all.error();
    for (const qsizetype index : trees) {
        const XgboostField tree{all.value().at(index), QStringLiteral("%1[%2]").arg(treesField.path).arg(index)};
        if (auto error = appendTree(tree, features, state, setWords))
            return error;
    }
    state.arrays[QStringLiteral("category_sets")] = Tensor{{std::int64_t(setWords.size() / kSetWords), kSetWords},
                                                           std::move(setWords)};
    for (auto &[key, tensor] : state.arrays)
        if (key.startsWith(QLatin1String("node_")) || key == QLatin1String("tree_sizes"))
            tensor.shape = {std::int64_t(tensor.data.size())};
    return std::nullopt;
}

} // namespace plumb
