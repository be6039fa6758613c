#include "learn/trainer.h"

#include "data/columnnames.h"
#include "learn/validationexplanation.h"

#include <QElapsedTimer>

#include <cmath>

namespace plumb {

namespace {

std::vector<std::size_t> labelledRows(const Dataset &data, const QString &target)
{
    std::vector<std::size_t> rows;
    const Column &column = data.column(*data.indexOf(target));
    for (std::size_t row = 0; row < data.rowCount(); ++row)
        if (!column.isMissing(row))
            rows.push_back(row);
    return rows;
}

std::vector<std::size_t> pick(const std::vector<std::size_t> &rows, const std::vector<std::size_t> &positions)
{
    std::vector<std::size_t> picked;
    picked.reserve(positions.size());
    for (std::size_t position : positions)
        picked.push_back(rows[position]);
    return picked;
}

Result<Pipeline> buildPipeline(const Dataset &data, const TrainingSpec &spec, Task task)
{
    std::unique_ptr<Model> model = createModel(spec.modelKind, task);
    if (!model)
        return Error::invalid(QStringLiteral("%1 does not do %2").arg(spec.modelKind, taskName(task)));
    if (model->params().has(QLatin1String(kSeedParam)))
        model->setParam(QLatin1String(kSeedParam), qint64(spec.seed & kMaxSeed));
    for (const auto &[name, value] : spec.parameters)
        if (auto error = model->setParamFromText(name, value))
            return Error::invalid(QStringLiteral("%1: %2").arg(spec.modelKind, error->message));
    QStringList features = spec.features;
    if (features.isEmpty())
        for (const Column &column : data.columns())
            if (column.role() == ColumnRole::Feature && column.name() != spec.target)
                features.append(column.name());
    if (features.contains(spec.target))
        return Error::invalid(QStringLiteral("the target '%1' is also listed as a feature").arg(spec.target));
    return Pipeline::withDefaults(data, features, std::move(model), spec.preprocessing);
}

// Splits the labelled rows (positions into `rows`) as the scheme says, stratified by class for a
// classifier; what the stratification cannot do is added to `warnings`.
Result<std::vector<Split>> makeSplits(const Dataset &data, const TrainingSpec &spec, const std::vector<std::size_t> &rows,
                                      const FitTarget &target, const TargetSpec &targetSpec, QStringList &warnings)
{
    const ValidationScheme &scheme = spec.validation;
    const std::vector<int> *classes = targetSpec.task == Task::Classification && scheme.stratified ? &target.classes : nullptr;
    if (classes)
        warnings.append(stratificationWarnings(*classes, targetSpec.classes, scheme));
    switch (scheme.kind) {
    case ValidationScheme::Kind::Holdout:
        return std::vector<Split>{holdoutSplit(rows.size(), scheme.validationFraction, spec.seed, classes)};
    case ValidationScheme::Kind::KFold:
        if (rows.size() < std::size_t(scheme.folds))
            return Error::invalid(
                QStringLiteral("kfold:%1 needs at least %1 labelled rows; there are %2").arg(scheme.folds).arg(rows.size()));
        return kFoldSplits(rows.size(), scheme.folds, spec.seed, classes);
    case ValidationScheme::Kind::Time: {
        const auto index = data.indexOf(scheme.timeColumn);
        if (!index || !isNumericStorage(data.column(*index).type()))
            return Error::invalid(QStringLiteral("time:%1 needs a datetime or numeric column of that name%2")
                                      .arg(scheme.timeColumn, closeColumnsHint(data, scheme.timeColumn)));
        std::vector<double> times;
        for (std::size_t row : rows)
            times.push_back(data.column(*index).numbers()[row]);
        return std::vector<Split>{timeSplit(times, scheme.validationFraction)};
    }
    }
    return Error::invalid(QStringLiteral("unknown validation scheme"));
}

// The validation rows' truth and predictions pooled over the folds, for the metrics over all of them.
class PooledFolds
{
public:
    explicit PooledFolds(const TargetSpec &target) : mTarget(target), mProbabilities(0, target.classes.size()) { }

    // Adds a fold's validation rows (positions into `target`) and returns the fold's own metrics.
    MetricList add(const Split &split, const FitTarget &target, const Prediction &prediction)
    {
        const auto count = Eigen::Index(split.validation.size());
        if (mTarget.task == Task::Classification) {
            Labels foldTruth;
            for (std::size_t position : split.validation)
                foldTruth.push_back(target.classes[position]);
            mTruth.insert(mTruth.end(), foldTruth.begin(), foldTruth.end());
            mProbabilities.conservativeResize(mProbabilities.rows() + count, Eigen::NoChange);
            mProbabilities.bottomRows(count) = prediction.probabilities;
            return evaluateClassification(foldTruth, prediction.probabilities, mTarget.classes).metrics;
        }
        Eigen::VectorXd foldActual(count);
        for (Eigen::Index i = 0; i < count; ++i)
            foldActual[i] = target.values[Eigen::Index(split.validation[std::size_t(i)])];
        mActual.conservativeResize(mActual.size() + count);
        mActual.tail(count) = foldActual;
        mPredicted.conservativeResize(mPredicted.size() + count);
        mPredicted.tail(count) = prediction.values;
        return evaluateRegression(foldActual, prediction.values).metrics;
    }

    Evaluation evaluate() const
    {
        return mTarget.task == Task::Classification ? evaluateClassification(mTruth, mProbabilities, mTarget.classes)
                                                    : evaluateRegression(mActual, mPredicted);
    }

private:
    const TargetSpec &mTarget;
    Labels mTruth;
    Eigen::VectorXd mActual = Eigen::VectorXd(0), mPredicted = Eigen::VectorXd(0);
    Eigen::MatrixXd mProbabilities;
};

} // namespace

Result<TaskChoice> resolveTask(const Dataset &data, const TrainingSpec &spec)
{
    if (!modelKinds().contains(spec.modelKind))
        return Error::invalid(
            QStringLiteral("unknown model '%1'; choose one of %2").arg(spec.modelKind, modelKinds().join(QLatin1String(", "))));
    const auto index = data.indexOf(spec.target);
    if (!index)
        return Error::invalid(
            QStringLiteral("no target column named '%1' in the data%2").arg(spec.target, closeColumnsHint(data, spec.target)));
    const std::optional<Task> only = onlyTaskOf(spec.modelKind);
    if (spec.task) {
        if (only && *only != *spec.task) // never train another task than the one asked for
            return Error::invalid(QStringLiteral("%1 does %2 only; for %3 use %4")
                                      .arg(spec.modelKind, taskName(*only), taskName(*spec.task),
                                           modelKindsFor(*spec.task).join(QLatin1String(", "))));
        return TaskChoice{*spec.task, QStringLiteral("chosen"), false};
    }
    TaskChoice inferred = inferTask(data.column(*index));
    if (only && *only != inferred.task)
        return TaskChoice{*only,
                          QStringLiteral("%1 does %2 only, though %3; for %4 use %5")
                              .arg(spec.modelKind, taskName(*only), inferred.reason, taskName(inferred.task),
                                   modelKindsFor(inferred.task).join(QLatin1String(", "))),
                          false};
    return inferred;
}

Result<TrainingOutcome> trainAndValidate(const Dataset &data, const TrainingSpec &spec, ProgressSink &progress)
{
    Result<TaskChoice> task = resolveTask(data, spec);
    if (!task)
        return task.error();
    Result<Pipeline> built = buildPipeline(data, spec, task.value().task);
    if (!built)
        return built.error();
    Pipeline &pipeline = built.value();
    const int validationFits = spec.validation.kind == ValidationScheme::Kind::KFold ? spec.validation.folds : 1;
    const double finalShare = 1.0 / (validationFits + 1);

    // The final fit comes first: it fixes the target's classes that every fold then shares.
    QElapsedTimer timer;
    timer.start();
    ProgressRange finalProgress(progress, 0.0, finalShare);
    Result<FitReport> report = pipeline.fit(data, spec.target, {}, finalProgress);
    if (!report)
        return report.error();
    const double fitSeconds = double(timer.nsecsElapsed()) / 1e9;

    std::vector<std::size_t> rows = labelledRows(data, spec.target);
    Result<FitTarget> target = pipeline.targetOf(data, rows);
    if (!target)
        return target.error();
    Result<std::vector<Split>> splits = makeSplits(data, spec, rows, target.value(), pipeline.target(), report.value().warnings);
    if (!splits)
        return splits.error();

    TrainingOutcome outcome{pipeline.cloneUnfitted(), {}, {}, {}, {}, report.value(), task.value(), fitSeconds, rows.size()};
    PooledFolds pooled(pipeline.target());
    std::vector<PermutationImportance> importances;
    std::vector<ShapSummary> summaries;
    for (std::size_t f = 0; f < splits.value().size(); ++f) {
        const Split &split = splits.value()[f];
        Pipeline fold = pipeline.cloneUnfitted();
        const double from = finalShare * double(f + 1);
        const double fitShare = spec.importance ? 0.8 * finalShare : finalShare;
        ProgressRange foldProgress(progress, from, from + fitShare);
        Result<FitReport> foldReport = fold.fit(data, spec.target, pick(rows, split.train), foldProgress);
        if (!foldReport)
            return Error{QStringLiteral("validation fit %1: %2").arg(f + 1).arg(foldReport.error().message),
                         foldReport.error().kind};
        const std::vector<std::size_t> validationRows = pick(rows, split.validation);
        if (spec.importance) {
            // The SHAP sample is shared among the folds: k-fold explains as many rows as a hold-out.
            const std::size_t shapRows = (ShapSummaryOptions{}.rows + splits.value().size() - 1) / splits.value().size();
            ProgressRange explanationProgress(progress, from + fitShare, from + finalShare);
            Result<ValidationExplanation> explanation = validationExplanation(fold, data, pick(rows, split.train), validationRows,
                                                                              spec.seed, shapRows, explanationProgress);
            if (!explanation)
                return Error{QStringLiteral("fold %1: %2").arg(f + 1).arg(explanation.error().message), explanation.error().kind};
            importances.push_back(std::move(explanation.value().importance));
            if (!explanation.value().shap.isEmpty())
                summaries.push_back(std::move(explanation.value().shap));
        }
        Result<Prediction> prediction = fold.predict(data, validationRows);
        if (!prediction)
            return prediction.error();
        outcome.foldMetrics.push_back(pooled.add(split, target.value(), prediction.value()));
    }
    outcome.validation = pooled.evaluate();
    outcome.importance = pooledImportance(importances);
    outcome.shap = pooledShapSummary(summaries);
    outcome.pipeline = std::move(pipeline);
    progress.setProgress(1.0, QStringLiteral("Done"));
    return outcome;
}

} // namespace plumb
