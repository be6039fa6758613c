#include "ui/train/trainsetuppanel.h"

#include "ui/common/theme.h"

#include "learn/columnrouter.h"
#include "ui/common/displayformat.h"
#include "ui/data/columnlistmodel.h"
#include "ui/data/datadocument.h"
#include "ui/train/parameterform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <climits>

namespace plumb::ui {

namespace {

// "logistic_regression" -> "Logistic regression", with the two names that read badly that way.
QString modelTitle(const QString &kind)
{
    if (kind == QLatin1String("knn"))
        return QStringLiteral("k-nearest neighbours");
    if (kind == QLatin1String("gaussian_nb"))
        return QStringLiteral("Gaussian naive Bayes");
    QString title = kind;
    title.replace(QLatin1Char('_'), QLatin1Char(' '));
    title[0] = title[0].toUpper();
    return title;
}

QString stepTitle(const Transformer &step)
{
    if (step.kind() == QLatin1String("simple_imputer"))
        return QStringLiteral("%1 imputer").arg(step.params().choice(QStringLiteral("strategy")));
    QString title = step.kind();
    return title.replace(QLatin1Char('_'), QLatin1Char(' '));
}

QGroupBox *group(const QString &title)
{
    auto *box = new QGroupBox(title);
    box->setObjectName(QStringLiteral("SetupGroup"));
    return box;
}

void fillChoices(QComboBox *box, const QStringList &values)
{
    box->addItem(QStringLiteral("Default"), QString());
    for (const QString &value : values) {
        QString text = value;
        box->addItem(text.replace(QLatin1Char('_'), QLatin1Char(' ')), value);
    }
}

// The default step for a choice, as the model's default router has it: "median", "standard
// scaler", "none".
void setDefaultLabel(QComboBox *box, const QString &defaultStep)
{
    box->setItemText(0, QStringLiteral("Default: %1").arg(defaultStep));
}

QString choiceOf(const QComboBox *box)
{
    return box->currentData().toString();
}

} // namespace

TrainSetupPanel::TrainSetupPanel(DataDocument *document, QWidget *parent)
    : QWidget(parent), mDocument(document), mTarget(new QComboBox), mFeatures(new QTreeWidget), mFeatureCount(new QLabel),
      mTask(new QComboBox), mTaskNote(new QLabel), mModel(new QComboBox), mParameters(new ParameterForm),
      mNumericCaption(new QLabel), mNumericImputer(new QComboBox), mNumericScaler(new QComboBox), mCategoricalCaption(new QLabel),
      mCategoricalImputer(new QComboBox), mCategoricalEncoder(new QComboBox), mScheme(new QComboBox), mSchemeOptions(nullptr),
      mFraction(new QDoubleSpinBox), mFolds(new QSpinBox), mTimeColumn(new QComboBox), mSeed(new QSpinBox),
      mImportance(new QCheckBox(QStringLiteral("Permutation importance")))
{
    setObjectName(QStringLiteral("TrainSetup"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 14, 12, 14);
    layout->setSpacing(12);
    layout->addWidget(createDataGroup());
    layout->addWidget(createModelGroup());
    layout->addWidget(createPreprocessingGroup());
    layout->addWidget(createValidationGroup());
    layout->addStretch(1);
    reload();
}

QWidget *TrainSetupPanel::createDataGroup()
{
    QGroupBox *box = group(QStringLiteral("Target and features"));
    mTarget->setObjectName(QStringLiteral("TargetCombo"));
    mTarget->setToolTip(QStringLiteral("The column the model learns to predict."));
    mFeatures->setObjectName(QStringLiteral("FeatureList"));
    mFeatures->setMinimumHeight(230);
    mFeatures->setIconSize(QSize(16, 16));
    mFeatures->setRootIsDecorated(false);
    mFeatures->setUniformRowHeights(true);
    mFeatures->setHeaderLabels({QStringLiteral("Column"), QStringLiteral("Type"), QStringLiteral("Role")});
    mFeatures->header()->setStretchLastSection(false);
    mFeatures->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    mFeatures->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    mFeatures->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    mFeatures->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    mFeatures->setToolTip(QStringLiteral("Tick the columns the model learns from. Columns whose role is not "
                                         "Feature in the Data view start unticked."));
    mFeatureCount->setObjectName(QStringLiteral("StatLabel"));
    mTask->addItem(QStringLiteral("Automatic"), -1);
    mTask->addItem(QStringLiteral("Classification"), int(Task::Classification));
    mTask->addItem(QStringLiteral("Regression"), int(Task::Regression));
    mTask->setObjectName(QStringLiteral("TaskCombo"));
    mTask->setToolTip(QStringLiteral("Automatic: classification for text, booleans and whole numbers with few distinct values; "
                                     "regression for other numbers. The model list follows the task."));
    mTaskNote->setObjectName(QStringLiteral("TaskNote"));
    mTaskNote->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Target"), mTarget);
    form->addRow(QStringLiteral("Task"), mTask);
    form->addRow(QString(), mTaskNote);
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(mFeatureCount);
    layout->addWidget(mFeatures);
    connect(mTarget, &QComboBox::currentIndexChanged, this, [this] {
        fillFeatures();
        updateTask();
    });
    connect(mTarget, &QComboBox::activated, this, [this] { mTargetPicked = true; });
    connect(mTask, &QComboBox::currentIndexChanged, this, &TrainSetupPanel::updateTask);
    connect(mFeatures, &QTreeWidget::itemChanged, this, [this] {
        mFeatureCount->setText(
            QStringLiteral("Features: %1 of %2 columns").arg(features().size()).arg(mFeatures->topLevelItemCount()));
        updatePreprocessing();
        emit changed();
    });
    return box;
}

QWidget *TrainSetupPanel::createModelGroup()
{
    QGroupBox *box = group(QStringLiteral("Model"));
    mModel->setObjectName(QStringLiteral("ModelCombo"));
    mModel->setToolTip(QStringLiteral("The models that do the task above."));
    auto *layout = new QVBoxLayout(box);
    layout->setSpacing(10);
    layout->addWidget(mModel);
    layout->addWidget(mParameters);
    connect(mModel, &QComboBox::currentIndexChanged, this, [this] {
        updateParameters();
        updatePreprocessing();
        emit changed();
    });
    connect(mParameters, &ParameterForm::changed, this, &TrainSetupPanel::changed);
    return box;
}

QWidget *TrainSetupPanel::createPreprocessingGroup()
{
    QGroupBox *box = group(QStringLiteral("Preprocessing"));
    fillChoices(mNumericImputer, PreprocessingChoices::numericImputers());
    fillChoices(mNumericScaler, PreprocessingChoices::numericScalers());
    fillChoices(mCategoricalImputer, PreprocessingChoices::categoricalImputers());
    fillChoices(mCategoricalEncoder, PreprocessingChoices::categoricalEncoders());
    mNumericImputer->setObjectName(QStringLiteral("NumericImputer"));
    mNumericScaler->setObjectName(QStringLiteral("NumericScaler"));
    mCategoricalImputer->setObjectName(QStringLiteral("CategoricalImputer"));
    mCategoricalEncoder->setObjectName(QStringLiteral("CategoricalEncoder"));
    mNumericImputer->setToolTip(QStringLiteral("What fills a missing number. None passes gaps to the model."));
    mNumericScaler->setToolTip(QStringLiteral("How numbers are rescaled before the model sees them."));
    mCategoricalImputer->setToolTip(QStringLiteral("What fills a missing category or boolean."));
    mCategoricalEncoder->setToolTip(QStringLiteral("How categories become numbers: one column per category, or one code."));
    for (QLabel *caption : {mNumericCaption, mCategoricalCaption})
        caption->setObjectName(QStringLiteral("SectionHeading"));
    auto *form = new QFormLayout(box);
    form->addRow(mNumericCaption);
    form->addRow(QStringLiteral("Missing values"), mNumericImputer);
    form->addRow(QStringLiteral("Scaling"), mNumericScaler);
    form->addRow(mCategoricalCaption);
    form->addRow(QStringLiteral("Missing values"), mCategoricalImputer);
    form->addRow(QStringLiteral("Encoding"), mCategoricalEncoder);
    for (QComboBox *combo : {mNumericImputer, mNumericScaler, mCategoricalImputer, mCategoricalEncoder})
        connect(combo, &QComboBox::currentIndexChanged, this, &TrainSetupPanel::changed);
    return box;
}

QWidget *TrainSetupPanel::createValidationGroup()
{
    QGroupBox *box = group(QStringLiteral("Validation"));
    mScheme->addItem(QStringLiteral("Hold-out split"), int(ValidationScheme::Kind::Holdout));
    mScheme->addItem(QStringLiteral("k-fold cross-validation"), int(ValidationScheme::Kind::KFold));
    mScheme->addItem(QStringLiteral("Time-ordered split"), int(ValidationScheme::Kind::Time));
    mScheme->setObjectName(QStringLiteral("SchemeCombo"));
    mFraction->setRange(0.05, 0.95);
    mFraction->setSingleStep(0.05);
    mFraction->setDecimals(2);
    mFraction->setValue(0.2);
    mFraction->setToolTip(
        QStringLiteral("Share of the labelled rows held out for validation (the latest ones for a time-ordered split)."));
    mFolds->setRange(2, 20);
    mFolds->setValue(5);
    mTimeColumn->setToolTip(QStringLiteral("Rows are ordered by this column; the latest validate."));
    mSeed->setRange(0, INT_MAX);
    mSeed->setToolTip(QStringLiteral("Seed for the split and for randomised models: the same seed gives the same model."));
    mImportance->setChecked(true);
    mImportance->setToolTip(
        QStringLiteral("Shuffle each feature on the validation rows and measure the drop in score (5 repeats)."));
    auto *form = new QFormLayout(box);
    form->addRow(QStringLiteral("Scheme"), mScheme);
    form->addRow(QStringLiteral("Validation share"), mFraction);
    form->addRow(QStringLiteral("Folds"), mFolds);
    form->addRow(QStringLiteral("Time column"), mTimeColumn);
    form->addRow(QStringLiteral("Seed"), mSeed);
    form->addRow(QString(), mImportance);
    const auto showOptions = [this, form] {
        const auto kind = ValidationScheme::Kind(mScheme->currentData().toInt());
        form->setRowVisible(mFraction, kind != ValidationScheme::Kind::KFold);
        form->setRowVisible(mFolds, kind == ValidationScheme::Kind::KFold);
        form->setRowVisible(mTimeColumn, kind == ValidationScheme::Kind::Time);
        emit changed();
    };
    connect(mScheme, &QComboBox::currentIndexChanged, this, showOptions);
    showOptions();
    return box;
}

void TrainSetupPanel::reload()
{
    const Dataset &data = mDocument->dataset();
    const QString previousTarget = target();
    const QString previousTime = mTimeColumn->currentText();
    // Parameters changed by hand stay while the same model is chosen (a new target may change
    // the task, and with it the form): only those the model no longer has are dropped.
    const QString previousModel = modelKind();
    const std::vector<std::pair<QString, QString>> previousParameters = mParameters->changedValues();
    QSignalBlocker blockTarget(mTarget);
    mTarget->clear();
    mTimeColumn->clear();
    // A target picked by hand stays while its column does; otherwise the core's default rule picks.
    mTargetPicked = mTargetPicked && data.indexOf(previousTarget).has_value();
    const QString wanted = mTargetPicked ? previousTarget : defaultTarget(data).column;
    int chosen = -1;
    for (std::size_t i = 0; i < data.columnCount(); ++i) {
        const Column &column = data.column(i);
        mTarget->addItem(ColumnListModel::typeIcon(column.type()), column.name());
        if (column.name() == wanted)
            chosen = int(i);
        if (isNumericStorage(column.type()) && column.type() != ColumnType::Boolean)
            mTimeColumn->addItem(ColumnListModel::typeIcon(column.type()), column.name());
        if (column.role() == ColumnRole::Timestamp && previousTime.isEmpty())
            mTimeColumn->setCurrentIndex(mTimeColumn->count() - 1);
    }
    if (!previousTime.isEmpty())
        mTimeColumn->setCurrentText(previousTime);
    mTarget->setCurrentIndex(chosen);
    blockTarget.unblock();
    fillFeatures();
    updateTask();
    if (modelKind() == previousModel)
        for (const auto &[name, text] : previousParameters)
            mParameters->setValue(name, text);
}

void TrainSetupPanel::fillFeatures()
{
    const Dataset &data = mDocument->dataset();
    const QString targetName = target();
    QSignalBlocker block(mFeatures);
    mFeatures->clear();
    for (const Column &column : data.columns()) {
        if (column.name() == targetName)
            continue;
        auto *item = new QTreeWidgetItem({column.name(), columnTypeLabel(column.type()), columnRoleLabel(column.role())});
        item->setIcon(0, ColumnListModel::typeIcon(column.type()));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
        item->setCheckState(0, column.role() == ColumnRole::Feature ? Qt::Checked : Qt::Unchecked);
        for (int c = 1; c < 3; ++c)
            item->setForeground(c, themeColors().mutedText);
        mFeatures->addTopLevelItem(item);
    }
    block.unblock();
    emit mFeatures->itemChanged(nullptr, 0);
}

TaskChoice TrainSetupPanel::taskChoice() const
{
    if (mTask->currentData().toInt() >= 0)
        return {Task(mTask->currentData().toInt()), QStringLiteral("chosen"), false};
    const auto index = mDocument->dataset().indexOf(target());
    if (!index)
        return {Task::Classification, QString(), false};
    return inferTask(mDocument->dataset().column(*index));
}

void TrainSetupPanel::updateTask()
{
    const TaskChoice choice = taskChoice();
    const QString name = taskName(choice.task);
    if (mTask->currentData().toInt() < 0 && !choice.reason.isEmpty())
        mTask->setItemText(0, QStringLiteral("Automatic: %1").arg(name));
    else
        mTask->setItemText(0, QStringLiteral("Automatic"));
    if (choice.inferred)
        mTaskNote->setText(QStringLiteral("%1 because the %2. Choose %3 above to override.")
                               .arg(name.at(0).toUpper() + name.mid(1), choice.reason,
                                    taskName(choice.task == Task::Classification ? Task::Regression : Task::Classification)));
    else
        mTaskNote->setText(choice.reason.isEmpty() ? QString() : QStringLiteral("Training for %1, as chosen").arg(name));
    fillModels(choice.task);
    updateParameters();
    updatePreprocessing();
    emit changed();
}

void TrainSetupPanel::fillModels(Task task)
{
    const QStringList kinds = modelKindsFor(task);
    const QString previous = modelKind();
    QStringList shown;
    for (int i = 0; i < mModel->count(); ++i)
        shown.append(mModel->itemData(i).toString());
    if (shown == kinds)
        return;
    QSignalBlocker block(mModel);
    mModel->clear();
    for (const QString &kind : kinds)
        mModel->addItem(modelTitle(kind), kind);
    mModel->setCurrentIndex(std::max(0, mModel->findData(previous)));
}

void TrainSetupPanel::updateParameters()
{
    const Task task = currentTask();
    const QString key = modelKind() + QLatin1Char('/') + QString::number(int(task));
    if (key == mParameterSchemaKey)
        return;
    mParameterSchemaKey = key;
    std::unique_ptr<Model> model = createModel(modelKind(), task);
    // The seed comes from the Validation group; the boosting's categorical inputs from the column types.
    mParameters->setSchema(model ? model->params().schema() : std::vector<ParamSpec>{},
                           {QLatin1String(kSeedParam), QStringLiteral("categorical_features")});
}

void TrainSetupPanel::updatePreprocessing()
{
    const Dataset &data = mDocument->dataset();
    std::vector<std::pair<QString, ColumnType>> columns;
    for (const QString &name : features())
        if (const auto index = data.indexOf(name))
            columns.emplace_back(name, data.column(*index).type());
    std::unique_ptr<Model> model = createModel(modelKind(), currentTask());
    // What the model's defaults would do, read from the core's own router rather than restated here.
    const ColumnRouter router = ColumnRouter::withDefaults(columns, model ? model->inputNeeds() : InputNeeds{});
    int numericCount = 0, categoricalCount = 0;
    for (const auto &[name, type] : columns)
        ++(type == ColumnType::Categorical || type == ColumnType::Boolean ? categoricalCount : numericCount);
    QString numericImputer = QStringLiteral("none"), scaler = QStringLiteral("none"), categoricalImputer = QStringLiteral("none"),
            encoder = QStringLiteral("one hot encoder");
    for (const RouterBranch &branch : router.branches()) {
        for (const auto &step : branch.steps) {
            const bool imputer = step->kind() == QLatin1String("simple_imputer");
            QString &slot = branch.categorical ? (imputer ? categoricalImputer : encoder) : (imputer ? numericImputer : scaler);
            slot = imputer ? step->params().choice(QStringLiteral("strategy")).replace(QLatin1Char('_'), QLatin1Char(' '))
                           : stepTitle(*step);
        }
    }
    setDefaultLabel(mNumericImputer, numericImputer);
    setDefaultLabel(mNumericScaler, scaler);
    setDefaultLabel(mCategoricalImputer, categoricalImputer);
    setDefaultLabel(mCategoricalEncoder, encoder);
    mNumericCaption->setText(QStringLiteral("NUMBERS AND DATES \u00b7 %1 COLUMNS").arg(numericCount));
    mCategoricalCaption->setText(QStringLiteral("CATEGORIES AND BOOLEANS \u00b7 %1 COLUMNS").arg(categoricalCount));
    for (QComboBox *combo : {mNumericImputer, mNumericScaler})
        combo->setEnabled(numericCount > 0);
    for (QComboBox *combo : {mCategoricalImputer, mCategoricalEncoder})
        combo->setEnabled(categoricalCount > 0);
}

PreprocessingChoices TrainSetupPanel::preprocessingChoices() const
{
    return {choiceOf(mNumericImputer), choiceOf(mNumericScaler), choiceOf(mCategoricalImputer), choiceOf(mCategoricalEncoder)};
}

Result<TrainingSpec> TrainSetupPanel::spec() const
{
    QStringList problems;
    if (!mDocument->hasData())
        problems.append(QStringLiteral("Load a dataset in the Data view first."));
    else if (target().isEmpty())
        problems.append(QStringLiteral("Choose a target column."));
    TrainingSpec spec;
    spec.target = target();
    spec.features = features();
    if (mDocument->hasData() && spec.features.isEmpty())
        problems.append(QStringLiteral("Tick at least one feature to learn from."));
    spec.modelKind = modelKind();
    spec.parameters = mParameters->changedValues();
    problems.append(mParameters->errors());
    spec.validation.kind = ValidationScheme::Kind(mScheme->currentData().toInt());
    spec.validation.validationFraction = mFraction->value();
    spec.validation.folds = mFolds->value();
    spec.validation.timeColumn = mTimeColumn->currentText();
    if (spec.validation.kind == ValidationScheme::Kind::Time && spec.validation.timeColumn.isEmpty())
        problems.append(QStringLiteral("A time-ordered split needs a datetime or numeric column."));
    spec.seed = std::uint64_t(mSeed->value());
    if (mTask->currentData().toInt() >= 0)
        spec.task = Task(mTask->currentData().toInt());
    spec.importance = mImportance->isChecked();
    spec.preprocessing = preprocessingChoices();
    if (!problems.isEmpty())
        return Error::invalid(problems.join(QLatin1Char('\n')));
    return spec;
}

QString TrainSetupPanel::preprocessingSummary() const
{
    QStringList parts;
    for (const QComboBox *combo : {mNumericImputer, mNumericScaler, mCategoricalImputer, mCategoricalEncoder})
        if (combo->isEnabled())
            parts.append(combo->currentIndex() == 0 ? combo->itemText(0).mid(9) : combo->currentText());
    return parts.join(QStringLiteral(" \u00b7 "));
}

void TrainSetupPanel::setTarget(const QString &column)
{
    mTarget->setCurrentText(column);
    mTargetPicked = target() == column;
}

void TrainSetupPanel::setModelKind(const QString &kind)
{
    if (mModel->findData(kind) < 0)
        if (const std::optional<Task> only = onlyTaskOf(kind))
            setTask(only);
    const int index = mModel->findData(kind);
    if (index >= 0)
        mModel->setCurrentIndex(index);
}

void TrainSetupPanel::setTask(std::optional<Task> task)
{
    mTask->setCurrentIndex(std::max(0, mTask->findData(task ? int(*task) : -1)));
}

void TrainSetupPanel::setFeatures(const QStringList &features)
{
    QSignalBlocker block(mFeatures);
    for (int i = 0; i < mFeatures->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = mFeatures->topLevelItem(i);
        item->setCheckState(0, features.contains(item->text(0)) ? Qt::Checked : Qt::Unchecked);
    }
    block.unblock();
    emit mFeatures->itemChanged(nullptr, 0);
}

void TrainSetupPanel::setValidation(const ValidationScheme &scheme)
{
    mScheme->setCurrentIndex(mScheme->findData(int(scheme.kind)));
    mFraction->setValue(scheme.validationFraction);
    mFolds->setValue(scheme.folds);
    if (!scheme.timeColumn.isEmpty())
        mTimeColumn->setCurrentText(scheme.timeColumn);
}

void TrainSetupPanel::setSeed(std::uint64_t seed)
{
    mSeed->setValue(int(std::min<std::uint64_t>(seed, INT_MAX)));
}

QString TrainSetupPanel::target() const
{
    return mTarget->currentText();
}

QString TrainSetupPanel::modelKind() const
{
    return mModel->currentData().toString();
}

QStringList TrainSetupPanel::features() const
{
    QStringList names;
    for (int i = 0; i < mFeatures->topLevelItemCount(); ++i)
        if (mFeatures->topLevelItem(i)->checkState(0) == Qt::Checked)
            names.append(mFeatures->topLevelItem(i)->text(0));
    return names;
}

} // namespace plumb::ui
