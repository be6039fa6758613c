#pragma once

#include "ui/charts/validationcharts.h"
#include "ui/models/modeldocument.h"

#include <QTabWidget>

class QListWidget;
class QTableWidget;
class QTreeWidget;

namespace plumb::ui {

class ImportanceChart;
class ProfilePanel;
class ShapSummaryChart;

// Everything inside a model below its summary, one tab per group: the feature schema, the
// pipeline's steps with every parameter, the training data's reference profile with its
// histograms, the validation metrics, permutation importance and SHAP summary, and the provenance (software
// versions, training data source and checksum, seed, lineage).
class ModelDetails : public QTabWidget
{
    Q_OBJECT

public:
    enum Tab { FeaturesTab, PipelineTab, TrainingDataTab, ValidationTab, ProvenanceTab };

    explicit ModelDetails(QWidget *parent = nullptr);

    void showModel(const LoadedModelPtr &model);

    QTableWidget *featureTable() const { return mFeatures; }
    QTreeWidget *pipelineTree() const { return mPipeline; }
    QListWidget *profileColumns() const { return mProfileColumns; }
    ProfilePanel *profilePanel() const { return mProfile; }
    QTableWidget *metricsTable() const { return mMetrics; }
    ImportanceChart *importanceChart() const { return mImportance; }
    // The SHAP summary stored with the model, or why there is none.
    ShapSummaryChart *shapChart() const { return mShap; }
    // The validation charts stored with the model (confusion matrix and curves, or regression plots).
    const ValidationCharts &validationCharts() const { return mCharts; }
    QTreeWidget *provenanceTree() const { return mProvenance; }

private:
    QWidget *createTrainingDataTab();
    QWidget *createValidationTab();
    void fillFeatures(const LoadedModel &model);
    void fillPipeline(const LoadedModel &model);
    void fillProfile(const LoadedModel &model);
    void fillValidation(const LoadedModel &model);
    void fillProvenance(const LoadedModel &model);
    void showSelectedProfile();

    LoadedModelPtr mModel;
    QTableWidget *mFeatures;
    QTreeWidget *mPipeline;
    QListWidget *mProfileColumns;
    ProfilePanel *mProfile;
    QTableWidget *mMetrics;
    ImportanceChart *mImportance;
    ShapSummaryChart *mShap;
    ValidationCharts mCharts;
    QTreeWidget *mProvenance;
};

} // namespace plumb::ui
