// Preprocessing: StandardScaler, MinMaxScaler, SimpleImputer, OneHotEncoder, OrdinalEncoder.

#include "interop/sklearnconversion.h"

#include <QJsonArray>

#include <cmath>

namespace plumb {

namespace {

using Converted = Result<std::unique_ptr<Transformer>>;

// Restores `state` into a new `kind` step taking `inputColumns` columns, naming the path on error.
Converted restoreStep(ConversionContext &context, const GraphRef &ref, const QString &kind, const ComponentState &state,
                      Eigen::Index inputColumns, const ParamValues *params = nullptr)
{
    std::unique_ptr<Transformer> step = createTransformer(kind);
    if (params)
        step->setParams(*params);
    if (auto error = step->restore(state, inputColumns))
        return SklearnGraphReader::at(ref, error->message);
    context.record(ref, kind);
    return step;
}

// A boolean hyperparameter that must have one value for the conversion to be exact.
std::optional<Error> requireFlag(const ConversionContext &context, const GraphRef &ref, const QString &name, bool wanted)
{
    const auto flag = context.reader.optionalAttribute(ref, name);
    if (!flag)
        return std::nullopt;
    Result<bool> value = context.reader.boolean(*flag);
    if (!value)
        return value.error();
    if (value.value() != wanted)
        return SklearnGraphReader::at(
            *flag, QStringLiteral("%1=%2 is not supported").arg(name, wanted ? QStringLiteral("False") : QStringLiteral("True")));
    return std::nullopt;
}

// A flag read with a default for files that lack it.
Result<bool> flagOr(const ConversionContext &context, const GraphRef &ref, const QString &name, bool otherwise)
{
    const auto flag = context.reader.optionalAttribute(ref, name);
    return flag ? context.reader.boolean(*flag) : Result<bool>(otherwise);
}

// StandardScaler computes (x - mean_) / scale_, as Plumb's does; mean_ applies only with
// with_mean, scale_ (None without with_std) already has zero spreads replaced by 1.
Converted standardScaler(ConversionContext &context, const GraphRef &ref, Eigen::Index columns)
{
    const SklearnGraphReader &reader = context.reader;
    Result<bool> withMean = flagOr(context, ref, QStringLiteral("with_mean"), true);
    Result<bool> withStd = flagOr(context, ref, QStringLiteral("with_std"), true);
    if (!withMean || !withStd)
        return !withMean ? withMean.error() : withStd.error();
    Eigen::VectorXd means = Eigen::VectorXd::Zero(columns), scales = Eigen::VectorXd::Ones(columns);
    if (withMean.value()) {
        Result<GraphRef> mean = reader.attribute(ref, QStringLiteral("mean_"));
        Result<Eigen::VectorXd> values = mean ? reader.vector(mean.value(), columns) : Result<Eigen::VectorXd>(mean.error());
        if (!values)
            return values.error();
        means = values.value();
    }
    if (withStd.value()) {
        Result<GraphRef> scale = reader.attribute(ref, QStringLiteral("scale_"));
        Result<Eigen::VectorXd> values = scale ? reader.vector(scale.value(), columns) : Result<Eigen::VectorXd>(scale.error());
        if (!values)
            return values.error();
        scales = values.value();
    }
    ComponentState state;
    state.arrays[QStringLiteral("means")] = Tensor::fromVector(means);
    state.arrays[QStringLiteral("scales")] = Tensor::fromVector(scales);
    return restoreStep(context, ref, QStringLiteral("standard_scaler"), state, columns);
}

// MinMaxScaler computes x * scale_ + min_ with min_ = range_low - data_min_ * scale_. Plumb's
// computes x * scale + (-(minimum * scale)), the same bits when range_low is 0 and min_ is exactly
// -(data_min_ * scale_); other ranges are refused rather than approximated.
Converted minMaxScaler(ConversionContext &context, const GraphRef &ref, Eigen::Index columns)
{
    const SklearnGraphReader &reader = context.reader;
    if (auto error = requireFlag(context, ref, QStringLiteral("clip"), false))
        return *error;
    Result<GraphRef> scaleRef = reader.attribute(ref, QStringLiteral("scale_"));
    Result<GraphRef> minRef = reader.attribute(ref, QStringLiteral("min_"));
    Result<GraphRef> dataMinRef = reader.attribute(ref, QStringLiteral("data_min_"));
    if (!scaleRef || !minRef || !dataMinRef)
        return !scaleRef ? scaleRef.error() : !minRef ? minRef.error() : dataMinRef.error();
    Result<Eigen::VectorXd> scale = reader.vector(scaleRef.value(), columns);
    Result<Eigen::VectorXd> offset = reader.vector(minRef.value(), columns);
    Result<Eigen::VectorXd> dataMin = reader.vector(dataMinRef.value(), columns);
    if (!scale || !offset || !dataMin)
        return !scale ? scale.error() : !offset ? offset.error() : dataMin.error();
    for (Eigen::Index c = 0; c < columns; ++c)
        if (offset.value()[c] != -(dataMin.value()[c] * scale.value()[c]))
            return SklearnGraphReader::at(minRef.value(),
                                          QStringLiteral("element %1 is not -data_min_ * scale_; only feature_range=(0, 1) "
                                                         "converts exactly")
                                              .arg(c));
    ComponentState state;
    state.arrays[QStringLiteral("minima")] = Tensor::fromVector(dataMin.value());
    state.arrays[QStringLiteral("scales")] = Tensor::fromVector(scale.value());
    return restoreStep(context, ref, QStringLiteral("min_max_scaler"), state, columns);
}

// SimpleImputer's statistics_: numbers for a numeric branch, text for a categorical one. Missing
// values must be NaN (numbers) or None/NaN (text), without an indicator.
Converted simpleImputer(ConversionContext &context, const GraphRef &ref, Eigen::Index columns, bool categorical)
{
    const SklearnGraphReader &reader = context.reader;
    if (auto error = requireFlag(context, ref, QStringLiteral("add_indicator"), false))
        return *error;
    if (const auto missing = reader.optionalAttribute(ref, QStringLiteral("missing_values"))) {
        Result<double> number = reader.real(*missing);
        if (!(number && std::isnan(number.value())) && !reader.isNone(*missing))
            return reader.mismatch(*missing, QStringLiteral("NaN or None (other missing markers are not supported)"));
    }
    Result<GraphRef> strategyRef = reader.attribute(ref, QStringLiteral("strategy"));
    Result<QString> strategy = strategyRef ? reader.text(strategyRef.value()) : Result<QString>(strategyRef.error());
    if (!strategy)
        return strategy.error();
    const QStringList strategies{QStringLiteral("mean"), QStringLiteral("median"), QStringLiteral("most_frequent"),
                                 QStringLiteral("constant")};
    if (!strategies.contains(strategy.value()))
        return SklearnGraphReader::at(strategyRef.value(),
                                      QStringLiteral("strategy '%1' is not supported").arg(strategy.value()));
    ParamValues params = createTransformer(QStringLiteral("simple_imputer"))->params();
    params.set(QStringLiteral("strategy"), strategy.value());
    Result<GraphRef> statistics = reader.attribute(ref, QStringLiteral("statistics_"));
    if (!statistics)
        return statistics.error();
    ComponentState state;
    if (categorical) {
        Result<QStringList> fills = reader.labels(statistics.value(), columns);
        if (!fills)
            return fills.error();
        state.values.insert(QStringLiteral("categorical_fills"), QJsonArray::fromStringList(fills.value()));
    } else {
        // A NaN statistic is a column scikit-learn drops (no values seen): not expressible here.
        Result<Eigen::VectorXd> fills = reader.vector(statistics.value(), columns);
        if (!fills)
            return fills.error();
        state.arrays[QStringLiteral("numeric_fills")] = Tensor::fromVector(fills.value());
    }
    return restoreStep(context, ref, QStringLiteral("simple_imputer"), state, columns, &params);
}

// The encoders' categories_: one label array per input column.
Result<std::vector<QStringList>> encoderCategories(const ConversionContext &context, const GraphRef &ref, Eigen::Index columns)
{
    Result<GraphRef> list = context.reader.attribute(ref, QStringLiteral("categories_"));
    if (!list)
        return list.error();
    Result<std::vector<GraphRef>> items = context.reader.items(list.value());
    if (!items)
        return items.error();
    if (Eigen::Index(items.value().size()) != columns)
        return SklearnGraphReader::at(list.value(),
                                      QStringLiteral("%1 category lists for %2 columns").arg(items.value().size()).arg(columns));
    std::vector<QStringList> categories;
    for (const GraphRef &item : items.value()) {
        Result<QStringList> labels = context.reader.labels(item, -1);
        if (!labels)
            return labels.error();
        // A NaN category (missing values encoded as a category) has no Plumb equivalent.
        if (labels.value().contains(QStringLiteral("nan")) || labels.value().isEmpty())
            return SklearnGraphReader::at(item, QStringLiteral("an empty list or a missing-value category is not supported"));
        categories.push_back(labels.value());
    }
    return categories;
}

// The encoder settings Plumb's encoders follow; anything else is refused or noted.
std::optional<Error> checkEncoder(ConversionContext &context, const GraphRef &ref, bool oneHot)
{
    const SklearnGraphReader &reader = context.reader;
    if (oneHot) {
        if (const auto drop = reader.optionalAttribute(ref, QStringLiteral("drop_idx_")); drop && !reader.isNone(*drop))
            return SklearnGraphReader::at(*drop, QStringLiteral("drop is not supported; Plumb keeps every category"));
        if (const auto infrequent = reader.optionalAttribute(ref, QStringLiteral("_infrequent_enabled"))) {
            Result<bool> enabled = reader.boolean(*infrequent);
            if (!enabled || enabled.value())
                return SklearnGraphReader::at(*infrequent, QStringLiteral("infrequent categories are not supported"));
        }
    }
    const auto handle = reader.optionalAttribute(ref, QStringLiteral("handle_unknown"));
    Result<QString> unknown = handle ? reader.text(*handle) : Result<QString>(QStringLiteral("error"));
    if (!unknown)
        return unknown.error();
    if (unknown.value() == QLatin1String("error")) {
        context.warnings.append(
            QStringLiteral("%1: scikit-learn refused unknown categories; Plumb encodes them as %2 and counts them")
                .arg(ref.path, oneHot ? QStringLiteral("zeros") : QStringLiteral("-1")));
        return std::nullopt;
    }
    if (oneHot && unknown.value() == QLatin1String("ignore"))
        return std::nullopt;
    if (!oneHot && unknown.value() == QLatin1String("use_encoded_value")) {
        Result<GraphRef> valueRef = reader.attribute(ref, QStringLiteral("unknown_value"));
        Result<double> value = valueRef ? reader.real(valueRef.value()) : Result<double>(valueRef.error());
        if (!value)
            return value.error();
        if (value.value() != -1.0)
            return SklearnGraphReader::at(valueRef.value(),
                                          QStringLiteral("unknown_value must be -1, as Plumb encodes unknown categories"));
        return std::nullopt;
    }
    return SklearnGraphReader::at(*handle, QStringLiteral("handle_unknown='%1' is not supported").arg(unknown.value()));
}

Converted encoder(ConversionContext &context, const GraphRef &ref, Eigen::Index columns, bool oneHot,
                  std::vector<QStringList> *categoriesOut)
{
    if (auto error = checkEncoder(context, ref, oneHot))
        return *error;
    Result<std::vector<QStringList>> categories = encoderCategories(context, ref, columns);
    if (!categories)
        return categories.error();
    ComponentState state;
    QJsonArray lists, infrequent;
    for (const QStringList &list : categories.value()) {
        lists.append(QJsonArray::fromStringList(list));
        infrequent.append(false);
    }
    state.values.insert(QStringLiteral("categories"), lists);
    if (oneHot)
        state.values.insert(QStringLiteral("infrequent"), infrequent);
    if (categoriesOut)
        *categoriesOut = categories.value();
    return restoreStep(context, ref, oneHot ? QStringLiteral("one_hot_encoder") : QStringLiteral("ordinal_encoder"), state,
                       columns);
}

} // namespace

bool isSklearnTransformer(const QString &sklearnClass)
{
    static const QStringList kinds{QStringLiteral("StandardScaler"), QStringLiteral("MinMaxScaler"),
                                   QStringLiteral("SimpleImputer"), QStringLiteral("OneHotEncoder"),
                                   QStringLiteral("OrdinalEncoder")};
    return kinds.contains(sklearnClass);
}

bool isSklearnEncoder(const QString &sklearnClass)
{
    return sklearnClass == QLatin1String("OneHotEncoder") || sklearnClass == QLatin1String("OrdinalEncoder");
}

Result<std::unique_ptr<Transformer>> convertTransformer(ConversionContext &context, const GraphRef &ref,
                                                        Eigen::Index inputColumns, bool categorical,
                                                        std::vector<QStringList> *categories)
{
    const QString name = context.sklearnClass(ref);
    if (!isSklearnTransformer(name))
        return context.reader.mismatch(ref,
                                       QStringLiteral("a supported transformer (StandardScaler, MinMaxScaler, SimpleImputer, "
                                                      "OneHotEncoder or OrdinalEncoder)"));
    if (auto error = checkFeatureCount(context, ref, inputColumns))
        return *error;
    if (isSklearnEncoder(name))
        return categorical ? encoder(context, ref, inputColumns, name == QLatin1String("OneHotEncoder"), categories)
                           : Result<std::unique_ptr<Transformer>>(
                               SklearnGraphReader::at(ref, QStringLiteral("an encoder after numeric steps is not supported")));
    if (name == QLatin1String("SimpleImputer"))
        return simpleImputer(context, ref, inputColumns, categorical);
    if (categorical)
        return SklearnGraphReader::at(ref, QStringLiteral("%1 before the encoder would receive categories").arg(name));
    return name == QLatin1String("StandardScaler") ? standardScaler(context, ref, inputColumns)
                                                   : minMaxScaler(context, ref, inputColumns);
}

} // namespace plumb
