#pragma once

#include "learn/permutationimportance.h"

#include <qcustomplot.h>

namespace plumb::ui {

// Permutation importance as horizontal bars, the most important feature at the top, each with a
// whisker of one standard deviation over the repeats. Many features or long names stay readable:
// names wider than kLabelWidth are elided in the middle (the full name is the label's and the
// bar's tooltip), at most `limit` features are drawn and never more than the chart's height has
// rows for (one text line each), and the axis title says how many more there are.
class ImportanceChart : public QCustomPlot
{
    Q_OBJECT

public:
    static constexpr int kDefaultLimit = 15;
    // The widest a feature name is drawn, in pixels.
    static constexpr int kLabelWidth = 170;

    explicit ImportanceChart(QWidget *parent = nullptr);

    // Shows at most `limit` features, largest mean drop first.
    void showImportance(const PermutationImportance &importance, int limit = kDefaultLimit);
    void showMessage(const QString &message);

    // Bars drawn.
    int barCount() const;
    // The names as drawn on the axis, top first.
    QStringList shownLabels() const;
    // The axis title: the metric's drop, and how many features are not drawn.
    QString axisTitle() const;
    // The full name of the feature whose label or bar is at `position` (widget coordinates), or
    // an empty string.
    QString featureAt(const QPoint &position) const;

protected:
    bool event(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void clearBars();
    // How many rows of text the axis rect has room for.
    int fittingRows() const;
    // The widest a name is drawn at the chart's width: kLabelWidth, or a third of a narrow chart.
    int labelWidth() const;
    void drawBars();

    QCPBars *mBars = nullptr;
    QCPErrorBars *mErrors = nullptr;
    QCPItemText *mMessage;
    PermutationImportance mImportance; // sorted, largest mean drop first; no features: a message is shown
    int mLimit = kDefaultLimit;
    int mLabelWidth = kLabelWidth;
    QStringList mShownNames; // full names, top first
};

} // namespace plumb::ui
