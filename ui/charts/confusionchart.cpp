#include "ui/charts/confusionchart.h"

#include "ui/charts/chartstyle.h"

namespace plumb::ui {

namespace {

constexpr int kMaxLabelledClasses = 12; // beyond this the cells are too small for text

QSharedPointer<QCPAxisTickerText> classTicker(const QStringList &classes, bool reversed)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < classes.size(); ++i)
        ticker->addTick(reversed ? classes.size() - 1 - i : i, classes[i]);
    return ticker;
}

} // namespace

ConfusionChart::ConfusionChart(QWidget *parent) : QCustomPlot(parent)
{
    chart::stylePlot(this, QStringLiteral("Confusion matrix"));
    setMinimumSize(240, 220);
    mMessage = chart::addCentredMessage(this);
    xAxis->setLabel(QStringLiteral("predicted"));
    yAxis->setLabel(QStringLiteral("actual"));
    showMessage(QStringLiteral("Train a classifier to see its confusion matrix"));
}

void ConfusionChart::clearCells()
{
    if (mMap) {
        removePlottable(mMap);
        mMap = nullptr;
    }
    for (QCPItemText *label : std::as_const(mLabels))
        removeItem(label);
    mLabels.clear();
    mClasses = 0;
}

void ConfusionChart::showMatrix(const Eigen::MatrixXi &matrix, const QStringList &classes)
{
    clearCells();
    mMessage->setVisible(false);
    const int k = int(matrix.rows());
    mClasses = k;
    mMap = new QCPColorMap(xAxis, yAxis);
    mMap->data()->setSize(k, k);
    mMap->data()->setRange(QCPRange(0, k - 1), QCPRange(0, k - 1));
    QCPColorGradient gradient;
    gradient.setColorStopAt(0, themeColors().surfaceAlt);
    gradient.setColorStopAt(1, chart::accent());
    mMap->setGradient(gradient);
    mMap->setInterpolate(false);
    mMap->setDataRange(QCPRange(0, 1));
    for (int t = 0; t < k; ++t) {
        const double support = std::max(1, matrix.row(t).sum());
        for (int p = 0; p < k; ++p) {
            const double share = matrix(t, p) / support;
            // The first true class at the top, as a matrix is read.
            mMap->data()->setCell(p, k - 1 - t, share);
            if (k > kMaxLabelledClasses)
                continue;
            auto *label = new QCPItemText(this);
            label->position->setCoords(p, k - 1 - t);
            label->setText(QStringLiteral("%1\n%2%").arg(matrix(t, p)).arg(share * 100, 0, 'f', 1));
            label->setColor(share > 0.55 ? themeColors().onAccent : themeColors().text);
            label->setTextAlignment(Qt::AlignCenter);
            mLabels.append(label);
        }
    }
    xAxis->setTicker(classTicker(classes, false));
    yAxis->setTicker(classTicker(classes, true));
    for (QCPAxis *axis : {xAxis, yAxis}) {
        axis->setRange(-0.5, k - 0.5);
        axis->setTickLabels(true);
        axis->grid()->setVisible(false);
    }
    replot();
}

void ConfusionChart::showMessage(const QString &message)
{
    clearCells();
    chart::showMessageOnBareAxes(this, mMessage, message);
    replot();
}

} // namespace plumb::ui
