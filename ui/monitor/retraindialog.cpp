#include "ui/monitor/retraindialog.h"

#include "learn/evaluation.h"
#include "ui/common/displayformat.h"
#include "ui/common/messagebanner.h"
#include "ui/common/progresspanel.h"
#include "ui/common/savelocation.h"
#include "ui/common/theme.h"
#include "ui/models/modelcomparison.h"
#include "ui/train/savemodeldialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <cmath>

namespace plumb::ui {

namespace {

// "2026-03 · 3,912 rows · 2 of 11 features drifted · dataset drift".
QString windowText(const DriftReport &report, std::size_t window, bool labelled)
{
    const WindowDrift &drift = report.windows[window];
    QString text = QStringLiteral("%1 \u00b7 %2 rows \u00b7 %3 of %4 features drifted")
                       .arg(drift.label, formatCount(drift.rows))
                       .arg(drift.driftedFeatures)
                       .arg(drift.scoredFeatures);
    if (drift.datasetDrift)
        text += QStringLiteral(" \u00b7 dataset drift");
    if (!labelled)
        text += QStringLiteral(" \u00b7 no labels");
    return text;
}

QTableWidgetItem *numberItem(double value)
{
    auto *item = new QTableWidgetItem(std::isnan(value) ? QStringLiteral("\u2014") : QString::number(value, 'f', 4));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

RetrainDialog::RetrainDialog(MonitorResultPtr result, const MonitorSource &source, const QString &keyringDirectory,
                             QWidget *parent)
    : QDialog(parent), mResult(std::move(result)), mSource(source), mKeyringDirectory(keyringDirectory),
      mJob(new RetrainJob(this)), mBanner(new MessageBanner), mProgress(new ProgressPanel)
{
    setWindowTitle(QStringLiteral("Retrain %1").arg(mResult->data->model->metadata().name));
    mIntro = new QLabel(
        QStringLiteral(
            "Fit the same preprocessing and parameters as <b>%1</b> on the windows you choose, then compare both models on the "
            "newest window. Saving writes a new model file with lineage; the current one is never changed.")
            .arg(QFileInfo(mResult->data->model->path).fileName().toHtmlEscaped()));
    mIntro->setWordWrap(true);
    mSave = new QPushButton(QStringLiteral("Save as New Model\u2026"));
    mSave->setEnabled(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(mSave, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &RetrainDialog::reject);
    connect(mSave, &QPushButton::clicked, this, &RetrainDialog::askWhereToSave);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(mIntro);
    layout->addWidget(createChoicePane());
    layout->addWidget(mBanner);
    layout->addWidget(mProgress);
    layout->addWidget(createResultPane(), 1);
    layout->addWidget(buttons);
    resize(980, 760);

    connect(mProgress, &ProgressPanel::cancelRequested, mJob, &RetrainJob::cancel);
    connect(mJob, &RetrainJob::busyChanged, this, &RetrainDialog::onBusyChanged);
    connect(mJob, &RetrainJob::retrained, this, &RetrainDialog::showOutcome);
    connect(mJob, &RetrainJob::savedAs, this, &RetrainDialog::showSaved);
    connect(mJob, &RetrainJob::failed, this,
            [this](const QString &message) { mBanner->showMessages(MessageBanner::Kind::Error, {message}); });
    connect(mJob, &RetrainJob::cancelled, this, [this] {
        mBanner->showMessages(MessageBanner::Kind::Notice, {QStringLiteral("Retraining cancelled; nothing was saved.")});
    });
    fillWindows();
    updateActions();
}

QWidget *RetrainDialog::createChoicePane()
{
    mWindows = new QListWidget;
    mWindows->setToolTip(QStringLiteral("The labelled windows whose rows the new model is fitted on."));
    connect(mWindows, &QListWidget::itemChanged, this, &RetrainDialog::updateActions);
    auto *all = new QPushButton(QStringLiteral("All"));
    mSinceDrift = new QPushButton(QStringLiteral("Since Drift Began"));
    // Enter in the Reason field must never press a button that replaces the chosen windows:
    // neither becomes the default when focused; Retrain stays the dialog's default.
    all->setAutoDefault(false);
    mSinceDrift->setAutoDefault(false);
    mSinceDrift->setToolTip(
        QStringLiteral("Only the windows from the first one where a feature drifted: the data as it is now."));
    connect(all, &QPushButton::clicked, this, [this] { setTrainingWindows(labelledWindows(*mResult)); });
    connect(mSinceDrift, &QPushButton::clicked, this, &RetrainDialog::checkSinceDrift);

    mValidation = new QLabel;
    mValidation->setWordWrap(true);
    mReason = new QLineEdit;
    mReason->setPlaceholderText(QStringLiteral("Written from the drift and metrics found"));
    mRetrain = new QPushButton(QStringLiteral("Retrain"));
    mRetrain->setDefault(true);
    connect(mRetrain, &QPushButton::clicked, this, &RetrainDialog::retrain);

    auto *choices = new QHBoxLayout;
    choices->addWidget(all);
    choices->addWidget(mSinceDrift);
    choices->addStretch(1);
    auto *left = new QVBoxLayout;
    left->addWidget(createSectionHeading(QStringLiteral("TRAIN ON")));
    left->addWidget(mWindows, 1);
    left->addLayout(choices);

    auto *right = new QVBoxLayout;
    right->addWidget(createSectionHeading(QStringLiteral("VALIDATE ON (THE NEWEST WINDOW)")));
    right->addWidget(mValidation);
    right->addSpacing(8);
    right->addWidget(createSectionHeading(QStringLiteral("REASON, KEPT IN THE LINEAGE")));
    right->addWidget(mReason);
    right->addStretch(1);
    right->addWidget(mRetrain, 0, Qt::AlignRight);

    auto *pane = new QWidget;
    auto *layout = new QHBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(left, 3);
    layout->addLayout(right, 2);
    pane->setMaximumHeight(240);
    return pane;
}

QWidget *RetrainDialog::createResultPane()
{
    mCaption = new QLabel(QStringLiteral("Choose the windows and press Retrain: the comparison appears here."));
    mCaption->setWordWrap(true);
    mComparison = new QTableWidget(0, 4);
    mComparison->setHorizontalHeaderLabels(
        {QStringLiteral("Metric"), QStringLiteral("Current model"), QStringLiteral("Retrained"), QStringLiteral("Change")});
    mComparison->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    mComparison->verticalHeader()->setVisible(false);
    mComparison->setEditTriggers(QAbstractItemView::NoEditTriggers);
    mComparison->setSelectionMode(QAbstractItemView::NoSelection);
    mLineage = new QLabel;
    mLineage->setWordWrap(true);
    mLineage->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *newest = new QWidget;
    auto *newestLayout = new QVBoxLayout(newest);
    newestLayout->addWidget(mCaption);
    newestLayout->addWidget(mComparison, 1);
    newestLayout->addWidget(mLineage);

    mFiles = new ModelComparisonView;
    mTabs = new QTabWidget;
    mTabs->addTab(newest, QStringLiteral("On the Newest Window"));
    mTabs->addTab(mFiles, QStringLiteral("Model Files"));
    mTabs->setTabEnabled(1, false);
    mTabs->setTabToolTip(1, QStringLiteral("Every field of the current and the saved model, side by side (after saving)."));
    return mTabs;
}

void RetrainDialog::fillWindows()
{
    const DriftReport &report = mResult->report;
    const std::vector<std::size_t> labelled = labelledWindows(*mResult);
    const std::size_t newest = report.windows.size() - 1;
    const bool newestLabelled = !labelled.empty() && labelled.back() == newest;
    const QSignalBlocker blocker(mWindows);
    for (std::size_t w = 0; w < newest; ++w) {
        const bool hasLabels = std::find(labelled.begin(), labelled.end(), w) != labelled.end();
        auto *item = new QListWidgetItem(windowText(report, w, hasLabels), mWindows);
        item->setData(Qt::UserRole, qulonglong(w));
        item->setFlags(hasLabels ? (Qt::ItemIsEnabled | Qt::ItemIsUserCheckable) : Qt::ItemIsUserCheckable);
        item->setCheckState(hasLabels ? Qt::Checked : Qt::Unchecked);
    }
    mValidation->setText(
        newestLabelled
            ? windowText(report, newest, true)
            : QStringLiteral("%1 has no labels: the new model could not be validated on it.").arg(report.windows[newest].label));
    mRetrain->setToolTip(newestLabelled ? QString() : QStringLiteral("The newest window needs labels."));
}

void RetrainDialog::setTrainingWindows(const std::vector<std::size_t> &windows)
{
    const QSignalBlocker blocker(mWindows);
    for (int i = 0; i < mWindows->count(); ++i) {
        QListWidgetItem *item = mWindows->item(i);
        const std::size_t window = item->data(Qt::UserRole).toULongLong();
        const bool chosen = std::find(windows.begin(), windows.end(), window) != windows.end();
        item->setCheckState(chosen && item->flags().testFlag(Qt::ItemIsEnabled) ? Qt::Checked : Qt::Unchecked);
    }
    updateActions();
}

std::vector<std::size_t> RetrainDialog::trainingWindows() const
{
    std::vector<std::size_t> windows;
    for (int i = 0; i < mWindows->count(); ++i)
        if (mWindows->item(i)->checkState() == Qt::Checked)
            windows.push_back(mWindows->item(i)->data(Qt::UserRole).toULongLong());
    return windows;
}

void RetrainDialog::checkSinceDrift()
{
    const std::vector<DriftWindowInput> &inputs = mResult->data->windows;
    const auto &windows = mResult->report.windows;
    std::size_t first = 0;
    while (first + 1 < windows.size() && windows[first].driftedFeatures == 0)
        ++first;
    std::vector<std::size_t> chosen;
    for (std::size_t w : labelledWindows(*mResult))
        if (w >= first && w + 1 < inputs.size())
            chosen.push_back(w);
    setTrainingWindows(chosen);
}

bool RetrainDialog::retrain()
{
    const std::vector<std::size_t> windows = trainingWindows();
    if (mJob->isBusy() || windows.empty())
        return false;
    mBanner->dismiss();
    if (!mJob->start({mResult->data, windows, mReason->text()}))
        return false;
    mProgress->track(mJob->tracker(), QStringLiteral("Retraining on %1 windows").arg(windows.size()));
    return true;
}

bool RetrainDialog::saveAs(const QString &path, bool overwrite)
{
    if (mJob->isBusy() || !mJob->run())
        return false;
    mBanner->dismiss();
    if (!mJob->save(mResult->data->model->path, path, overwrite, mKeyringDirectory))
        return false;
    mProgress->track(mJob->tracker(), QStringLiteral("Saving %1").arg(QFileInfo(path).fileName()));
    return true;
}

QString RetrainDialog::saveFolder() const
{
    return modelSaveFolder(mModelsFolder, mResult->data->model->path);
}

void RetrainDialog::askWhereToSave()
{
    const RetrainRunPtr run = mJob->run();
    if (!run)
        return;
    if (run->outcome.verdict.worse && !confirmSavingWorse())
        return;
    const QFileInfo parent(mResult->data->model->path);
    const QString suggested
        = QDir(saveFolder())
              .filePath(QStringLiteral("%1-retrained-%2.plumb").arg(parent.completeBaseName(), run->plan.validationLabel));
    // The file dialog does not ask about replacing: the parent is refused before any question,
    // and confirmReplace asks once for any other existing file.
    QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save the Retrained Model"), suggested,
                                                QStringLiteral("Plumb models (*.plumb)"), nullptr,
                                                QFileDialog::DontConfirmOverwrite);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".plumb");
    if (const std::optional<Error> refused = checkRetrainedModelPath(parent.absoluteFilePath(), path)) {
        QMessageBox::warning(this, QStringLiteral("Choose Another File"), refused->message);
        return;
    }
    if (const std::optional<bool> overwrite = confirmReplace(this, path))
        saveAs(path, *overwrite);
}

bool RetrainDialog::confirmSavingWorse()
{
    const RetrainingVerdict &verdict = mJob->run()->outcome.verdict;
    QString text = verdict.describe();
    text[0] = text[0].toUpper();
    QMessageBox box(QMessageBox::Warning, QStringLiteral("Save a Worse Model?"),
                    QStringLiteral("%1.\n\nSave it as a new model anyway?").arg(text), QMessageBox::NoButton, this);
    QPushButton *save = box.addButton(QStringLiteral("Save Anyway\u2026"), QMessageBox::AcceptRole);
    QPushButton *keep = box.addButton(QStringLiteral("Don't Save"), QMessageBox::RejectRole);
    box.setDefaultButton(keep);
    box.setEscapeButton(keep);
    box.exec();
    return box.clickedButton() == save;
}

void RetrainDialog::onBusyChanged(bool busy)
{
    if (!busy)
        mProgress->finish();
    updateActions();
}

void RetrainDialog::showOutcome()
{
    const RetrainRunPtr run = mJob->run();
    const RetrainingOutcome &outcome = run->outcome;
    const MetricList &current = outcome.parentOnNewest.metrics;
    mComparison->setRowCount(0);
    int better = 0;
    for (const auto &[name, value] : current) {
        const double retrained = outcome.candidateOnNewest.metric(name);
        const double change = retrained - value;
        const bool improved = isHigherBetter(name) ? change > 0 : change < 0;
        const bool worse = isHigherBetter(name) ? change < 0 : change > 0;
        better += improved;
        const int row = mComparison->rowCount();
        mComparison->insertRow(row);
        mComparison->setItem(row, 0, new QTableWidgetItem(name));
        mComparison->setItem(row, 1, numberItem(value));
        mComparison->setItem(row, 2, numberItem(retrained));
        QTableWidgetItem *delta = numberItem(change);
        delta->setText((change > 0 ? QStringLiteral("+") : QString()) + delta->text());
        if (improved || worse)
            delta->setBackground(improved ? themeColors().betterRow : themeColors().worseRow);
        mComparison->setItem(row, 3, delta);
    }
    mCaption->setText(
        QStringLiteral("On %1 (%2 rows), the retrained model is better on <b>%3 of %4</b> metrics. It was fitted on "
                       "%5 rows in %6.")
            .arg(run->plan.validationLabel, formatCount(run->plan.validationRows.size()))
            .arg(better)
            .arg(current.size())
            .arg(formatCount(run->plan.trainingRows.size()))
            .arg(formatDuration(qint64(outcome.fitSeconds * 1000))));
    mLineage->setText(QStringLiteral("<b>Lineage</b>: parent %1<br><b>Reason</b>: %2")
                          .arg(mResult->data->model->artifact.digest, outcome.lineageReason.toHtmlEscaped()));
    QStringList warnings = outcome.fitReport.warnings;
    if (outcome.verdict.worse) {
        QString worse = outcome.verdict.describe();
        worse[0] = worse[0].toUpper();
        warnings.prepend(worse + QStringLiteral("; saving it asks first."));
    }
    if (!warnings.isEmpty())
        mBanner->showMessages(MessageBanner::Kind::Warning, warnings);
    mTabs->setTabEnabled(1, false);
    mTabs->setCurrentIndex(0);
    updateActions();
}

void RetrainDialog::showSaved(const QString &path)
{
    mFiles->showComparison(mResult->data->model, mJob->saved());
    mTabs->setTabEnabled(1, true);
    mTabs->setCurrentIndex(1);
    mLineage->setText(mLineage->text()
                      + QStringLiteral("<br><b>Saved</b> as %1").arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
    emit modelSaved(path);
}

void RetrainDialog::updateActions()
{
    const bool busy = mJob->isBusy();
    const std::vector<std::size_t> labelled = labelledWindows(*mResult);
    const bool newestLabelled = !labelled.empty() && labelled.back() + 1 == mResult->report.windows.size();
    mRetrain->setEnabled(!busy && newestLabelled && !trainingWindows().empty());
    mWindows->setEnabled(!busy);
    mSinceDrift->setEnabled(!busy);
    mSave->setEnabled(!busy && mJob->run() != nullptr);
}

void RetrainDialog::reject()
{
    mJob->cancel();
    QDialog::reject();
}

} // namespace plumb::ui
