#include "ui/driftsettingstable.h"

#include "ui/driftformat.h"

#include <QComboBox>
#include <QHeaderView>

#include <cmath>

namespace plumb::ui {

namespace {

// Chi-square takes categories only; KS and Wasserstein need numbers. PSI and Jensen–Shannon do both.
std::vector<DriftMethod> methodsFor(bool categories)
{
    if (categories)
        return {DriftMethod::ChiSquare, DriftMethod::JensenShannon, DriftMethod::Psi};
    return {DriftMethod::KolmogorovSmirnov, DriftMethod::WassersteinNormed, DriftMethod::Wasserstein, DriftMethod::Psi,
            DriftMethod::JensenShannon};
}

QString thresholdCellText(double threshold)
{
    return std::isfinite(threshold) ? QString::number(threshold, 'g', 4) : QString();
}

} // namespace

DriftSettingsTable::DriftSettingsTable(QWidget *parent) : QTableWidget(0, 4, parent)
{
    setHorizontalHeaderLabels({QStringLiteral("Column"), QStringLiteral("Method"), QStringLiteral("Threshold"), QStringLiteral("Drifted")});
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    setSelectionMode(QAbstractItemView::NoSelection);
    setToolTip(QStringLiteral("Change a column's method or threshold: the report is computed again."));
    connect(this, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (!mFilling && item->column() == 2)
            emit settingsChanged();
    });
}

void DriftSettingsTable::setReport(const DriftReport &report, const std::vector<bool> &categories)
{
    mFilling = true;
    setRowCount(int(report.columns.size()));
    for (int row = 0; row < rowCount(); ++row) {
        const auto c = std::size_t(row);
        auto *name = new QTableWidgetItem(report.roles[c] == ColumnRole::Target ? report.columns[row] + QStringLiteral(" (target)")
                                                                               : report.columns[row]);
        name->setData(Qt::UserRole, report.columns[row]);
        name->setFlags(Qt::ItemIsEnabled);
        setItem(row, 0, name);
        auto *method = new QComboBox;
        method->setFrame(false);
        for (DriftMethod option : methodsFor(c < categories.size() && categories[c]))
            method->addItem(methodTitle(option), driftMethodName(option));
        method->setCurrentIndex(method->findData(driftMethodName(report.methods[c])));
        connect(method, &QComboBox::currentIndexChanged, this, [this, row] { onMethodChanged(row); });
        setCellWidget(row, 1, method);
        auto *threshold = new QTableWidgetItem(thresholdCellText(report.thresholds[c]));
        threshold->setToolTip(thresholdText(report, c));
        setItem(row, 2, threshold);
        std::size_t drifted = 0;
        for (const auto &cells : report.cells)
            drifted += cells[c].score && cells[c].score->drifted;
        auto *count = new QTableWidgetItem(QStringLiteral("%1 of %2").arg(drifted).arg(report.windows.size()));
        count->setFlags(Qt::ItemIsEnabled);
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (drifted)
            count->setForeground(QColor(0xb9, 0x1c, 0x1c));
        setItem(row, 3, count);
    }
    mFilling = false;
}

void DriftSettingsTable::onMethodChanged(int row)
{
    if (mFilling)
        return;
    const auto *method = qobject_cast<QComboBox *>(cellWidget(row, 1));
    const std::optional<DriftMethod> chosen = driftMethodFromName(method->currentData().toString());
    mFilling = true;
    item(row, 2)->setText(thresholdCellText(chosen ? defaultThreshold(*chosen) : NAN));
    mFilling = false;
    emit settingsChanged();
}

DriftSettings DriftSettingsTable::settings() const
{
    DriftSettings settings;
    for (int row = 0; row < rowCount(); ++row) {
        ColumnDriftSettings column;
        if (const auto *method = qobject_cast<QComboBox *>(cellWidget(row, 1)))
            column.method = driftMethodFromName(method->currentData().toString());
        bool ok = false;
        const double threshold = item(row, 2)->text().trimmed().toDouble(&ok);
        if (ok && std::isfinite(threshold))
            column.threshold = threshold;
        settings.columns[item(row, 0)->data(Qt::UserRole).toString()] = column;
    }
    return settings;
}

bool DriftSettingsTable::setColumn(const QString &column, DriftMethod method, double threshold)
{
    for (int row = 0; row < rowCount(); ++row) {
        if (item(row, 0)->data(Qt::UserRole).toString() != column)
            continue;
        auto *combo = qobject_cast<QComboBox *>(cellWidget(row, 1));
        const int index = combo->findData(driftMethodName(method));
        if (index < 0)
            return false;
        mFilling = true;
        combo->setCurrentIndex(index);
        item(row, 2)->setText(thresholdCellText(std::isfinite(threshold) ? threshold : defaultThreshold(method)));
        mFilling = false;
        emit settingsChanged();
        return true;
    }
    return false;
}

} // namespace plumb::ui
