#include "ui/monitor/driftsettingstable.h"

#include "ui/common/theme.h"

#include "ui/monitor/driftformat.h"

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

enum Column { kName, kMethod, kThreshold, kBins, kDrifted };

// PSI and Jensen–Shannon on numbers bin the values; the others take no bins.
bool takesBins(bool categories, std::optional<DriftMethod> method)
{
    return !categories && (method == DriftMethod::Psi || method == DriftMethod::JensenShannon);
}

// The bins cell: editable where the method bins numbers, empty for the profile's own bins.
void updateBinsItem(QTableWidgetItem *bins, bool categories, std::optional<DriftMethod> method)
{
    const bool editable = takesBins(categories, method);
    bins->setFlags(editable ? Qt::ItemIsEnabled | Qt::ItemIsEditable : Qt::NoItemFlags);
    bins->setToolTip(editable ? QStringLiteral("At most this many bins, merged from the profile's histogram so that each holds "
                                               "about the same share of the reference; empty: the profile's own bins.")
                              : QStringLiteral("Only PSI and Jensen\u2013Shannon on numbers take bins."));
    if (!editable)
        bins->setText(QString());
}

} // namespace

DriftSettingsTable::DriftSettingsTable(QWidget *parent) : QTableWidget(0, 5, parent)
{
    setHorizontalHeaderLabels({QStringLiteral("Column"), QStringLiteral("Method"), QStringLiteral("Threshold"),
                               QStringLiteral("Bins"), QStringLiteral("Drifted")});
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(kName, QHeaderView::Stretch);
    for (int column : {kMethod, kThreshold, kBins, kDrifted})
        horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    setSelectionMode(QAbstractItemView::NoSelection);
    setToolTip(QStringLiteral("Change a column's method, threshold or bins: the report is computed again."));
    connect(this, &QTableWidget::itemChanged, this, [this](QTableWidgetItem *item) {
        if (!mFilling && (item->column() == kThreshold || item->column() == kBins))
            emit settingsChanged();
    });
}

void DriftSettingsTable::setReport(const DriftReport &report, const std::vector<bool> &categories)
{
    mFilling = true;
    setRowCount(int(report.columns.size()));
    for (int row = 0; row < rowCount(); ++row) {
        const auto c = std::size_t(row);
        auto *name = new QTableWidgetItem(
            report.roles[c] == ColumnRole::Target ? report.columns[row] + QStringLiteral(" (target)") : report.columns[row]);
        name->setData(Qt::UserRole, report.columns[row]);
        const bool holdsCategories = c < categories.size() && categories[c];
        name->setData(Qt::UserRole + 1, holdsCategories);
        name->setFlags(Qt::ItemIsEnabled);
        setItem(row, kName, name);
        auto *method = new QComboBox;
        method->setFrame(false);
        for (DriftMethod option : methodsFor(holdsCategories))
            method->addItem(methodTitle(option), driftMethodName(option));
        method->setCurrentIndex(method->findData(driftMethodName(report.methods[c])));
        connect(method, &QComboBox::currentIndexChanged, this, [this, row] { onMethodChanged(row); });
        setCellWidget(row, kMethod, method);
        auto *threshold = new QTableWidgetItem(thresholdCellText(report.thresholds[c]));
        threshold->setToolTip(thresholdText(report, c));
        setItem(row, kThreshold, threshold);
        auto *bins = new QTableWidgetItem(c < report.bins.size() && report.bins[c] > 0 ? QString::number(report.bins[c])
                                                                                       : QString());
        bins->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        updateBinsItem(bins, holdsCategories, report.methods[c]);
        setItem(row, kBins, bins);
        std::size_t drifted = 0;
        for (const auto &cells : report.cells)
            drifted += cells[c].score && cells[c].score->drifted;
        auto *count = new QTableWidgetItem(QStringLiteral("%1 of %2").arg(drifted).arg(report.windows.size()));
        count->setFlags(Qt::ItemIsEnabled);
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (drifted)
            count->setForeground(themeColors().bad);
        setItem(row, kDrifted, count);
    }
    mFilling = false;
}

void DriftSettingsTable::onMethodChanged(int row)
{
    if (mFilling)
        return;
    const auto *method = qobject_cast<QComboBox *>(cellWidget(row, kMethod));
    const std::optional<DriftMethod> chosen = driftMethodFromName(method->currentData().toString());
    mFilling = true;
    item(row, kThreshold)->setText(thresholdCellText(chosen ? defaultThreshold(*chosen) : NAN));
    updateBinsItem(item(row, kBins), item(row, kName)->data(Qt::UserRole + 1).toBool(), chosen);
    mFilling = false;
    emit settingsChanged();
}

DriftSettings DriftSettingsTable::settings() const
{
    DriftSettings settings;
    for (int row = 0; row < rowCount(); ++row) {
        ColumnDriftSettings column;
        if (const auto *method = qobject_cast<QComboBox *>(cellWidget(row, kMethod)))
            column.method = driftMethodFromName(method->currentData().toString());
        bool ok = false;
        const double threshold = item(row, kThreshold)->text().trimmed().toDouble(&ok);
        if (ok && std::isfinite(threshold))
            column.threshold = threshold;
        const uint bins = item(row, kBins)->text().trimmed().toUInt(&ok);
        if (ok && bins >= 1 && takesBins(item(row, kName)->data(Qt::UserRole + 1).toBool(), column.method))
            column.bins = bins;
        settings.columns[item(row, kName)->data(Qt::UserRole).toString()] = column;
    }
    return settings;
}

bool DriftSettingsTable::setColumn(const QString &column, DriftMethod method, double threshold)
{
    for (int row = 0; row < rowCount(); ++row) {
        if (item(row, kName)->data(Qt::UserRole).toString() != column)
            continue;
        auto *combo = qobject_cast<QComboBox *>(cellWidget(row, kMethod));
        const int index = combo->findData(driftMethodName(method));
        if (index < 0)
            return false;
        mFilling = true;
        combo->setCurrentIndex(index);
        item(row, kThreshold)->setText(thresholdCellText(std::isfinite(threshold) ? threshold : defaultThreshold(method)));
        updateBinsItem(item(row, kBins), item(row, kName)->data(Qt::UserRole + 1).toBool(), method);
        mFilling = false;
        emit settingsChanged();
        return true;
    }
    return false;
}

} // namespace plumb::ui
