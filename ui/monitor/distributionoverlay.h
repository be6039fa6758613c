#pragma once

#include "data/column.h"
#include "data/columnprofile.h"

#include <qcustomplot.h>

#include <vector>

namespace plumb::ui {

// The reference distribution (the histogram or categories a model file's profile keeps) over the
// current one for one column and window, both as shares of their non-missing values. Numbers use
// the profile's bins, current values outside [min, max] counted in the end bins (as the PSI and
// Jensen–Shannon scores on a profile do); categories show the profile's values, then values the
// reference never had. Hovering a bar shows both shares.
class DistributionOverlay : public QCustomPlot
{
    Q_OBJECT

public:
    explicit DistributionOverlay(QWidget *parent = nullptr);

    // `rows` of `current` (all rows when empty) against `reference`; `title` names the window.
    void showDistributions(const ColumnProfile &reference, const Column &current, const std::vector<std::size_t> &rows,
                           const QString &title);
    void showMessage(const QString &title, const QString &message);

    // The bars drawn, per series, for tests: bins or categories.
    int binCount() const { return int(mReference.size()); }
    const std::vector<double> &referenceShares() const { return mReference; }
    const std::vector<double> &currentShares() const { return mCurrent; }
    QString shownColumn() const { return mColumn; }

protected:
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    void reset(const QString &title);
    void showNumeric(const ColumnProfile &reference, const Column &current, const std::vector<std::size_t> &rows);
    void showCategories(const ColumnProfile &reference, const Column &current, const std::vector<std::size_t> &rows);
    void addBars(const QVector<double> &x, double width, const QColor &color, const QString &name);

    QString mColumn;
    std::vector<double> mReference;
    std::vector<double> mCurrent;
    QStringList mBinLabels;
    QVector<double> mBinCentres;
    QCPItemText *mMessage;
};

} // namespace plumb::ui
