#include "goldenfit.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace Qt::StringLiterals;

namespace plumb::test {

namespace {

constexpr int kShownDifferences = 5;

// The element loop behind every comparison; `actualName` and `expectedName` label the two sides.
QString compare(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, const SameValue &same,
                const QString &actualName, const QString &expectedName)
{
    if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
        return u"%1: %2 gives %3 x %4, %5 %6 x %7"_s.arg(what, actualName)
            .arg(actual.rows())
            .arg(actual.cols())
            .arg(expectedName)
            .arg(expected.rows())
            .arg(expected.cols());
    QStringList found;
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
        for (Eigen::Index c = 0; c < expected.cols(); ++c) {
            const double a = actual(r, c), e = expected(r, c);
            if (!same(a, e) && found.size() < kShownDifferences)
                found.append(u"%1(%2, %3): %4 %5, %6 %7"_s.arg(what).arg(r).arg(c).arg(actualName, exactText(a), expectedName,
                                                                                       exactText(e)));
        }
    return found.join(u"; "_s);
}

bool sameBits(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

GoldenFit GoldenFit::load(const QString &name, Task task, const QString &sklearnCall)
{
    GoldenFit golden;
    golden.json = GoldenCase::load(goldenPath(name + u".json"_s));
    const QStringList features = golden.json.strings(u"data.features"_s);
    const QString target = golden.json.text(u"data.target"_s);
    golden.train = GoldenTable::load(goldenPath(golden.json.text(u"data.train"_s)));
    golden.test = GoldenTable::load(goldenPath(golden.json.text(u"data.test"_s)));
    golden.trainX = golden.train.numbers(features);
    golden.testX = golden.test.numbers(features);
    golden.testTarget = golden.test.numbers(target);
    if (task == Task::Regression) {
        golden.target.values = golden.train.numbers(target);
    } else {
        golden.target.classes = golden.train.integers(target);
        golden.target.classCount = int(golden.json.vector(u"expected.classes"_s).size());
    }
    if (!sklearnCall.isEmpty() && golden.json.text(u"sklearn"_s) != sklearnCall)
        golden.notes.append(u"the golden records %1, the test sets up %2"_s.arg(golden.json.text(u"sklearn"_s), sklearnCall));
    return golden;
}

void GoldenFit::loadWeights()
{
    target.weights = train.numbers(json.text(u"data.weight"_s));
}

QString exactText(double value)
{
    return QString::number(value, 'g', 17);
}

QString mismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, const SameValue &same)
{
    return compare(what, actual, expected, same, u"Plumb"_s, u"sklearn"_s);
}

QString mismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected, double relative,
                   double absolute)
{
    return mismatches(what, actual, expected, [relative, absolute](double a, double e) {
        return std::fabs(a - e) <= relative * std::fabs(e) + absolute;
    });
}

QString bitMismatches(const QString &what, const Eigen::MatrixXd &actual, const Eigen::MatrixXd &expected)
{
    return mismatches(what, actual, expected, sameBits);
}

Eigen::MatrixXd batchOutputs(const Model &model, const Eigen::MatrixXd &X)
{
    return model.task() == Task::Classification ? model.predictProba(X) : Eigen::MatrixXd(model.predict(X));
}

QString rowPathMismatches(const Model &model, const Eigen::MatrixXd &X, const Eigen::MatrixXd &batch)
{
    Eigen::MatrixXd rows(X.rows(), model.rowOutputs());
    Eigen::VectorXd x(X.cols()), out(model.rowOutputs());
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
        x = X.row(r).transpose();
        out.setConstant(std::numeric_limits<double>::quiet_NaN());
        model.predictRow(x.data(), out.data());
        rows.row(r) = out.transpose();
    }
    return compare(u"output"_s, rows, batch, sameBits, u"predictRow"_s, u"batch"_s);
}

double testScore(const Model &model, const GoldenFit &golden)
{
    const Eigen::VectorXd predicted = model.predict(golden.testX);
    const Eigen::VectorXd &truth = golden.testTarget;
    if (model.task() == Task::Classification)
        return (predicted.array() == truth.array()).cast<double>().mean();
    const double residual = (predicted - truth).squaredNorm();
    const double total = (truth.array() - truth.mean()).matrix().squaredNorm();
    return 1.0 - residual / total;
}

} // namespace plumb::test
