// The inputs of an imported XGBoost model: which features are categorical, their names and
// levels, and the router and feature specs of the pipeline (declared in xgboostconversion.h).

#include "interop/xgboostconversion.h"

#include "learn/encoders.h"

#include <QSet>

#include <algorithm>
#include <cmath>

namespace plumb {

const QStringList &xgboostCodeLevels()
{
    static const QStringList codes = [] {
        QStringList list;
        for (int c = 0; c < kMostCategoryCodes; ++c)
            list.append(QString::number(c));
        return list;
    }();
    return codes;
}

Result<std::vector<bool>> xgboostCategoricalFeatures(const XgboostField &learner, qint64 features)
{
    std::vector<bool> categorical(std::size_t(features), false);
    if (learner.value.toObject().contains(QLatin1String("feature_types"))) {
        const XgboostField typesField = learner.member(QStringLiteral("feature_types")).value();
        Result<QJsonArray> types = typesField.array();
        if (!types)
            return types.error();
        if (!types.value().isEmpty() && types.value().size() != features)
            return typesField.error(QStringLiteral("%1 types for %2 features").arg(types.value().size()).arg(features));
        for (qsizetype i = 0; i < types.value().size(); ++i) {
            const QString type = types.value().at(i).toString();
            if (type != QLatin1String("float") && type != QLatin1String("int") && type != QLatin1String("i")
                && type != QLatin1String("q") && type != QLatin1String("c"))
                return typesField.error(QStringLiteral("entry %1 is not a known feature type (float, int, i, q, c)").arg(i));
            categorical[std::size_t(i)] = type == QLatin1String("c");
        }
        if (!types.value().isEmpty())
            return categorical;
    }
    const QJsonArray trees
        = learner.value[QLatin1String("gradient_booster")][QLatin1String("model")][QLatin1String("trees")].toArray();
    for (const QJsonValue &tree : trees) {
        const QJsonArray splitTypes = tree[QLatin1String("split_type")].toArray();
        const QJsonArray indices = tree[QLatin1String("split_indices")].toArray();
        for (qsizetype n = 0; n < std::min(splitTypes.size(), indices.size()); ++n)
            if (splitTypes.at(n).toDouble() == 1 && indices.at(n).toDouble() >= 0 && indices.at(n).toDouble() < double(features))
                categorical[std::size_t(indices.at(n).toDouble())] = true;
    }
    return categorical;
}

Result<QStringList> xgboostFeatureNames(const XgboostField &learner, qint64 features, const QStringList &given, bool &positional)
{
    positional = false;
    QStringList names;
    const QJsonObject object = learner.value.toObject();
    if (object.contains(QLatin1String("feature_names"))) {
        const XgboostField namesField = learner.member(QStringLiteral("feature_names")).value();
        Result<QJsonArray> array = namesField.array();
        if (!array)
            return array.error();
        for (const QJsonValue &value : array.value())
            names.append(value.toString());
        if (!names.isEmpty() && names.size() != features)
            return namesField.error(QStringLiteral("%1 names for %2 features").arg(names.size()).arg(features));
        if (names.contains(QString()) || QSet<QString>(names.begin(), names.end()).size() != names.size())
            return namesField.error(QStringLiteral("the names must be distinct, non-empty text"));
    }
    if (!given.isEmpty()) {
        if (given.size() != features)
            return Error::invalid(
                QStringLiteral("%1 feature names were given, but the model has %2 features").arg(given.size()).arg(features));
        if (given.contains(QString()) || QSet<QString>(given.begin(), given.end()).size() != given.size())
            return Error::invalid(QStringLiteral("the given feature names must be distinct and non-empty"));
        if (!names.isEmpty() && names != given)
            return Error::invalid(
                QStringLiteral("the given feature names differ from the file's (%1)").arg(names.join(QLatin1String(", "))));
        return given;
    }
    if (names.isEmpty()) {
        positional = true;
        for (qint64 i = 0; i < features; ++i)
            names.append(QStringLiteral("x%1").arg(i));
    }
    return names;
}

Result<std::vector<XgboostFeature>> xgboostModelFeatures(const QStringList &names, const std::vector<bool> &categorical,
                                                         const XgboostCategories &given, std::vector<QStringList> &levels)
{
    QStringList categoricalNames;
    for (qsizetype f = 0; f < names.size(); ++f)
        if (categorical[std::size_t(f)])
            categoricalNames.append(names[f]);
    for (auto it = given.begin(); it != given.end(); ++it) {
        if (!categoricalNames.contains(it.key()))
            return Error::invalid(
                QStringLiteral("categories were given for '%1', which is not a categorical feature of the model (%2)")
                    .arg(it.key(),
                         categoricalNames.isEmpty()
                             ? QStringLiteral("it has none")
                             : QStringLiteral("categorical: %1").arg(categoricalNames.join(QLatin1String(", ")))));
        const QStringList &list = it.value();
        if (list.isEmpty() || list.size() > kMostCategoryCodes || list.contains(QString())
            || QSet<QString>(list.begin(), list.end()).size() != list.size())
            return Error::invalid(
                QStringLiteral("the categories of '%1' must be 1 to %2 distinct, non-empty levels in code order")
                    .arg(it.key())
                    .arg(kMostCategoryCodes));
    }
    const QStringList codes = xgboostCodeLevels();
    std::vector<XgboostFeature> features;
    levels.assign(std::size_t(names.size()), {});
    for (qsizetype f = 0; f < names.size(); ++f) {
        if (categorical[std::size_t(f)])
            levels[std::size_t(f)] = given.contains(names[f]) ? given.value(names[f]) : codes;
        features.push_back(XgboostFeature{names[f], int(levels[std::size_t(f)].size())});
    }
    return features;
}

Result<ColumnRouter> xgboostRouter(const QStringList &names, const std::vector<QStringList> &levels,
                                   std::vector<FeatureSpec> &specs)
{
    ColumnRouter router;
    int branches = 0;
    for (qsizetype f = 0; f < names.size();) {
        const bool categorical = !levels[std::size_t(f)].isEmpty();
        RouterBranch branch;
        branch.name = (categorical ? QStringLiteral("categorical") : QStringLiteral("numeric"))
            + (branches++ > 0 ? QStringLiteral("_%1").arg(branches) : QString());
        branch.categorical = categorical;
        QJsonArray encoded;
        for (; f < names.size() && levels[std::size_t(f)].isEmpty() != categorical; ++f) {
            const QStringList &codes = levels[std::size_t(f)];
            branch.columns.append(names[f]);
            // A column of codes is read as numbers (so "3", "3.0" and 3 are one code) and turned
            // into their text by the categorical branch; a column of named levels as text.
            const bool named = categorical && codes != xgboostCodeLevels();
            specs.push_back(FeatureSpec{names[f], named ? ColumnType::Categorical : ColumnType::Float,
                                        named ? codes : QStringList(), std::nan(""), std::nan("")});
            if (!categorical)
                continue;
            QStringList sorted = codes;
            std::sort(sorted.begin(), sorted.end());
            branch.vocabularies.push_back(sorted);
            encoded.append(QJsonArray::fromStringList(codes));
        }
        if (categorical) {
            auto encoder = std::make_unique<OrdinalEncoder>();
            ComponentState state;
            state.values.insert(QStringLiteral("categories"), encoded);
            if (auto error = encoder->restore(state, branch.columns.size()))
                return *error;
            branch.steps.push_back(std::move(encoder));
        }
        router.addBranch(std::move(branch));
    }
    if (auto error = router.setRestoredOutputs(names))
        return *error;
    return router;
}

} // namespace plumb
