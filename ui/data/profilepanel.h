#pragma once

#include "data/columnprofile.h"

#include <QFrame>
#include <QHash>
#include <QList>
#include <QPair>

class QGridLayout;
class QLabel;

namespace plumb::ui {

class ProfileChart;

// Describes the selected column: its name, type and role, the statistics of its ColumnProfile
// (count, missing, unique, mean, std, min/max, quantiles) and a chart of its distribution.
class ProfilePanel : public QFrame
{
    Q_OBJECT

public:
    // Tall: statistics above the chart (a side panel). Wide: statistics left, chart right (a
    // short, wide area such as a tab under other content).
    enum class Shape { Tall, Wide };

    explicit ProfilePanel(QWidget *parent = nullptr) : ProfilePanel(Shape::Tall, parent) { }
    explicit ProfilePanel(Shape shape, QWidget *parent = nullptr);

    void showProfile(const ColumnProfile &profile);
    void clear();

    // The column shown, empty when cleared.
    QString columnName() const { return mColumnName; }
    // The statistic called `label` ("Mean", "Missing", "Median", ...) as displayed; empty if absent.
    QString statistic(const QString &label) const;
    ProfileChart *chart() const { return mChart; }

private:
    using Rows = QList<QPair<QString, QString>>;
    static void fillGrid(QGridLayout *grid, const Rows &rows);
    static Rows summaryRows(const ColumnProfile &profile);
    static Rows quantileRows(const ColumnProfile &profile);
    static QString chartCaption(const ColumnProfile &profile);

    QString mColumnName;
    QHash<QString, QString> mStatistics;
    QLabel *mTitle;
    QLabel *mBadges;
    QLabel *mQuantileHeading;
    QGridLayout *mSummary;
    QGridLayout *mQuantiles;
    QLabel *mChartCaption;
    ProfileChart *mChart;
};

} // namespace plumb::ui
