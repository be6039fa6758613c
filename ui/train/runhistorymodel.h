#pragma once

#include "artifact/modelmetadata.h"
#include "learn/trainer.h"

#include <QAbstractTableModel>

#include <memory>

namespace plumb::ui {

// One finished training run, kept whole so it can be shown again and saved later: what was asked,
// what came back, and what a model file stores beside the pipeline (metadata and the reference
// profile, taken from the data as it was when the run started). A run read back from a workspace's
// run history (RunHistoryFile) keeps only its settings (spec, with the features the pipeline used)
// and its outcome's task, metrics, fit time and training rows: modelKept is false, and it cannot be
// shown as charts or saved.
struct TrainingRun
{
    int number = 0;
    TrainingSpec spec;
    TrainingOutcome outcome;
    ModelMetadata metadata;
    QJsonArray profile;
    bool modelKept = true;
};

// The runs of a session as a table: one row per run, fixed columns (run, model, task, validation,
// features, seed, fit time) and then one column per metric any run reported. Sorting uses the
// numbers themselves (SortRole), so a proxy sorts metric columns numerically.
class RunHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { RunColumn, ModelColumn, TaskColumn, ValidationColumn, FeaturesColumn, SeedColumn, FitColumn, kFixedColumns };
    static constexpr int SortRole = Qt::UserRole;

    explicit RunHistoryModel(QObject *parent = nullptr);

    void addRun(std::shared_ptr<const TrainingRun> run);
    // Drops every run and metric column (the data they were trained on is gone).
    void clear();
    std::shared_ptr<const TrainingRun> run(int row) const;
    // The metric shown in `column`, or an empty string for a fixed column.
    QString metricOf(int column) const;
    int columnOfMetric(const QString &metric) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<std::shared_ptr<const TrainingRun>> mRuns;
    QStringList mMetrics; // in order of first appearance
};

// How a metric is titled in tables ("roc_auc" -> "ROC AUC"); unknown names are returned as given.
QString metricTitle(const QString &metric);
// True for metrics where smaller is better (losses and errors).
bool lowerIsBetter(const QString &metric);

} // namespace plumb::ui
