#include "ui/models/modelsummarycard.h"

#include "ui/common/displayformat.h"

#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <cmath>

namespace plumb::ui {

namespace {

constexpr int kMaxMetricTiles = 4;

QWidget *metricTile(const QString &name, const QString &value)
{
    auto *tile = new QFrame;
    tile->setObjectName(QStringLiteral("MetricTile"));
    auto *layout = new QVBoxLayout(tile);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    auto *valueLabel = new QLabel(value);
    valueLabel->setObjectName(QStringLiteral("MetricValue"));
    auto *nameLabel = new QLabel(name);
    nameLabel->setObjectName(QStringLiteral("MetricName"));
    layout->addWidget(valueLabel);
    layout->addWidget(nameLabel);
    return tile;
}

} // namespace

QString taskLabel(Task task)
{
    return task == Task::Classification ? QStringLiteral("Classification") : QStringLiteral("Regression");
}

QString modelKindLabel(const QString &kind)
{
    QString label = kind;
    label.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!label.isEmpty())
        label[0] = label[0].toUpper();
    return label;
}

QString formatMetric(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("\u2014");
    // Scores such as accuracy, AUC and R² read best with four decimals; errors keep their digits.
    if (std::abs(value) <= 1.0)
        return QLocale::c().toString(value, 'f', 4);
    return formatNumber(value);
}

ModelSummaryCard::ModelSummaryCard(QWidget *parent)
    : QFrame(parent), mTitle(new QLabel), mDescription(new QLabel), mBadges(new QLabel), mFields(new QGridLayout),
      mMetricTiles(new QHBoxLayout)
{
    setObjectName(QStringLiteral("Card"));
    mTitle->setObjectName(QStringLiteral("CardTitle"));
    mDescription->setObjectName(QStringLiteral("CardText"));
    mDescription->setWordWrap(true);
    mBadges->setObjectName(QStringLiteral("ProfileBadges"));
    mTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mFields->setHorizontalSpacing(18);
    mFields->setVerticalSpacing(6);
    mFields->setColumnStretch(1, 1);
    mFields->setColumnStretch(3, 1);
    mMetricTiles->setSpacing(10);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 16, 20, 18);
    layout->setSpacing(8);
    layout->addWidget(mTitle);
    layout->addWidget(mBadges);
    layout->addWidget(mDescription);
    layout->addSpacing(4);
    layout->addLayout(mFields);
    layout->addSpacing(6);
    layout->addLayout(mMetricTiles);
    layout->addStretch();
}

void ModelSummaryCard::showModel(const LoadedModel &model)
{
    const ModelMetadata &m = model.metadata();
    const Pipeline &pipeline = model.pipeline();
    const TargetSpec &target = pipeline.target();
    mTitle->setText(m.name.isEmpty() ? QFileInfo(model.path).completeBaseName() : m.name);
    QStringList badges{taskLabel(target.task), modelKindLabel(pipeline.model().kind())};
    for (const QString &tag : m.tags)
        badges.append(QStringLiteral("#") + tag);
    mBadges->setText(badges.join(QStringLiteral("  \u00b7  ")));
    mDescription->setText(m.description);
    mDescription->setVisible(!m.description.isEmpty());

    while (QLayoutItem *item = mFields->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    mFieldValues.clear();
    const QString classes = target.task == Task::Classification ? formatNameList(target.classes) : QStringLiteral("\u2014");
    const QList<QPair<QString, QString>> fields{
        {QStringLiteral("Task"), taskLabel(target.task)},
        {QStringLiteral("Model"), pipeline.model().kind()},
        {QStringLiteral("Target"), QStringLiteral("%1 (%2)").arg(target.name, columnTypeLabel(target.type).toLower())},
        {QStringLiteral("Classes"), classes},
        {QStringLiteral("Features"),
         m.imported.positionalFeatures ? QStringLiteral("%1, positional (x0\u2026): columns are matched by position")
                                             .arg(formatCount(pipeline.features().size()))
                                       : formatCount(pipeline.features().size())},
        {QStringLiteral("Created"), m.created.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))},
        {QStringLiteral("Author"), m.author},
        {QStringLiteral("Trained on"), QStringLiteral("%1 \u00b7 %2 rows").arg(m.sourceFile, formatCount(std::size_t(m.rows)))},
        {QStringLiteral("Validation"), m.validation},
        {QStringLiteral("Fit time"), formatDuration(qint64(std::llround(m.fitSeconds * 1000)))},
    };
    // Two label/value pairs per row.
    for (int i = 0; i < int(fields.size()); ++i)
        setField(i, fields[i].first, fields[i].second);

    while (QLayoutItem *item = mMetricTiles->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    mMetrics.clear();
    int shown = 0;
    for (const auto &[name, value] : m.metrics) {
        const QString text = std::isfinite(value) ? formatMetric(value) : undefinedText(m.metricReason(name));
        mMetrics.insert(name, text);
        if (shown++ < kMaxMetricTiles)
            mMetricTiles->addWidget(metricTile(name, text));
    }
    if (m.metrics.empty())
        mMetricTiles->addWidget(new QLabel(QStringLiteral("No validation metrics were stored with this model.")));
    mMetricTiles->addStretch();
}

void ModelSummaryCard::setField(int index, const QString &label, const QString &value)
{
    auto *name = new QLabel(label);
    name->setObjectName(QStringLiteral("StatLabel"));
    auto *text = new QLabel(value);
    text->setObjectName(QStringLiteral("StatValue"));
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text->setTextFormat(Qt::PlainText);
    text->setToolTip(value);
    const int row = index / 2, column = (index % 2) * 2;
    mFields->addWidget(name, row, column, Qt::AlignTop);
    mFields->addWidget(text, row, column + 1, Qt::AlignTop);
    mFieldValues.insert(label, value);
}

QString ModelSummaryCard::title() const
{
    return mTitle->text();
}

QString ModelSummaryCard::field(const QString &label) const
{
    return mFieldValues.value(label);
}

} // namespace plumb::ui
