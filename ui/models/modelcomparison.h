#pragma once

#include "ui/models/modeldocument.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QTreeWidget;

namespace plumb::ui {

// One line of a side-by-side comparison: a field of both models and whether they differ.
struct ComparisonRow
{
    QString group; // "Summary", "Validation metrics", "Features", "Model parameters", ...
    QString field;
    QString left; // "(absent)" when only the other model has the field
    QString right;
    bool differs = false;
    QString change; // metrics: the signed difference right - left; empty otherwise
};

// Compares two models field by field: summary, validation metrics (with the difference),
// features (type and training range), preprocessing and model parameters, training data,
// software and trust. Fields only one model has appear with "(absent)" on the other side.
std::vector<ComparisonRow> compareModels(const LoadedModel &left, const LoadedModel &right);

// Two models side by side, grouped, with every differing row highlighted and a count of them.
class ModelComparisonView : public QWidget
{
    Q_OBJECT

public:
    explicit ModelComparisonView(QWidget *parent = nullptr);

    void showComparison(const LoadedModelPtr &left, const LoadedModelPtr &right);

    const std::vector<ComparisonRow> &rows() const { return mRows; }
    QTreeWidget *tree() const { return mTree; }
    // The brush a differing row is painted with (for tests and the legend).
    static QColor highlightColor();
    // Hides the fields both models share, leaving only the differences.
    void setDifferencesOnly(bool only);

private:
    std::vector<ComparisonRow> mRows;
    QLabel *mCaption;
    QCheckBox *mDifferencesOnly;
    QTreeWidget *mTree;
};

} // namespace plumb::ui
