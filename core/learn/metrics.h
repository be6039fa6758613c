#pragma once

#include <Eigen/Core>

#include <vector>

namespace plumb {

// Metrics of predictions against the truth. Definitions follow sklearn.metrics (version 1.2)
// so that figures match scikit-learn's on the same predictions; each function says where it
// differs. Class labels are indices 0..k-1; probabilities are n x k with rows summing to 1.

using Labels = std::vector<int>;

// Row t, column p: samples of true class t predicted as class p.
Eigen::MatrixXi confusionMatrix(const Labels &truth, const Labels &predicted, int classCount);

double accuracy(const Labels &truth, const Labels &predicted);
// Mean per-class recall over the classes present in `truth` (sklearn's balanced_accuracy_score).
double balancedAccuracy(const Labels &truth, const Labels &predicted, int classCount);

// Macro averages run over the classes present in the truth or the predictions, as sklearn's
// default labels do; weighted averages weigh each class by its support.
struct ClassScores
{
    std::vector<double> precision, recall, f1; // per class; 0 where undefined (sklearn's zero_division=0)
    std::vector<int> support; // true samples per class
    double macroPrecision = 0, macroRecall = 0, macroF1 = 0;
    double weightedPrecision = 0, weightedRecall = 0, weightedF1 = 0;
};
ClassScores classScores(const Labels &truth, const Labels &predicted, int classCount);

// Binary ROC AUC from scores of the positive class (1), with ties handled as sklearn does
// (trapezoids over distinct thresholds). NaN when `truth` has a single class.
double rocAuc(const Labels &truth, const Eigen::VectorXd &positiveScores);
// One-vs-rest ROC AUC, unweighted mean over classes (sklearn: multi_class="ovr", average="macro").
// For two classes, the binary AUC of column 1.
double rocAucOvr(const Labels &truth, const Eigen::MatrixXd &probabilities);

// Mean negative log-likelihood, probabilities clipped to [eps, 1 - eps] (eps = double machine
// epsilon) and rows renormalised, as sklearn 1.2's log_loss(eps="auto").
double logLoss(const Labels &truth, const Eigen::MatrixXd &probabilities);
// Binary: mean (p1 - y)^2 (sklearn's brier_score_loss). More classes: mean over samples of the
// squared distance between the probability row and the one-hot truth, divided by 2, which equals
// the binary definition for two classes.
double brierScore(const Labels &truth, const Eigen::MatrixXd &probabilities);

struct CurvePoints
{
    std::vector<double> x, y, thresholds;
};
// sklearn's roc_curve(drop_intermediate=True): x = false positive rate, y = true positive rate,
// thresholds descending, the first one the highest score + 1 (as sklearn 1.2).
CurvePoints rocCurve(const Labels &truth, const Eigen::VectorXd &positiveScores);
// sklearn's precision_recall_curve: x = recall (descending), y = precision, ending at (0, 1).
CurvePoints precisionRecallCurve(const Labels &truth, const Eigen::VectorXd &positiveScores);
// sklearn's calibration_curve(strategy="uniform"): x = mean predicted probability per non-empty
// bin, y = fraction of positives in it; thresholds hold the bin counts.
CurvePoints calibrationCurve(const Labels &truth, const Eigen::VectorXd &positiveScores, int bins = 10);

// Regression. Values near the largest double (1e300) give finite results where the result is
// representable: sums of squares that overflow are recomputed on scaled values.
double r2Score(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted);
double meanAbsoluteError(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted);
double rootMeanSquaredError(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted);
// mean |y - yhat| / max(|y|, machine epsilon), as sklearn (a fraction, not a percentage).
double meanAbsolutePercentageError(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted);

} // namespace plumb
