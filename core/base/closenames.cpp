#include "base/closenames.h"

#include <algorithm>
#include <vector>

namespace plumb {

qsizetype nameDistance(const QString &a, const QString &b)
{
    // Optimal string alignment distance (Damerau 1964; Boytsov 2011, "Indexing methods for
    // approximate dictionary searching", section 2.2): the Levenshtein recurrence plus a
    // transposition of adjacent characters, over three rows of the dynamic-programming table.
    const QString s = a.toCaseFolded(), t = b.toCaseFolded();
    const qsizetype n = s.size(), m = t.size();
    std::vector<qsizetype> before(std::size_t(m + 1)), previous(std::size_t(m + 1)), current(std::size_t(m + 1));
    for (qsizetype j = 0; j <= m; ++j)
        previous[std::size_t(j)] = j;
    for (qsizetype i = 1; i <= n; ++i) {
        current[0] = i;
        for (qsizetype j = 1; j <= m; ++j) {
            const qsizetype cost = s[i - 1] == t[j - 1] ? 0 : 1;
            qsizetype best = std::min(
                {previous[std::size_t(j)] + 1, current[std::size_t(j - 1)] + 1, previous[std::size_t(j - 1)] + cost});
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1])
                best = std::min(best, before[std::size_t(j - 2)] + 1);
            current[std::size_t(j)] = best;
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[std::size_t(m)];
}

QStringList closeNames(const QString &typed, const QStringList &candidates, qsizetype limit)
{
    struct Close
    {
        qsizetype distance;
        qsizetype order;
    };
    std::vector<Close> close;
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const QString &candidate = candidates[i];
        if (candidate == typed || candidates.indexOf(candidate) != i)
            continue;
        const qsizetype distance = nameDistance(typed, candidate);
        const qsizetype allowed = std::max<qsizetype>(1, std::max(typed.size(), candidate.size()) / 3);
        if (distance == 0 || (distance <= allowed && distance < typed.size()))
            close.push_back({distance, i});
    }
    std::stable_sort(close.begin(), close.end(), [](const Close &x, const Close &y) { return x.distance < y.distance; });
    QStringList names;
    for (std::size_t i = 0; i < close.size() && names.size() < limit; ++i)
        names.append(candidates[close[i].order]);
    return names;
}

QString closeNamesHint(const QString &typed, const QStringList &candidates)
{
    const QStringList names = closeNames(typed, candidates);
    return names.isEmpty() ? QString() : QStringLiteral("; close names: %1").arg(names.join(QLatin1String(", ")));
}

} // namespace plumb
