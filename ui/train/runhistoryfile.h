#pragma once

#include "base/result.h"
#include "ui/train/runhistorymodel.h"

#include <QHash>
#include <QJsonArray>

#include <memory>
#include <optional>
#include <vector>

namespace plumb::ui {

// A run read back from the history file, and the model file it was saved as (empty: never saved).
struct KeptRun
{
    std::shared_ptr<const TrainingRun> run;
    QString savedAs; // absolute
};

// The Train view's run history of one workspace, kept beside its manifest in
// WORKSPACE/plumb-runs.json so the runs outlive the session. Each run keeps what was asked (model,
// parameters, target, features, preprocessing, validation, seed) and what came back (task, metrics,
// fit time, training rows), the data file it was trained on and the model file it was saved as.
// The fitted pipeline is not kept: a run read back has no model (TrainingRun::modelKept is false).
//
// File (format 1):
// { "format": 1, "runs": [ { "number": 1, "data": "training.csv", "model": "decision_tree",
//   "target": "churned", "features": ["tenure_months", ...], "parameters": [["max_depth", "4"]],
//   "preprocessing": {"numeric_imputer": "", ...}, "validation": "kfold:5", "seed": 0,
//   "importance": true, "task": "classification", "metrics": [["accuracy", 0.83], ["roc_auc", null]],
//   "fit_seconds": 0.12, "training_rows": 20000, "saved_as": "models/churn.plumb" }, ... ] }
// Paths are relative to the workspace; a metric without a value is null.
class RunHistoryFile
{
public:
    static constexpr int kFormat = 1;
    static constexpr const char *kFileName = "plumb-runs.json";

    explicit RunHistoryFile(const QString &workspaceRoot);

    QString path() const;
    // The runs trained on `dataPath`, in the file's order; none when there is no file. Runs of
    // other data files are remembered for write(). Fails naming the file, the run and the field
    // for a file that is not this format's JSON, or from a newer format.
    Result<std::vector<KeptRun>> read(const QString &dataPath);
    // Replaces the runs of `dataPath` with `runs` (saved paths by run number) and keeps those of
    // other data files read before, through QSaveFile: a failed write leaves the old file whole.
    std::optional<Error> write(const QString &dataPath, const std::vector<std::shared_ptr<const TrainingRun>> &runs,
                               const QHash<int, QString> &savedAs) const;

private:
    QString relative(const QString &path) const;

    QString mRoot;
    QJsonArray mOtherRuns;
};

} // namespace plumb::ui
