#pragma once

#include "learn/rowscorer.h"
#include "learn/shapexplainer.h"
#include "ui/common/viewframe.h"
#include "ui/models/modeldocument.h"

#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QTabWidget;

namespace plumb::ui {

class BarChart;
class BatchScoringPanel;
class ScoringForm;

// What the contribution chart shows: the SHAP values of one output of the model for the row in
// the form. base + the sum of values is that output (output()).
struct ShownExplanation
{
    QString output; // what is explained: "log-odds of 'yes'", "probability of 'b'", "prediction"
    QString method; // "exact TreeSHAP", "exact linear SHAP"
    double base = 0; // the output's average over the training data
    std::vector<double> values; // one per pipeline feature, in pipeline.features() order

    double total() const;
};

// The Predict view: scores rows with the model the Models view has open. "Score one row" is a form
// built from the model's features; the prediction, the class probabilities and each feature's SHAP
// value follow every keystroke (RowScorer and one ShapExplainer per opened model, on the GUI
// thread: a row costs microseconds). "Score a file" scores a CSV in the background
// (BatchScoringPanel).
class PredictView : public ViewFrame
{
    Q_OBJECT

public:
    explicit PredictView(QWidget *parent = nullptr);
    ~PredictView() override;

    // Shows `model` (nullptr: the empty page). The form starts at typical training values.
    void setModel(LoadedModelPtr model);
    // Follows the model `document` loads (the Models view's).
    void followDocument(ModelDocument *document);
    LoadedModelPtr model() const { return mModel; }

    ScoringForm *form() const { return mForm; }
    BatchScoringPanel *batchPanel() const { return mBatch; }
    BarChart *probabilityChart() const { return mProbabilities; }
    BarChart *contributionChart() const { return mContributions; }
    QTabWidget *tabs() const { return mTabs; }
    // The prediction as shown ("yes", "12.5"); empty when the row cannot be scored.
    QString predictionText() const { return mPredictionText; }
    // "churned = no with probability 67.4% · scored in 12.0 µs": the probability is the predicted class's.
    QString predictionDetail() const;
    // The raw outputs of the last scoring: the prediction, or one probability per class.
    const std::vector<double> &outputs() const { return mOutputs; }
    // The explanation the contribution chart shows; empty values when there is none.
    const ShownExplanation &explanation() const { return mExplanation; }
    // The sentence under the chart: what is explained, the base value, base + contributions = output.
    QString explanationText() const;
    // Why the model has no exact explanation ("No exact explanation for knn models ..."); empty
    // when it has one. The chart is hidden and this is shown instead.
    QString noExplanationReason() const { return mNoExplanation; }

signals:
    void openModelRequested();

private:
    QWidget *createRowPage();
    QWidget *createResultPane();
    void rescore();
    void showClassification(int predicted);
    void createExplainer();
    void showContributions(int classIndex);
    void clearResult(const QString &reason);

    LoadedModelPtr mModel;
    std::unique_ptr<RowScorer> mScorer;
    std::optional<ShapExplainer> mExplainer; // explains mModel's pipeline, which mModel keeps alive
    QString mExplainerMethod;
    QString mNoExplanation;
    ShownExplanation mExplanation;
    QTabWidget *mTabs;
    ScoringForm *mForm;
    BatchScoringPanel *mBatch;
    QLabel *mPrediction;
    QLabel *mPredictionDetail;
    QLabel *mWarnings;
    BarChart *mProbabilities;
    BarChart *mContributions;
    QLabel *mExplanationText;
    QLabel *mNoExplanationCard;
    QString mPredictionText;
    std::vector<double> mOutputs;
    Eigen::VectorXd mInputs;
};

} // namespace plumb::ui
