#pragma once

#include "learn/params.h"

#include <QWidget>

#include <utility>
#include <vector>

class QFormLayout;

namespace plumb::ui {

// A form generated from a component's parameter schema: a check box for booleans, a spin box for
// whole numbers, a text field checked as you type for reals and text, a picker for choices. Each
// field starts at its default, carries the range or choices and the help as its tooltip, and is
// labelled in bold when changed from the default.
class ParameterForm : public QWidget
{
    Q_OBJECT

public:
    explicit ParameterForm(QWidget *parent = nullptr);

    // Rebuilds the form for `schema`, at the defaults. Parameters named in `hidden` get no field
    // (the view sets them itself, such as the seed).
    void setSchema(const std::vector<ParamSpec> &schema, const QStringList &hidden = {});
    // The fields whose value differs from the default, as (name, text) pairs the way
    // Model::setParamFromText reads them.
    std::vector<std::pair<QString, QString>> changedValues() const;
    // One message per field whose text does not parse or is out of range; empty when all are valid.
    QStringList errors() const;
    // Sets a field from text, as typed; false for an unknown name.
    bool setValue(const QString &name, const QString &text);
    int fieldCount() const { return int(mFields.size()); }

signals:
    void changed();

private:
    struct Field
    {
        ParamSpec spec;
        QWidget *editor = nullptr;
        QWidget *label = nullptr;
    };

    QWidget *createEditor(const ParamSpec &spec);
    QString textOf(const Field &field) const;
    void refresh();

    QFormLayout *mLayout;
    std::vector<Field> mFields;
};

} // namespace plumb::ui
