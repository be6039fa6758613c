#pragma once

#include "learn/trainer.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QTreeWidget;
class QSpinBox;
class QStackedWidget;

namespace plumb::ui {

class DataDocument;
class ParameterForm;

// The left side of the Train view: everything a run needs, read from the document's dataset.
// The target and the features (with their types and roles); the task; the model family and a
// form generated from its parameter schema; the preprocessing per kind of column, starting at
// what the model's defaults would do; the validation scheme; the seed.
class TrainSetupPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TrainSetupPanel(DataDocument *document, QWidget *parent = nullptr);

    // The run as chosen, or the reasons it cannot start (no target, no features, a bad parameter).
    Result<TrainingSpec> spec() const;

    // Re-reads the columns from the document, keeping the choices that still apply.
    void reload();
    // Picks the target as a person would; reload() keeps it while the column exists.
    void setTarget(const QString &column);
    // Picks the model kind; a kind that does not do the current task sets the task to its own.
    void setModelKind(const QString &kind);
    // Sets the task by hand (nullopt: Automatic, inferred from the target).
    void setTask(std::optional<Task> task);
    // Picks exactly these features (all columns but the target must exist).
    void setFeatures(const QStringList &features);
    void setValidation(const ValidationScheme &scheme);
    void setSeed(std::uint64_t seed);

    QString target() const;
    QString modelKind() const;
    QStringList features() const;
    // The task the run trains for and why: chosen by hand, or inferred from the target (inferTask).
    TaskChoice taskChoice() const;
    ParameterForm *parameterForm() const { return mParameters; }
    // The step kinds the preprocessing will run, as shown ("median imputer → standard scaler").
    QString preprocessingSummary() const;

signals:
    void changed();

private:
    QWidget *createDataGroup();
    QWidget *createModelGroup();
    QWidget *createPreprocessingGroup();
    QWidget *createValidationGroup();
    void fillFeatures();
    void updateTask();
    void fillModels(Task task);
    void updateParameters();
    void updatePreprocessing();
    Task currentTask() const { return taskChoice().task; }
    PreprocessingChoices preprocessingChoices() const;

    DataDocument *mDocument;
    QComboBox *mTarget;
    QTreeWidget *mFeatures;
    QLabel *mFeatureCount;
    QComboBox *mTask;
    QLabel *mTaskNote;
    QComboBox *mModel;
    ParameterForm *mParameters;
    QLabel *mNumericCaption;
    QComboBox *mNumericImputer;
    QComboBox *mNumericScaler;
    QLabel *mCategoricalCaption;
    QComboBox *mCategoricalImputer;
    QComboBox *mCategoricalEncoder;
    QComboBox *mScheme;
    QStackedWidget *mSchemeOptions;
    QDoubleSpinBox *mFraction;
    QSpinBox *mFolds;
    QComboBox *mTimeColumn;
    QSpinBox *mSeed;
    QCheckBox *mImportance;
    QString mParameterSchemaKey; // kind + task the form was built for
    bool mTargetPicked = false; // the target was picked by hand, not by defaultTarget()
};

} // namespace plumb::ui
