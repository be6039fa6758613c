#pragma once

#include "base/result.h"
#include "data/columntype.h"

#include <QHash>
#include <QString>

#include <vector>

namespace plumb {

// A folder the workbench opens as a unit, described by a `plumb-workspace.json` manifest:
// the training dataset with its target and column roles, and later batches of production data
// in time order (what the Monitor view charts against the model's reference profile).
//
// Manifest (format 1):
// { "format": 1, "name": "...", "description": "...",
//   "training": { "path": "training.csv", "target": "churned", "roles": { "customer_id": "id" } },
//   "batches": [ { "label": "2026-01", "path": "batches/2026-01.csv" }, ... ] }
// Paths are relative to the folder.
struct Workspace
{
    struct Batch
    {
        QString label;
        QString path; // absolute
    };

    static constexpr int kFormat = 1;
    static constexpr const char *kManifestName = "plumb-workspace.json";

    QString rootPath; // absolute
    QString name;
    QString description;
    QString trainingPath; // absolute
    QString target; // empty when the manifest names none
    QHash<QString, ColumnRole> roles;
    std::vector<Batch> batches;

    // Reads DIRECTORY/plumb-workspace.json. Fails naming the field for a missing or malformed
    // field, an unknown role, a path that escapes the folder, or a format newer than kFormat.
    static Result<Workspace> load(const QString &directory);
    // True when `path` is a directory holding a manifest.
    static bool isWorkspace(const QString &path);
};

} // namespace plumb
