#pragma once

#include "ui/models/modeldocument.h"

#include <QFrame>
#include <QHash>

class QGridLayout;
class QHBoxLayout;
class QLabel;

namespace plumb::ui {

// The card at the top of the inspector: the model's name, description and tags, what it predicts
// (task, model kind, target, classes), who made it and when, from which data, and its headline
// validation metrics as large figures.
class ModelSummaryCard : public QFrame
{
    Q_OBJECT

public:
    explicit ModelSummaryCard(QWidget *parent = nullptr);

    void showModel(const LoadedModel &model);

    QString title() const;
    // The value shown for `label` ("Task", "Model", "Target", "Classes", "Created", "Author",
    // "Trained on", "Validation"); empty if absent.
    QString field(const QString &label) const;
    // The headline metrics as shown: name -> formatted value.
    const QHash<QString, QString> &metrics() const { return mMetrics; }

private:
    void setField(int row, const QString &label, const QString &value);

    QLabel *mTitle;
    QLabel *mDescription;
    QLabel *mBadges;
    QGridLayout *mFields;
    QHBoxLayout *mMetricTiles;
    QHash<QString, QString> mFieldValues;
    QHash<QString, QString> mMetrics;
};

// "Classification" / "Regression".
QString taskLabel(Task task);
// "logistic_regression" -> "Logistic regression".
QString modelKindLabel(const QString &kind);
// A metric value for people: fractions-like metrics with four decimals, others formatNumber.
QString formatMetric(double value);

} // namespace plumb::ui
