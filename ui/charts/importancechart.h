#pragma once

#include "learn/permutationimportance.h"

#include <qcustomplot.h>

namespace plumb::ui {

// Permutation importance as horizontal bars, the most important feature at the top, each with a
// whisker of one standard deviation over the repeats.
class ImportanceChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit ImportanceChart(QWidget *parent = nullptr);

    // Shows at most `limit` features, largest mean drop first.
    void showImportance(const PermutationImportance &importance, int limit = 15);
    void showMessage(const QString &message);

    // Bars drawn, for tests.
    int barCount() const;

private:
    void clearBars();

    QCPBars *mBars = nullptr;
    QCPErrorBars *mErrors = nullptr;
    QCPItemText *mMessage;
};

} // namespace plumb::ui
