#include "ui/predict/scoringform.h"

#include "ui/common/theme.h"

#include "learn/featurevalue.h"
#include "ui/common/displayformat.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>

#include <algorithm>
#include <cmath>

namespace plumb::ui {

namespace {

bool isNumberField(ColumnType type)
{
    return type == ColumnType::Float || type == ColumnType::Integer || type == ColumnType::Datetime;
}

// Text a person would type for a value: plain digits for numbers, ISO dates for datetimes.
QString editableText(double value, ColumnType type)
{
    if (type == ColumnType::Datetime)
        return formatValue(value, type);
    if (type == ColumnType::Integer || (value == std::floor(value) && std::fabs(value) < 1e15))
        return QString::number(qlonglong(value));
    return QString::number(value, 'g', 6);
}

// The category a categorical or boolean field names, as the training categories spell it.
QString categoryText(ColumnType type, const QString &text, const FeatureValue &value)
{
    if (type == ColumnType::Boolean)
        return value.number != 0 ? QStringLiteral("true") : QStringLiteral("false");
    return text;
}

// The theme colours each status's message by object name (ui/theme.cpp).
const char *kMessageStyle[] = {"MutedText", "MutedText", "WarningText", "ErrorText"};

} // namespace

ScoringForm::ScoringForm(QWidget *parent) : QWidget(parent), mGrid(new QGridLayout(this))
{
    setObjectName(QStringLiteral("ScoringForm"));
    mGrid->setContentsMargins(0, 0, 0, 0);
    mGrid->setHorizontalSpacing(12);
    mGrid->setVerticalSpacing(2);
    mGrid->setColumnStretch(1, 1);
}

void ScoringForm::setModel(LoadedModelPtr model)
{
    while (QLayoutItem *item = mGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    mFields.clear();
    mModel = std::move(model);
    if (!mModel)
        return;
    const Pipeline &pipeline = mModel->pipeline();
    for (std::size_t f = 0; f < pipeline.features().size(); ++f) {
        Field field;
        field.spec = pipeline.features()[f];
        field.acceptsMissing = pipeline.acceptsMissing(f);
        field.minimum = field.spec.minimum;
        field.maximum = field.spec.maximum;
        field.typical = (field.minimum + field.maximum) / 2;
        if (const ColumnProfile *profile = mModel->profile(field.spec.name)) {
            if (isNumberField(field.spec.type) && profile->count > 0) {
                field.minimum = profile->min;
                field.maximum = profile->max;
                field.typical = profile->quantiles[3];
            }
            if (!profile->topCategories.empty())
                field.typicalCategory = profile->topCategories.front().value;
        }
        if (field.typicalCategory.isEmpty())
            field.typicalCategory = field.spec.categories.value(0);
        addField(std::move(field), int(f));
    }
    mGrid->setRowStretch(2 * int(mFields.size()), 1);
}

void ScoringForm::addField(Field field, int index)
{
    const int row = 2 * index;
    auto *name = new QLabel(field.spec.name);
    name->setToolTip(QStringLiteral("%1 \u00b7 %2").arg(field.spec.name, columnTypeLabel(field.spec.type)));
    QFont bold = name->font();
    bold.setWeight(QFont::DemiBold);
    name->setFont(bold);
    mGrid->addWidget(name, row, 0, Qt::AlignVCenter);
    // The hint (type and training range, or how many categories) goes under the name, so the form
    // is two columns wide and fits a narrow pane.
    auto *hint = new QLabel;
    hint->setObjectName(QStringLiteral("MutedText"));
    hint->setWordWrap(true);
    if (isNumberField(field.spec.type)) {
        auto *edit = new QLineEdit;
        const QString range = QStringLiteral("%1 \u2013 %2")
                                  .arg(formatValue(field.minimum, field.spec.type), formatValue(field.maximum, field.spec.type));
        edit->setPlaceholderText(field.acceptsMissing ? QStringLiteral("%1 (empty: filled in)").arg(range) : range);
        edit->setToolTip(QStringLiteral("Training range %1").arg(range));
        connect(edit, &QLineEdit::textChanged, this, [this, index] {
            check(mFields[std::size_t(index)]);
            emit valuesChanged();
        });
        field.editor = edit;
        hint->setText(QStringLiteral("%1 \u00b7 %2").arg(columnTypeLabel(field.spec.type).toLower(), range));
    } else {
        auto *combo = new QComboBox;
        combo->setEditable(true);
        combo->setInsertPolicy(QComboBox::NoInsert);
        QStringList categories = field.spec.categories;
        if (categories.isEmpty() && field.spec.type == ColumnType::Boolean)
            categories = {QStringLiteral("false"), QStringLiteral("true")};
        if (field.acceptsMissing)
            combo->addItem(QString());
        combo->addItems(categories);
        combo->lineEdit()->setPlaceholderText(field.acceptsMissing ? QStringLiteral("empty: filled in")
                                                                   : QStringLiteral("required"));
        combo->setToolTip(QStringLiteral("%1 categories seen in training").arg(categories.size()));
        connect(combo, &QComboBox::currentTextChanged, this, [this, index] {
            check(mFields[std::size_t(index)]);
            emit valuesChanged();
        });
        // Long category names elide in the closed box (the list shows them whole) rather than
        // widen the form past a small window.
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(10);
        field.editor = combo;
        hint->setText(QStringLiteral("%1 categories").arg(categories.size()));
    }
    field.editor->setObjectName(QStringLiteral("field:") + field.spec.name);
    field.editor->setMinimumWidth(136);
    mGrid->addWidget(field.editor, row, 1);
    mGrid->addWidget(hint, row + 1, 0, Qt::AlignTop);
    field.message = new QLabel;
    field.message->setWordWrap(true);
    mGrid->addWidget(field.message, row + 1, 1, Qt::AlignTop);
    mFields.push_back(std::move(field));
    check(mFields.back());
}

QString ScoringForm::fieldText(const Field &field) const
{
    if (auto *edit = qobject_cast<QLineEdit *>(field.editor))
        return edit->text().trimmed();
    if (auto *combo = qobject_cast<QComboBox *>(field.editor))
        return combo->currentText().trimmed();
    return {};
}

void ScoringForm::check(Field &field)
{
    // The field is read as the scorer and batch scoring read a value (readFeatureText), so what the
    // form accepts scores, and what it refuses a batch file would refuse.
    const QString text = fieldText(field);
    const QByteArray utf8 = text.toUtf8();
    FeatureValue value;
    const FeatureReading reading = readFeatureText(field.spec.type, std::string_view(utf8.constData(), std::size_t(utf8.size())),
                                                   {}, value);
    QString message;
    Status status = Status::Ok;
    if (reading == FeatureReading::Missing) {
        status = field.acceptsMissing ? Status::Missing : Status::Invalid;
        message = field.acceptsMissing ? QStringLiteral("Missing: the pipeline fills it in")
                                       : QStringLiteral("Required: this model cannot fill in a missing value");
    } else if (reading != FeatureReading::Value || (isNumberField(field.spec.type) && !std::isfinite(value.number))) {
        status = Status::Invalid;
        message = field.spec.type == ColumnType::Datetime
            ? QStringLiteral("'%1' is not a date").arg(text)
            : QStringLiteral("'%1' is not %2").arg(text, featureValueKind(field.spec.type));
    } else if (isNumberField(field.spec.type)) {
        if (value.number < field.minimum || value.number > field.maximum) {
            status = Status::Warning;
            message = QStringLiteral("Outside the training range %1 \u2013 %2: the model extrapolates")
                          .arg(formatValue(field.minimum, field.spec.type), formatValue(field.maximum, field.spec.type));
        }
    } else if (!field.spec.categories.isEmpty() && !field.spec.categories.contains(categoryText(field.spec.type, text, value))) {
        status = Status::Warning;
        message = QStringLiteral("'%1' was not seen in training: it is encoded as an unknown category").arg(text);
    }
    field.status = status;
    field.message->setText(message);
    field.message->setObjectName(QString::fromLatin1(kMessageStyle[int(status)]));
    field.message->style()->unpolish(field.message);
    field.message->style()->polish(field.message);
    field.message->setVisible(!message.isEmpty());
}

const ScoringForm::Field *ScoringForm::find(const QString &feature) const
{
    for (const Field &field : mFields)
        if (field.spec.name == feature)
            return &field;
    return nullptr;
}

QWidget *ScoringForm::editor(const QString &feature) const
{
    const Field *field = find(feature);
    return field ? field->editor : nullptr;
}

QString ScoringForm::text(const QString &feature) const
{
    const Field *field = find(feature);
    return field ? fieldText(*field) : QString();
}

void ScoringForm::setText(const QString &feature, const QString &text)
{
    const Field *field = find(feature);
    if (!field)
        return;
    if (auto *edit = qobject_cast<QLineEdit *>(field->editor))
        edit->setText(text);
    else if (auto *combo = qobject_cast<QComboBox *>(field->editor))
        combo->setCurrentText(text);
}

void ScoringForm::fillTypicalValues()
{
    QSignalBlocker blocker(this);
    for (const Field &field : mFields)
        setText(field.spec.name,
                isNumberField(field.spec.type) ? editableText(field.typical, field.spec.type) : field.typicalCategory);
    blocker.unblock();
    emit valuesChanged();
}

std::vector<RowValue> ScoringForm::values() const
{
    std::vector<RowValue> values;
    values.reserve(mFields.size());
    for (const Field &field : mFields) {
        const QString text = fieldText(field);
        values.push_back(text.isEmpty() ? RowValue::missing() : RowValue::of(text));
    }
    return values;
}

ScoringForm::Status ScoringForm::status(const QString &feature) const
{
    const Field *field = find(feature);
    return field ? field->status : Status::Invalid;
}

QString ScoringForm::message(const QString &feature) const
{
    const Field *field = find(feature);
    return field ? field->message->text() : QString();
}

bool ScoringForm::isComplete() const
{
    return std::none_of(mFields.begin(), mFields.end(), [](const Field &field) { return field.status == Status::Invalid; });
}

QStringList ScoringForm::warnings() const
{
    QStringList warnings;
    for (const Field &field : mFields)
        if (field.status == Status::Warning)
            warnings.append(QStringLiteral("%1: %2").arg(field.spec.name, field.message->text()));
    return warnings;
}

} // namespace plumb::ui
