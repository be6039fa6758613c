// KNeighbors{Classifier,Regressor}: the training rows and targets onto Plumb's k-nearest neighbours.

#include "interop/sklearnconversion.h"

namespace plumb {

namespace {

// Euclidean distance only: metric 'euclidean', or 'minkowski' with p = 2, as effective_metric_
// records after fitting.
std::optional<Error> checkMetric(const ConversionContext &context, const GraphRef &ref)
{
    const SklearnGraphReader &reader = context.reader;
    Result<GraphRef> metricRef = reader.attribute(ref, QStringLiteral("effective_metric_"));
    Result<QString> metric = metricRef ? reader.text(metricRef.value()) : Result<QString>(metricRef.error());
    if (!metric)
        return metric.error();
    if (metric.value() == QLatin1String("euclidean"))
        return std::nullopt;
    if (metric.value() == QLatin1String("minkowski")) {
        const auto params = reader.optionalAttribute(ref, QStringLiteral("effective_metric_params_"));
        Result<GraphRef> p = params ? reader.dictEntry(*params, QStringLiteral("p"))
                                    : Result<GraphRef>(SklearnGraphReader::at(ref, QStringLiteral("no p")));
        Result<double> power = p ? reader.real(p.value()) : Result<double>(p.error());
        if (power && power.value() == 2.0)
            return std::nullopt;
    }
    return SklearnGraphReader::at(
        metricRef.value(),
        QStringLiteral("the metric '%1' is not supported; Plumb's neighbours are Euclidean").arg(metric.value()));
}

} // namespace

Result<ConvertedModel> convertNeighboursModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const SklearnGraphReader &reader = context.reader;
    const bool classifier = context.sklearnClass(ref).endsWith(QLatin1String("Classifier"));
    Result<TargetSpec> target = classifier ? classifierTarget(context, ref) : Result<TargetSpec>(regressorTarget());
    if (!target)
        return target.error();
    if (auto error = checkMetric(context, ref))
        return *error;
    Result<GraphRef> weightsRef = reader.attribute(ref, QStringLiteral("weights"));
    Result<QString> weights = weightsRef ? reader.text(weightsRef.value()) : Result<QString>(weightsRef.error());
    if (!weights)
        return weights.error();
    if (weights.value() != QLatin1String("uniform") && weights.value() != QLatin1String("distance"))
        return SklearnGraphReader::at(weightsRef.value(), QStringLiteral("weights='%1' is not supported").arg(weights.value()));
    Result<GraphRef> kRef = reader.attribute(ref, QStringLiteral("n_neighbors"));
    Result<std::int64_t> k = kRef ? reader.integer(kRef.value()) : Result<std::int64_t>(kRef.error());
    if (!k)
        return k.error();
    Result<GraphRef> trainingRef = reader.attribute(ref, QStringLiteral("_fit_X"));
    Result<Eigen::MatrixXd> training = trainingRef ? reader.matrix(trainingRef.value(), -1, inputs)
                                                   : Result<Eigen::MatrixXd>(trainingRef.error());
    if (!training)
        return training.error();
    if (k.value() < 1 || k.value() > training.value().rows())
        return SklearnGraphReader::at(
            kRef.value(), QStringLiteral("%1 neighbours for %2 training rows").arg(k.value()).arg(training.value().rows()));
    Result<GraphRef> targetsRef = reader.attribute(ref, QStringLiteral("_y"));
    if (!targetsRef)
        return targetsRef.error();
    Eigen::VectorXd targets;
    if (classifier) {
        // Class indices into classes_; the model's restore checks their range.
        Result<std::vector<std::int64_t>> codes = reader.integers(targetsRef.value(), training.value().rows());
        if (!codes)
            return codes.error();
        targets.resize(training.value().rows());
        for (Eigen::Index i = 0; i < targets.size(); ++i)
            targets[i] = double(codes.value()[std::size_t(i)]);
    } else {
        Result<Eigen::VectorXd> values = reader.vector(targetsRef.value(), training.value().rows());
        if (!values)
            return values.error();
        targets = values.value();
    }
    ComponentState state;
    if (classifier)
        state.values.insert(QStringLiteral("classes"), int(target.value().classes.size()));
    state.arrays[QStringLiteral("training")] = Tensor::fromMatrix(training.value());
    state.arrays[QStringLiteral("targets")] = Tensor::fromVector(targets);
    ParamValues params = createModel(QStringLiteral("knn"), target.value().task)->params();
    if (auto error = params.set(QStringLiteral("n_neighbors"), qlonglong(k.value())))
        return SklearnGraphReader::at(kRef.value(), error->message);
    params.set(QStringLiteral("weights"), weights.value());
    Result<ConvertedModel> converted = restoreModel(context, ref, QStringLiteral("knn"), target.value(), state, inputs);
    if (converted)
        converted.value().model->setParams(params);
    return converted;
}

} // namespace plumb
