#include "ui/models/picklescanpage.h"

#include "ui/common/buttons.h"
#include "ui/common/displayformat.h"
#include "ui/common/theme.h"

#include <QDir>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace plumb::ui {

namespace {

constexpr int kIconSize = 40;

struct VerdictLook
{
    QString iconPath;
    QColor color;
    QString headline;
    QString note;
};

VerdictLook verdictLook(PickleScanReport::Verdict verdict)
{
    switch (verdict) {
    case PickleScanReport::Verdict::Importable:
        return {QStringLiteral(":/icons/shield-check.svg"), themeColors().good,
                QStringLiteral("Safe to import: only scikit-learn objects that Plumb reads as data"),
                QStringLiteral("Every global this file names is on Plumb's allow-list, and each object is built the way "
                               "its class allows. Nothing in the file was run.")};
    case PickleScanReport::Verdict::Refused:
        return {QStringLiteral(":/icons/shield-alert.svg"), themeColors().bad,
                QStringLiteral("Refused: this file will not be imported"),
                QStringLiteral("Nothing in the file was run: Plumb read the pickle stream as data and stopped at the "
                               "first thing it does not allow. Loading this file in Python could run that code.")};
    case PickleScanReport::Verdict::Unreadable:
        break;
    }
    return {QStringLiteral(":/icons/model-error.svg"), themeColors().secondaryText, QStringLiteral("This file could not be read"),
            QStringLiteral("It is not a pickle or joblib file Plumb can read, or it is damaged, truncated or over a limit.")};
}

QTableWidget *readOnlyTable(const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    return table;
}

QTreeWidgetItem *estimatorItem(const EstimatorNode &node)
{
    auto *item = new QTreeWidgetItem(
        {node.label.isEmpty() ? QStringLiteral("(root)") : node.label, node.className, node.columns.join(QStringLiteral(", "))});
    item->setToolTip(1, node.className);
    item->setToolTip(2, item->text(2));
    for (const EstimatorNode &child : node.children)
        item->addChild(estimatorItem(child));
    return item;
}

} // namespace

PickleScanPage::PickleScanPage(QWidget *parent)
    : QWidget(parent), mVerdictIcon(new QLabel), mHeadline(new QLabel), mReason(new QLabel), mNote(new QLabel),
      mImport(createHeaderButton(QStringLiteral("Import as .plumb\u2026"), QStringLiteral(":/icons/models.svg"))),
      mOpenAnother(createHeaderButton(QStringLiteral("Open Another Model\u2026"))), mFileFacts(new QLabel), mSha256(new QLabel),
      mCopy(createCopyButton([this] { return mSha256->text(); })), mTabs(new QTabWidget), mEstimators(new QTreeWidget),
      mGlobals(readOnlyTable({QStringLiteral("Global"), QStringLiteral("What it is")})),
      mOpcodes(readOnlyTable({QStringLiteral("Opcode"), QStringLiteral("Count")}))
{
    mEstimators->setHeaderLabels({QStringLiteral("Name"), QStringLiteral("Class"), QStringLiteral("Columns")});
    mEstimators->setAlternatingRowColors(true);
    mEstimators->header()->setStretchLastSection(true);
    mTabs->addTab(mEstimators, QStringLiteral("Estimators"));
    mTabs->addTab(mGlobals, QStringLiteral("Globals"));
    mTabs->addTab(mOpcodes, QStringLiteral("Opcodes"));

    auto *cards = new QHBoxLayout;
    cards->setSpacing(14);
    cards->addWidget(createVerdictCard(), 3);
    cards->addWidget(createFileCard(), 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 16, 12);
    layout->setSpacing(12);
    layout->addLayout(cards);
    layout->addWidget(mTabs, 1);
}

QWidget *PickleScanPage::createVerdictCard()
{
    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("Card"));
    mHeadline->setObjectName(QStringLiteral("SignatureHeadline"));
    mHeadline->setWordWrap(true);
    for (QLabel *label : {mReason, mNote}) {
        label->setWordWrap(true);
        label->setTextFormat(Qt::PlainText);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    mNote->setObjectName(QStringLiteral("CardText"));
    mImport->setToolTip(QStringLiteral("Convert the pipeline into a .plumb file that predicts the same."));
    connect(mImport, &QPushButton::clicked, this, &PickleScanPage::importRequested);
    connect(mOpenAnother, &QPushButton::clicked, this, &PickleScanPage::openAnotherRequested);

    auto *text = new QVBoxLayout;
    text->setSpacing(6);
    text->addWidget(mHeadline);
    text->addWidget(mReason);
    text->addWidget(mNote);
    auto *top = new QHBoxLayout;
    top->setSpacing(14);
    top->addWidget(mVerdictIcon, 0, Qt::AlignTop);
    top->addLayout(text, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(mOpenAnother);
    buttons->addWidget(mImport);

    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(20, 16, 20, 16);
    layout->setSpacing(10);
    mVerdictHeading = createSectionHeading(QStringLiteral("Static scan"));
    layout->addWidget(mVerdictHeading);
    layout->addLayout(top);
    layout->addStretch();
    layout->addLayout(buttons);
    return card;
}

QWidget *PickleScanPage::createFileCard()
{
    auto *card = new QFrame;
    card->setObjectName(QStringLiteral("Card"));
    mFileFacts->setObjectName(QStringLiteral("CardText"));
    mFileFacts->setWordWrap(true);
    mFileFacts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSha256->setObjectName(QStringLiteral("Digest"));
    mSha256->setWordWrap(true);
    mSha256->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mSha256->setToolTip(QStringLiteral("Compare with a published checksum: sha256sum FILE prints the same digest."));
    auto *digest = new QHBoxLayout;
    digest->setSpacing(10);
    digest->addWidget(mSha256, 1);
    digest->addWidget(mCopy, 0, Qt::AlignTop);

    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(20, 16, 20, 16);
    layout->setSpacing(8);
    layout->addWidget(createSectionHeading(QStringLiteral("File")));
    layout->addWidget(mFileFacts);
    layout->addSpacing(4);
    layout->addWidget(createSectionHeading(QStringLiteral("File SHA-256")));
    layout->addLayout(digest);
    layout->addStretch();
    return card;
}

QString PickleScanPage::reason() const
{
    return mReason->text();
}

void PickleScanPage::showXgboost(const ScannedFile &scanned)
{
    const XgboostCheck &check = *scanned.xgboost;
    const bool importable = check.error.isEmpty();
    const VerdictLook look = importable
        ? VerdictLook{QStringLiteral(":/icons/shield-check.svg"), themeColors().good,
                      QStringLiteral("Ready to import: an XGBoost model Plumb reads as data"),
                      QStringLiteral("XGBoost's JSON and UBJSON model files hold only data. Plumb read every field and "
                                     "converts the model exactly as plumb import-xgboost does.")}
        : VerdictLook{QStringLiteral(":/icons/shield-alert.svg"), themeColors().bad,
                      QStringLiteral("Refused: this file will not be imported"),
                      QStringLiteral("Plumb imports XGBoost's gbtree models with the binary:logistic, multi:softprob, "
                                     "multi:softmax and identity-link regression objectives, saved by Booster.save_model "
                                     "as JSON or UBJSON.")};
    mVerdictIcon->setPixmap(QIcon(look.iconPath).pixmap(kIconSize, kIconSize));
    mHeadlineText = look.headline;
    mHeadline->setText(QStringLiteral("<span style=\"color:%1; font-weight:600\">%2</span>")
                           .arg(look.color.name(), look.headline.toHtmlEscaped()));
    QStringList reason{importable ? check.summary : check.error};
    if (importable) {
        reason += check.categorical;
        if (check.positionalFeatures)
            reason.append(QStringLiteral("The file names none of its %1 features: the import asks for their names "
                                         "(or keeps x0 to x%2, read by column position).")
                              .arg(check.featureCount)
                              .arg(check.featureCount - 1));
        reason += check.warnings;
    }
    mReason->setText(reason.join(QLatin1Char('\n')));
    mReason->setVisible(true);
    mNote->setText(look.note);
    mImport->setVisible(importable);
    mImport->setEnabled(importable);
    mFileFacts->setText(
        QStringList{QDir::toNativeSeparators(scanned.path),
                    QStringLiteral("%1 bytes").arg(formatCount(std::size_t(std::max<qint64>(scanned.fileSize, 0)))),
                    QStringLiteral("XGBoost model file")}
            .join(QLatin1Char('\n')));
    mSha256->setText(check.sha256.isEmpty() ? QStringLiteral("\u2014") : check.sha256);
    mCopy->setEnabled(!check.sha256.isEmpty());
    mTabs->setVisible(false);
    mVerdictHeading->setText(QStringLiteral("XGBOOST IMPORT"));
}

void PickleScanPage::showScan(const ScannedFile &scanned)
{
    if (scanned.xgboost) {
        showXgboost(scanned);
        return;
    }
    mTabs->setVisible(true);
    mVerdictHeading->setText(QStringLiteral("STATIC SCAN"));
    const PickleScanReport &report = scanned.report;
    const VerdictLook look = verdictLook(report.verdict);
    mVerdictIcon->setPixmap(QIcon(look.iconPath).pixmap(kIconSize, kIconSize));
    mHeadlineText = look.headline;
    mHeadline->setText(QStringLiteral("<span style=\"color:%1; font-weight:600\">%2</span>")
                           .arg(look.color.name(), look.headline.toHtmlEscaped()));
    mReason->setText(report.reason);
    mReason->setVisible(!report.reason.isEmpty());
    mNote->setText(look.note);
    mImport->setVisible(report.isImportable());
    mImport->setEnabled(report.isImportable());

    QStringList facts{QDir::toNativeSeparators(scanned.path),
                      QStringLiteral("%1 bytes").arg(formatCount(std::size_t(std::max<qint64>(scanned.fileSize, 0))))};
    if (!report.container.isEmpty())
        facts.append(report.protocol >= 0 ? QStringLiteral("%1, pickle protocol %2").arg(report.container).arg(report.protocol)
                                          : report.container);
    if (!report.sklearnVersions.isEmpty())
        facts.append(QStringLiteral("Saved with scikit-learn %1").arg(report.sklearnVersions.join(QStringLiteral(", "))));
    mFileFacts->setText(facts.join(QLatin1Char('\n')));
    mSha256->setText(scanned.report.fileSha256.isEmpty() ? QStringLiteral("\u2014") : scanned.report.fileSha256);
    mCopy->setEnabled(!scanned.report.fileSha256.isEmpty());

    showEstimators(report.estimators);
    showGlobals(report);
    showOpcodes(report);
    mTabs->setCurrentIndex(report.estimators.empty() ? 1 : 0);
}

void PickleScanPage::showEstimators(const std::vector<EstimatorNode> &roots)
{
    mEstimators->clear();
    for (const EstimatorNode &root : roots)
        mEstimators->addTopLevelItem(estimatorItem(root));
    mEstimators->expandAll();
    for (int column = 0; column < 2; ++column)
        mEstimators->resizeColumnToContents(column);
    mTabs->setTabText(0, QStringLiteral("Estimators"));
}

void PickleScanPage::showGlobals(const PickleScanReport &report)
{
    mGlobals->setRowCount(int(report.globals.size()));
    for (int row = 0; row < report.globals.size(); ++row) {
        const QString &global = report.globals[row];
        // The reason names the global that stopped the scan; mark that row.
        const bool refused = report.verdict == PickleScanReport::Verdict::Refused && report.reason.contains(global);
        auto *name = new QTableWidgetItem(global);
        auto *what = new QTableWidgetItem(refused ? QStringLiteral("Not allowed: the scan stopped here")
                                                  : QStringLiteral("Allowed"));
        if (refused) {
            name->setForeground(themeColors().bad);
            what->setForeground(themeColors().bad);
        }
        mGlobals->setItem(row, 0, name);
        mGlobals->setItem(row, 1, what);
    }
    mGlobals->resizeColumnToContents(0);
    mTabs->setTabText(1, QStringLiteral("Globals (%1)").arg(report.globals.size()));
}

void PickleScanPage::showOpcodes(const PickleScanReport &report)
{
    std::vector<std::pair<QString, int>> opcodes(report.opcodes.begin(), report.opcodes.end());
    std::stable_sort(opcodes.begin(), opcodes.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    mOpcodes->setRowCount(int(opcodes.size()));
    for (int row = 0; row < int(opcodes.size()); ++row) {
        mOpcodes->setItem(row, 0, new QTableWidgetItem(opcodes[std::size_t(row)].first));
        auto *count = new QTableWidgetItem(formatCount(std::size_t(opcodes[std::size_t(row)].second)));
        count->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        mOpcodes->setItem(row, 1, count);
    }
    mOpcodes->resizeColumnToContents(0);
    mTabs->setTabText(2, QStringLiteral("Opcodes (%1)").arg(opcodes.size()));
}

} // namespace plumb::ui
