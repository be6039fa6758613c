#include "learn/transformer.h"

#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/scalers.h"

namespace plumb {

Transformer::~Transformer() = default;

std::optional<Error> Transformer::setParams(const ParamValues &values)
{
    for (const ParamSpec &spec : values.schema())
        if (auto error = mParams.set(spec.name, values.value(spec.name)))
            return error;
    return std::nullopt;
}

QStringList transformerKinds()
{
    return {QStringLiteral("simple_imputer"), QStringLiteral("standard_scaler"), QStringLiteral("min_max_scaler"),
            QStringLiteral("one_hot_encoder"), QStringLiteral("ordinal_encoder")};
}

std::unique_ptr<Transformer> createTransformer(const QString &kind)
{
    if (kind == QLatin1String("simple_imputer"))
        return std::make_unique<SimpleImputer>();
    if (kind == QLatin1String("standard_scaler"))
        return std::make_unique<StandardScaler>();
    if (kind == QLatin1String("min_max_scaler"))
        return std::make_unique<MinMaxScaler>();
    if (kind == QLatin1String("one_hot_encoder"))
        return std::make_unique<OneHotEncoder>();
    if (kind == QLatin1String("ordinal_encoder"))
        return std::make_unique<OrdinalEncoder>();
    return nullptr;
}

} // namespace plumb
