// Validation splits: the properties validation.h promises (disjoint, covering, sizes, stratified
// proportions, seeded determinism, the past before the future) and the scheme parser's answers.

#include "learn/validation.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Labels for classCounts[c] rows of each class c, interleaved (row i gets the class whose share
// of the first i + 1 rows is furthest behind) so that no class sits in one block of rows.
std::vector<int> interleavedClasses(const QList<int> &classCounts)
{
    int total = 0;
    for (int count : classCounts)
        total += count;
    std::vector<int> labels;
    std::vector<int> given(std::size_t(classCounts.size()), 0);
    for (int row = 0; row < total; ++row) {
        int pick = -1;
        double behind = -std::numeric_limits<double>::infinity();
        for (qsizetype c = 0; c < classCounts.size(); ++c) {
            const double lag = double(classCounts[c]) * (row + 1) / total - given[std::size_t(c)];
            if (given[std::size_t(c)] < classCounts[c] && lag > behind) {
                behind = lag;
                pick = int(c);
            }
        }
        labels.push_back(pick);
        ++given[std::size_t(pick)];
    }
    return labels;
}

// Empty when train and validation are ascending, disjoint and together exactly `expected`.
QString partitionProblem(const Split &split, const std::vector<std::size_t> &expected)
{
    if (!std::is_sorted(split.train.begin(), split.train.end())
        || !std::is_sorted(split.validation.begin(), split.validation.end()))
        return u"a side is not ascending"_s;
    std::vector<std::size_t> all = split.train;
    all.insert(all.end(), split.validation.begin(), split.validation.end());
    std::sort(all.begin(), all.end());
    if (std::adjacent_find(all.begin(), all.end()) != all.end())
        return u"a row is on both sides (or twice on one)"_s;
    if (all != expected)
        return u"the sides hold %1 rows, expected %2"_s.arg(all.size()).arg(expected.size());
    return {};
}

std::vector<std::size_t> allRows(std::size_t rows)
{
    std::vector<std::size_t> indices(rows);
    for (std::size_t i = 0; i < rows; ++i)
        indices[i] = i;
    return indices;
}

// Rows of `side` per class.
std::vector<int> perClass(const std::vector<std::size_t> &side, const std::vector<int> &classes, int classCount)
{
    std::vector<int> counts(std::size_t(classCount), 0);
    for (std::size_t row : side)
        ++counts[std::size_t(classes[row])];
    return counts;
}

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT

private slots:
    void holdout_data();
    void holdout();
    void holdoutKeepsEveryClassItCan_data();
    void holdoutKeepsEveryClassItCan();
    void stratificationWarnings_data();
    void stratificationWarnings();
    void kFold_data();
    void kFold();
    void seeds_data();
    void seeds();
    void time_data();
    void time();
    void parse_data();
    void parse();
    void roundTrip_data();
    void roundTrip();
    void foldSpreadIsMeanAndSampleDeviation();
};

void TestValidation::holdout_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<QList<int>>("classCounts"); // empty: not stratified

    QTest::newRow("uniform-100-0.2") << 100 << 0.2 << QList<int>{};
    QTest::newRow("uniform-1000-0.33") << 1000 << 0.33 << QList<int>{};
    QTest::newRow("uniform-7-0.5") << 7 << 0.5 << QList<int>{};
    QTest::newRow("uniform-2-tiny-fraction") << 2 << 0.01 << QList<int>{};
    QTest::newRow("uniform-2-large-fraction") << 2 << 0.99 << QList<int>{};
    QTest::newRow("uniform-10-0.95") << 10 << 0.95 << QList<int>{};
    QTest::newRow("stratified-balanced") << 100 << 0.2 << QList<int>{50, 50};
    QTest::newRow("stratified-imbalanced") << 600 << 0.25 << QList<int>{510, 90};
    QTest::newRow("stratified-three-classes") << 100 << 0.3 << QList<int>{60, 30, 10};
    QTest::newRow("stratified-odd-sizes") << 100 << 0.1 << QList<int>{33, 34, 33};
    QTest::newRow("stratified-rare-classes") << 100 << 0.2 << QList<int>{97, 2, 1};
    QTest::newRow("stratified-many-classes") << 250 << 0.15 << QList<int>{70, 50, 40, 30, 25, 15, 10, 5, 3, 2};
}

void TestValidation::holdout()
{
    QFETCH(int, rows);
    QFETCH(double, fraction);
    QFETCH(QList<int>, classCounts);

    const std::vector<int> classes = interleavedClasses(classCounts);
    const bool stratified = !classCounts.isEmpty();
    if (stratified)
        QCOMPARE(int(classes.size()), rows);
    const Split split = holdoutSplit(std::size_t(rows), fraction, 42, stratified ? &classes : nullptr);

    const QString problem = partitionProblem(split, allRows(std::size_t(rows)));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // validation.h: at least one row on each side; otherwise the validation share is the
    // fraction, to within one row.
    QVERIFY(!split.train.empty());
    QVERIFY(!split.validation.empty());
    const double wanted = std::clamp(fraction * rows, 1.0, rows - 1.0);
    QVERIFY2(std::fabs(double(split.validation.size()) - wanted) < 1.0,
             qPrintable(u"%1 validation rows, wanted %2"_s.arg(split.validation.size()).arg(wanted)));

    // Stratified: each class validates its share of the validation rows, to within one row.
    if (stratified) {
        const std::vector<int> counts = perClass(split.validation, classes, int(classCounts.size()));
        const double share = double(split.validation.size()) / rows;
        for (qsizetype c = 0; c < classCounts.size(); ++c)
            QVERIFY2(std::fabs(counts[std::size_t(c)] - classCounts[c] * share) <= 1.0,
                     qPrintable(u"class %1: %2 of %3 rows validate, expected %4"_s.arg(c)
                                    .arg(counts[std::size_t(c)])
                                    .arg(classCounts[c])
                                    .arg(classCounts[c] * share)));
    }
}

void TestValidation::holdoutKeepsEveryClassItCan_data()
{
    QTest::addColumn<double>("fraction");
    QTest::addColumn<QList<int>>("classCounts");

    // R's mtcars, carb: 1 (7 cars), 2 (10), 3 (3), 4 (10), 6 (1), 8 (1). Proportional shares of
    // 7 validation rows round class 3 to none; it must still validate one row.
    QTest::newRow("mtcars-carb") << 0.2 << QList<int>{7, 10, 3, 10, 1, 1};
    // Ten classes of two rows and a 10% holdout (2 rows): every class gives one row.
    QTest::newRow("pairs") << 0.1 << QList<int>{2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
    QTest::newRow("rare-among-many") << 0.05 << QList<int>{200, 2, 2, 1};
    // Every class a single row: nothing can be stratified; one row still validates.
    QTest::newRow("all-singletons") << 0.2 << QList<int>{1, 1, 1, 1, 1};
}

void TestValidation::holdoutKeepsEveryClassItCan()
{
    QFETCH(double, fraction);
    QFETCH(QList<int>, classCounts);
    const std::vector<int> classes = interleavedClasses(classCounts);
    const std::size_t rows = classes.size();
    const Split split = holdoutSplit(rows, fraction, 7, &classes);
    const QString problem = partitionProblem(split, allRows(rows));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(!split.train.empty());
    QVERIFY(!split.validation.empty());
    const std::vector<int> validating = perClass(split.validation, classes, int(classCounts.size()));
    const std::vector<int> training = perClass(split.train, classes, int(classCounts.size()));
    const bool allSingletons = std::all_of(classCounts.begin(), classCounts.end(), [](int count) { return count == 1; });
    for (qsizetype c = 0; c < classCounts.size(); ++c) {
        const std::size_t i = std::size_t(c);
        if (classCounts[c] >= 2) { // validation.h: a row on each side
            QVERIFY2(validating[i] >= 1 && training[i] >= 1,
                     qPrintable(u"class %1 of %2 rows: %3 validate, %4 train"_s.arg(c)
                                    .arg(classCounts[c])
                                    .arg(validating[i])
                                    .arg(training[i])));
        } else if (!allSingletons) {
            QVERIFY2(training[i] == 1, qPrintable(u"class %1 of one row does not train"_s.arg(c))); // validation.h: it trains
        }
    }
}

void TestValidation::stratificationWarnings_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QList<int>>("classCounts");
    QTest::addColumn<QStringList>("expected");
    const QList<int> carb{7, 10, 3, 10, 1, 1}; // mtcars, as above; classes named c0..c5 here
    QTest::newRow("holdout-singletons")
        << u"holdout:0.2"_s << carb
        << QStringList{u"class 'c4' has a single labelled row: it cannot be on both sides of the holdout, "
                       "so it trains and the validation does not measure it"_s,
                       u"class 'c5' has a single labelled row: it cannot be on both sides of the holdout, "
                       "so it trains and the validation does not measure it"_s};
    QTest::newRow("kfold-small-classes")
        << u"kfold:5"_s << carb
        << QStringList{u"class 'c2' has 3 labelled rows, fewer than the 5 folds: some folds do not validate it"_s,
                       u"class 'c4' has a single labelled row: the fold that validates it was trained without it"_s,
                       u"class 'c5' has a single labelled row: the fold that validates it was trained without it"_s};
    QTest::newRow("holdout-nothing-to-say") << u"holdout:0.2"_s << QList<int>{5, 5} << QStringList{};
    QTest::newRow("time-does-not-stratify") << u"time:t"_s << carb << QStringList{};
}

void TestValidation::stratificationWarnings()
{
    QFETCH(QString, scheme);
    QFETCH(QList<int>, classCounts);
    QFETCH(QStringList, expected);
    QStringList names;
    for (qsizetype c = 0; c < classCounts.size(); ++c)
        names.append(u"c%1"_s.arg(c));
    QCOMPARE(plumb::stratificationWarnings(interleavedClasses(classCounts), names, ValidationScheme::parse(scheme).value()),
             expected);
}

void TestValidation::kFold_data()
{
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("folds");
    QTest::addColumn<QList<int>>("classCounts"); // empty: not stratified

    QTest::newRow("uniform-100-5") << 100 << 5 << QList<int>{};
    QTest::newRow("uniform-103-5") << 103 << 5 << QList<int>{};
    QTest::newRow("uniform-10-3") << 10 << 3 << QList<int>{};
    QTest::newRow("uniform-7-7") << 7 << 7 << QList<int>{};
    QTest::newRow("uniform-1000-2") << 1000 << 2 << QList<int>{};
    QTest::newRow("stratified-three-classes") << 100 << 5 << QList<int>{50, 30, 20};
    QTest::newRow("stratified-imbalanced-10") << 100 << 10 << QList<int>{90, 10};
    QTest::newRow("stratified-rare-classes") << 100 << 5 << QList<int>{95, 3, 2};
    QTest::newRow("stratified-uneven") << 97 << 4 << QList<int>{41, 29, 27};
}

void TestValidation::kFold()
{
    QFETCH(int, rows);
    QFETCH(int, folds);
    QFETCH(QList<int>, classCounts);

    const std::vector<int> classes = interleavedClasses(classCounts);
    const bool stratified = !classCounts.isEmpty();
    const std::vector<Split> splits = kFoldSplits(std::size_t(rows), folds, 7, stratified ? &classes : nullptr);
    QCOMPARE(int(splits.size()), folds);

    std::vector<int> validatedIn(std::size_t(rows), 0);
    std::size_t smallest = std::size_t(rows), largest = 0;
    for (std::size_t f = 0; f < splits.size(); ++f) {
        const QString problem = partitionProblem(splits[f], allRows(std::size_t(rows)));
        QVERIFY2(problem.isEmpty(), qPrintable(u"fold %1: %2"_s.arg(f).arg(problem)));
        for (std::size_t row : splits[f].validation)
            ++validatedIn[row];
        smallest = std::min(smallest, splits[f].validation.size());
        largest = std::max(largest, splits[f].validation.size());
        if (stratified) {
            const std::vector<int> counts = perClass(splits[f].validation, classes, int(classCounts.size()));
            for (qsizetype c = 0; c < classCounts.size(); ++c)
                QVERIFY2(
                    std::fabs(counts[std::size_t(c)] - double(classCounts[c]) / folds) <= 1.0,
                    qPrintable(
                        u"fold %1, class %2: %3 of %4 rows"_s.arg(f).arg(c).arg(counts[std::size_t(c)]).arg(classCounts[c])));
        }
    }
    // The validation folds partition the rows, and their sizes differ by at most one.
    for (int row = 0; row < rows; ++row)
        QVERIFY2(validatedIn[std::size_t(row)] == 1,
                 qPrintable(u"row %1 validates in %2 folds"_s.arg(row).arg(validatedIn[std::size_t(row)])));
    QVERIFY2(largest - smallest <= 1, qPrintable(u"fold sizes from %1 to %2"_s.arg(smallest).arg(largest)));
}

void TestValidation::seeds_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<bool>("stratified");

    QTest::newRow("holdout") << u"holdout"_s << false;
    QTest::newRow("holdout-stratified") << u"holdout"_s << true;
    QTest::newRow("kfold") << u"kfold"_s << false;
    QTest::newRow("kfold-stratified") << u"kfold"_s << true;
}

// The same seed gives the same split; another seed, on 200 rows, a different one (the chance
// that two seeded shuffles give the same split is far below 1e-30).
void TestValidation::seeds()
{
    QFETCH(QString, method);
    QFETCH(bool, stratified);

    const std::vector<int> classes = interleavedClasses({120, 60, 20});
    const std::vector<int> *labels = stratified ? &classes : nullptr;
    const auto run = [&](std::uint64_t seed) {
        if (method == u"holdout"_s)
            return std::vector<Split>{holdoutSplit(200, 0.25, seed, labels)};
        return kFoldSplits(200, 5, seed, labels);
    };
    const auto same = [](const std::vector<Split> &a, const std::vector<Split> &b) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].train != b[i].train || a[i].validation != b[i].validation)
                return false;
        return true;
    };
    QVERIFY(same(run(1), run(1)));
    QVERIFY(same(run(20240601), run(20240601)));
    QVERIFY(!same(run(1), run(2)));
    QVERIFY(!same(run(1), run(20240601)));
}

void TestValidation::time_data()
{
    QTest::addColumn<QList<double>>("times");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<QList<int>>("validation"); // by hand from the definition in validation.h

    // The latest 30% of ten rows: the three latest.
    QTest::newRow("ascending") << QList<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9} << 0.3 << QList<int>{7, 8, 9};
    // The latest 20% of ten rows: times 8 and 9, in rows 6 and 2.
    QTest::newRow("shuffled") << QList<double>{5, 1, 9, 3, 7, 0, 8, 2, 6, 4} << 0.2 << QList<int>{2, 6};
    // Two rows would validate (times 3 and 4), but time 3 is shared with two more rows: all
    // three join the validation side.
    QTest::newRow("ties-at-cut") << QList<double>{1, 2, 3, 3, 3, 4} << 0.3 << QList<int>{2, 3, 4, 5};
    QTest::newRow("ties-at-cut-unordered") << QList<double>{3, 4, 1, 3, 2, 3} << 0.3 << QList<int>{0, 1, 3, 5};
    // NaN times are left out; of the four others the latest (time 6, row 5) validates.
    QTest::newRow("missing-times") << QList<double>{1, kNaN, 3, 4, kNaN, 6} << 0.25 << QList<int>{5};
    // Unix seconds of 360 days, latest first; a tenth validates: the 36 latest days, rows 0-35.
    QList<double> days;
    for (int d = 359; d >= 0; --d)
        days.append(1735689600.0 + 86400.0 * d);
    QList<int> first36;
    for (int r = 0; r < 36; ++r)
        first36.append(r);
    QTest::newRow("days-reversed") << days << 0.1 << first36;
}

void TestValidation::time()
{
    QFETCH(QList<double>, times);
    QFETCH(double, fraction);
    QFETCH(QList<int>, validation);

    const std::vector<double> values(times.begin(), times.end());
    const Split split = timeSplit(values, fraction);

    std::vector<std::size_t> known;
    for (std::size_t row = 0; row < values.size(); ++row)
        if (!std::isnan(values[row]))
            known.push_back(row);
    const QString problem = partitionProblem(split, known);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // The past trains, the future validates: every training time is before every validation time.
    double latestTrain = -std::numeric_limits<double>::infinity();
    double earliestValidation = std::numeric_limits<double>::infinity();
    for (std::size_t row : split.train)
        latestTrain = std::max(latestTrain, values[row]);
    for (std::size_t row : split.validation)
        earliestValidation = std::min(earliestValidation, values[row]);
    QVERIFY2(latestTrain < earliestValidation,
             qPrintable(u"training reaches %1, validation starts at %2"_s.arg(latestTrain).arg(earliestValidation)));

    const std::vector<std::size_t> expected(validation.begin(), validation.end());
    QCOMPARE(split.validation, expected);
}

void TestValidation::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<int>("folds");
    QTest::addColumn<QString>("column");

    using Kind = ValidationScheme::Kind;
    // Good: the forms validation.h names, and the defaults (0.2, 5) when the argument is left out.
    QTest::newRow("holdout") << u"holdout:0.2"_s << true << int(Kind::Holdout) << 0.2 << 5 << QString();
    QTest::newRow("holdout-small") << u"holdout:0.05"_s << true << int(Kind::Holdout) << 0.05 << 5 << QString();
    QTest::newRow("holdout-default") << u"holdout"_s << true << int(Kind::Holdout) << 0.2 << 5 << QString();
    QTest::newRow("kfold") << u"kfold:10"_s << true << int(Kind::KFold) << 0.2 << 10 << QString();
    QTest::newRow("kfold-two") << u"kfold:2"_s << true << int(Kind::KFold) << 0.2 << 2 << QString();
    QTest::newRow("kfold-hundred") << u"kfold:100"_s << true << int(Kind::KFold) << 0.2 << 100 << QString();
    QTest::newRow("kfold-default") << u"kfold"_s << true << int(Kind::KFold) << 0.2 << 5 << QString();
    QTest::newRow("time") << u"time:snapshot_time"_s << true << int(Kind::Time) << 0.2 << 5 << u"snapshot_time"_s;
    QTest::newRow("time-column-with-colon") << u"time:t:utc"_s << true << int(Kind::Time) << 0.2 << 5 << u"t:utc"_s;

    // Bad: each is refused with the one message that lists the accepted forms.
    const auto bad = [](const char *name, const QString &text) {
        QTest::newRow(name) << text << false << 0 << 0.0 << 0 << QString();
    };
    bad("empty", QString());
    bad("holdout-zero", u"holdout:0"_s);
    bad("holdout-one", u"holdout:1"_s);
    bad("holdout-negative", u"holdout:-0.2"_s);
    bad("holdout-percent", u"holdout:20%"_s);
    bad("holdout-word", u"holdout:half"_s);
    bad("holdout-nan", u"holdout:nan"_s);
    bad("kfold-one", u"kfold:1"_s);
    bad("kfold-too-many", u"kfold:101"_s);
    bad("kfold-fraction", u"kfold:2.5"_s);
    bad("kfold-word", u"kfold:five"_s);
    bad("time-no-column", u"time"_s);
    bad("time-empty-column", u"time:"_s);
    bad("unknown-kind", u"bootstrap:10"_s);
    bad("capitalised", u"Holdout:0.2"_s);
    bad("leading-space", u" holdout:0.2"_s);
}

void TestValidation::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, kind);
    QFETCH(double, fraction);
    QFETCH(int, folds);
    QFETCH(QString, column);

    const Result<ValidationScheme> result = ValidationScheme::parse(text);
    if (!ok) {
        QVERIFY2(!result.ok(), "accepted");
        // The message of validation.cpp, naming the text given.
        QCOMPARE(
            result.error().message,
            u"validation '%1': expected holdout:FRACTION (0 < FRACTION < 1), kfold:K (2 <= K <= 100) or time:COLUMN"_s.arg(text));
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const ValidationScheme &scheme = result.value();
    QCOMPARE(int(scheme.kind), kind);
    QCOMPARE(scheme.timeColumn, column);
    if (scheme.kind == ValidationScheme::Kind::Holdout)
        QCOMPARE(scheme.validationFraction, fraction);
    if (scheme.kind == ValidationScheme::Kind::KFold)
        QCOMPARE(scheme.folds, folds);
}

void TestValidation::roundTrip_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("holdout") << u"holdout:0.2"_s;
    QTest::newRow("holdout-quarter") << u"holdout:0.25"_s;
    QTest::newRow("holdout-three-digits") << u"holdout:0.125"_s;
    QTest::newRow("kfold") << u"kfold:5"_s;
    QTest::newRow("kfold-ten") << u"kfold:10"_s;
    QTest::newRow("time") << u"time:snapshot_time"_s;
}

// toString() gives back the text a scheme was parsed from.
void TestValidation::roundTrip()
{
    QFETCH(QString, text);

    const Result<ValidationScheme> result = ValidationScheme::parse(text);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(result.value().toString(), text);
}

// Folds scoring 1, 2, 3 and 4 (and 10 for a second metric): mean 2.5, sample variance
// (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, by hand; the CLI and the Train view print these.
void TestValidation::foldSpreadIsMeanAndSampleDeviation()
{
    std::vector<MetricList> folds;
    for (const double score : {1.0, 2.0, 3.0, 4.0})
        folds.push_back({{QStringLiteral("r2"), score}, {QStringLiteral("rmse"), 10.0}});
    const FoldSpread spread = foldSpread(folds, 0);
    QCOMPARE(spread.mean, 2.5);
    QCOMPARE(spread.deviation, std::sqrt(5.0 / 3.0));
    const FoldSpread constant = foldSpread(folds, 1);
    QCOMPARE(constant.mean, 10.0);
    QCOMPARE(constant.deviation, 0.0);
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestValidation)
#include "tst_validation.moc"
