// GaussianNB: theta_, var_ (epsilon_ already added) and class_prior_ onto Plumb's Gaussian naive
// Bayes, which stores its variances with the smoothing added too and scores
// log prior - 1/2 sum log(2 pi var) - 1/2 sum (x - mean)^2 / var as scikit-learn does.

#include "interop/sklearnconversion.h"

namespace plumb {

Result<ConvertedModel> convertNaiveBayesModel(ConversionContext &context, const GraphRef &ref, Eigen::Index inputs)
{
    const SklearnGraphReader &reader = context.reader;
    Result<TargetSpec> target = classifierTarget(context, ref);
    if (!target)
        return target.error();
    const auto classes = Eigen::Index(target.value().classes.size());
    Result<GraphRef> meansRef = reader.attribute(ref, QStringLiteral("theta_"));
    Result<GraphRef> priorsRef = reader.attribute(ref, QStringLiteral("class_prior_"));
    // var_ since scikit-learn 1.0, sigma_ before.
    Result<GraphRef> variancesRef = reader.attribute(ref, QStringLiteral("var_"));
    if (!variancesRef)
        variancesRef = reader.attribute(ref, QStringLiteral("sigma_"));
    if (!meansRef || !priorsRef || !variancesRef)
        return !meansRef ? meansRef.error() : !priorsRef ? priorsRef.error() : variancesRef.error();
    Result<Eigen::MatrixXd> means = reader.matrix(meansRef.value(), classes, inputs);
    Result<Eigen::MatrixXd> variances = reader.matrix(variancesRef.value(), classes, inputs);
    Result<Eigen::VectorXd> priors = reader.vector(priorsRef.value(), classes);
    if (!means || !variances || !priors)
        return !means ? means.error() : !variances ? variances.error() : priors.error();
    ComponentState state;
    state.arrays[QStringLiteral("means")] = Tensor::fromMatrix(means.value());
    state.arrays[QStringLiteral("variances")] = Tensor::fromMatrix(variances.value());
    state.arrays[QStringLiteral("priors")] = Tensor::fromVector(priors.value());
    return restoreModel(context, ref, QStringLiteral("gaussian_nb"), target.value(), state, inputs);
}

} // namespace plumb
