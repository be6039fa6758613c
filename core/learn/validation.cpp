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
                                         "kfold:K (2 <= K <= 100) or time:COLUMN").arg(text));
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
    Split split;
    // Each class gives its proportional share (rounded); the remainder goes to the largest classes.
    std::vector<std::size_t> shares(groups.size());
    std::size_t taken = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        shares[g] = std::size_t(std::floor(double(groups[g].size()) * double(wanted) / double(rows)));
        taken += shares[g];
    }
    std::vector<std::size_t> bySize(groups.size());
    std::iota(bySize.begin(), bySize.end(), 0);
    std::stable_sort(bySize.begin(), bySize.end(), [&](std::size_t a, std::size_t b) { return groups[a].size() > groups[b].size(); });
    for (std::size_t i = 0; taken < wanted && !bySize.empty(); i = (i + 1) % bySize.size()) {
        const std::size_t g = bySize[i];
        if (shares[g] < groups[g].size()) {
            ++shares[g];
            ++taken;
        }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        split.validation.insert(split.validation.end(), groups[g].begin(), groups[g].begin() + std::ptrdiff_t(shares[g]));
        split.train.insert(split.train.end(), groups[g].begin() + std::ptrdiff_t(shares[g]), groups[g].end());
    }
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
    return split;
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

} // namespace plumb
