#include "ui/models/modelcomparison.h"

#include "ui/common/theme.h"

#include "ui/common/displayformat.h"
#include "ui/models/modelsummarycard.h"
#include "ui/models/modeltrustcard.h"

#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace plumb::ui {

namespace {

const QString kAbsent = QStringLiteral("(absent)");

using Fields = std::vector<std::pair<QString, QString>>;

void compareFields(std::vector<ComparisonRow> &rows, const QString &group, const Fields &left, const Fields &right)
{
    // Fields in the left model's order, then those only the right one has.
    std::vector<QString> order;
    std::map<QString, QString> a, b;
    for (const auto &[field, value] : left) {
        order.push_back(field);
        a[field] = value;
    }
    for (const auto &[field, value] : right) {
        if (!a.count(field))
            order.push_back(field);
        b[field] = value;
    }
    for (const QString &field : order) {
        const QString l = a.count(field) ? a[field] : kAbsent;
        const QString r = b.count(field) ? b[field] : kAbsent;
        rows.push_back({group, field, l, r, l != r, {}});
    }
}

Fields summaryFields(const LoadedModel &model)
{
    const ModelMetadata &m = model.metadata();
    const TargetSpec &target = model.pipeline().target();
    return {{QStringLiteral("Name"), m.name},
            {QStringLiteral("Description"), m.description},
            {QStringLiteral("Tags"), m.tags.join(QStringLiteral(", "))},
            {QStringLiteral("Task"), taskLabel(target.task)},
            {QStringLiteral("Model kind"), model.pipeline().model().kind()},
            {QStringLiteral("Target"), target.name},
            {QStringLiteral("Classes"), formatNameList(target.classes)},
            {QStringLiteral("Author"), m.author},
            {QStringLiteral("Created"), m.created.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("Validation"), m.validation},
            {QStringLiteral("Seed"), QString::number(m.seed)}};
}

Fields featureFields(const LoadedModel &model)
{
    Fields fields;
    for (const FeatureSpec &feature : model.pipeline().features()) {
        const QString detail = feature.categories.isEmpty()
            ? QStringLiteral("%1, %2 \u2026 %3")
                  .arg(columnTypeLabel(feature.type), formatValue(feature.minimum, feature.type),
                       formatValue(feature.maximum, feature.type))
            : QStringLiteral("%1, %2 categories").arg(columnTypeLabel(feature.type)).arg(feature.categories.size());
        fields.emplace_back(feature.name, detail);
    }
    return fields;
}

void addParameters(Fields &fields, const QString &prefix, const ParamValues &params)
{
    const QJsonObject values = params.toJson();
    for (const ParamSpec &spec : params.schema())
        fields.emplace_back(prefix + spec.name, values.value(spec.name).toVariant().toString());
}

Fields parameterFields(const LoadedModel &model)
{
    Fields fields;
    for (const RouterBranch &branch : model.pipeline().router().branches()) {
        QStringList steps;
        for (const auto &step : branch.steps) {
            steps.append(step->kind());
            addParameters(fields, QStringLiteral("%1 / %2 / ").arg(branch.name, step->kind()), step->params());
        }
        fields.emplace(fields.begin(), QStringLiteral("%1 steps").arg(branch.name), steps.join(QStringLiteral(" \u2192 ")));
    }
    addParameters(fields, model.pipeline().model().kind() + QStringLiteral(" / "), model.pipeline().model().params());
    return fields;
}

Fields provenanceFields(const LoadedModel &model)
{
    const ModelMetadata &m = model.metadata();
    Fields fields{{QStringLiteral("Training file"), m.sourceFile},
                  {QStringLiteral("Training file SHA-256"), m.sourceSha256},
                  {QStringLiteral("Rows used"), formatCount(std::size_t(m.rows))},
                  {QStringLiteral("Parent model"), m.parentDigest}};
    for (auto it = m.software.begin(); it != m.software.end(); ++it)
        fields.emplace_back(QStringLiteral("Software: ") + it.key(), it.value().toVariant().toString());
    fields.emplace_back(QStringLiteral("File SHA-256"), model.fileSha256);
    fields.emplace_back(
        QStringLiteral("Signature"),
        ModelTrustCard::signatureLook(model.signature).headline
            + (model.signature.keyId.isEmpty() ? QString() : QStringLiteral(" (key %1)").arg(model.signature.keyId)));
    return fields;
}

void compareMetrics(std::vector<ComparisonRow> &rows, const LoadedModel &left, const LoadedModel &right)
{
    const QString group = QStringLiteral("Validation metrics");
    std::map<QString, double> b(right.metadata().metrics.begin(), right.metadata().metrics.end());
    std::map<QString, double> a(left.metadata().metrics.begin(), left.metadata().metrics.end());
    const auto add = [&](const QString &name) {
        ComparisonRow row{
            group, name, a.count(name) ? formatMetric(a[name]) : kAbsent, b.count(name) ? formatMetric(b[name]) : kAbsent,
            false, {}};
        row.differs = row.left != row.right;
        if (a.count(name) && b.count(name) && row.differs)
            row.change = QLocale::c().toString(b[name] - a[name], 'f', 4);
        if (!row.change.isEmpty() && !row.change.startsWith(QLatin1Char('-')))
            row.change.prepend(QLatin1Char('+'));
        rows.push_back(row);
    };
    for (const auto &[name, value] : left.metadata().metrics)
        add(name);
    for (const auto &[name, value] : right.metadata().metrics)
        if (!a.count(name))
            add(name);
}

} // namespace

std::vector<ComparisonRow> compareModels(const LoadedModel &left, const LoadedModel &right)
{
    std::vector<ComparisonRow> rows;
    compareFields(rows, QStringLiteral("Summary"), summaryFields(left), summaryFields(right));
    compareMetrics(rows, left, right);
    compareFields(rows, QStringLiteral("Features"), featureFields(left), featureFields(right));
    compareFields(rows, QStringLiteral("Pipeline and parameters"), parameterFields(left), parameterFields(right));
    compareFields(rows, QStringLiteral("Provenance and trust"), provenanceFields(left), provenanceFields(right));
    return rows;
}

void ModelComparisonView::setDifferencesOnly(bool only)
{
    if (mDifferencesOnly->isChecked() != only)
        mDifferencesOnly->setChecked(only);
    std::size_t index = 0;
    for (int g = 0; g < mTree->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = mTree->topLevelItem(g);
        int shown = 0;
        for (int c = 0; c < group->childCount(); ++c, ++index) {
            const bool hide = only && !mRows[index].differs;
            group->child(c)->setHidden(hide);
            shown += hide ? 0 : 1;
        }
        group->setHidden(shown == 0);
    }
}

QColor ModelComparisonView::highlightColor()
{
    return themeColors().highlightRow;
}

ModelComparisonView::ModelComparisonView(QWidget *parent)
    : QWidget(parent), mCaption(new QLabel), mDifferencesOnly(new QCheckBox(QStringLiteral("Show only differences"))),
      mTree(new QTreeWidget)
{
    connect(mDifferencesOnly, &QCheckBox::toggled, this, &ModelComparisonView::setDifferencesOnly);
    mCaption->setObjectName(QStringLiteral("CardText"));
    mCaption->setWordWrap(true);
    mTree->setColumnCount(4);
    mTree->setAlternatingRowColors(false);
    mTree->setUniformRowHeights(true);
    mTree->header()->setStretchLastSection(false);
    mTree->header()->setSectionResizeMode(QHeaderView::Interactive);
    mTree->setStyleSheet(QStringLiteral("QTreeWidget::item { padding: 3px 0px; }"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 14, 20, 16);
    layout->setSpacing(10);
    auto *top = new QHBoxLayout;
    top->addWidget(mCaption, 1);
    top->addWidget(mDifferencesOnly, 0, Qt::AlignBottom);
    layout->addLayout(top);
    layout->addWidget(mTree, 1);
}

void ModelComparisonView::showComparison(const LoadedModelPtr &left, const LoadedModelPtr &right)
{
    mTree->clear();
    mRows.clear();
    if (!left || !right)
        return;
    mRows = compareModels(*left, *right);
    const auto title = [](const LoadedModel &model) {
        return model.metadata().name.isEmpty() ? QFileInfo(model.path).fileName() : model.metadata().name;
    };
    mTree->setHeaderLabels({QStringLiteral("Field"), QStringLiteral("A: ") + title(*left), QStringLiteral("B: ") + title(*right),
                            QStringLiteral("B \u2212 A")});
    const QBrush highlight(highlightColor());
    QFont bold = mTree->font();
    bold.setWeight(QFont::DemiBold);
    std::map<QString, QTreeWidgetItem *> groups;
    int differences = 0;
    for (const ComparisonRow &row : mRows) {
        QTreeWidgetItem *&group = groups[row.group];
        if (!group) {
            group = new QTreeWidgetItem({row.group});
            group->setFont(0, bold);
            mTree->addTopLevelItem(group);
        }
        auto *line = new QTreeWidgetItem({row.field, row.left, row.right, row.change});
        for (int column = 1; column < 3; ++column)
            line->setToolTip(column, line->text(column));
        if (row.differs) {
            ++differences;
            for (int column = 0; column < 4; ++column) {
                line->setBackground(column, highlight);
                line->setFont(column, bold);
            }
        }
        group->addChild(line);
    }
    mTree->expandAll();
    mTree->resizeColumnToContents(0);
    mTree->setColumnWidth(0, std::min(mTree->columnWidth(0) + 24, 320));
    mTree->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    mTree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    mTree->header()->setSectionResizeMode(3, QHeaderView::Fixed);
    mTree->setColumnWidth(3, 96);
    setDifferencesOnly(mDifferencesOnly->isChecked());
    mCaption->setText(QStringLiteral("A: %1\nB: %2\n%3 of %4 fields differ; they are highlighted.")
                          .arg(QDir::toNativeSeparators(left->path), QDir::toNativeSeparators(right->path))
                          .arg(differences)
                          .arg(mRows.size()));
}

} // namespace plumb::ui
