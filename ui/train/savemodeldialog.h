#pragma once

#include <QDialog>

#include <optional>

class QLineEdit;
class QPlainTextEdit;

namespace plumb::ui {

// What the user says about a model when saving it.
struct ModelDescription
{
    QString name;
    QString description;
    QStringList tags;
};

// Before saving at `path`: when a file is there, asks whether to replace it. nullopt when the user
// declines; otherwise whether the save must overwrite.
std::optional<bool> confirmReplace(QWidget *parent, const QString &path);

// Asks where to save a trained model and what to call it: name, description, tags (comma
// separated) and the .plumb file, with a Browse button. OK stays disabled until there is a name
// and a path.
class SaveModelDialog : public QDialog
{
    Q_OBJECT

public:
    SaveModelDialog(const QString &suggestedName, const QString &suggestedPath, QWidget *parent = nullptr);

    ModelDescription description() const;
    // The chosen path, with ".plumb" added when it has no suffix.
    QString path() const;

private:
    void browse();
    void updateOk();
    // While the file was not chosen by hand, its name follows the Name field ("churn v2" -> churn-v2.plumb).
    void followName(const QString &name);

    QLineEdit *mName;
    QPlainTextEdit *mDescription;
    QLineEdit *mTags;
    QLineEdit *mPath;
    QPushButton *mOk = nullptr;
    bool mPathFollowsName = true;
};

} // namespace plumb::ui
