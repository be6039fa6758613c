#pragma once

#include "monitor/driftreport.h"

#include <QTableWidget>

namespace plumb::ui {

// Each compared column's drift method (a drop-down of the methods that apply to its type),
// threshold (editable) and, where the method bins numbers (PSI, Jensen–Shannon), the number of
// bins (editable; empty for the profile's own), with the number of windows where it drifted. A change emits
// settingsChanged; choosing another method puts that method's default threshold in its row.
class DriftSettingsTable : public QTableWidget
{
    Q_OBJECT

public:
    explicit DriftSettingsTable(QWidget *parent = nullptr);

    // Fills the rows from a report's columns, methods, thresholds and verdicts (no signal);
    // `categories` tells, per report column, whether it holds categories (or booleans).
    void setReport(const DriftReport &report, const std::vector<bool> &categories);
    // The table as settings: every row's method, threshold and bins (none where the cell is empty).
    DriftSettings settings() const;
    // Sets a row's method and threshold (NaN: the method's default), as a user would; false for an
    // unknown column or a method that does not apply to it.
    bool setColumn(const QString &column, DriftMethod method, double threshold);

signals:
    void settingsChanged();

private:
    void onMethodChanged(int row);

    bool mFilling = false;
};

} // namespace plumb::ui
