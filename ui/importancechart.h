#pragma once

#include "learn/permutationimportance.h"

#include <qcustomplot.h>

namespace plumb::ui {

// Permutation importance as horizontal bars, most important at the top, with the deviation over
// the repeats as error bars: how much the validation metric drops when a feature is shuffled.
class ImportanceChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit ImportanceChart(QWidget *parent = nullptr);

    void showImportance(const PermutationImportance &importance);
    void showMessage(const QString &message);

    // The features in the order drawn, top first (for tests).
    const QStringList &features() const { return mFeatures; }

private:
    void reset();

    QCPItemText *mMessage;
    QStringList mFeatures;
};

} // namespace plumb::ui
