#include "learn/model.h"

#include "learn/gaussiannaivebayes.h"
#include "learn/gradientboosting.h"
#include "learn/linearmodels.h"
#include "learn/logisticregression.h"
#include "learn/nearestneighbours.h"
#include "learn/treemodels.h"

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

QString Model::inputName(Eigen::Index feature) const
{
    if (feature >= 0 && feature < mInputNames.size())
        return QStringLiteral("'%1'").arg(mInputNames[qsizetype(feature)]);
    return QStringLiteral("input %1").arg(feature);
}

Eigen::MatrixXd Model::predictProba(const Eigen::MatrixXd &) const
{
    return {};
}

std::optional<Error> checkFitInput(const QString &owner, Task task, const Eigen::MatrixXd &X, const FitTarget &y,
                                   InputNeeds needs)
{
    const Eigen::Index rows = X.rows();
    if (rows == 0 || X.cols() == 0)
        return Error::invalid(QStringLiteral("%1: nothing to fit (%2 rows, %3 features)").arg(owner).arg(rows).arg(X.cols()));
    if (needs.missingAllowed && X.array().isInf().any())
        return Error::invalid(
            QStringLiteral("%1: the features hold infinite values; only missing values are allowed").arg(owner));
    if (!needs.missingAllowed && !X.allFinite())
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
            return Error::invalid(
                QStringLiteral("%1: class index %2 is outside 0..%3").arg(owner).arg(label).arg(y.classCount - 1));
        present.insert(label);
    }
    if (present.size() < 2)
        return Error::invalid(QStringLiteral("%1: the target has a single class; a classifier needs two or more").arg(owner));
    return std::nullopt;
}

namespace {

// How each kind is made: the tasks it does and its constructor.
struct KindEntry
{
    const char *name;
    std::optional<Task> onlyTask;
    std::unique_ptr<Model> (*make)(Task task);
};

const std::vector<KindEntry> &kindTable()
{
    static const std::vector<KindEntry> table{
        {"linear_regression", Task::Regression,
         [](Task) -> std::unique_ptr<Model> { return std::make_unique<LinearRegression>(); }},
        {"ridge", Task::Regression, [](Task) -> std::unique_ptr<Model> { return std::make_unique<Ridge>(); }},
        {"lasso", Task::Regression,
         [](Task) -> std::unique_ptr<Model> { return std::make_unique<ElasticNet>(ElasticNet::Variant::Lasso); }},
        {"elastic_net", Task::Regression,
         [](Task) -> std::unique_ptr<Model> { return std::make_unique<ElasticNet>(ElasticNet::Variant::ElasticNet); }},
        {"logistic_regression", Task::Classification,
         [](Task) -> std::unique_ptr<Model> { return std::make_unique<LogisticRegression>(); }},
        {"knn", std::nullopt, [](Task task) -> std::unique_ptr<Model> { return std::make_unique<KNearestNeighbours>(task); }},
        {"gaussian_nb", Task::Classification,
         [](Task) -> std::unique_ptr<Model> { return std::make_unique<GaussianNaiveBayes>(); }},
        {"decision_tree", std::nullopt, [](Task task) -> std::unique_ptr<Model> { return std::make_unique<DecisionTree>(task); }},
        {"random_forest", std::nullopt, [](Task task) -> std::unique_ptr<Model> { return std::make_unique<RandomForest>(task); }},
        {"gradient_boosting", std::nullopt,
         [](Task task) -> std::unique_ptr<Model> { return std::make_unique<GradientBoosting>(task); }},
    };
    return table;
}

const KindEntry *findKind(const QString &kind)
{
    for (const KindEntry &entry : kindTable())
        if (kind == QLatin1String(entry.name))
            return &entry;
    return nullptr;
}

} // namespace

QStringList modelKinds()
{
    QStringList kinds;
    for (const KindEntry &entry : kindTable())
        kinds.append(QLatin1String(entry.name));
    return kinds;
}

std::optional<Task> onlyTaskOf(const QString &kind)
{
    const KindEntry *entry = findKind(kind);
    return entry ? entry->onlyTask : std::nullopt;
}

std::unique_ptr<Model> createModel(const QString &kind, std::optional<Task> task)
{
    const KindEntry *entry = findKind(kind);
    if (!entry)
        return nullptr;
    if (!task)
        task = entry->onlyTask;
    if (!task || (entry->onlyTask && *entry->onlyTask != *task))
        return nullptr;
    return entry->make(*task);
}

} // namespace plumb
