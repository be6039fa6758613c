#include "ui/models/modeldetails.h"

#include "artifact/shapsummarynote.h"
#include "ui/charts/shapsummarychart.h"

#include "ui/charts/curvechart.h"
#include "ui/charts/importancechart.h"
#include "ui/common/displayformat.h"
#include "ui/common/wraprow.h"
#include "ui/data/profilepanel.h"
#include "ui/models/modelsummarycard.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QListWidget>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace plumb::ui {

namespace {

QTableWidget *createTable(const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 12);
    table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

QTreeWidget *createTree(const QStringList &headers)
{
    auto *tree = new QTreeWidget;
    tree->setHeaderLabels(headers);
    tree->setAlternatingRowColors(true);
    tree->setUniformRowHeights(true);
    tree->setRootIsDecorated(true);
    tree->header()->setStretchLastSection(true);
    tree->setStyleSheet(QStringLiteral("QTreeWidget::item { padding: 3px 0px; }"));
    return tree;
}

QTableWidgetItem *item(const QString &text, Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setTextAlignment(alignment);
    return cell;
}

QString parameterText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return formatNumber(value.toDouble());
    if (value.isNull() || value.isUndefined())
        return QStringLiteral("\u2014");
    return value.toVariant().toString();
}

// One node with a child per parameter; parameters set away from their default are bold.
QTreeWidgetItem *componentItem(const QString &title, const QString &detail, const ParamValues &params)
{
    auto *node = new QTreeWidgetItem({title, detail});
    QFont bold = node->font(0);
    bold.setWeight(QFont::DemiBold);
    node->setFont(0, bold);
    const QJsonObject values = params.toJson();
    for (const ParamSpec &spec : params.schema()) {
        const QJsonValue value = values.value(spec.name);
        auto *child = new QTreeWidgetItem({spec.name, parameterText(value)});
        const bool isDefault = QJsonValue::fromVariant(spec.defaultValue) == value;
        child->setToolTip(0, spec.help);
        child->setToolTip(1,
                          isDefault
                              ? QStringLiteral("default")
                              : QStringLiteral("default: %1").arg(parameterText(QJsonValue::fromVariant(spec.defaultValue))));
        if (!isDefault)
            child->setFont(1, bold);
        node->addChild(child);
    }
    return node;
}

QString featureRange(const FeatureSpec &feature)
{
    if (!feature.categories.isEmpty()) {
        const qsizetype shown = std::min<qsizetype>(feature.categories.size(), 6);
        QString text = formatNameList(feature.categories.mid(0, shown));
        if (shown < feature.categories.size())
            text += QStringLiteral(" \u2026 (%1 in all)").arg(feature.categories.size());
        return text;
    }
    return QStringLiteral("%1 \u2026 %2")
        .arg(formatValue(feature.minimum, feature.type), formatValue(feature.maximum, feature.type));
}

} // namespace

ModelDetails::ModelDetails(QWidget *parent)
    : QTabWidget(parent),
      mFeatures(createTable({QStringLiteral("Feature"), QStringLiteral("Type"), QStringLiteral("Missing in training"),
                             QStringLiteral("Preprocessing"), QStringLiteral("Training range or categories")})),
      mPipeline(createTree({QStringLiteral("Step"), QStringLiteral("Value")})), mProfileColumns(new QListWidget),
      mProfile(new ProfilePanel(ProfilePanel::Shape::Wide)),
      mMetrics(createTable({QStringLiteral("Metric"), QStringLiteral("Value")})), mImportance(new ImportanceChart),
      mShap(new ShapSummaryChart), mProvenance(createTree({QStringLiteral("Field"), QStringLiteral("Value")}))
{
    setObjectName(QStringLiteral("ModelDetails"));
    setDocumentMode(true);
    mProvenance->setRootIsDecorated(false);
    addTab(mFeatures, QStringLiteral("Features"));
    addTab(mPipeline, QStringLiteral("Pipeline"));
    addTab(createTrainingDataTab(), QStringLiteral("Training data"));
    addTab(createValidationTab(), QStringLiteral("Validation"));
    addTab(mProvenance, QStringLiteral("Versions && lineage"));
    connect(mProfileColumns, &QListWidget::currentRowChanged, this, &ModelDetails::showSelectedProfile);
}

QWidget *ModelDetails::createTrainingDataTab()
{
    mProfileColumns->setObjectName(QStringLiteral("ProfileColumnList"));
    mProfileColumns->setFixedWidth(240);
    mProfileColumns->setIconSize(QSize(16, 16));
    auto *scroll = new QScrollArea;
    scroll->setWidget(mProfile);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *page = new QWidget;
    auto *layout = new QHBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(mProfileColumns);
    layout->addWidget(scroll, 1);
    return page;
}

QWidget *ModelDetails::createValidationTab()
{
    mMetrics->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    mMetrics->setFixedWidth(300);
    // The charts as the Train view drew them when the model was trained: the first chart beside
    // the importance bars, the three curves below; rows that wrap where the tab is narrow.
    // Each chart keeps a readable height; a short window scrolls instead of squeezing them.
    constexpr int kChartHeight = 260;
    auto *top = new WrapRow;
    for (QWidget *chart : std::initializer_list<QWidget *>{mCharts.firstChart(), mImportance}) {
        chart->setMinimumHeight(kChartHeight);
        top->addWidget(chart, 1);
    }
    auto *bottom = new WrapRow;
    for (int i = 0; i < 3; ++i) {
        mCharts.curveChart(i)->setMinimumHeight(kChartHeight);
        bottom->addWidget(mCharts.curveChart(i), 1);
    }
    auto *charts = new QWidget;
    auto *chartsLayout = new QVBoxLayout(charts);
    chartsLayout->setContentsMargins(12, 10, 12, 10);
    chartsLayout->setSpacing(10);
    chartsLayout->addWidget(top, 1);
    chartsLayout->addWidget(bottom, 1);
    chartsLayout->addWidget(mShap, 1);
    auto *right = new QScrollArea;
    right->setWidget(charts);
    right->setWidgetResizable(true);
    right->setFrameShape(QFrame::NoFrame);
    right->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("ProfilePanel"));
    auto *layout = new QHBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(mMetrics);
    layout->addWidget(right, 1);
    return page;
}

void ModelDetails::showModel(const LoadedModelPtr &model)
{
    mModel = model;
    if (!model)
        return;
    fillFeatures(*model);
    fillPipeline(*model);
    fillProfile(*model);
    fillValidation(*model);
    fillProvenance(*model);
}

void ModelDetails::fillFeatures(const LoadedModel &model)
{
    const auto &features = model.pipeline().features();
    mFeatures->setRowCount(int(features.size()));
    for (int row = 0; row < int(features.size()); ++row) {
        const FeatureSpec &feature = features[std::size_t(row)];
        // An array-fitted import: x3 means "the 4th column", whatever it is called.
        auto *name = item(model.metadata().imported.positionalFeatures
                              ? QStringLiteral("%1 (column %2 by position)").arg(feature.name).arg(row + 1)
                              : feature.name);
        name->setIcon(QIcon(QStringLiteral(":/icons/type-%1.svg").arg(columnTypeName(feature.type))));
        mFeatures->setItem(row, 0, name);
        mFeatures->setItem(row, 1, item(columnTypeLabel(feature.type)));
        const ColumnProfile *profile = model.profile(feature.name);
        mFeatures->setItem(
            row, 2,
            item(profile ? formatPercent(profile->missingRate()) : QStringLiteral("\u2014"), Qt::AlignRight | Qt::AlignVCenter));
        QString branch;
        for (const RouterBranch &candidate : model.pipeline().router().branches())
            if (candidate.columns.contains(feature.name)) {
                QStringList steps;
                for (const auto &step : candidate.steps)
                    steps.append(step->kind());
                branch = steps.isEmpty() ? QStringLiteral("passed through") : steps.join(QStringLiteral(" \u2192 "));
            }
        mFeatures->setItem(row, 3, item(branch.isEmpty() ? QStringLiteral("not used") : branch));
        auto *range = item(featureRange(feature));
        range->setToolTip(formatNameList(feature.categories));
        mFeatures->setItem(row, 4, range);
    }
    mFeatures->resizeColumnsToContents();
    for (int column = 0; column < 4; ++column)
        mFeatures->setColumnWidth(column, std::min(mFeatures->columnWidth(column) + 24, 320));
}

void ModelDetails::fillPipeline(const LoadedModel &model)
{
    mPipeline->clear();
    const Pipeline &pipeline = model.pipeline();
    int index = 1;
    for (const RouterBranch &branch : pipeline.router().branches()) {
        auto *node = new QTreeWidgetItem({QStringLiteral("%1. Columns \u201c%2\u201d").arg(index++).arg(branch.name),
                                          branch.columns.join(QStringLiteral(", "))});
        node->setToolTip(1, branch.columns.join(QStringLiteral("\n")));
        if (branch.steps.empty())
            node->addChild(new QTreeWidgetItem({QStringLiteral("(passed through unchanged)"), {}}));
        for (const auto &step : branch.steps)
            node->addChild(componentItem(step->kind(), QStringLiteral("transformer"), step->params()));
        mPipeline->addTopLevelItem(node);
    }
    const Model &estimator = pipeline.model();
    mPipeline->addTopLevelItem(
        componentItem(QStringLiteral("%1. Model: %2").arg(index).arg(estimator.kind()),
                      QStringLiteral("%1 \u00b7 predicts %2").arg(taskLabel(estimator.task()).toLower(), pipeline.target().name),
                      estimator.params()));
    mPipeline->expandAll();
    mPipeline->resizeColumnToContents(0);
    mPipeline->setColumnWidth(0, mPipeline->columnWidth(0) + 40);
}

void ModelDetails::fillProfile(const LoadedModel &model)
{
    mProfileColumns->clear();
    for (const ColumnProfile &profile : model.profiles) {
        auto *entry = new QListWidgetItem(QIcon(QStringLiteral(":/icons/type-%1.svg").arg(columnTypeName(profile.type))),
                                          profile.name);
        if (profile.role == ColumnRole::Target || profile.name == model.pipeline().target().name)
            entry->setText(profile.name + QStringLiteral("  (target)"));
        mProfileColumns->addItem(entry);
    }
    if (model.profiles.empty())
        mProfile->clear();
    else
        mProfileColumns->setCurrentRow(0);
}

void ModelDetails::showSelectedProfile()
{
    const int row = mProfileColumns->currentRow();
    if (!mModel || row < 0 || row >= int(mModel->profiles.size()))
        return;
    mProfile->showProfile(mModel->profiles[std::size_t(row)]);
}

void ModelDetails::fillValidation(const LoadedModel &model)
{
    const ModelMetadata &m = model.metadata();
    mMetrics->setRowCount(int(m.metrics.size()));
    for (int row = 0; row < int(m.metrics.size()); ++row) {
        mMetrics->setItem(row, 0, item(m.metrics[std::size_t(row)].first));
        const auto &[name, value] = m.metrics[std::size_t(row)];
        mMetrics->setItem(row, 1,
                          item(std::isfinite(value) ? formatMetric(value) : undefinedText(m.metricReason(name)),
                               Qt::AlignRight | Qt::AlignVCenter));
    }
    mMetrics->resizeColumnToContents(0);
    mMetrics->setColumnWidth(0, mMetrics->columnWidth(0) + 40);
    mImportance->showImportance(m.importance);
    if (m.shap.isEmpty())
        mShap->showMessage(missingShapSummaryReason(model.artifact));
    else
        mShap->showSummary(m.shap);
    if (m.evaluation)
        mCharts.showEvaluation(*m.evaluation);
    else
        mCharts.showMessage(QStringLiteral("This model file keeps no validation charts"));
}

void ModelDetails::fillProvenance(const LoadedModel &model)
{
    mProvenance->clear();
    const ModelMetadata &m = model.metadata();
    QFont bold = mProvenance->font();
    bold.setWeight(QFont::DemiBold);
    const auto group = [&](const QString &title, const QList<QPair<QString, QString>> &rows) {
        auto *node = new QTreeWidgetItem({title});
        node->setFont(0, bold);
        node->setFirstColumnSpanned(false);
        for (const auto &[field, value] : rows) {
            auto *child = new QTreeWidgetItem({field, value});
            child->setToolTip(1, value);
            node->addChild(child);
        }
        mProvenance->addTopLevelItem(node);
    };
    QList<QPair<QString, QString>> software;
    const QStringList order{QStringLiteral("plumb"), QStringLiteral("format"), QStringLiteral("compiler"),
                            QStringLiteral("qt"),    QStringLiteral("eigen"),  QStringLiteral("os")};
    const QStringList labels{QStringLiteral("Plumb"), QStringLiteral("Model format"), QStringLiteral("Compiler"),
                             QStringLiteral("Qt"),    QStringLiteral("Eigen"),        QStringLiteral("Operating system")};
    for (qsizetype i = 0; i < order.size(); ++i)
        if (m.software.contains(order[i]))
            software.append({labels[i], m.software.value(order[i]).toVariant().toString()});
    for (auto it = m.software.begin(); it != m.software.end(); ++it)
        if (!order.contains(it.key()))
            software.append({it.key(), it.value().toVariant().toString()});
    group(QStringLiteral("Software that trained it"), software);
    group(QStringLiteral("Training data"),
          {{QStringLiteral("Source file"), m.sourceFile},
           {QStringLiteral("Source SHA-256"), m.sourceSha256.isEmpty() ? QStringLiteral("not recorded") : m.sourceSha256},
           {QStringLiteral("Rows used"), formatCount(std::size_t(m.rows))},
           {QStringLiteral("Columns in the file"), formatCount(std::size_t(m.columns))}});
    group(QStringLiteral("Reproducibility"),
          {{QStringLiteral("Validation scheme"), m.validation},
           {QStringLiteral("Random seed"), QString::number(m.seed)},
           {QStringLiteral("Fit time"), formatDuration(qint64(std::llround(m.fitSeconds * 1000)))},
           {QStringLiteral("Content digest (SHA-256)"), model.artifact.digest}});
    group(QStringLiteral("Lineage"),
          m.parentDigest.isEmpty()
              ? QList<QPair<QString, QString>>{{QStringLiteral("Parent model"), QStringLiteral("none: trained from scratch")}}
              : QList<QPair<QString, QString>>{{QStringLiteral("Parent model digest"), m.parentDigest},
                                               {QStringLiteral("Reason"), m.lineageReason}});
    mProvenance->expandAll();
    mProvenance->resizeColumnToContents(0);
    mProvenance->setColumnWidth(0, mProvenance->columnWidth(0) + 32);
}

} // namespace plumb::ui
