#pragma once

#include "data/columnprofile.h"

#include <qcustomplot.h>

#include <optional>
#include <utility>

namespace plumb::ui {

// The distribution of one column: histogram bars for numeric and datetime columns, horizontal
// bars of the most frequent values for categorical and boolean columns.
class ProfileChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit ProfileChart(QWidget *parent = nullptr);

    void showProfile(const ColumnProfile &profile);
    // Clears the chart and writes `message` in its middle.
    void showMessage(const QString &message);

    // Number of bars drawn (bins or categories), for tests.
    int barCount() const;
    // True when the bars run horizontally (categories).
    bool isHorizontal() const { return mHorizontal; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void reset();
    QCPBars *addBars(QCPAxis *keyAxis, QCPAxis *valueAxis);
    void showHistogram(const ColumnProfile &profile);
    void showCategories(const ColumnProfile &profile);

    QCPItemText *mMessage = nullptr;
    QCPBars *mBars = nullptr; // owned by the plot
    bool mHorizontal = false;
    // The value range of the numeric axis whose tick count follows the width; empty for none.
    std::optional<std::pair<double, double>> mFittedRange;
    int mMostTicks = 5;
};

} // namespace plumb::ui
