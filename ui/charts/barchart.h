#pragma once

#include <qcustomplot.h>

#include <vector>

namespace plumb::ui {

// Labelled horizontal bars, the first at the top, each with its own colour and a value label at
// its end; bars may be negative (a zero line is drawn). Used for class probabilities and
// per-feature contributions in the Predict view.
class BarChart : public QCustomPlot
{
    Q_OBJECT

public:
    struct Bar
    {
        QString label;
        double value = 0;
        QColor color;
        QString text; // drawn at the bar's end
    };

    explicit BarChart(const QString &title, QWidget *parent = nullptr);

    // Replaces the bars. The value axis spans [lower, upper] widened to hold every bar.
    void showBars(const std::vector<Bar> &bars, const QString &axisLabel, double lower = 0, double upper = 0);
    void showMessage(const QString &message);
    void setTitle(const QString &title);
    QString title() const;

    // What is drawn, for tests.
    int barCount() const { return int(mShown.size()); }
    const std::vector<Bar> &bars() const { return mShown; }
    QString message() const;

private:
    void clearBars();

    std::vector<Bar> mShown;
    QCPItemText *mMessage;
    QCPItemStraightLine *mZeroLine;
};

} // namespace plumb::ui
