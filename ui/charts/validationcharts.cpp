#include "ui/charts/validationcharts.h"

#include "ui/charts/chartstyle.h"
#include "ui/charts/confusionchart.h"
#include "ui/charts/curvechart.h"

#include <QStackedWidget>

#include <algorithm>

namespace plumb::ui {

namespace {

constexpr int kResidualBins = 30;
constexpr int kMaxClassCurves = 8; // one-vs-rest lines per chart before they become unreadable

// A residual histogram as a staircase: x the bin edges, y the counts (the last repeated to close it).
void residualHistogram(const std::vector<double> &residuals, std::vector<double> &edges, std::vector<double> &counts)
{
    const auto [low, high] = std::minmax_element(residuals.begin(), residuals.end());
    const double width = *high > *low ? (*high - *low) / kResidualBins : 1.0;
    counts.assign(kResidualBins + 1, 0.0);
    for (double r : residuals)
        counts[std::size_t(std::min(kResidualBins - 1, int((r - *low) / width)))] += 1;
    counts[kResidualBins] = counts[kResidualBins - 1];
    edges.clear();
    for (int b = 0; b <= kResidualBins; ++b)
        edges.push_back(*low + b * width);
}

} // namespace

ValidationCharts::ValidationCharts()
    : mFirstChart(new QStackedWidget), mConfusion(new ConfusionChart),
      mScatter(new CurveChart(QStringLiteral("Predicted vs actual")))
{
    mFirstChart->addWidget(mConfusion);
    mFirstChart->addWidget(mScatter);
    for (auto &chart : mCurves)
        chart = new CurveChart(QString());
}

QWidget *ValidationCharts::firstChart() const
{
    return mFirstChart;
}

CurveChart *ValidationCharts::curveChart(int index) const
{
    return index >= 0 && index < 3 ? mCurves[index] : nullptr;
}

void ValidationCharts::showEvaluation(const Evaluation &evaluation)
{
    if (evaluation.task == Task::Classification)
        showClassification(evaluation);
    else
        showRegression(evaluation);
}

void ValidationCharts::showMessage(const QString &message)
{
    mFirstChart->setCurrentWidget(mConfusion);
    mConfusion->showMessage(message);
    for (CurveChart *chart : mCurves)
        chart->showMessage(QString(), message);
}

void ValidationCharts::showClassification(const Evaluation &evaluation)
{
    mFirstChart->setCurrentWidget(mConfusion);
    mConfusion->showMatrix(evaluation.confusion, evaluation.classes);
    if (evaluation.classes.size() != 2) {
        showOneVsRest(evaluation);
        return;
    }
    const QString positive = evaluation.classes[1];
    const double auc = evaluation.metric(QStringLiteral("roc_auc"));
    mCurves[0]->reset(QStringLiteral("ROC curve \u00b7 AUC %1").arg(auc, 0, 'f', 3), QStringLiteral("false positive rate"),
                      QStringLiteral("true positive rate"));
    mCurves[0]->addReference(0, 0, 1, 1, QStringLiteral("chance"));
    const auto label = [&](const char *chart) {
        const QString reason = evaluation.undefinedReason(QLatin1String(chart));
        return QStringLiteral("positive: %1").arg(positive)
            + (reason.isEmpty() ? QString() : QStringLiteral(", ") + undefinedText(reason));
    };
    mCurves[0]->addLine(evaluation.roc.x, evaluation.roc.y, label("roc"));
    mCurves[0]->finish(true);
    const Eigen::MatrixXi &confusion = evaluation.confusion;
    const double prevalence = double(confusion.row(1).sum()) / std::max(1, confusion.sum());
    mCurves[1]->reset(QStringLiteral("Precision-recall curve"), QStringLiteral("recall"), QStringLiteral("precision"));
    mCurves[1]->addReference(0, prevalence, 1, prevalence, QStringLiteral("chance"));
    mCurves[1]->addLine(evaluation.precisionRecall.x, evaluation.precisionRecall.y, label("precision_recall"), true);
    mCurves[1]->finish(true);
    mCurves[2]->reset(QStringLiteral("Calibration"), QStringLiteral("mean predicted probability"),
                      QStringLiteral("fraction positive"));
    mCurves[2]->addReference(0, 0, 1, 1, QStringLiteral("perfect"));
    mCurves[2]->addLine(evaluation.calibration.x, evaluation.calibration.y, QStringLiteral("model"));
    mCurves[2]->finish(true);
}

void ValidationCharts::showOneVsRest(const Evaluation &evaluation)
{
    const int shown = std::min<int>(kMaxClassCurves, int(evaluation.classRoc.size()));
    const QString suffix = shown < evaluation.classes.size() ? QStringLiteral(" (first %1 classes)").arg(shown) : QString();
    mCurves[0]->reset(
        QStringLiteral("ROC, one vs rest \u00b7 AUC %1").arg(evaluation.metric(QStringLiteral("roc_auc")), 0, 'f', 3) + suffix,
        QStringLiteral("false positive rate"), QStringLiteral("true positive rate"));
    mCurves[0]->addReference(0, 0, 1, 1, QStringLiteral("chance"));
    mCurves[1]->reset(QStringLiteral("Precision-recall, one vs rest") + suffix, QStringLiteral("recall"),
                      QStringLiteral("precision"));
    mCurves[2]->reset(QStringLiteral("Calibration, one vs rest") + suffix, QStringLiteral("mean predicted probability"),
                      QStringLiteral("fraction positive"));
    mCurves[2]->addReference(0, 0, 1, 1, QStringLiteral("perfect"));
    for (int c = 0; c < shown; ++c) {
        const QColor color = chart::seriesColor(c);
        const QString name = evaluation.classes[c];
        const std::size_t i = std::size_t(c);
        // A curve these rows leave undefined keeps its legend entry, saying why it has no points.
        const auto label = [&](const char *chart) {
            const QString reason = evaluation.undefinedReason(chartKey(QLatin1String(chart), c));
            return reason.isEmpty() ? name : QStringLiteral("%1: %2").arg(name, undefinedText(reason));
        };
        mCurves[0]->addLine(evaluation.classRoc[i].x, evaluation.classRoc[i].y, label("class_roc"), false, color);
        mCurves[1]->addLine(evaluation.classPrecisionRecall[i].x, evaluation.classPrecisionRecall[i].y,
                            label("class_precision_recall"), true, color);
        mCurves[2]->addLine(evaluation.classCalibration[i].x, evaluation.classCalibration[i].y, label("class_calibration"), false,
                            color);
    }
    mCurves[0]->finish(true);
    mCurves[1]->finish(true);
    mCurves[2]->finish(true);
}

void ValidationCharts::showRegression(const Evaluation &evaluation)
{
    const std::vector<double> actual(evaluation.actual.begin(), evaluation.actual.end());
    const std::vector<double> predicted(evaluation.predicted.begin(), evaluation.predicted.end());
    std::vector<double> residuals(actual.size());
    for (std::size_t i = 0; i < actual.size(); ++i)
        residuals[i] = actual[i] - predicted[i];
    mFirstChart->setCurrentWidget(mScatter);
    mScatter->reset(QStringLiteral("Predicted vs actual"), QStringLiteral("actual"), QStringLiteral("predicted"));
    if (!actual.empty()) {
        const auto [low, high] = std::minmax_element(actual.begin(), actual.end());
        mScatter->addReference(*low, *low, *high, *high, QStringLiteral("y = x"));
    }
    mScatter->addPoints(actual, predicted, QStringLiteral("validation rows"));
    mScatter->finish(false);
    mCurves[0]->reset(QStringLiteral("Residuals vs predicted"), QStringLiteral("predicted"),
                      QStringLiteral("actual \u2212 predicted"));
    if (!predicted.empty()) {
        const auto [low, high] = std::minmax_element(predicted.begin(), predicted.end());
        mCurves[0]->addReference(*low, 0, *high, 0, QStringLiteral("zero"));
    }
    mCurves[0]->addPoints(predicted, residuals, QStringLiteral("validation rows"));
    mCurves[0]->finish(false);
    mCurves[1]->reset(QStringLiteral("Residual distribution"), QStringLiteral("actual \u2212 predicted"), QStringLiteral("rows"));
    if (!residuals.empty()) {
        std::vector<double> edges, counts;
        residualHistogram(residuals, edges, counts);
        mCurves[1]->addLine(edges, counts, QStringLiteral("rows"), true);
    }
    mCurves[1]->finish(false);
    mCurves[2]->reset(QStringLiteral("Residuals vs actual"), QStringLiteral("actual"), QStringLiteral("actual \u2212 predicted"));
    mCurves[2]->addPoints(actual, residuals, QStringLiteral("validation rows"));
    mCurves[2]->finish(false);
}

} // namespace plumb::ui
