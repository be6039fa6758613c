#pragma once

#include "learn/rowscorer.h"
#include "ui/models/modeldocument.h"

#include <QWidget>

class QGridLayout;
class QLabel;

namespace plumb::ui {

// The manual-scoring form, generated from a model's feature schema: a number field per numeric
// feature with the training range as placeholder and hint, an editable picker with the known
// categories per categorical or boolean one. A field may be left empty where the pipeline fills
// in missing values. Every field says what is wrong or unusual about its value: not a number,
// required, outside the training range, a category not seen in training.
class ScoringForm : public QWidget
{
    Q_OBJECT

public:
    // How a field's value stands.
    enum class Status { Ok, Missing, Warning, Invalid };

    explicit ScoringForm(QWidget *parent = nullptr);

    // Rebuilds the form for `model` (empty for nullptr).
    void setModel(LoadedModelPtr model);
    int fieldCount() const { return int(mFields.size()); }

    // The editor of `feature` (a QLineEdit or an editable QComboBox), or nullptr.
    QWidget *editor(const QString &feature) const;
    QString text(const QString &feature) const;
    // Sets a field's text as if typed (valuesChanged follows).
    void setText(const QString &feature, const QString &text);
    // Fills every field with a typical training value: the median, the most frequent category.
    void fillTypicalValues();

    // The row in pipeline.features() order; empty fields are missing values.
    std::vector<RowValue> values() const;
    Status status(const QString &feature) const;
    // The message shown under a field; empty when there is none.
    QString message(const QString &feature) const;
    // True when no field is Invalid, so the row can be scored.
    bool isComplete() const;
    // "feature: message" for every field with a Warning (out of range, unknown category).
    QStringList warnings() const;

signals:
    void valuesChanged();

private:
    struct Field
    {
        FeatureSpec spec;
        bool acceptsMissing = false;
        double minimum = 0, maximum = 0; // the training range (numeric)
        double typical = 0; // the median (numeric)
        QString typicalCategory;
        QWidget *editor = nullptr;
        QLabel *message = nullptr;
        Status status = Status::Ok;
    };

    void addField(Field field, int row);
    void check(Field &field);
    QString fieldText(const Field &field) const;
    const Field *find(const QString &feature) const;

    LoadedModelPtr mModel;
    std::vector<Field> mFields;
    QGridLayout *mGrid;
};

} // namespace plumb::ui
