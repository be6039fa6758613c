// XGBoost's model files (Booster.save_model, JSON or UBJSON; the schema is XGBoost's
// doc/model.schema) onto a Plumb pipeline. The learner's fields are read one by one, each
// checked for type and range with a message naming it; the trees are in xgboosttrees.cpp.
//
// How XGBoost predicts (src/learner.cc, src/objective/): each output's margin is
// ProbToMargin(base_score) plus the leaf value of every tree of that output (tree_info gives a
// tree's output), summed in float32; binary:logistic maps the margin through the sigmoid, with
// ProbToMargin(p) = -log(1/p - 1) computed in float32; the multi: objectives through softmax
// (ProbToMargin is the identity); the identity-link regressions leave it as it is. Plumb's
// gradient_boosting applies the same links to its double sums.

#include "interop/xgboostimporter.h"

#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "base/jsontype.h"
#include "base/sha256.h"
#include "interop/xgboostconversion.h"
#include "interop/xgboostubjson.h"
#include "learn/model.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <optional>

namespace plumb {

Error XgboostField::error(const QString &why) const
{
    return Error::invalid(path.isEmpty() ? why : QStringLiteral("%1: %2").arg(path, why));
}

QString XgboostImport::summary() const
{
    const Pipeline &pipeline = *imported.pipeline;
    return QStringLiteral("XGBoost %1, %2, %3: %4 features, %5")
        .arg(version, container, objective)
        .arg(pipeline.features().size())
        .arg(pipeline.target().classes.isEmpty() ? QStringLiteral("regression")
                                                 : QStringLiteral("%1 classes").arg(pipeline.target().classes.size()));
}

Result<XgboostField> XgboostField::member(const QString &key) const
{
    if (!value.isObject())
        return error(QStringLiteral("expected an object with '%1', found %2").arg(key, jsonTypeName(value)));
    const QJsonObject object = value.toObject();
    if (!object.contains(key))
        return error(QStringLiteral("the field '%1' is missing").arg(key));
    return XgboostField{object.value(key), path.isEmpty() ? key : path + QLatin1Char('.') + key};
}

Result<QJsonObject> XgboostField::object() const
{
    if (!value.isObject())
        return error(QStringLiteral("expected an object, found %1").arg(jsonTypeName(value)));
    return value.toObject();
}

Result<QJsonArray> XgboostField::array() const
{
    if (!value.isArray())
        return error(QStringLiteral("expected an array, found %1").arg(jsonTypeName(value)));
    return value.toArray();
}

Result<QString> XgboostField::string() const
{
    if (!value.isString())
        return error(QStringLiteral("expected a string, found %1").arg(jsonTypeName(value)));
    return value.toString();
}

Result<double> XgboostField::number() const
{
    bool ok = value.isDouble();
    double number = value.toDouble();
    if (value.isString())
        number = value.toString().toDouble(&ok);
    if (!ok || !std::isfinite(number))
        return error(QStringLiteral("expected a finite number, found %1")
                         .arg(value.isString() ? QLatin1Char('\'') + value.toString() + QLatin1Char('\'') : jsonTypeName(value)));
    return number;
}

Result<qint64> XgboostField::integer(qint64 lowest, qint64 highest) const
{
    Result<double> n = number();
    if (!n)
        return n.error();
    if (n.value() < double(lowest) || n.value() > double(highest) || n.value() != std::floor(n.value()))
        return error(QStringLiteral("%1 is not a whole number in %2..%3").arg(n.value()).arg(lowest).arg(highest));
    return qint64(n.value());
}

Result<std::vector<double>> xgboostNumbers(const XgboostField &field, qsizetype count)
{
    Result<QJsonArray> array = field.array();
    if (!array)
        return array.error();
    if (array.value().size() != count)
        return field.error(QStringLiteral("%1 entries; num_nodes says %2").arg(array.value().size()).arg(count));
    std::vector<double> numbers;
    numbers.reserve(std::size_t(count));
    for (qsizetype i = 0; i < count; ++i) {
        const QJsonValue value = array.value().at(i);
        // XGBoost writes NaN (a categorical split's split_conditions) as the bare word NaN, which
        // parseDocument reads as null.
        if (value.isNull()) {
            numbers.push_back(std::nan(""));
            continue;
        }
        if (!value.isDouble() && !value.isBool())
            return field.error(QStringLiteral("entry %1 is %2, not a number").arg(i).arg(jsonTypeName(value)));
        numbers.push_back(value.isBool() ? double(value.toBool()) : value.toDouble());
    }
    return numbers;
}

namespace {

// What an objective makes of the margins.
struct Objective
{
    Task task = Task::Regression;
    bool logistic = false; // base_score is a probability: the base margin is its log-odds
    // multi:softprob or softmax with two classes: softmax(m0, m1)[1] = sigmoid(m1 - m0), so the
    // class-0 trees are negated and every tree adds to Plumb's one margin (the log-odds of 1).
    bool pairedSoftmax = false;
};

Result<Objective> objectiveFor(const XgboostField &field, const QString &name, qint64 classes)
{
    const QSet<QString> identity{QStringLiteral("reg:squarederror"), QStringLiteral("reg:linear"),
                                 QStringLiteral("reg:absoluteerror"), QStringLiteral("reg:pseudohubererror")};
    if (identity.contains(name))
        return Objective{Task::Regression, false};
    if (name == QLatin1String("binary:logistic"))
        return Objective{Task::Classification, true};
    if (name == QLatin1String("multi:softprob") || name == QLatin1String("multi:softmax")) {
        if (classes < 2)
            return field.error(QStringLiteral("%1 with %2 class(es) is not a classifier").arg(name).arg(classes));
        return Objective{Task::Classification, false, classes == 2};
    }
    QString why = QStringLiteral("Plumb's models cannot give what it predicts");
    if (name.startsWith(QLatin1String("rank:")))
        why = QStringLiteral("ranking objectives score groups of rows, not rows");
    else if (name.startsWith(QLatin1String("survival:")))
        why = QStringLiteral("survival objectives predict hazards, not values");
    else if (name == QLatin1String("count:poisson") || name == QLatin1String("reg:gamma") || name == QLatin1String("reg:tweedie"))
        why = QStringLiteral("its prediction is exp(margin), and Plumb's regressors give the margin itself");
    else if (name == QLatin1String("reg:logistic") || name == QLatin1String("binary:logitraw")
             || name == QLatin1String("binary:hinge"))
        why = QStringLiteral("its prediction is not a class probability or the margin itself");
    return field.error(QStringLiteral("the objective %1 is not supported: %2").arg(name, why));
}

// The scoring order of the trees (tree t adds to output t % outputs) from tree_info, which must
// give every output the same number of trees.
Result<std::vector<qsizetype>> scoringOrder(const XgboostField &infoField, qint64 trees, int outputs)
{
    Result<std::vector<double>> info = xgboostNumbers(infoField, qsizetype(trees));
    if (!info)
        return info.error();
    auto groups = std::vector<std::vector<qsizetype>>(static_cast<std::size_t>(outputs));
    for (qsizetype t = 0; t < qsizetype(trees); ++t) {
        const double group = info.value()[std::size_t(t)];
        if (!(group >= 0 && group < outputs) || group != std::floor(group))
            return infoField.error(QStringLiteral("tree %1's output %2 is outside 0..%3").arg(t).arg(group).arg(outputs - 1));
        groups[std::size_t(group)].push_back(t);
    }
    for (int k = 1; k < outputs; ++k)
        if (groups[std::size_t(k)].size() != groups[0].size())
            return infoField.error(QStringLiteral("output %1 has %2 trees, output 0 has %3")
                                       .arg(k)
                                       .arg(groups[std::size_t(k)].size())
                                       .arg(groups[0].size()));
    if (groups[0].empty())
        return infoField.error(QStringLiteral("the model has no trees"));
    std::vector<qsizetype> order;
    for (std::size_t round = 0; round < groups[0].size(); ++round)
        for (const auto &group : groups)
            order.push_back(group[round]);
    return order;
}

// The base margin of each output from base_score, as XGBoost computes it in float32. XGBoost 1.x
// writes one number as text ("5E-1"); 2.1 writes a list as text ("[5E-1]"), and later versions one
// entry per output ("[1E-1,2E-1,7E-1]"); one entry stands for every output.
Result<std::vector<double>> baseMargins(const XgboostField &field, bool logistic, int outputs)
{
    QString text = field.value.isString() ? field.value.toString().trimmed() : QString();
    QStringList entries;
    if (text.startsWith(QLatin1Char('[')) && text.endsWith(QLatin1Char(']')))
        entries = text.mid(1, text.size() - 2).split(QLatin1Char(','));
    if (!entries.isEmpty() && entries.size() != 1 && entries.size() != outputs)
        return field.error(QStringLiteral("%1 values for %2 output(s)").arg(entries.size()).arg(outputs));
    std::vector<double> margins;
    for (qsizetype i = 0; i < std::max<qsizetype>(qsizetype(1), entries.size()); ++i) {
        const XgboostField entry{entries.isEmpty() ? field.value : QJsonValue(entries[i].trimmed()), field.path};
        Result<double> score = entry.number();
        if (!score)
            return score.error();
        const float p = float(score.value());
        if (logistic && !(p > 0 && p < 1))
            return field.error(QStringLiteral("%1 is not a probability strictly between 0 and 1").arg(score.value()));
        margins.push_back(logistic ? double(-std::log(1.0f / p - 1.0f)) : double(p));
    }
    if (margins.size() == 1)
        margins.assign(std::size_t(outputs), margins.front());
    return margins;
}

// The offset and text of the first key that appears twice in one object of the JSON text
// `bytes`, if any: Qt's parser keeps the last silently. Assumes `bytes` parsed as JSON, so it
// only tracks strings, nesting and which strings are keys. Keys are compared as written, after
// decoding those with escapes.
std::optional<std::pair<qsizetype, QString>> duplicateJsonKey(const QByteArray &bytes)
{
    std::vector<QSet<QString>> objects; // one set of keys per open container; arrays keep theirs empty
    std::vector<bool> isObject;
    bool expectKey = false;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c == '{' || c == '[') {
            objects.emplace_back();
            isObject.push_back(c == '{');
            expectKey = c == '{';
        } else if (c == '}' || c == ']') {
            objects.pop_back();
            isObject.pop_back();
            expectKey = false;
        } else if (c == ',') {
            expectKey = !isObject.empty() && isObject.back();
        } else if (c == '"') {
            const qsizetype start = i;
            bool escaped = false;
            for (++i; i < bytes.size() && bytes[i] != '"'; ++i)
                if (bytes[i] == '\\') {
                    escaped = true;
                    ++i;
                }
            if (!expectKey)
                continue;
            expectKey = false;
            const QByteArray raw = bytes.mid(start, i - start + 1);
            const QString key = escaped ? QJsonDocument::fromJson("[" + raw + "]").array().at(0).toString()
                                        : QString::fromUtf8(raw.mid(1, raw.size() - 2));
            if (objects.back().contains(key))
                return std::make_pair(start, key);
            objects.back().insert(key);
        }
    }
    return std::nullopt;
}

// The JSON text with the bare words NaN, -NaN, Infinity and -Infinity outside strings (XGBoost writes
// non-finite floats so, e.g. a categorical split's split_conditions; JSON has no such numbers)
// replaced by null, which xgboostNumbers reads as NaN and the checks of each field then accept
// (a categorical split's condition, a gain) or refuse. The other bytes are kept.
QByteArray nonFiniteAsNull(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes[i];
        if (c == '"') {
            const qsizetype start = i;
            for (++i; i < bytes.size() && bytes[i] != '"'; ++i)
                if (bytes[i] == '\\')
                    ++i;
            out.append(bytes.mid(start, i - start + 1));
            continue;
        }
        bool replaced = false;
        for (const QByteArrayView word :
             {QByteArrayView("-NaN"), QByteArrayView("NaN"), QByteArrayView("-Infinity"), QByteArrayView("Infinity")})
            if (QByteArrayView(bytes).sliced(i).startsWith(word)) {
                out.append("null");
                i += word.size() - 1;
                replaced = true;
                break;
            }
        if (!replaced)
            out.append(c);
    }
    return out;
}

Result<QJsonValue> parseDocument(const QByteArray &bytes, const QString &name, QString &container)
{
    // Both start with '{'; JSON follows it with white space, a quote or '}', UBJSON with a
    // length's type marker or a container's '$' or '#'.
    if (bytes.isEmpty() || bytes[0] != '{')
        return Error::invalid(
            QStringLiteral("%1: byte 0: not an XGBoost model file (its JSON and UBJSON files start with '{')").arg(name));
    const bool json = bytes.size() >= 2 && bytes[0] == '{' && QByteArrayView(" \t\r\n\"}").contains(bytes[1]);
    container = json ? QStringLiteral("JSON") : QStringLiteral("UBJSON");
    if (!json)
        return readUbjson(bytes, name);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(nonFiniteAsNull(bytes), &error);
    if (error.error != QJsonParseError::NoError)
        return Error::invalid(QStringLiteral("%1: byte %2: %3").arg(name).arg(error.offset).arg(error.errorString()));
    if (const auto duplicate = duplicateJsonKey(bytes))
        return Error::invalid(QStringLiteral("%1: byte %2: the key '%3' appears twice in one object")
                                  .arg(name)
                                  .arg(duplicate->first)
                                  .arg(duplicate->second));
    return QJsonValue(document.object());
}

Result<QString> versionOf(const XgboostField &root)
{
    Result<XgboostField> field = root.member(QStringLiteral("version"));
    Result<std::vector<double>> parts = field ? xgboostNumbers(field.value(), 3) : Result<std::vector<double>>(field.error());
    if (!parts)
        return parts.error();
    QStringList text;
    for (const double part : parts.value()) {
        if (!(part >= 0 && part < 1000) || part != std::floor(part))
            return field.value().error(QStringLiteral("expected three whole numbers"));
        text.append(QString::number(int(part)));
    }
    return text.join(QLatin1Char('.'));
}

// The gbtree model's trees appended to `state` (outputs, the node arrays and the empty category
// fields; the caller sets classes, features and baseline), and its boosting rounds.
std::optional<Error> appendBooster(const XgboostField &booster, int outputs, const std::vector<XgboostFeature> &features,
                                   ComponentState &state, qint64 &rounds)
{
    Result<XgboostField> model = booster.member(QStringLiteral("model"));
    Result<XgboostField> modelParam = model ? model.value().member(QStringLiteral("gbtree_model_param")) : model;
    Result<XgboostField> numTrees = modelParam ? modelParam.value().member(QStringLiteral("num_trees")) : modelParam;
    Result<qint64> treeCount = numTrees ? numTrees.value().integer(1, 1 << 24) : Result<qint64>(numTrees.error());
    if (!treeCount)
        return treeCount.error();
    if (modelParam.value().value.toObject().contains(QLatin1String("size_leaf_vector")))
        if (Result<qint64> leafVector = modelParam.value().member(QStringLiteral("size_leaf_vector")).value().integer(0, 0);
            !leafVector)
            return modelParam.value().error(QStringLiteral("vector leaves (size_leaf_vector > 0) are not supported"));
    Result<XgboostField> info = model.value().member(QStringLiteral("tree_info"));
    Result<XgboostField> treesField = model.value().member(QStringLiteral("trees"));
    if (!info || !treesField)
        return !info ? info.error() : treesField.error();
    Result<QJsonArray> treeArray = treesField.value().array();
    if (!treeArray)
        return treeArray.error();
    if (treeArray.value().size() != treeCount.value())
        return treesField.value().error(
            QStringLiteral("%1 trees; num_trees says %2").arg(treeArray.value().size()).arg(treeCount.value()));
    Result<std::vector<qsizetype>> order = scoringOrder(info.value(), treeCount.value(), outputs);
    if (!order)
        return order.error();

    state.values.insert(QStringLiteral("outputs"), outputs);
    QJsonArray categorical, counts;
    for (std::size_t f = 0; f < features.size(); ++f)
        if (features[f].categories > 0) {
            categorical.append(qint64(f));
            counts.append(features[f].categories);
        }
    state.values.insert(QStringLiteral("categorical_features"), categorical);
    state.values.insert(QStringLiteral("category_counts"), counts);
    const qint64 parallel = modelParam.value()
                                .value.toObject()
                                .value(QLatin1String("num_parallel_tree"))
                                .toString(QStringLiteral("1"))
                                .toLongLong();
    rounds = qint64(order.value().size()) / outputs / std::max<qint64>(parallel, 1);
    return appendXgboostTrees(treesField.value(), order.value(), features, state);
}

// Two-class softmax trees (appended class 0, class 1, class 0, ... by round) as one margin, the
// log-odds of class 1: class 0's leaf values change sign, and every tree adds to output 0.
void foldPairedSoftmax(ComponentState &state)
{
    std::vector<double> &values = state.arrays[QStringLiteral("node_value")].data;
    const std::vector<double> &sizes = state.arrays[QStringLiteral("tree_sizes")].data;
    std::size_t first = 0;
    for (std::size_t tree = 0; tree < sizes.size(); ++tree) {
        const std::size_t nodes = std::size_t(sizes[tree]);
        if (tree % 2 == 0)
            for (std::size_t n = first; n < first + nodes; ++n)
                values[n] = values[n] == 0 ? 0.0 : -values[n];
        first += nodes;
    }
    state.values.insert(QStringLiteral("outputs"), 1);
}

// Defined below: the learner, once the document is read.
Result<XgboostImport> convertLearner(const XgboostField &root, const QStringList &givenNames,
                                     const XgboostCategories &givenCategories, XgboostImport import);

} // namespace

Result<XgboostImport> importXgboost(const QByteArray &bytes, const QString &name, const QStringList &featureNames,
                                    const XgboostCategories &categories)
{
    XgboostImport import;
    Result<QJsonValue> document = parseDocument(bytes, name, import.container);
    if (!document)
        return document.error();
    const XgboostField root{document.value(), QString()};
    if (!root.value.isObject())
        return Error::invalid(QStringLiteral("%1: the document is not an object").arg(name));
    Result<QString> version = versionOf(root);
    if (!version)
        return Error::invalid(QStringLiteral("%1: %2").arg(name, version.error().message));
    import.version = version.value();
    Result<XgboostImport> converted = convertLearner(root, featureNames, categories, std::move(import));
    if (!converted)
        return Error::invalid(QStringLiteral("%1: %2").arg(name, converted.error().message));
    return converted;
}

namespace {

// What a learner is, read from its header: the booster and objective fields, their kind, and the
// model's shape.
struct LearnerHeader
{
    XgboostField learner;
    XgboostField params; // learner_model_param
    XgboostField booster;
    QString objectiveName;
    Objective objective;
    qint64 features = 0;
    qint64 classes = 0;
    int outputs = 1; // margins per row
};

Result<LearnerHeader> readLearnerHeader(const XgboostField &root)
{
    Result<XgboostField> learner = root.member(QStringLiteral("learner"));
    Result<XgboostField> params = learner ? learner.value().member(QStringLiteral("learner_model_param")) : learner;
    Result<XgboostField> objectiveField = learner ? learner.value().member(QStringLiteral("objective")) : learner;
    Result<XgboostField> objectiveName = objectiveField ? objectiveField.value().member(QStringLiteral("name")) : objectiveField;
    Result<XgboostField> booster = learner ? learner.value().member(QStringLiteral("gradient_booster")) : learner;
    Result<XgboostField> boosterName = booster ? booster.value().member(QStringLiteral("name")) : booster;
    for (const Result<XgboostField> *field : {&params, &objectiveName, &boosterName})
        if (!*field)
            return field->error();
    Result<QString> kind = boosterName.value().string();
    if (!kind)
        return kind.error();
    if (kind.value() != QLatin1String("gbtree"))
        return boosterName.value().error(QStringLiteral("the %1 booster is not supported: only gbtree (%2)")
                                             .arg(kind.value(),
                                                  kind.value() == QLatin1String("dart")
                                                      ? QStringLiteral("dart weights its trees by their drop history")
                                                      : QStringLiteral("Plumb's boosted models are trees")));
    Result<QString> objective = objectiveName.value().string();
    if (!objective)
        return objective.error();
    const auto param = [&](const char *key, qint64 lowest, qint64 highest) -> Result<qint64> {
        Result<XgboostField> field = params.value().member(QLatin1String(key));
        return field ? field.value().integer(lowest, highest) : Result<qint64>(field.error());
    };
    Result<qint64> features = param("num_feature", 1, 1 << 20);
    Result<qint64> classes = param("num_class", 0, 1 << 16);
    for (const Result<qint64> *value : {&features, &classes})
        if (!*value)
            return value->error();
    if (params.value().value.toObject().contains(QLatin1String("num_target")))
        if (Result<qint64> targets = param("num_target", 1, 1); !targets)
            return params.value().error(QStringLiteral("models with several targets are not supported"));
    Result<Objective> how = objectiveFor(objectiveName.value(), objective.value(), classes.value());
    if (!how)
        return how.error();
    LearnerHeader header{learner.value(), params.value(),   booster.value(), objective.value(),
                         how.value(),     features.value(), classes.value()};
    header.outputs = how.value().task == Task::Classification && !how.value().logistic ? int(classes.value()) : 1;
    return header;
}

// The boosted model's state before its trees: class and feature counts, and the base margins.
Result<ComponentState> boosterState(const LearnerHeader &header)
{
    Result<XgboostField> scoreField = header.params.member(QStringLiteral("base_score"));
    Result<std::vector<double>> base = scoreField ? baseMargins(scoreField.value(), header.objective.logistic, header.outputs)
                                                  : Result<std::vector<double>>(scoreField.error());
    if (!base)
        return base.error();
    if (header.objective.pairedSoftmax)
        base.value() = {base.value()[1] - base.value()[0]};
    ComponentState state;
    state.values.insert(QStringLiteral("classes"),
                        header.objective.task == Task::Classification ? int(std::max<qint64>(header.classes, 2)) : 0);
    state.values.insert(QStringLiteral("features"), header.features);
    const int margins = int(base.value().size());
    state.arrays[QStringLiteral("baseline")] = Tensor{{margins}, std::move(base).value()};
    return state;
}

TargetSpec xgboostTarget(const LearnerHeader &header)
{
    TargetSpec target{QStringLiteral("target"), ColumnType::Float, header.objective.task, {}};
    if (header.objective.task == Task::Classification) {
        target.type = ColumnType::Integer;
        for (int k = 0; k < std::max(header.outputs, 2); ++k)
            target.classes.append(QString::number(k));
    }
    return target;
}

// Records how each categorical column is read: named levels or bare codes.
void describeCategoricalInputs(const QStringList &names, const std::vector<QStringList> &levels,
                               const XgboostCategories &givenCategories, XgboostImport &import)
{
    for (std::size_t f = 0; f < levels.size(); ++f) {
        if (levels[f].isEmpty())
            continue;
        const QString &feature = names[qsizetype(f)];
        const QString how = givenCategories.contains(feature)
            ? QStringLiteral("%1: levels %2 (codes 0..%3)")
                  .arg(feature, levels[f].join(QLatin1Char(',')))
                  .arg(levels[f].size() - 1)
            : QStringLiteral("%1: category codes 0..%2, as numbers (a value that is no code goes the split's missing side)")
                  .arg(feature)
                  .arg(levels[f].size() - 1);
        import.categorical.append(how);
        import.imported.components.push_back({QStringLiteral("learner.feature_types[%1]").arg(f),
                                              QStringLiteral("categorical %1").arg(how), QStringLiteral("ordinal_encoder")});
    }
}

// A file saved after early stopping records its best round; Plumb, as Booster.predict, uses all.
void warnAboutEarlyStopping(const XgboostField &learner, qint64 rounds, XgboostImport &import)
{
    const QJsonObject attributes = learner.value.toObject().value(QLatin1String("attributes")).toObject();
    if (const qint64 best = attributes.value(QLatin1String("best_iteration")).toString().toLongLong();
        best > 0 && best + 1 < rounds)
        import.imported.warnings.append(
            QStringLiteral("the file records best_iteration %1 (early stopping); Plumb scores with all %2 rounds, "
                           "as XGBoost's Booster.predict does without iteration_range")
                .arg(best)
                .arg(rounds));
}

Result<XgboostImport> convertLearner(const XgboostField &root, const QStringList &givenNames,
                                     const XgboostCategories &givenCategories, XgboostImport import)
{
    Result<LearnerHeader> header = readLearnerHeader(root);
    if (!header)
        return header.error();
    const LearnerHeader &learner = header.value();
    import.objective = learner.objectiveName;
    Result<ComponentState> state = boosterState(learner);
    if (!state)
        return state.error();
    Result<QStringList> names = xgboostFeatureNames(learner.learner, learner.features, givenNames,
                                                    import.imported.positionalFeatures);
    if (!names)
        return names.error();
    Result<std::vector<bool>> categorical = xgboostCategoricalFeatures(learner.learner, learner.features);
    if (!categorical)
        return categorical.error();
    std::vector<QStringList> levels;
    Result<std::vector<XgboostFeature>> inputs = xgboostModelFeatures(names.value(), categorical.value(), givenCategories,
                                                                      levels);
    if (!inputs)
        return inputs.error();
    qint64 rounds = 0;
    if (auto error = appendBooster(learner.booster, learner.outputs, inputs.value(), state.value(), rounds))
        return *error;
    if (learner.objective.pairedSoftmax)
        foldPairedSoftmax(state.value());
    std::unique_ptr<Model> plumbModel = createModel(QStringLiteral("gradient_boosting"), learner.objective.task);
    if (auto error = plumbModel->restore(state.value()))
        return learner.booster.error(error->message);
    std::vector<FeatureSpec> specs;
    Result<ColumnRouter> router = xgboostRouter(names.value(), levels, specs);
    if (!router)
        return router.error();
    import.imported.pipeline.emplace(std::move(specs), xgboostTarget(learner), std::move(router).value(), std::move(plumbModel));
    describeCategoricalInputs(names.value(), levels, givenCategories, import);
    import.imported.components.push_back({QStringLiteral("learner.gradient_booster"),
                                          QStringLiteral("gbtree, %1").arg(learner.objectiveName),
                                          QStringLiteral("gradient_boosting")});
    warnAboutEarlyStopping(learner.learner, rounds, import);
    return import;
}

} // namespace

Result<XgboostImport> importXgboostToFile(const QString &sourcePath, const QString &outputPath, const QString &name,
                                          bool overwrite, const QStringList &featureNames, const XgboostCategories &categories)
{
    Result<QByteArray> bytes = readFileBytes(sourcePath);
    if (!bytes)
        return bytes.error();
    Result<XgboostImport> converted = importXgboost(bytes.value(), QFileInfo(sourcePath).fileName(), featureNames, categories);
    if (!converted)
        return converted.error();
    const XgboostImport &import = converted.value();
    ModelMetadata metadata;
    metadata.name = name.isEmpty() ? QFileInfo(outputPath).completeBaseName() : name;
    metadata.description = QStringLiteral("Imported from the XGBoost file %1").arg(QFileInfo(sourcePath).fileName());
    metadata.author = defaultAuthor();
    metadata.created = QDateTime::currentDateTimeUtc();
    metadata.software = softwareEnvironment();
    metadata.imported.source = QFileInfo(sourcePath).fileName();
    metadata.imported.sha256 = QString::fromLatin1(sha256(bytes.value()).toHex());
    metadata.imported.library = QStringLiteral("XGBoost");
    metadata.imported.libraryVersion = import.version;
    metadata.imported.container = import.container;
    metadata.imported.conversion = import.imported.conversionJson();
    metadata.imported.positionalFeatures = import.imported.positionalFeatures;
    // Whatever keeps the model from being saved is the output's problem, not the source's: an
    // Io error, so that only a refused source gives an Invalid one.
    if (auto error = saveModelArtifact(outputPath, *import.imported.pipeline, metadata, QJsonArray(), overwrite))
        return Error::io(error->message);
    return converted;
}

} // namespace plumb
