#include "monitor/retraining.h"

#include "data/columnprofile.h"
#include "learn/validationexplanation.h"

#include <QElapsedTimer>

#include <cmath>

namespace plumb {

namespace {

// "3 of 11 features drifted in 2026-12 (monthly_charges, region, payment_method); accuracy 0.8120 -> 0.8410"
QString writtenReason(const RetrainingOutcome &outcome, const RetrainingPlan &plan, const QString &metric)
{
    QStringList drifted;
    bool targetDrifted = false;
    const DriftReport &drift = outcome.drift;
    for (qsizetype c = 0; c < drift.columns.size(); ++c)
        if (const auto &score = drift.cells.front()[std::size_t(c)].score; score && score->drifted) {
            if (drift.roles[std::size_t(c)] == ColumnRole::Target)
                targetDrifted = true;
            else
                drifted.append(drift.columns[c]);
        }
    const WindowDrift &window = drift.windows.front();
    QString reason = QStringLiteral("%1 of %2 features drifted in %3")
                         .arg(window.driftedFeatures)
                         .arg(window.scoredFeatures)
                         .arg(plan.validationLabel);
    if (!drifted.isEmpty())
        reason += QStringLiteral(" (%1)").arg(drifted.join(QLatin1String(", ")));
    if (targetDrifted)
        reason += QStringLiteral("; the target drifted");
    if (!metric.isEmpty())
        reason += QStringLiteral("; %1 %2 -> %3 on it")
                      .arg(metric)
                      .arg(outcome.parentOnNewest.metric(metric), 0, 'f', 4)
                      .arg(outcome.candidateOnNewest.metric(metric), 0, 'f', 4);
    return reason;
}

// The metric that decides: the parent's first validation metric where the evaluation has it, else
// the evaluation's first.
QString decidingMetric(const MetricList &parentValidation, const Evaluation &evaluation)
{
    for (const auto &[name, value] : parentValidation)
        for (const auto &[measured, unused] : evaluation.metrics)
            if (measured == name)
                return name;
    return evaluation.metrics.empty() ? QString() : evaluation.metrics.front().first;
}

} // namespace

QString RetrainingVerdict::describe() const
{
    if (metric.isEmpty())
        return QStringLiteral("no metric compares the retrained model with the current one on %1").arg(window);
    const auto number = [](double value) {
        return std::isnan(value) ? QStringLiteral("not measured") : QString::number(value, 'f', 4);
    };
    return QStringLiteral("the retrained model is %1 the current one on %2: %3 %4 against %5")
        .arg(worse ? QStringLiteral("worse than") : QStringLiteral("no worse than"), window, metric, number(candidate),
             number(parent));
}

RetrainingVerdict judgeRetraining(const MetricList &parentValidation, const Evaluation &parentOnNewest,
                                  const Evaluation &candidateOnNewest, const QString &window)
{
    RetrainingVerdict verdict;
    verdict.window = window;
    verdict.metric = decidingMetric(parentValidation, parentOnNewest);
    if (verdict.metric.isEmpty())
        return verdict;
    verdict.parent = parentOnNewest.metric(verdict.metric);
    verdict.candidate = candidateOnNewest.metric(verdict.metric);
    if (std::isnan(verdict.candidate))
        verdict.worse = !std::isnan(verdict.parent);
    else if (!std::isnan(verdict.parent))
        verdict.worse = isHigherBetter(verdict.metric) ? verdict.candidate < verdict.parent : verdict.candidate > verdict.parent;
    return verdict;
}

RetrainingProposal proposeRetraining(const DriftReport &report, const PerformanceReport *performance)
{
    RetrainingProposal proposal;
    if (report.windows.empty())
        return proposal;
    const std::size_t newest = report.windows.size() - 1;
    const WindowDrift &window = report.windows[newest];
    QStringList reasons;
    if (performance && newest < performance->windows.size() && performance->windows[newest].degraded) {
        const WindowPerformance &measured = performance->windows[newest];
        reasons.append(QStringLiteral("%1 %2 in %3 is worse than its validation %4 (95% band [%5, %6])")
                           .arg(performance->metric)
                           .arg(measured.value, 0, 'f', 4)
                           .arg(window.label)
                           .arg(performance->baseline, 0, 'f', 4)
                           .arg(measured.lower, 0, 'f', 4)
                           .arg(measured.upper, 0, 'f', 4));
    }
    if (window.datasetDrift)
        reasons.append(QStringLiteral("%1 of %2 features drifted in %3 (dataset drift)")
                           .arg(window.driftedFeatures)
                           .arg(window.scoredFeatures)
                           .arg(window.label));
    proposal.proposed = !reasons.isEmpty();
    proposal.reason = reasons.join(QLatin1String("; "));
    return proposal;
}

Result<RetrainingOutcome> retrain(const ModelArtifact &parent, const RetrainingPlan &plan, ProgressSink &progress)
{
    if (plan.trainingRows.empty())
        return Error::invalid(QStringLiteral("no rows to retrain on: the newest window is all the data"));
    if (plan.validationRows.empty())
        return Error::invalid(QStringLiteral("no rows in the newest window to validate on"));
    const Pipeline &current = *parent.pipeline;
    Result<std::vector<ColumnProfile>> reference = profilesFromJson(parent.profile);
    if (!reference)
        return reference.error();
    Result<DriftReport> drift = computeDriftReport(
        reference.value(), {{plan.validationLabel, NAN, NAN, plan.data, plan.validationRows}}, DriftSettings());
    if (!drift)
        return drift.error();
    Pipeline candidate = current.cloneUnfitted();
    QElapsedTimer timer;
    timer.start();
    ProgressRange fitProgress(progress, 0.0, 0.8);
    Result<FitReport> report = candidate.fit(*plan.data, current.target().name, plan.trainingRows, fitProgress);
    if (!report)
        return report.error();
    const double fitSeconds = double(timer.nsecsElapsed()) / 1e9;
    Result<Evaluation> before = evaluateOnRows(current, *plan.data, plan.validationRows);
    if (!before)
        return Error::invalid(QStringLiteral("the current model on %1: %2").arg(plan.validationLabel, before.error().message));
    Result<Evaluation> after = evaluateOnRows(candidate, *plan.data, plan.validationRows);
    if (!after)
        return Error::invalid(QStringLiteral("the retrained model on %1: %2").arg(plan.validationLabel, after.error().message));
    ProgressRange importanceProgress(progress, 0.8, 1.0);
    Result<ValidationExplanation> explanation = validationExplanation(candidate, *plan.data, plan.trainingRows,
                                                                      plan.validationRows, parent.metadata.seed,
                                                                      ShapSummaryOptions{}.rows, importanceProgress);
    if (!explanation)
        return explanation.error();
    RetrainingOutcome outcome{std::move(candidate),
                              std::move(before).value(),
                              std::move(after).value(),
                              std::move(explanation.value().importance),
                              std::move(explanation.value().shap),
                              std::move(drift).value(),
                              report.value(),
                              fitSeconds,
                              plan.reason,
                              {}};
    outcome.verdict = judgeRetraining(parent.metadata.metrics, outcome.parentOnNewest, outcome.candidateOnNewest,
                                      plan.validationLabel);
    if (outcome.lineageReason.isEmpty())
        outcome.lineageReason = writtenReason(outcome, plan, outcome.verdict.metric);
    progress.setProgress(1.0, QStringLiteral("Retrained"));
    return outcome;
}

ModelMetadata retrainedMetadata(const ModelArtifact &parent, const RetrainingPlan &plan, const RetrainingOutcome &outcome)
{
    ModelMetadata metadata;
    metadata.name = parent.metadata.name;
    metadata.description = parent.metadata.description;
    metadata.tags = parent.metadata.tags;
    // The model stays its author's (a team, as in the demo); only a parent without one takes
    // whoever retrains it.
    metadata.author = parent.metadata.author.isEmpty() ? defaultAuthor() : parent.metadata.author;
    metadata.created = QDateTime::currentDateTimeUtc();
    metadata.software = softwareEnvironment();
    metadata.rows = qint64(plan.trainingRows.size());
    metadata.columns = qint64(plan.data->columnCount());
    metadata.validation = QStringLiteral("newest window: %1").arg(plan.validationLabel);
    metadata.metrics = outcome.candidateOnNewest.metrics;
    metadata.evaluation = compactEvaluation(outcome.candidateOnNewest);
    metadata.importance = outcome.importance;
    metadata.shap = outcome.shap;
    metadata.seed = parent.metadata.seed;
    metadata.fitSeconds = outcome.fitSeconds;
    metadata.parentDigest = parent.digest;
    metadata.lineageReason = outcome.lineageReason;
    return metadata;
}

} // namespace plumb
