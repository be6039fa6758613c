#pragma once

#include <Eigen/Core>
#include <qcustomplot.h>

namespace plumb::ui {

// A confusion matrix as a heat map: true classes down, predicted classes across, each cell
// shaded by its share of the true class's rows and labelled with its count and that share.
class ConfusionChart : public QCustomPlot
{
    Q_OBJECT

public:
    explicit ConfusionChart(QWidget *parent = nullptr);

    // `matrix` row t, column p: rows of true class t predicted as p (Evaluation::confusion).
    void showMatrix(const Eigen::MatrixXi &matrix, const QStringList &classes);
    void showMessage(const QString &message);

    // The classes drawn (0 when showing a message), for tests.
    int classCount() const { return mClasses; }

private:
    void clearCells();

    QCPColorMap *mMap = nullptr;
    QList<QCPItemText *> mLabels;
    QCPItemText *mMessage;
    int mClasses = 0;
};

} // namespace plumb::ui
