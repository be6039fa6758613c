#include "ui/train/parameterform.h"

#include "ui/common/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QStyle>

#include <climits>
#include <cmath>

namespace plumb::ui {

namespace {

QString numberText(double value)
{
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("\u221e") : QStringLiteral("\u2212\u221e");
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// The tooltip: the help line, then what values the field takes and its default.
QString tooltipFor(const ParamSpec &spec)
{
    QString range;
    switch (spec.kind) {
    case ParamSpec::Kind::Integer:
    case ParamSpec::Kind::Real:
        range = QStringLiteral("%1%2, %3]")
                    .arg(spec.minimumExclusive ? QStringLiteral("(") : QStringLiteral("["), numberText(spec.minimum),
                         numberText(spec.maximum));
        break;
    case ParamSpec::Kind::Choice:
        range = spec.choices.join(QLatin1String(", "));
        break;
    case ParamSpec::Kind::Boolean:
        range = QStringLiteral("on or off");
        break;
    case ParamSpec::Kind::Text:
        break;
    }
    QString tip = QStringLiteral("<p><b>%1</b></p><p>%2</p>").arg(spec.name.toHtmlEscaped(), spec.help.toHtmlEscaped());
    if (!range.isEmpty())
        tip += QStringLiteral("<p>Values: %1</p>").arg(range.toHtmlEscaped());
    return tip + QStringLiteral("<p>Default: %1</p>").arg(spec.defaultValue.toString().toHtmlEscaped());
}

QString defaultText(const ParamSpec &spec)
{
    if (spec.kind == ParamSpec::Kind::Real)
        return numberText(spec.defaultValue.toDouble());
    if (spec.kind == ParamSpec::Kind::Boolean)
        return spec.defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return spec.defaultValue.toString();
}

} // namespace

ParameterForm::ParameterForm(QWidget *parent) : QWidget(parent), mLayout(new QFormLayout(this))
{
    mLayout->setContentsMargins(0, 0, 0, 0);
    mLayout->setHorizontalSpacing(12);
    mLayout->setVerticalSpacing(6);
    mLayout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    mLayout->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

void ParameterForm::setSchema(const std::vector<ParamSpec> &schema, const QStringList &hidden)
{
    while (mLayout->rowCount() > 0)
        mLayout->removeRow(0);
    mFields.clear();
    for (const ParamSpec &spec : schema) {
        if (hidden.contains(spec.name))
            continue;
        auto *label = new QLabel(spec.name);
        QWidget *editor = createEditor(spec);
        const QString tip = tooltipFor(spec);
        label->setToolTip(tip);
        editor->setToolTip(tip);
        editor->setObjectName(QStringLiteral("param_") + spec.name);
        mLayout->addRow(label, editor);
        mFields.push_back({spec, editor, label});
    }
    if (mFields.empty())
        mLayout->addRow(new QLabel(QStringLiteral("This model has no settings.")));
    refresh();
}

QWidget *ParameterForm::createEditor(const ParamSpec &spec)
{
    switch (spec.kind) {
    case ParamSpec::Kind::Boolean: {
        auto *box = new QCheckBox;
        box->setChecked(spec.defaultValue.toBool());
        connect(box, &QCheckBox::toggled, this, &ParameterForm::refresh);
        return box;
    }
    case ParamSpec::Kind::Integer: {
        auto *box = new QSpinBox;
        box->setRange(int(std::max(spec.minimum, double(INT_MIN))), int(std::min(spec.maximum, double(INT_MAX))));
        box->setValue(int(spec.defaultValue.toLongLong()));
        box->setGroupSeparatorShown(false);
        connect(box, &QSpinBox::valueChanged, this, &ParameterForm::refresh);
        return box;
    }
    case ParamSpec::Kind::Choice: {
        auto *box = new QComboBox;
        box->addItems(spec.choices);
        box->setCurrentText(spec.defaultValue.toString());
        connect(box, &QComboBox::currentTextChanged, this, &ParameterForm::refresh);
        return box;
    }
    case ParamSpec::Kind::Real:
    case ParamSpec::Kind::Text: {
        auto *edit = new QLineEdit(defaultText(spec));
        connect(edit, &QLineEdit::textChanged, this, &ParameterForm::refresh);
        return edit;
    }
    }
    return new QWidget;
}

QString ParameterForm::textOf(const Field &field) const
{
    if (auto *box = qobject_cast<QCheckBox *>(field.editor))
        return box->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *box = qobject_cast<QSpinBox *>(field.editor))
        return QString::number(box->value());
    if (auto *box = qobject_cast<QComboBox *>(field.editor))
        return box->currentText();
    if (auto *edit = qobject_cast<QLineEdit *>(field.editor))
        return edit->text().trimmed();
    return {};
}

std::vector<std::pair<QString, QString>> ParameterForm::changedValues() const
{
    std::vector<std::pair<QString, QString>> values;
    for (const Field &field : mFields) {
        const QString text = textOf(field);
        const Result<QVariant> parsed = field.spec.parse(text);
        if (parsed && parsed.value() != field.spec.defaultValue)
            values.emplace_back(field.spec.name, text);
    }
    return values;
}

QStringList ParameterForm::errors() const
{
    QStringList messages;
    for (const Field &field : mFields) {
        const Result<QVariant> parsed = field.spec.parse(textOf(field));
        if (!parsed)
            messages.append(parsed.error().message);
    }
    return messages;
}

bool ParameterForm::setValue(const QString &name, const QString &text)
{
    for (const Field &field : mFields) {
        if (field.spec.name != name)
            continue;
        if (auto *box = qobject_cast<QCheckBox *>(field.editor))
            box->setChecked(text == QLatin1String("true"));
        else if (auto *box = qobject_cast<QSpinBox *>(field.editor))
            box->setValue(text.toInt());
        else if (auto *box = qobject_cast<QComboBox *>(field.editor))
            box->setCurrentText(text);
        else if (auto *edit = qobject_cast<QLineEdit *>(field.editor))
            edit->setText(text);
        return true;
    }
    return false;
}

void ParameterForm::refresh()
{
    for (const Field &field : mFields) {
        const Result<QVariant> parsed = field.spec.parse(textOf(field));
        QFont font = field.label->font();
        font.setBold(parsed && parsed.value() != field.spec.defaultValue);
        field.label->setFont(font);
        // Reals and text are typed freely: a value that does not parse is marked where it is.
        if (qobject_cast<QLineEdit *>(field.editor))
            if (field.editor->property("invalid").toBool() != !parsed) {
                // The theme draws an invalid field (ui/theme.cpp); a changed property needs a re-polish.
                field.editor->setProperty("invalid", !parsed);
                field.editor->style()->unpolish(field.editor);
                field.editor->style()->polish(field.editor);
            }
    }
    emit changed();
}

} // namespace plumb::ui
