#include "ui/common/savelocation.h"

#include "data/workspace.h"

#include <QDir>
#include <QFileInfo>

namespace plumb::ui {

QString modelSaveFolder(const QString &modelsFolder, const QString &nearFile)
{
    if (!modelsFolder.isEmpty() && QFileInfo(modelsFolder).isDir())
        return QFileInfo(modelsFolder).absoluteFilePath();
    if (!nearFile.isEmpty() && QFileInfo(nearFile).absoluteDir().exists())
        return QFileInfo(nearFile).absolutePath();
    return QDir::homePath();
}

QString workspaceModelsFolder(const Workspace *workspace)
{
    return workspace ? QDir(workspace->rootPath).filePath(QStringLiteral("models")) : QString();
}

} // namespace plumb::ui
