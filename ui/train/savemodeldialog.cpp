#include "ui/train/savemodeldialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>

namespace plumb::ui {

SaveModelDialog::SaveModelDialog(const QString &suggestedName, const QString &suggestedPath, QWidget *parent)
    : QDialog(parent), mName(new QLineEdit(suggestedName)), mDescription(new QPlainTextEdit), mTags(new QLineEdit),
      mPath(new QLineEdit(suggestedPath))
{
    setWindowTitle(QStringLiteral("Save Model"));
    setMinimumWidth(520);
    mDescription->setPlaceholderText(
        QStringLiteral("What the model is for, what it was trained on, anything a reader should know."));
    mDescription->setFixedHeight(90);
    mDescription->setTabChangesFocus(true); // Tab moves on, as in every other field; a tab in a description helps no one
    mTags->setPlaceholderText(QStringLiteral("churn, baseline, q3"));
    auto *browse = new QPushButton(QStringLiteral("Browse\u2026"));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(mPath, 1);
    pathRow->addWidget(browse);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    mOk = buttons->button(QDialogButtonBox::Save);
    // Enter in any field saves; Browse… is pressed on purpose (Space or a click).
    browse->setAutoDefault(false);
    mOk->setDefault(true);
    auto *form = new QFormLayout(this);
    form->addRow(QStringLiteral("Name"), mName);
    form->addRow(QStringLiteral("Description"), mDescription);
    form->addRow(QStringLiteral("Tags"), mTags);
    form->addRow(QStringLiteral("File"), pathRow);
    form->addRow(buttons);
    connect(browse, &QPushButton::clicked, this, &SaveModelDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(mName, &QLineEdit::textChanged, this, &SaveModelDialog::updateOk);
    connect(mName, &QLineEdit::textEdited, this, &SaveModelDialog::followName);
    connect(mPath, &QLineEdit::textEdited, this, [this] { mPathFollowsName = false; });
    connect(mPath, &QLineEdit::textChanged, this, &SaveModelDialog::updateOk);
    updateOk();
}

ModelDescription SaveModelDialog::description() const
{
    QStringList tags;
    for (const QString &tag : mTags->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!tag.trimmed().isEmpty())
            tags.append(tag.trimmed());
    return {mName->text().trimmed(), mDescription->toPlainText().trimmed(), tags};
}

QString SaveModelDialog::path() const
{
    const QString path = mPath->text().trimmed();
    return QFileInfo(path).suffix().isEmpty() ? path + QStringLiteral(".plumb") : path;
}

void SaveModelDialog::browse()
{
    // The Train view asks once before replacing a file, however the path was chosen.
    const QString chosen = QFileDialog::getSaveFileName(this, QStringLiteral("Save Model As"), mPath->text(),
                                                        QStringLiteral("Plumb models (*.plumb)"), nullptr,
                                                        QFileDialog::DontConfirmOverwrite);
    if (chosen.isEmpty())
        return;
    mPath->setText(chosen);
    mPathFollowsName = false;
}

void SaveModelDialog::followName(const QString &name)
{
    QString stem = name.trimmed();
    // Characters file systems or shells trip over become dashes; runs of them one dash.
    stem.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    if (!mPathFollowsName || stem.isEmpty())
        return;
    const QFileInfo current(mPath->text().trimmed());
    mPath->setText(QDir(current.path()).filePath(stem + QStringLiteral(".plumb")));
}

void SaveModelDialog::updateOk()
{
    mOk->setEnabled(!mName->text().trimmed().isEmpty() && !mPath->text().trimmed().isEmpty());
}

std::optional<bool> confirmReplace(QWidget *parent, const QString &path)
{
    if (!QFileInfo::exists(path))
        return false;
    if (QMessageBox::question(parent, QStringLiteral("Replace Model?"),
                              QStringLiteral("%1 exists. Replace it?").arg(QDir::toNativeSeparators(path)))
        != QMessageBox::Yes)
        return std::nullopt;
    return true;
}

} // namespace plumb::ui
