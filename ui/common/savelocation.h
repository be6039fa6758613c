#pragma once

#include <QString>

namespace plumb {
struct Workspace;
}

namespace plumb::ui {

// The folder every dialog that saves or exports a model starts in (the Train view's Save Model,
// the retrain dialog's Save as New Model, the Models view's Export ONNX): `modelsFolder` (a
// workspace's models/ folder, or the folder the Models view lists) when it exists; else the folder
// of `nearFile` (the model or data file at hand) when it exists; else the home folder. Never the
// folder data was last opened from.
QString modelSaveFolder(const QString &modelsFolder, const QString &nearFile = {});

// A workspace's models/ folder (whether it exists or not); empty without a workspace.
QString workspaceModelsFolder(const Workspace *workspace);

} // namespace plumb::ui
