#include "learn/validation.h"

#include "base/random.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include <QLocale>

namespace plumb {

namespace {

std::size_t validationCount(std::size_t rows, double fraction)
{
    if (rows < 2)
        return 0;
    const auto count = std::size_t(std::ceil(double(rows) * fraction));
    return std::clamp<std::size_t>(count, 1, rows - 1);
}

// Rows grouped by class, each group shuffled; a single group holding every row when unstratified.
std::vector<std::vector<std::size_t>> shuffledGroups(std::size_t rows, Random &random, const std::vector<int> *classes)
{
    std::map<int, std::vector<std::size_t>> byClass;
    for (std::size_t row = 0; row < rows; ++row)
        byClass[classes ? (*classes)[row] : 0].push_back(row);
    std::vector<std::vector<std::size_t>> groups;
    for (auto &[label, members] : byClass) {
        random.shuffle(members);
        groups.push_back(std::move(members));
    }
    return groups;
}

} // namespace

Result<ValidationScheme> ValidationScheme::parse(const QString &text)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString kind = text.left(colon);
    const QString argument = colon < 0 ? QString() : text.mid(colon + 1);
    ValidationScheme scheme;
    bool ok = false;
    if (kind == QLatin1String("holdout")) {
        scheme.kind = Kind::Holdout;
        scheme.validationFraction = argument.isEmpty() ? 0.2 : argument.toDouble(&ok);
        if (argument.isEmpty() || (ok && scheme.validationFraction > 0 && scheme.validationFraction < 1))
            return scheme;
    } else if (kind == QLatin1String("kfold")) {
        scheme.kind = Kind::KFold;
        scheme.folds = argument.isEmpty() ? 5 : argument.toInt(&ok);
        if (argument.isEmpty() || (ok && scheme.folds >= 2 && scheme.folds <= 100))
            return scheme;
    } else if (kind == QLatin1String("time")) {
        scheme.kind = Kind::Time;
        scheme.timeColumn = argument;
        if (!argument.isEmpty())
            return scheme;
    }
    return Error::invalid(QStringLiteral("validation '%1': expected holdout:FRACTION (0 < FRACTION < 1), "
                                         "kfold:K (2 <= K <= 100) or time:COLUMN")
                              .arg(text));
}

QString ValidationScheme::toString() const
{
    switch (kind) {
    case Kind::Holdout:
        return QStringLiteral("holdout:") + QString::number(validationFraction, 'g', QLocale::FloatingPointShortest);
    case Kind::KFold:
        return QStringLiteral("kfold:%1").arg(folds);
    case Kind::Time:
        return QStringLiteral("time:") + timeColumn;
    }
    return {};
}

Split holdoutSplit(std::size_t rows, double validationFraction, std::uint64_t seed, const std::vector<int> *classes)
{
    Random random(seed);
    const auto groups = shuffledGroups(rows, random, classes);
    const std::size_t wanted = validationCount(rows, validationFraction);
    // Each class gives its proportional share (rounded down). Stratified, every class of two or
    // more rows keeps at least one row on each side, so no class the data can validate is missing
    // from the validation; a class of one row trains (stratificationWarnings says so).
    std::vector<std::size_t> shares(groups.size());
    std::size_t taken = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const std::size_t size = groups[g].size();
        shares[g] = std::size_t(std::floor(double(size) * double(wanted) / double(rows)));
        if (classes)
            shares[g] = size < 2 ? 0 : std::clamp<std::size_t>(shares[g], 1, size - 1);
        taken += shares[g];
    }
    std::vector<std::size_t> bySize(groups.size());
    std::iota(bySize.begin(), bySize.end(), 0);
    std::stable_sort(bySize.begin(), bySize.end(),
                     [&](std::size_t a, std::size_t b) { return groups[a].size() > groups[b].size(); });
    // The remainder goes to the largest classes, one row each in turn, keeping a row of each class
    // to train; only when that cannot reach the count (classes of one row) may a class validate whole.
    for (const std::size_t keep : {std::size_t(classes ? 1 : 0), std::size_t(0)}) {
        for (bool gave = true; taken < wanted && gave;) {
            gave = false;
            for (std::size_t i = 0; i < bySize.size() && taken < wanted; ++i) {
                const std::size_t g = bySize[i];
                if (shares[g] + keep < groups[g].size()) {
                    ++shares[g];
                    ++taken;
                    gave = true;
                }
            }
        }
    }
    // Small classes given their one row can overshoot the count: the largest classes give back.
    for (bool gave = true; taken > wanted && gave;) {
        gave = false;
        for (std::size_t i = 0; i < bySize.size() && taken > wanted; ++i) {
            const std::size_t g = bySize[i];
            if (shares[g] > 1) {
                --shares[g];
                --taken;
                gave = true;
            }
        }
    }
    Split split;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        split.validation.insert(split.validation.end(), groups[g].begin(), groups[g].begin() + std::ptrdiff_t(shares[g]));
        split.train.insert(split.train.end(), groups[g].begin() + std::ptrdiff_t(shares[g]), groups[g].end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    return split;
}

QStringList stratificationWarnings(const std::vector<int> &classes, const QStringList &names, const ValidationScheme &scheme)
{
    std::map<int, std::size_t> counts;
    for (int label : classes)
        ++counts[label];
    QStringList warnings;
    for (const auto &[label, count] : counts) {
        const QString name = label >= 0 && label < names.size() ? names[label] : QString::number(label);
        if (scheme.kind == ValidationScheme::Kind::Holdout && count == 1)
            warnings.append(QStringLiteral("class '%1' has a single labelled row: it cannot be on both sides of the holdout, "
                                           "so it trains and the validation does not measure it")
                                .arg(name));
        else if (scheme.kind == ValidationScheme::Kind::KFold && count == 1)
            warnings.append(
                QStringLiteral("class '%1' has a single labelled row: the fold that validates it was trained without it")
                    .arg(name));
        else if (scheme.kind == ValidationScheme::Kind::KFold && count < std::size_t(scheme.folds))
            warnings.append(
                QStringLiteral("class '%1' has %2 labelled rows, fewer than the %3 folds: some folds do not validate it")
                    .arg(name)
                    .arg(count)
                    .arg(scheme.folds));
    }
    return warnings;
}

std::vector<Split> kFoldSplits(std::size_t rows, int folds, std::uint64_t seed, const std::vector<int> *classes)
{
    Random random(seed);
    const auto groups = shuffledGroups(rows, random, classes);
    // Deal the rows round-robin, class after class, continuing where the last class stopped, so
    // fold sizes differ by at most one and each class spreads evenly.
    std::vector<std::size_t> foldOf(rows);
    std::size_t next = 0;
    for (const auto &group : groups)
        for (std::size_t row : group)
            foldOf[row] = next++ % std::size_t(folds);
    std::vector<Split> splits(static_cast<std::size_t>(folds));
    for (std::size_t row = 0; row < rows; ++row)
        for (std::size_t f = 0; f < splits.size(); ++f)
            (foldOf[row] == f ? splits[f].validation : splits[f].train).push_back(row);
    return splits;
}

Split timeSplit(const std::vector<double> &times, double validationFraction)
{
    std::vector<std::size_t> order;
    for (std::size_t row = 0; row < times.size(); ++row)
        if (!std::isnan(times[row]))
            order.push_back(row);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
    std::size_t cut = order.size() - validationCount(order.size(), validationFraction);
    // Rows sharing the cut's time all validate, so no moment is on both sides; when that would
    // leave nothing to train on, they all train instead (and validation may come out empty).
    const auto tiedAt = [&](std::size_t at) { return at > 0 && at < order.size() && times[order[at - 1]] == times[order[at]]; };
    std::size_t back = cut;
    while (tiedAt(back))
        --back;
    if (back > 0) {
        cut = back;
    } else {
        while (tiedAt(cut))
            ++cut;
    }
    Split split;
    split.train.assign(order.begin(), order.begin() + std::ptrdiff_t(cut));
    split.validation.assign(order.begin() + std::ptrdiff_t(cut), order.end());
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    return split;
}

FoldSpread foldSpread(const std::vector<MetricList> &folds, std::size_t metric)
{
    double sum = 0, squares = 0;
    for (const MetricList &fold : folds)
        sum += fold[metric].second;
    const double mean = sum / double(folds.size());
    for (const MetricList &fold : folds)
        squares += (fold[metric].second - mean) * (fold[metric].second - mean);
    return {mean, std::sqrt(squares / double(folds.size() - 1))};
}

} // namespace plumb
