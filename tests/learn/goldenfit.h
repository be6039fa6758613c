#pragma once

// What the model suites share around a scikit-learn golden case: its training and test rows as
// matrices and a FitTarget, the test score, element-wise comparison of outputs with a tolerance,
// and the check that predictRow gives the batch's doubles.

#include "goldenreader.h"
#include "learn/model.h"

#include <Eigen/Core>

#include <QString>
#include <QStringList>

#include <functional>

namespace plumb::test {

// A golden case whose data names a training and a test CSV (tests/reference/README.md): the
// features of both as matrices, and the training target as a model fits it. The readers stay
// here, so values read later (json.matrix("expected.…")) report their problems too.
struct GoldenFit
{
    GoldenCase json;
    GoldenTable train, test;
    Eigen::MatrixXd trainX, testX; // rows x data.features, in that order
    FitTarget target; // regression: values; classification: classes, classCount
    Eigen::VectorXd testTarget; // the test rows' data.target, as numbers
    QStringList notes; // what load itself found wrong

    // `name` is the case file without ".json" ("knn_regression_uniform_k5"). A classification
    // target holds the class indices, its class count the size of expected.classes; the target has
    // no weights. With `sklearnCall`, a golden that records another call is a problem.
    static GoldenFit load(const QString &name, Task task, const QString &sklearnCall = {});
    // Sets target.weights to the training CSV's data.weight column (sklearn's sample_weight).
    void loadWeights();

    // Everything the readers could not give so far, and load's own findings; empty when all is well.
    QStringList problems() const { return notes + train.problems() + test.problems() + json.problems(); }
};

// A double as text that reads back as the same double (17 significant digits).
QString exactText(double value);

// Whether one of Plumb's values counts as sklearn's.
using SameValue = std::function<bool(double actual, double expected)>;

// Empty when `same` holds for every element; otherwise the shape mismatch or the first five
// elements that differ, as "what(row, column): Plumb …, sklearn …".
QString mismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, const SameValue &same);
// The same with |actual - expected| <= relative * |expected| + absolute.
QString mismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, double relative,
                   double absolute);
// The same with every element the same double, bit for bit.
QString bitMismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected);

// What predictRow is compared with: predictProba for a classifier, predict as one column for a
// regressor (rows of X x outputs).
Eigen::MatrixXd batchOutputs(const Model &model, const Eigen::MatrixXd &X);
// predictRow on every row of X, one at a time (its output starts as NaN each time), against
// `batch`: empty when every output is the same double, bit for bit; otherwise the shape mismatch
// or the first five that differ.
QString rowPathMismatches(const Model &model, const Eigen::MatrixXd &X, const Eigen::MatrixXd &batch);

// Accuracy (classification) or R² (regression) of the model on the golden's test rows.
double testScore(const Model &model, const GoldenFit &golden);

} // namespace plumb::test
