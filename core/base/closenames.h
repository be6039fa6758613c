#pragma once

#include <QString>
#include <QStringList>

namespace plumb {

// Suggestions for a name a person typed that matches nothing: the column, feature or metric
// names that differ from it by a slip of the keyboard.

// The edit distance between `a` and `b` ignoring case: insertions, deletions, substitutions and
// swaps of two adjacent characters, each costing 1 (the optimal string alignment form of the
// Damerau–Levenshtein distance). "Ozon" -> "Ozone" is 1, "ozone" -> "Ozone" 0, "Oznoe" -> "Ozone" 1.
qsizetype nameDistance(const QString &a, const QString &b);

// The names among `candidates` close to `typed`, closest first (ties in the candidates' order), at
// most `limit` of them; `typed` itself (exactly) is never suggested. A name is close when it
// equals `typed` ignoring case, or when its distance is at most a third of the longer name's
// length (rounded down, at least 1) and less than `typed`'s length, so "x" suggests nothing for "y".
QStringList closeNames(const QString &typed, const QStringList &candidates, qsizetype limit = 3);

// "; close names: Ozone, ozone" for the message about an unknown `typed` name, or an empty string
// when no candidate is close: `QStringLiteral("no column named '%1'%2").arg(name, closeNamesHint(name, names))`.
QString closeNamesHint(const QString &typed, const QStringList &candidates);

} // namespace plumb
