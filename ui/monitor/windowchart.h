#pragma once

#include "monitor/driftreport.h"
#include "monitor/performancedecay.h"
#include "monitor/predictiondrift.h"
#include "monitor/servicehistory.h"

#include <qcustomplot.h>

namespace plumb::ui {

// A text ticker with every k-th window label, k such that labels get about 64 of `pixels` each.
QSharedPointer<QCPAxisTickerText> windowTicker(const QStringList &labels, int pixels);

// A chart over the windows of a drift report, in one of four kinds: one feature's drift score
// with its threshold band (the drift side shaded) and alert markers; the share of drifted
// features per window against the dataset-drift share; the model's metric per labelled window
// with its bootstrap band and the validation baseline; or the distribution of the model's
// predictions per window (class shares, or the median within 25-75 and 10-90 percentile bands)
// with the windows whose predictions drifted marked; or, from a prediction log, the service's
// latency percentiles with its error rate (right axis) per period. Hovering shows the window's numbers,
// clicking a window emits windowClicked; drag pans and the wheel zooms along the windows.
class WindowChart : public QCustomPlot
{
    Q_OBJECT

public:
    enum class Kind { None, FeatureScore, DriftShare, Performance, Predictions, Service };

    explicit WindowChart(const QString &title, QWidget *parent = nullptr);

    void showFeature(const DriftReport &report, std::size_t column);
    void showDriftShare(const DriftReport &report);
    void showPerformance(const DriftReport &report, const PerformanceReport &performance);
    void showPredictions(const DriftReport &report, const PredictionDrift &predictions);
    void showService(const ServiceHistory &service);
    // Clears the chart and writes `message` in its middle.
    void showMessage(const QString &title, const QString &message);

    Kind kind() const { return mKind; }
    // Windows marked as alerts (drifted, dataset drift, or degraded), for tests.
    int alertCount() const { return mAlerts ? mAlerts->dataCount() : 0; }
    // The centre of a window's point in widget pixels, at the charted value.
    QPoint windowPoint(std::size_t window) const;

signals:
    void windowClicked(std::size_t window);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    void reset(Kind kind, const QString &title, const QStringList &windows);
    void addAlertMarkers(const QVector<double> &x, const QVector<double> &y);
    void addBand(const QVector<double> &x, const QVector<double> &lower, const QVector<double> &upper, const QColor &color,
                 const QString &name);
    void addLevelLine(double y, const QString &label, const QColor &color);
    long windowAt(const QPoint &position) const;
    QCPGraph *addValueLine(const QVector<double> &x, const QVector<double> &y, const QString &name, const QColor &color);
    void showClassShares(const PredictionDrift &predictions, const std::vector<std::size_t> &scored);
    void showPercentiles(const PredictionDrift &predictions, const std::vector<std::size_t> &scored);

    Kind mKind = Kind::None;
    QStringList mWindows;
    QStringList mToolTips; // per window
    QVector<double> mValues; // per window, the charted value (NaN where none)
    QCPGraph *mAlerts = nullptr;
    QCPItemText *mMessage = nullptr;
    QPoint mPressPosition;
};

} // namespace plumb::ui
