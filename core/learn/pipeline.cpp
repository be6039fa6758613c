#include "learn/pipeline.h"

#include "data/columnnames.h"
#include "learn/encoders.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace plumb {

namespace {

constexpr int kMaxClasses = 1000;

std::vector<std::size_t> allRows(const Dataset &data)
{
    std::vector<std::size_t> rows(data.rowCount());
    for (std::size_t i = 0; i < rows.size(); ++i)
        rows[i] = i;
    return rows;
}

} // namespace

QString Prediction::label(Eigen::Index row) const
{
    if (!classes.isEmpty())
        return classes.value(qsizetype(values[row]));
    return QString::number(values[row], 'g', 17);
}

Pipeline::Pipeline(ColumnRouter router, std::unique_ptr<Model> model) : mRouter(std::move(router)), mModel(std::move(model))
{
}

Pipeline::Pipeline(std::vector<FeatureSpec> features, TargetSpec target, ColumnRouter router, std::unique_ptr<Model> model)
    : mFeatures(std::move(features)), mTarget(std::move(target)), mRouter(std::move(router)), mModel(std::move(model))
{
}

Result<Pipeline> Pipeline::withDefaults(const Dataset &data, const QStringList &features, std::unique_ptr<Model> model,
                                        const PreprocessingChoices &choices)
{
    std::vector<std::pair<QString, ColumnType>> columns;
    for (const QString &name : features) {
        const auto index = data.indexOf(name);
        if (!index)
            return Error::invalid(QStringLiteral("no column named '%1' in the data%2").arg(name, closeColumnsHint(data, name)));
        columns.emplace_back(name, data.column(*index).type());
    }
    if (columns.empty())
        return Error::invalid(QStringLiteral("no features: choose at least one column to learn from"));
    const InputNeeds needs = model ? model->inputNeeds() : InputNeeds{};
    ColumnRouter router = ColumnRouter::withDefaults(columns, needs);
    if (auto error = router.applyChoices(choices))
        return *error;
    return Pipeline(std::move(router), std::move(model));
}

std::optional<Error> Pipeline::describeTarget(const Dataset &data, const QString &target)
{
    const auto index = data.indexOf(target);
    if (!index)
        return Error::invalid(QStringLiteral("no target column named '%1' in the data").arg(target));
    const Column &column = data.column(*index);
    mTarget = {target, column.type(), mModel->task(), {}};
    if (mTarget.task == Task::Regression) {
        if (!isNumericStorage(column.type()) || column.type() == ColumnType::Datetime)
            return Error::invalid(QStringLiteral("%1 predicts numbers, but the target '%2' is %3")
                                      .arg(mModel->kind(), target, columnTypeName(column.type())));
        return std::nullopt;
    }
    if (column.type() == ColumnType::Categorical) {
        std::set<QString> present;
        for (std::int32_t code : column.codes())
            if (code >= 0)
                present.insert(column.categories()[code]);
        mTarget.classes = QStringList(present.begin(), present.end());
    } else {
        std::map<double, std::size_t> present; // value -> a row holding it
        for (std::size_t row = 0; row < column.size() && present.size() <= std::size_t(kMaxClasses); ++row)
            if (!std::isnan(column.numbers()[row]))
                present.emplace(column.numbers()[row], row);
        for (const auto &[value, row] : present)
            mTarget.classes.append(column.displayText(row));
    }
    if (mTarget.classes.size() < 2)
        return Error::invalid(QStringLiteral("the target '%1' has %2 class(es); a classifier needs two or more")
                                  .arg(target)
                                  .arg(mTarget.classes.size()));
    if (mTarget.classes.size() > kMaxClasses)
        return Error::invalid(QStringLiteral("the target '%1' has more than %2 distinct values; a classifier needs a "
                                             "categorical target (or choose a regression model)")
                                  .arg(target)
                                  .arg(kMaxClasses));
    return std::nullopt;
}

Result<FitTarget> Pipeline::targetOf(const Dataset &data, std::vector<std::size_t> &rows) const
{
    const auto index = data.indexOf(mTarget.name);
    if (!index)
        return Error::invalid(QStringLiteral("no target column named '%1' in the data").arg(mTarget.name));
    const Column &column = data.column(*index);
    std::erase_if(rows, [&](std::size_t row) { return column.isMissing(row); });
    FitTarget target;
    if (mTarget.task == Task::Regression) {
        target.values.resize(Eigen::Index(rows.size()));
        for (std::size_t i = 0; i < rows.size(); ++i)
            target.values[Eigen::Index(i)] = column.numbers()[rows[i]];
        return target;
    }
    QHash<QString, int> classIndex;
    for (qsizetype c = 0; c < mTarget.classes.size(); ++c)
        classIndex.insert(mTarget.classes[c], int(c));
    target.classCount = int(mTarget.classes.size());
    target.classes.reserve(rows.size());
    for (std::size_t row : rows) {
        const auto found = classIndex.constFind(column.displayText(row));
        if (found == classIndex.constEnd())
            return Error::invalid(QStringLiteral("the target '%1' holds '%2', a class the model does not know")
                                      .arg(mTarget.name, column.displayText(row)));
        target.classes.push_back(*found);
    }
    return target;
}

void Pipeline::describeFeatures(const Dataset &data, const std::vector<std::size_t> &rows)
{
    mFeatures.clear();
    for (const RouterBranch &branch : mRouter.branches()) {
        for (qsizetype c = 0; c < branch.columns.size(); ++c) {
            const Column &column = data.column(*data.indexOf(branch.columns[c]));
            FeatureSpec spec{branch.columns[c], column.type(), {}, 0, 0};
            if (branch.categorical) {
                spec.categories = branch.vocabularies[std::size_t(c)];
            } else {
                double low = std::numeric_limits<double>::infinity(), high = -low;
                for (std::size_t row : rows) {
                    const double value = column.numbers()[row];
                    if (!std::isnan(value)) {
                        low = std::min(low, value);
                        high = std::max(high, value);
                    }
                }
                spec.minimum = low <= high ? low : std::nan("");
                spec.maximum = low <= high ? high : std::nan("");
            }
            mFeatures.push_back(spec);
        }
    }
}

Result<FitReport> Pipeline::fit(const Dataset &data, const QString &target, const std::vector<std::size_t> &rows,
                                ProgressSink &progress)
{
    if (auto error = describeTarget(data, target))
        return *error;
    std::vector<std::size_t> used = rows.empty() ? allRows(data) : rows;
    const std::size_t before = used.size();
    Result<FitTarget> y = targetOf(data, used);
    if (!y)
        return y.error();
    progress.setProgress(0.02, QStringLiteral("Preprocessing"));
    // A model that splits on category codes takes at most so many per column (gradient boosting:
    // max_bins); the encoder groups the rarer categories of a wider column into one code.
    const InputNeeds needs = mModel->inputNeeds();
    for (RouterBranch &branch : mRouter.branches())
        for (const std::unique_ptr<Transformer> &step : branch.steps)
            if (auto *encoder = dynamic_cast<OrdinalEncoder *>(step.get()))
                encoder->setMostCategories(needs.categoryCodes ? needs.mostCategoryCodes : 0);
    Result<Eigen::MatrixXd> X = mRouter.fitTransform(data, used);
    if (!X)
        return X.error();
    describeFeatures(data, used);
    if (progress.isCancelled())
        return Error::cancelled();
    mModel->setInputNames(mRouter.outputNames());
    if (needs.categoryCodes)
        if (auto error = mModel->setCategoricalInputs(mRouter.categoryCodeOutputs()))
            return *error;
    Result<FitReport> report = mModel->fit(X.value(), y.value(), progress);
    if (report && used.size() < before)
        report.value().warnings.prepend(
            QStringLiteral("%1 row(s) with a missing target were left out of training").arg(before - used.size()));
    return report;
}

std::optional<Error> Pipeline::checkInput(const Dataset &data) const
{
    for (const FeatureSpec &feature : mFeatures) {
        const auto index = data.indexOf(feature.name);
        if (!index)
            return Error::invalid(QStringLiteral("the input has no column '%1', which the model needs").arg(feature.name));
        const ColumnType type = data.column(*index).type();
        const bool readsNumbers = feature.type != ColumnType::Categorical && feature.type != ColumnType::Boolean;
        if (readsNumbers && type == ColumnType::Categorical)
            return Error::invalid(QStringLiteral("column '%1' holds text, but the model reads it as %2")
                                      .arg(feature.name, columnTypeName(feature.type)));
    }
    return std::nullopt;
}

Result<Prediction> Pipeline::predict(const Dataset &data, const std::vector<std::size_t> &rows) const
{
    if (!isFitted())
        return Error::invalid(QStringLiteral("the pipeline is not fitted"));
    if (auto error = checkInput(data))
        return *error;
    Prediction prediction;
    const Eigen::MatrixXd X = mRouter.transform(data, rows, prediction.notes);
    prediction.values = mModel->predict(X);
    if (mTarget.task == Task::Classification) {
        prediction.probabilities = mModel->predictProba(X);
        prediction.classes = mTarget.classes;
    }
    return prediction;
}

Pipeline Pipeline::cloneUnfitted() const
{
    return Pipeline(mRouter.cloneUnfitted(), mModel->cloneUnfitted());
}

bool Pipeline::acceptsMissing(std::size_t feature) const
{
    if (mModel->inputNeeds().missingAllowed)
        return true;
    for (const RouterBranch &branch : mRouter.branches())
        if (branch.columns.contains(mFeatures[feature].name))
            return std::ranges::any_of(branch.steps, [](const auto &step) { return step->definesMissing(); });
    return false;
}

} // namespace plumb
