#include "ui/train/runhistorymodel.h"

#include <QFont>

#include <cmath>

namespace plumb::ui {

QString metricTitle(const QString &metric)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("accuracy"), QStringLiteral("Accuracy")},
        {QStringLiteral("balanced_accuracy"), QStringLiteral("Balanced accuracy")},
        {QStringLiteral("f1_macro"), QStringLiteral("F1 (macro)")},
        {QStringLiteral("f1_weighted"), QStringLiteral("F1 (weighted)")},
        {QStringLiteral("precision_macro"), QStringLiteral("Precision (macro)")},
        {QStringLiteral("recall_macro"), QStringLiteral("Recall (macro)")},
        {QStringLiteral("roc_auc"), QStringLiteral("ROC AUC")},
        {QStringLiteral("log_loss"), QStringLiteral("Log loss")},
        {QStringLiteral("brier"), QStringLiteral("Brier score")},
        {QStringLiteral("r2"), QStringLiteral("R\u00b2")},
        {QStringLiteral("mae"), QStringLiteral("MAE")},
        {QStringLiteral("rmse"), QStringLiteral("RMSE")},
        {QStringLiteral("mape"), QStringLiteral("MAPE")},
    };
    return titles.value(metric, metric);
}

bool lowerIsBetter(const QString &metric)
{
    static const QStringList lower{QStringLiteral("log_loss"), QStringLiteral("brier"), QStringLiteral("mae"),
                                   QStringLiteral("rmse"), QStringLiteral("mape")};
    return lower.contains(metric);
}

RunHistoryModel::RunHistoryModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void RunHistoryModel::addRun(std::shared_ptr<const TrainingRun> run)
{
    QStringList added;
    for (const auto &[name, value] : run->outcome.validation.metrics)
        if (!mMetrics.contains(name) && !added.contains(name))
            added.append(name);
    if (!added.isEmpty()) {
        const int first = kFixedColumns + int(mMetrics.size());
        beginInsertColumns({}, first, first + int(added.size()) - 1);
        mMetrics.append(added);
        endInsertColumns();
    }
    const int row = int(mRuns.size());
    beginInsertRows({}, row, row);
    mRuns.push_back(std::move(run));
    endInsertRows();
}

void RunHistoryModel::clear()
{
    beginResetModel();
    mRuns.clear();
    mMetrics.clear();
    endResetModel();
}

std::shared_ptr<const TrainingRun> RunHistoryModel::run(int row) const
{
    return row >= 0 && row < int(mRuns.size()) ? mRuns[std::size_t(row)] : nullptr;
}

QString RunHistoryModel::metricOf(int column) const
{
    return column >= kFixedColumns ? mMetrics.value(column - kFixedColumns) : QString();
}

int RunHistoryModel::columnOfMetric(const QString &metric) const
{
    const qsizetype at = mMetrics.indexOf(metric);
    return at < 0 ? -1 : kFixedColumns + int(at);
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(mRuns.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kFixedColumns + int(mMetrics.size());
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const TrainingRun &run = *mRuns[std::size_t(index.row())];
    const bool display = role == Qt::DisplayRole;
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(index.column() >= FeaturesColumn ? Qt::AlignRight | Qt::AlignVCenter
                                                                    : Qt::AlignLeft | Qt::AlignVCenter);
    if (!display && role != SortRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case RunColumn:
        return display ? QVariant(QStringLiteral("#%1").arg(run.number)) : QVariant(run.number);
    case ModelColumn:
        return run.spec.modelKind;
    case TaskColumn:
        return run.outcome.validation.task == Task::Classification ? QStringLiteral("classification")
                                                                   : QStringLiteral("regression");
    case ValidationColumn:
        return run.spec.validation.toString();
    case FeaturesColumn:
        return run.modelKept ? int(run.outcome.pipeline.features().size()) : int(run.spec.features.size());
    case SeedColumn:
        return display ? QVariant(QString::number(run.spec.seed)) : QVariant(double(run.spec.seed));
    case FitColumn:
        return display ? QVariant(QString::number(run.outcome.fitSeconds, 'f', 3)) : QVariant(run.outcome.fitSeconds);
    default:
        break;
    }
    const double value = run.outcome.validation.metric(metricOf(index.column()));
    if (std::isnan(value))
        return display ? QVariant(QStringLiteral("\u2014")) : QVariant();
    return display ? QVariant(QString::number(value, 'f', 4)) : QVariant(value);
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section >= kFixedColumns)
        return QStringLiteral("%1 on the validation rows (%2 is better); click to sort")
            .arg(metricTitle(metricOf(section)),
                 lowerIsBetter(metricOf(section)) ? QStringLiteral("lower") : QStringLiteral("higher"));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RunColumn:
        return QStringLiteral("Run");
    case ModelColumn:
        return QStringLiteral("Model");
    case TaskColumn:
        return QStringLiteral("Task");
    case ValidationColumn:
        return QStringLiteral("Validation");
    case FeaturesColumn:
        return QStringLiteral("Features");
    case SeedColumn:
        return QStringLiteral("Seed");
    case FitColumn:
        return QStringLiteral("Fit (s)");
    default:
        return metricTitle(metricOf(section));
    }
}

} // namespace plumb::ui
