#include "learn/model.h"

#include "learn/linearmodels.h"
#include "learn/logisticregression.h"

#include <set>

namespace plumb {

Model::~Model() = default;

std::optional<Error> Model::setParams(const ParamValues &values)
{
    for (const ParamSpec &spec : values.schema())
        if (auto error = mParams.set(spec.name, values.value(spec.name)))
            return error;
    return std::nullopt;
}

Eigen::MatrixXd Model::predictProba(const Eigen::MatrixXd &) const
{
    return {};
}

std::optional<Error> checkFitInput(const QString &owner, Task task, const Eigen::MatrixXd &X, const FitTarget &y)
{
    const Eigen::Index rows = X.rows();
    if (rows == 0 || X.cols() == 0)
        return Error::invalid(QStringLiteral("%1: nothing to fit (%2 rows, %3 features)").arg(owner).arg(rows).arg(X.cols()));
    if (!X.allFinite())
        return Error::invalid(QStringLiteral("%1: the features hold missing or infinite values; impute them first").arg(owner));
    if (y.weights.size() != 0 && (y.weights.size() != rows || !y.weights.allFinite() || y.weights.minCoeff() < 0))
        return Error::invalid(QStringLiteral("%1: row weights must be %2 finite non-negative numbers").arg(owner).arg(rows));
    if (task == Task::Regression) {
        if (y.values.size() != rows)
            return Error::invalid(QStringLiteral("%1: %2 rows but %3 target values").arg(owner).arg(rows).arg(y.values.size()));
        if (!y.values.allFinite())
            return Error::invalid(QStringLiteral("%1: the target holds missing or infinite values").arg(owner));
        return std::nullopt;
    }
    if (Eigen::Index(y.classes.size()) != rows)
        return Error::invalid(QStringLiteral("%1: %2 rows but %3 target labels").arg(owner).arg(rows).arg(y.classes.size()));
    std::set<int> present;
    for (int label : y.classes) {
        if (label < 0 || label >= y.classCount)
            return Error::invalid(QStringLiteral("%1: class index %2 is outside 0..%3").arg(owner).arg(label).arg(y.classCount - 1));
        present.insert(label);
    }
    if (present.size() < 2)
        return Error::invalid(QStringLiteral("%1: the target has a single class; a classifier needs two or more").arg(owner));
    return std::nullopt;
}

QStringList modelKinds()
{
    return {QStringLiteral("linear_regression"), QStringLiteral("ridge"), QStringLiteral("lasso"),
            QStringLiteral("elastic_net"), QStringLiteral("logistic_regression")};
}

std::unique_ptr<Model> createModel(const QString &kind)
{
    if (kind == QLatin1String("linear_regression"))
        return std::make_unique<LinearRegression>();
    if (kind == QLatin1String("ridge"))
        return std::make_unique<Ridge>();
    if (kind == QLatin1String("lasso"))
        return std::make_unique<ElasticNet>(ElasticNet::Variant::Lasso);
    if (kind == QLatin1String("elastic_net"))
        return std::make_unique<ElasticNet>(ElasticNet::Variant::ElasticNet);
    if (kind == QLatin1String("logistic_regression"))
        return std::make_unique<LogisticRegression>();
    return nullptr;
}

} // namespace plumb
