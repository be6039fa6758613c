#include "learn/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// sklearn's _binary_clf_curve: samples sorted by descending score (ties keep a stable order),
// one point per distinct score, with cumulative false and true positives at that threshold.
struct BinaryCurve
{
    std::vector<double> falsePositives, truePositives, thresholds;
};

BinaryCurve binaryCurve(const Labels &truth, const Eigen::VectorXd &scores)
{
    std::vector<std::size_t> order(truth.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return scores[Eigen::Index(a)] > scores[Eigen::Index(b)]; });
    BinaryCurve curve;
    double positives = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        positives += truth[order[i]] == 1 ? 1.0 : 0.0;
        const double score = scores[Eigen::Index(order[i])];
        const bool lastOfScore = i + 1 == order.size() || scores[Eigen::Index(order[i + 1])] != score;
        if (!lastOfScore)
            continue;
        curve.truePositives.push_back(positives);
        curve.falsePositives.push_back(double(i + 1) - positives);
        curve.thresholds.push_back(score);
    }
    return curve;
}

double trapezoidArea(const std::vector<double> &x, const std::vector<double> &y)
{
    double area = 0;
    for (std::size_t i = 1; i < x.size(); ++i)
        area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
    return area;
}

} // namespace

Eigen::MatrixXi confusionMatrix(const Labels &truth, const Labels &predicted, int classCount)
{
    Eigen::MatrixXi matrix = Eigen::MatrixXi::Zero(classCount, classCount);
    for (std::size_t i = 0; i < truth.size(); ++i)
        ++matrix(truth[i], predicted[i]);
    return matrix;
}

double accuracy(const Labels &truth, const Labels &predicted)
{
    if (truth.empty())
        return kNaN;
    std::size_t right = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        right += truth[i] == predicted[i];
    return double(right) / double(truth.size());
}

double balancedAccuracy(const Labels &truth, const Labels &predicted, int classCount)
{
    const Eigen::MatrixXi matrix = confusionMatrix(truth, predicted, classCount);
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classCount; ++c) {
        const int support = matrix.row(c).sum();
        if (support == 0)
            continue;
        sum += double(matrix(c, c)) / double(support);
        ++present;
    }
    return present ? sum / present : kNaN;
}

ClassScores classScores(const Labels &truth, const Labels &predicted, int classCount)
{
    const Eigen::MatrixXi matrix = confusionMatrix(truth, predicted, classCount);
    ClassScores scores;
    double totalSupport = 0;
    for (int c = 0; c < classCount; ++c) {
        const double hits = matrix(c, c);
        const double predictedCount = matrix.col(c).sum();
        const int support = matrix.row(c).sum();
        const double precision = predictedCount > 0 ? hits / predictedCount : 0.0;
        const double recall = support > 0 ? hits / support : 0.0;
        const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        scores.precision.push_back(precision);
        scores.recall.push_back(recall);
        scores.f1.push_back(f1);
        scores.support.push_back(support);
        totalSupport += support;
    }
    int present = 0;
    for (int c = 0; c < classCount; ++c)
        present += matrix.row(c).sum() + matrix.col(c).sum() > 0;
    for (int c = 0; c < classCount; ++c) {
        if (matrix.row(c).sum() + matrix.col(c).sum() > 0) {
            scores.macroPrecision += scores.precision[std::size_t(c)] / present;
            scores.macroRecall += scores.recall[std::size_t(c)] / present;
            scores.macroF1 += scores.f1[std::size_t(c)] / present;
        }
        const double weight = totalSupport > 0 ? scores.support[std::size_t(c)] / totalSupport : 0.0;
        scores.weightedPrecision += scores.precision[std::size_t(c)] * weight;
        scores.weightedRecall += scores.recall[std::size_t(c)] * weight;
        scores.weightedF1 += scores.f1[std::size_t(c)] * weight;
    }
    return scores;
}

double rocAuc(const Labels &truth, const Eigen::VectorXd &positiveScores)
{
    const CurvePoints curve = rocCurve(truth, positiveScores);
    if (curve.x.empty() || std::isnan(curve.x.back()) || std::isnan(curve.y.back()))
        return kNaN;
    return trapezoidArea(curve.x, curve.y);
}

double rocAucOvr(const Labels &truth, const Eigen::MatrixXd &probabilities)
{
    const int classes = int(probabilities.cols());
    if (classes == 2)
        return rocAuc(truth, probabilities.col(1));
    double sum = 0;
    for (int c = 0; c < classes; ++c) {
        Labels isClass(truth.size());
        for (std::size_t i = 0; i < truth.size(); ++i)
            isClass[i] = truth[i] == c ? 1 : 0;
        sum += rocAuc(isClass, probabilities.col(c));
    }
    return sum / classes;
}

double logLoss(const Labels &truth, const Eigen::MatrixXd &probabilities)
{
    const double eps = std::numeric_limits<double>::epsilon();
    double total = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const Eigen::Index row = Eigen::Index(i);
        double rowSum = 0;
        for (Eigen::Index c = 0; c < probabilities.cols(); ++c)
            rowSum += std::clamp(probabilities(row, c), eps, 1 - eps);
        total -= std::log(std::clamp(probabilities(row, truth[i]), eps, 1 - eps) / rowSum);
    }
    return truth.empty() ? kNaN : total / double(truth.size());
}

double brierScore(const Labels &truth, const Eigen::MatrixXd &probabilities)
{
    double total = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        for (Eigen::Index c = 0; c < probabilities.cols(); ++c) {
            const double difference = probabilities(Eigen::Index(i), c) - (truth[i] == c ? 1.0 : 0.0);
            total += difference * difference;
        }
    return truth.empty() ? kNaN : total / (2.0 * double(truth.size()));
}

CurvePoints rocCurve(const Labels &truth, const Eigen::VectorXd &positiveScores)
{
    BinaryCurve curve = binaryCurve(truth, positiveScores);
    if (curve.thresholds.empty())
        return {};
    // Drop points collinear with their neighbours (sklearn's drop_intermediate): keep the ends and
    // every point where the second difference of fps or tps is non-zero.
    const auto &fps = curve.falsePositives, &tps = curve.truePositives;
    std::vector<std::size_t> kept{0};
    for (std::size_t i = 1; i + 1 < fps.size(); ++i)
        if (fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0)
            kept.push_back(i);
    if (fps.size() > 1)
        kept.push_back(fps.size() - 1);
    const double negatives = fps.back(), positives = tps.back();
    CurvePoints points;
    points.x.push_back(0);
    points.y.push_back(0);
    points.thresholds.push_back(curve.thresholds.front() + 1);
    for (std::size_t i : kept) {
        points.x.push_back(negatives > 0 ? fps[i] / negatives : kNaN);
        points.y.push_back(positives > 0 ? tps[i] / positives : kNaN);
        points.thresholds.push_back(curve.thresholds[i]);
    }
    if (negatives <= 0)
        std::fill(points.x.begin(), points.x.end(), kNaN);
    if (positives <= 0)
        std::fill(points.y.begin(), points.y.end(), kNaN);
    return points;
}

CurvePoints precisionRecallCurve(const Labels &truth, const Eigen::VectorXd &positiveScores)
{
    const BinaryCurve curve = binaryCurve(truth, positiveScores);
    CurvePoints points;
    const double positives = curve.truePositives.empty() ? 0 : curve.truePositives.back();
    for (std::size_t k = curve.thresholds.size(); k-- > 0;) {
        const double predictedPositive = curve.truePositives[k] + curve.falsePositives[k];
        points.y.push_back(predictedPositive != 0 ? curve.truePositives[k] / predictedPositive : 0.0);
        points.x.push_back(positives == 0 ? 1.0 : curve.truePositives[k] / positives);
        points.thresholds.push_back(curve.thresholds[k]);
    }
    points.y.push_back(1.0);
    points.x.push_back(0.0);
    return points;
}

CurvePoints calibrationCurve(const Labels &truth, const Eigen::VectorXd &positiveScores, int bins)
{
    std::vector<double> sums(std::size_t(bins), 0.0), positives(std::size_t(bins), 0.0), counts(std::size_t(bins), 0.0);
    for (std::size_t i = 0; i < truth.size(); ++i) {
        const double p = positiveScores[Eigen::Index(i)];
        // numpy.searchsorted(inner edges, p, side="left"): edges equal to p count as above it.
        int bin = 0;
        while (bin < bins - 1 && double(bin + 1) / double(bins) < p)
            ++bin;
        sums[std::size_t(bin)] += p;
        positives[std::size_t(bin)] += truth[i] == 1 ? 1.0 : 0.0;
        counts[std::size_t(bin)] += 1;
    }
    CurvePoints points;
    for (std::size_t b = 0; b < std::size_t(bins); ++b) {
        if (counts[b] == 0)
            continue;
        points.x.push_back(sums[b] / counts[b]);
        points.y.push_back(positives[b] / counts[b]);
        points.thresholds.push_back(counts[b]);
    }
    return points;
}

double r2Score(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted)
{
    const double mean = truth.mean();
    double residual = (truth - predicted).squaredNorm();
    double total = (truth.array() - mean).square().sum();
    if (!std::isfinite(residual) || !std::isfinite(total)) {
        // Squares of values near 1e300 overflow; the ratio does not: scale both sums by the
        // largest magnitude first (only then, so ordinary values keep their bits).
        const double scale = std::max((truth - predicted).cwiseAbs().maxCoeff(), (truth.array() - mean).abs().maxCoeff());
        residual = ((truth - predicted) / scale).squaredNorm();
        total = ((truth.array() - mean) / scale).square().sum();
    }
    if (total == 0)
        return residual == 0 ? 1.0 : 0.0; // sklearn's convention for constant targets
    return 1.0 - residual / total;
}

double meanAbsoluteError(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted)
{
    const double mean = (truth - predicted).cwiseAbs().mean();
    if (std::isfinite(mean) || truth.size() == 0)
        return mean;
    return ((truth - predicted).cwiseAbs() / double(truth.size())).sum(); // the sum overflowed, not the mean
}

double rootMeanSquaredError(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted)
{
    const double rmse = std::sqrt((truth - predicted).squaredNorm() / double(truth.size()));
    if (std::isfinite(rmse) || truth.size() == 0)
        return rmse;
    const Eigen::VectorXd difference = truth - predicted; // the squares overflowed, not the root
    return difference.stableNorm() / std::sqrt(double(truth.size()));
}

double meanAbsolutePercentageError(const Eigen::VectorXd &truth, const Eigen::VectorXd &predicted)
{
    const double eps = std::numeric_limits<double>::epsilon();
    return ((truth - predicted).cwiseAbs().array() / truth.cwiseAbs().array().max(eps)).mean();
}

} // namespace plumb
