#include "ui/data/profilepanel.h"

#include "ui/charts/profilechart.h"
#include "ui/common/displayformat.h"
#include "ui/common/theme.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace plumb::ui {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr qsizetype kShortValueChars = 12; // longer values get a line of their own

bool isNumericProfile(const ColumnProfile &profile)
{
    return profile.type == ColumnType::Float || profile.type == ColumnType::Integer || profile.type == ColumnType::Datetime;
}

} // namespace

ProfilePanel::ProfilePanel(Shape shape, QWidget *parent)
    : QFrame(parent), mTitle(new QLabel), mBadges(new QLabel),
      mQuantileHeading(createSectionHeading(QStringLiteral("Quantiles"))), mSummary(new QGridLayout), mQuantiles(new QGridLayout),
      mChartCaption(createSectionHeading({})), mChart(new ProfileChart)
{
    setObjectName(QStringLiteral("ProfilePanel"));
    mTitle->setObjectName(QStringLiteral("ProfileTitle"));
    mTitle->setTextFormat(Qt::PlainText);
    mTitle->setWordWrap(true);
    mBadges->setObjectName(QStringLiteral("ProfileBadges"));
    for (QGridLayout *grid : {mSummary, mQuantiles}) {
        grid->setHorizontalSpacing(12);
        grid->setVerticalSpacing(6);
    }

    auto *statistics = new QVBoxLayout;
    statistics->setSpacing(8);
    auto *chart = new QVBoxLayout;
    chart->setSpacing(8);
    if (shape == Shape::Wide) {
        auto *row = new QHBoxLayout(this);
        row->setContentsMargins(16, 16, 16, 16);
        row->setSpacing(24);
        row->addLayout(statistics, 2);
        row->addLayout(chart, 3);
    } else {
        auto *column = new QVBoxLayout(this);
        column->setContentsMargins(16, 16, 16, 16);
        column->setSpacing(8);
        column->addLayout(statistics);
        column->addLayout(chart, 1);
    }
    QVBoxLayout *layout = statistics;
    layout->addWidget(mTitle);
    layout->addWidget(mBadges);
    layout->addSpacing(6);
    layout->addWidget(createSectionHeading(QStringLiteral("Summary")));
    layout->addLayout(mSummary);
    layout->addSpacing(6);
    layout->addWidget(mQuantileHeading);
    layout->addLayout(mQuantiles);
    if (shape == Shape::Wide)
        layout->addStretch(); // the statistics sit at the top, beside the chart
    else
        layout->addSpacing(6);
    chart->addWidget(mChartCaption);
    chart->addWidget(mChart, 1);
    clear();
}

void ProfilePanel::showProfile(const ColumnProfile &profile)
{
    mColumnName = profile.name;
    mTitle->setText(profile.name);
    mBadges->setText(QStringLiteral("%1 \u00b7 %2").arg(columnTypeLabel(profile.type), columnRoleLabel(profile.role)));
    const Rows summary = summaryRows(profile);
    const Rows quantiles = quantileRows(profile);
    mStatistics.clear();
    for (const auto &[label, value] : summary + quantiles)
        mStatistics.insert(label, value);
    fillGrid(mSummary, summary);
    fillGrid(mQuantiles, quantiles);
    mQuantileHeading->setVisible(!quantiles.isEmpty());
    mChartCaption->setText(chartCaption(profile).toUpper());
    mChart->showProfile(profile);
}

void ProfilePanel::clear()
{
    mColumnName.clear();
    mStatistics.clear();
    mTitle->setText(QStringLiteral("No column selected"));
    mBadges->setText(QStringLiteral("Pick a column in the list to profile it."));
    fillGrid(mSummary, {});
    fillGrid(mQuantiles, {});
    mQuantileHeading->hide();
    mChartCaption->setText(QStringLiteral("DISTRIBUTION"));
    mChart->showMessage(QStringLiteral("Select a column to see its distribution"));
}

QString ProfilePanel::statistic(const QString &label) const
{
    return mStatistics.value(label);
}

void ProfilePanel::fillGrid(QGridLayout *grid, const Rows &rows)
{
    while (QLayoutItem *item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    // Two statistics per line; a long value (a date and time, a category) takes a line of its own.
    int line = 0;
    int slot = 0;
    for (const auto &[label, text] : rows) {
        auto *name = new QLabel(label);
        name->setObjectName(QStringLiteral("StatLabel"));
        auto *value = new QLabel(text);
        value->setObjectName(QStringLiteral("StatValue"));
        value->setTextFormat(Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setToolTip(text);
        const bool wide = text.size() > kShortValueChars;
        if (wide && slot != 0) {
            ++line;
            slot = 0;
        }
        grid->addWidget(name, line, slot * 2);
        grid->addWidget(value, line, slot * 2 + 1, 1, wide ? 3 : 1);
        slot = wide ? 2 : slot + 1;
        if (slot == 2) {
            ++line;
            slot = 0;
        }
    }
    for (int column = 0; column < 4; ++column)
        grid->setColumnStretch(column, column % 2 == 1 ? 1 : 0);
}

ProfilePanel::Rows ProfilePanel::summaryRows(const ColumnProfile &profile)
{
    const QString missing = QStringLiteral("%1 (%2)").arg(formatCount(profile.missing), formatPercent(profile.missingRate()));
    Rows rows{{QStringLiteral("Count"), formatCount(profile.count)},
              {QStringLiteral("Missing"), missing},
              {QStringLiteral("Unique"), formatCount(profile.unique)}};
    if (!profile.topCategories.empty()) {
        const ColumnProfile::Category &top = profile.topCategories.front();
        rows.append({QStringLiteral("Most frequent"), QStringLiteral("%1 (%2)").arg(top.value, formatCount(top.count))});
    }
    if (profile.type == ColumnType::Boolean && profile.count > 0)
        rows.append({QStringLiteral("Share true"), formatPercent(profile.mean)});
    if (!isNumericProfile(profile))
        return rows;
    const bool dates = profile.type == ColumnType::Datetime;
    const QString std = dates ? QStringLiteral("%1 days").arg(formatNumber(profile.std / kSecondsPerDay))
                              : formatNumber(profile.std);
    rows.append({QStringLiteral("Mean"), formatValue(profile.mean, profile.type)});
    rows.append({QStringLiteral("Std"), std::isnan(profile.std) ? formatNumber(profile.std) : std});
    rows.append({QStringLiteral("Min"), formatValue(profile.min, profile.type)});
    rows.append({QStringLiteral("Max"), formatValue(profile.max, profile.type)});
    return rows;
}

ProfilePanel::Rows ProfilePanel::quantileRows(const ColumnProfile &profile)
{
    Rows rows;
    if (!isNumericProfile(profile) || profile.count == 0)
        return rows;
    for (std::size_t i = 0; i < ColumnProfile::kQuantileLevels.size(); ++i) {
        const double level = ColumnProfile::kQuantileLevels[i];
        const QString label = level == 0.5 ? QStringLiteral("Median") : QStringLiteral("%1%").arg(std::lround(level * 100));
        rows.append({label, formatValue(profile.quantiles[i], profile.type)});
    }
    return rows;
}

QString ProfilePanel::chartCaption(const ColumnProfile &profile)
{
    if (profile.type == ColumnType::Categorical || profile.type == ColumnType::Boolean) {
        if (profile.unique > profile.topCategories.size())
            return QStringLiteral("Top %1 of %2 values").arg(profile.topCategories.size()).arg(formatCount(profile.unique));
        return QStringLiteral("Values");
    }
    return QStringLiteral("Distribution \u00b7 %1 equal-width bins").arg(profile.histogram.size());
}

} // namespace plumb::ui
