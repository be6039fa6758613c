#include "ui/monitor/driftformat.h"

#include "ui/common/theme.h"

#include "ui/common/displayformat.h"

#include <cmath>

namespace plumb::ui {

double chartedScore(const DriftReport &report, const DriftCell &cell)
{
    if (!cell.score)
        return NAN;
    return cell.score->pValue && !report.statisticThresholds ? *cell.score->pValue : cell.score->statistic;
}

QString chartedScoreName(const DriftReport &report, std::size_t column)
{
    const DriftMethod method = report.methods[column];
    const bool test = method == DriftMethod::KolmogorovSmirnov || method == DriftMethod::ChiSquare;
    return test && !report.statisticThresholds ? QStringLiteral("p-value") : QStringLiteral("statistic");
}

QString methodTitle(DriftMethod method)
{
    switch (method) {
    case DriftMethod::KolmogorovSmirnov:
        return QStringLiteral("Kolmogorov\u2013Smirnov");
    case DriftMethod::Wasserstein:
        return QStringLiteral("Wasserstein");
    case DriftMethod::WassersteinNormed:
        return QStringLiteral("Wasserstein / ref. std");
    case DriftMethod::Psi:
        return QStringLiteral("PSI");
    case DriftMethod::JensenShannon:
        return QStringLiteral("Jensen\u2013Shannon");
    case DriftMethod::ChiSquare:
        return QStringLiteral("chi-square");
    }
    return {};
}

QString thresholdRelation(const DriftReport &report, std::size_t column)
{
    const bool pValue = chartedScoreName(report, column) == QStringLiteral("p-value");
    const QString relation = pValue
        ? (report.methods[column] == DriftMethod::ChiSquare ? QStringLiteral("<") : QStringLiteral("\u2264"))
        : (report.statisticThresholds ? QStringLiteral(">") : QStringLiteral("\u2265"));
    return QStringLiteral("%1 %2%3").arg(relation, QString::number(report.thresholds[column], 'g', 3),
                                         report.statisticThresholds ? QStringLiteral(" (baseline mean + 3 sd)") : QString());
}

QString thresholdText(const DriftReport &report, std::size_t column)
{
    return QStringLiteral("%1 %2 %3")
        .arg(methodTitle(report.methods[column]), chartedScoreName(report, column), thresholdRelation(report, column));
}

QString cellDescription(const DriftReport &report, std::size_t column, std::size_t window)
{
    const DriftCell &cell = report.cells[window][column];
    QStringList lines{QStringLiteral("%1 \u00b7 %2 (%3 rows)")
                          .arg(report.columns[qsizetype(column)], report.windows[window].label)
                          .arg(report.windows[window].rows)};
    if (!cell.score) {
        lines.append(QStringLiteral("not scored: %1").arg(cell.error));
        return lines.join(QLatin1Char('\n'));
    }
    const DriftScore &score = *cell.score;
    lines.append(QStringLiteral("method: %1").arg(methodTitle(score.method)));
    lines.append(QStringLiteral("statistic: %1").arg(score.statistic, 0, 'g', 4));
    if (score.pValue)
        lines.append(QStringLiteral("p-value: %1").arg(*score.pValue, 0, 'g', 4));
    lines.append(QStringLiteral("drift if %1").arg(thresholdText(report, column)));
    lines.append(score.drifted ? QStringLiteral("verdict: DRIFTED") : QStringLiteral("verdict: no drift"));
    if (!score.binning.isEmpty())
        lines.append(QStringLiteral("bins: %1").arg(score.binning));
    if (std::abs(score.missingRateChange) >= 0.005)
        lines.append(QStringLiteral("missing rate %1%2 points")
                         .arg(score.missingRateChange > 0 ? QStringLiteral("+") : QString())
                         .arg(100.0 * score.missingRateChange, 0, 'f', 1));
    if (!cell.unseen.empty()) {
        QStringList unseen;
        for (const UnseenCategory &category : cell.unseen)
            unseen.append(QStringLiteral("%1 (%2)").arg(formatNameList({category.value})).arg(category.count));
        lines.append(QStringLiteral("unseen: %1").arg(unseen.join(QStringLiteral(", "))));
    }
    return lines.join(QLatin1Char('\n'));
}

QString cellCaption(const DriftReport &report, std::size_t column, std::size_t window)
{
    const DriftCell &cell = report.cells[window][column];
    QStringList lines{QStringLiteral("<b>%1 \u00b7 %2</b> (%3 rows)")
                          .arg(report.columns[qsizetype(column)].toHtmlEscaped(), report.windows[window].label.toHtmlEscaped())
                          .arg(report.windows[window].rows)};
    if (!cell.score) {
        lines.append(QStringLiteral("not scored: %1").arg(cell.error.toHtmlEscaped()));
        return lines.join(QStringLiteral("<br>"));
    }
    const DriftScore &score = *cell.score;
    QString result = QStringLiteral("%1 statistic %2").arg(methodTitle(score.method)).arg(score.statistic, 0, 'g', 4);
    if (score.pValue)
        result += QStringLiteral(", p-value %1").arg(*score.pValue, 0, 'g', 4);
    result += QStringLiteral("; drift if %1 %2 ")
                  .arg(chartedScoreName(report, column), thresholdRelation(report, column).toHtmlEscaped());
    result += score.drifted ? QStringLiteral("\u2192 <b style=\"color:%1\">drifted</b>").arg(themeColors().bad.name())
                            : QStringLiteral("\u2192 no drift");
    lines.append(result);
    QStringList details;
    if (!score.binning.isEmpty())
        details.append(QStringLiteral("bins: %1").arg(score.binning.toHtmlEscaped()));
    if (std::abs(score.missingRateChange) >= 0.005)
        details.append(QStringLiteral("missing rate %1%2 points")
                           .arg(score.missingRateChange > 0 ? QStringLiteral("+") : QString())
                           .arg(100.0 * score.missingRateChange, 0, 'f', 1));
    if (!details.isEmpty())
        lines.append(details.join(QStringLiteral(" \u00b7 ")));
    if (!cell.unseen.empty()) {
        QStringList unseen;
        for (const UnseenCategory &category : cell.unseen)
            unseen.append(
                QStringLiteral("%1 (%2 rows)").arg(formatNameList({category.value}).toHtmlEscaped()).arg(category.count));
        lines.append(QStringLiteral("unseen in the reference: %1").arg(unseen.join(QStringLiteral(", "))));
    }
    return lines.join(QStringLiteral("<br>"));
}

} // namespace plumb::ui
