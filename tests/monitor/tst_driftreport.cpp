// Windowing by calendar period, the profile's JSON form, and the drift report over windows.
// Expected values are by hand (timestamps from `date -u -d ... +%s`) or follow from how the test
// data is built; the raw-sample statistics come from numericdrift (checked against scipy in tst_drift).

#include "data/columnprofile.h"
#include "learn/model.h"
#include "monitor/driftreport.h"
#include "monitor/numericdrift.h"
#include "monitor/predictiondrift.h"
#include "monitor/profiledrift.h"
#include "monitor/retraining.h"
#include "monitor/timewindows.h"

#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace plumb;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Column numbers(const QString &name, ColumnType type, std::vector<double> values)
{
    Column column(name, type);
    column.numbers() = std::move(values);
    return column;
}

Column categories(const QString &name, const QStringList &values)
{
    Column column(name, ColumnType::Categorical);
    for (const QString &value : values) {
        qsizetype code = column.categories().indexOf(value);
        if (code < 0) {
            code = column.categories().size();
            column.categories().append(value);
        }
        column.codes().push_back(std::int32_t(code));
    }
    return column;
}

// x ~ N(shift, 1), n ~ Poisson-like integers 0..6 and a colour with `redShare` reds.
Dataset sample(std::size_t rows, double shift, double redShare, unsigned seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(shift, 1.0);
    std::uniform_real_distribution<double> uniform;
    std::vector<double> x(rows), n(rows);
    QStringList colour;
    for (std::size_t i = 0; i < rows; ++i) {
        x[i] = normal(random);
        n[i] = std::floor(uniform(random) * 7);
        colour.append(uniform(random) < redShare ? QStringLiteral("red") : QStringLiteral("blue"));
    }
    Dataset data;
    data.addColumn(numbers(QStringLiteral("x"), ColumnType::Float, x));
    data.addColumn(numbers(QStringLiteral("n"), ColumnType::Integer, n));
    data.addColumn(categories(QStringLiteral("colour"), colour));
    return data;
}

std::vector<ColumnProfile> profilesOf(const Dataset &data)
{
    std::vector<ColumnProfile> profiles;
    for (const Column &column : data.columns())
        profiles.push_back(profileColumn(column));
    return profiles;
}

} // namespace

class TestDriftReport : public QObject
{
    Q_OBJECT

private slots:
    void windowsByPeriod_data();
    void windowsByPeriod();
    void windowsSparseAndMissing();
    void profileJsonRoundTrip();
    void profileJsonRefusals_data();
    void profileJsonRefusals();
    void integerProfileIsExact();
    void continuousProfileWasserstein();
    void reportFindsTheShiftedWindow();
    void reportThresholdsAndSettings();
    void reportRefusesMismatchedData();
    void reportJsonNamesEachCell_data();
    void reportJsonNamesEachCell();
    void unscoredCellsAreNamed_data();
    void unscoredCellsAreNamed();
    void reportRefusesSettingsForUnknownColumns_data();
    void reportRefusesSettingsForUnknownColumns();
    void settingsValidation_data();
    void settingsValidation();
    void appendRowsMatchesCategories();
    void predictionsDriftWithTheirInputs();
    void predictedClassSharesPerWindow();
    void retrainingPolicy_data();
    void retrainingPolicy();
};

void TestDriftReport::windowsByPeriod_data()
{
    QTest::addColumn<QString>("period");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QList<int>>("sizes");
    // 2026-02-28T23:30Z = 1772321400, 2026-03-01T00:10Z = 1772323800, 2026-03-01T01:00Z = 1772326800,
    // 2026-03-09T12:00Z = 1773057600 (a Monday), 2025-12-31T23:59:59Z = 1767225599.
    QTest::newRow("hour") << QStringLiteral("hour")
                          << QStringList{QStringLiteral("2025-12-31T23:00"), QStringLiteral("2026-02-28T23:00"),
                                         QStringLiteral("2026-03-01T00:00"), QStringLiteral("2026-03-01T01:00"),
                                         QStringLiteral("2026-03-09T12:00")}
                          << QList<int>{1, 1, 1, 1, 1};
    QTest::newRow("day") << QStringLiteral("day")
                         << QStringList{QStringLiteral("2025-12-31"), QStringLiteral("2026-02-28"), QStringLiteral("2026-03-01"),
                                        QStringLiteral("2026-03-09")}
                         << QList<int>{1, 1, 2, 1};
    // ISO weeks: 2025-12-31 is in 2026-W01; 2026-02-28 and 03-01 (Sat, Sun) in W09; 03-09 starts W11.
    QTest::newRow("iso-week") << QStringLiteral("week")
                              << QStringList{QStringLiteral("2026-W01"), QStringLiteral("2026-W09"), QStringLiteral("2026-W11")}
                              << QList<int>{1, 3, 1};
    QTest::newRow("month") << QStringLiteral("month")
                           << QStringList{QStringLiteral("2025-12"), QStringLiteral("2026-02"), QStringLiteral("2026-03")}
                           << QList<int>{1, 1, 3};
}

void TestDriftReport::windowsByPeriod()
{
    QFETCH(QString, period);
    QFETCH(QStringList, labels);
    QFETCH(QList<int>, sizes);
    const std::vector<double> timestamps{1772323800, 1772321400, 1773057600, 1767225599, 1772326800};
    std::size_t missing = 99;
    const Result<std::vector<TimeWindow>> windows = plumb::windowsByPeriod(timestamps, *windowPeriodFromName(period), missing);
    QVERIFY(windows.ok());
    QCOMPARE(missing, std::size_t(0));
    QStringList got;
    QList<int> gotSizes;
    for (const TimeWindow &window : windows.value()) {
        got.append(window.label);
        gotSizes.append(int(window.rows.size()));
        for (std::size_t row : window.rows)
            QVERIFY(timestamps[row] >= window.start && timestamps[row] < window.end);
    }
    QCOMPARE(got, labels);
    QCOMPARE(gotSizes, sizes);
}

void TestDriftReport::windowsSparseAndMissing()
{
    // Days 100 years apart take the sorting path; 1969-12-31T12:00Z (-43200) is before the epoch.
    const std::vector<double> timestamps{4102444800.0 * 2, kNaN, -43200, 4102444800.0 * 2 + 60};
    std::size_t missing = 0;
    const Result<std::vector<TimeWindow>> windows = plumb::windowsByPeriod(timestamps, WindowPeriod::Day, missing);
    QVERIFY(windows.ok());
    QCOMPARE(missing, std::size_t(1));
    QCOMPARE(windows.value().size(), std::size_t(2));
    QCOMPARE(windows.value()[0].label, QStringLiteral("1969-12-31"));
    QCOMPARE(windows.value()[1].label, QStringLiteral("2230-01-02")); // date -u -d @8204889600
    QCOMPARE(windows.value()[1].rows, (std::vector<std::size_t>{0, 3}));
    const std::vector<double> none{kNaN, kNaN};
    QVERIFY(!plumb::windowsByPeriod(none, WindowPeriod::Day, missing).ok());
}

void TestDriftReport::profileJsonRoundTrip()
{
    const Dataset data = sample(500, 0, 0.3, 1);
    for (const Column &column : data.columns()) {
        const ColumnProfile profile = profileColumn(column);
        const Result<ColumnProfile> back = profileFromJson(profileToJson(profile));
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        QCOMPARE(profileToJson(back.value()), profileToJson(profile));
    }
}

void TestDriftReport::profileJsonRefusals_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown-field") << QStringLiteral("extra") << QJsonValue(1) << QStringLiteral("unknown field \"extra\"");
    QTest::newRow("fractional-count") << QStringLiteral("count") << QJsonValue(2.5)
                                      << QStringLiteral("count must be a whole number");
    QTest::newRow("negative-missing") << QStringLiteral("missing") << QJsonValue(-1)
                                      << QStringLiteral("missing must be a whole number");
    QTest::newRow("text-mean") << QStringLiteral("mean") << QJsonValue(QStringLiteral("1"))
                               << QStringLiteral("mean must be a number or null");
    QTest::newRow("bad-type") << QStringLiteral("type") << QJsonValue(QStringLiteral("complex"))
                              << QStringLiteral("type is not a column type");
    QTest::newRow("histogram-count") << QStringLiteral("histogram")
                                     << QJsonValue(QJsonArray{QJsonObject{{QStringLiteral("lower"), 0},
                                                                          {QStringLiteral("upper"), 1},
                                                                          {QStringLiteral("count"), 3}}})
                                     << QStringLiteral("histogram counts 3 values");
    QTest::newRow("overlapping-bins")
        << QStringLiteral("histogram")
        << QJsonValue(QJsonArray{
               QJsonObject{{QStringLiteral("lower"), 0}, {QStringLiteral("upper"), 2}, {QStringLiteral("count"), 250}},
               QJsonObject{{QStringLiteral("lower"), 1}, {QStringLiteral("upper"), 3}, {QStringLiteral("count"), 250}}})
        << QStringLiteral("histogram[1].lower overlaps");
}

void TestDriftReport::profileJsonRefusals()
{
    QFETCH(QString, key);
    QFETCH(QJsonValue, value);
    QFETCH(QString, message);
    QJsonObject json = profileToJson(profileColumn(sample(500, 0, 0.3, 1).column(0)));
    json.insert(key, value);
    const Result<ColumnProfile> profile = profileFromJson(json);
    QVERIFY(!profile.ok());
    QVERIFY2(profile.error().message.contains(message), qPrintable(profile.error().message));
    QVERIFY(profile.error().message.startsWith(QLatin1String("profile \"x\"")));
}

void TestDriftReport::integerProfileIsExact()
{
    // An Integer column spanning fewer than 50 values keeps one bin per value: the profile is the
    // exact distribution, so the profile-based statistics equal the raw-sample ones.
    const Dataset reference = sample(4000, 0, 0.5, 2), current = sample(3000, 0, 0.5, 3);
    std::vector<double> shifted = current.column(1).numbers();
    for (std::size_t i = 0; i < shifted.size(); i += 3)
        shifted[i] += 1;
    const ColumnProfile profile = profileColumn(reference.column(1));
    const SortedPair raw = sortedPair(reference.column(1).numbers(), shifted);
    QVERIFY(
        std::abs(wassersteinFromProfile(profile, raw.current).value() - wassersteinDistance(raw.reference, raw.current).value())
        < 1e-12);
    QVERIFY(std::abs(kolmogorovSmirnovFromProfile(profile, raw.current).value().statistic
                     - kolmogorovSmirnov(raw.reference, raw.current).value().statistic)
            < 1e-12);
    // The same draw from the same distribution: no distance beyond sampling noise.
    const SortedSample same = sortedSample(current.column(1).numbers());
    QVERIFY(wassersteinFromProfile(profile, same).value() < 0.1);
}

void TestDriftReport::continuousProfileWasserstein()
{
    // The integral of |F - G| for a profile's CDF, evaluated here the plain way: every breakpoint
    // (knots or bin edges, and current values, merged), F by summing every knot or bin, G by
    // counting; trapezoids from F at one breakpoint to F's left limit at the next, or the two
    // triangles where F - G changes sign. The current sample has values outside the profile's
    // range, on its knots and repeated. Once with the knots a profile keeps, once with the
    // histogram a model format 2 profile kept.
    const Dataset reference = sample(5000, 0, 0.5, 7), current = sample(3000, 0.4, 0.5, 8);
    for (const bool histogramOnly : {false, true}) {
        ColumnProfile profile = profileColumn(reference.column(0));
        QVERIFY(profile.histogram.size() >= 10);
        QVERIFY(profile.knots.size() >= 100);
        if (histogramOnly)
            profile.knots.clear();
        std::vector<double> values = current.column(0).numbers();
        values.push_back(histogramOnly ? profile.histogram[3].lower : profile.knots[30].value);
        values.push_back(histogramOnly ? profile.histogram[3].lower : profile.knots[30].value);
        values.push_back(profile.max + 2);
        values.push_back(profile.min - 2);
        const SortedSample sorted = sortedSample(values);
        std::vector<double> points = sorted.values;
        // (lower, upper, count at upper, count spread over (lower, upper))
        struct Piece
        {
            double lower, upper, atUpper, spread;
        };
        std::vector<Piece> pieces;
        for (const ColumnProfile::Bin &bin : profile.histogram)
            if (histogramOnly)
                pieces.push_back({bin.lower, bin.upper, 0, double(bin.count)});
        for (std::size_t k = 0; k < profile.knots.size(); ++k)
            pieces.push_back({k ? profile.knots[k - 1].value : profile.knots[k].value, profile.knots[k].value,
                              double(profile.knots[k].count), double(profile.knots[k].between)});
        double total = 0;
        for (const Piece &piece : pieces) {
            points.push_back(piece.lower);
            points.push_back(piece.upper);
            total += piece.atUpper + piece.spread;
        }
        std::sort(points.begin(), points.end());
        points.erase(std::unique(points.begin(), points.end()), points.end());
        auto referenceCdf = [&](double x, bool leftLimit) {
            double below = 0;
            for (const Piece &piece : pieces) {
                if (x > piece.upper || (x == piece.upper && !leftLimit))
                    below += piece.atUpper + piece.spread;
                else if (x == piece.upper)
                    below += piece.spread;
                else if (x > piece.lower)
                    below += piece.spread * (x - piece.lower) / (piece.upper - piece.lower);
            }
            return below / total;
        };
        double expected = 0;
        for (std::size_t p = 0; p + 1 < points.size(); ++p) {
            const auto atOrBelow = std::upper_bound(sorted.values.begin(), sorted.values.end(), points[p])
                - sorted.values.begin();
            const double g = double(atOrBelow) / double(sorted.count());
            const double f0 = referenceCdf(points[p], false) - g, f1 = referenceCdf(points[p + 1], true) - g;
            const double width = points[p + 1] - points[p];
            expected += (f0 >= 0) == (f1 >= 0) ? (std::abs(f0) + std::abs(f1)) / 2 * width
                                               : (f0 * f0 + f1 * f1) / (2 * std::abs(f1 - f0)) * width;
        }
        const double distance = wassersteinFromProfile(profile, sorted).value();
        QVERIFY2(expected > 0.1, qPrintable(QString::number(expected))); // a 0.4 sd shift
        QVERIFY2(std::abs(distance - expected) < 1e-12,
                 qPrintable(QStringLiteral("%1 vs %2").arg(distance, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    }
}

void TestDriftReport::reportFindsTheShiftedWindow()
{
    const Dataset reference = sample(5000, 0, 0.3, 4);
    const Dataset calm = sample(2000, 0, 0.3, 5), shifted = sample(2000, 0.8, 0.7, 6);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("calm"), kNaN, kNaN, &calm, {}},
                                                {QStringLiteral("shifted"), kNaN, kNaN, &shifted, {}}};
    const Result<DriftReport> report = computeDriftReport(profilesOf(reference), windows, DriftSettings());
    QVERIFY(report.ok());
    const DriftReport &r = report.value();
    QCOMPARE(r.columns, (QStringList{QStringLiteral("x"), QStringLiteral("n"), QStringLiteral("colour")}));
    // Above 1000 reference rows Evidently's defaults: normed Wasserstein and Jensen–Shannon.
    QCOMPARE(r.methods[0], DriftMethod::WassersteinNormed);
    QCOMPARE(r.methods[2], DriftMethod::JensenShannon);
    QCOMPARE(r.windows[0].driftedFeatures, std::size_t(0));
    QVERIFY(!r.windows[0].datasetDrift);
    // x moved by 0.8 sd and red went from 30% to 70%; n did not move.
    QVERIFY(r.cells[1][0].score->drifted);
    QVERIFY(!r.cells[1][1].score->drifted);
    QVERIFY(r.cells[1][2].score->drifted);
    QCOMPARE(r.windows[1].driftedFeatures, std::size_t(2));
    QVERIFY(r.windows[1].datasetDrift); // 2 of 3 >= 0.5
    int shiftedAlerts = 0;
    for (const DriftAlert &alert : r.alerts) {
        QCOMPARE(alert.window, std::size_t(1));
        ++shiftedAlerts;
    }
    QCOMPARE(shiftedAlerts, 3); // x, colour and the dataset
    const QJsonObject json = r.toJson();
    QCOMPARE(json.value(QLatin1String("windows")).toArray().size(), 2);
    QCOMPARE(json.value(QLatin1String("alerts")).toArray().size(), 3);
}

void TestDriftReport::reportThresholdsAndSettings()
{
    const Dataset reference = sample(5000, 0, 0.3, 7);
    Dataset current = sample(3000, 0.3, 0.3, 8);
    // Rows 0..2999: the first 20 form a window below the minimum size.
    std::vector<std::size_t> few(20), rest;
    for (std::size_t i = 0; i < few.size(); ++i)
        few[i] = i;
    for (std::size_t i = 20; i < 3000; ++i)
        rest.push_back(i);
    DriftSettings settings;
    settings.columns[QStringLiteral("x")] = {DriftMethod::KolmogorovSmirnov, 1e-300, std::nullopt};
    settings.columns[QStringLiteral("n")] = {DriftMethod::Psi, std::nullopt, std::nullopt};
    const std::vector<DriftWindowInput> windows{{QStringLiteral("few"), kNaN, kNaN, &current, few},
                                                {QStringLiteral("rest"), kNaN, kNaN, &current, rest}};
    const DriftReport report = computeDriftReport(profilesOf(reference), windows, settings).value();
    QCOMPARE(report.methods[0], DriftMethod::KolmogorovSmirnov);
    QCOMPARE(report.thresholds[0], 1e-300);
    QCOMPARE(report.methods[1], DriftMethod::Psi);
    QVERIFY(!report.cells[0][0].score);
    QVERIFY(report.cells[0][0].error.contains(QLatin1String("too few rows")));
    QCOMPARE(report.windows[0].scoredFeatures, std::size_t(0));
    QVERIFY(report.cells[1][0].score->pValue.has_value());
    QVERIFY(report.cells[1][0].score->drifted == (*report.cells[1][0].score->pValue <= 1e-300));

    // NannyML style: thresholds from the baseline windows' statistics, applied to the statistic.
    std::vector<DriftWindowInput> series;
    std::vector<Dataset> days;
    days.reserve(8);
    for (unsigned day = 0; day < 8; ++day)
        days.push_back(sample(1500, day == 7 ? 0.6 : 0.0, 0.3, 100 + day));
    for (unsigned day = 0; day < 8; ++day)
        series.push_back({QStringLiteral("day %1").arg(day), kNaN, kNaN, &days[day], {}});
    DriftSettings baseline;
    baseline.baselineWindows = 6;
    const DriftReport nanny = computeDriftReport(profilesOf(reference), series, baseline).value();
    QVERIFY(nanny.statisticThresholds);
    double sum = 0, squares = 0;
    for (std::size_t w = 0; w < 6; ++w) {
        sum += nanny.cells[w][0].score->statistic;
        squares += std::pow(nanny.cells[w][0].score->statistic, 2);
    }
    const double mean = sum / 6, threshold = mean + 3 * std::sqrt(squares / 6 - mean * mean);
    QVERIFY(std::abs(nanny.thresholds[0] - threshold) < 1e-12);
    QVERIFY(nanny.cells[7][0].score->drifted); // shifted by 0.6 sd on the last day
}

void TestDriftReport::reportRefusesMismatchedData()
{
    const Dataset reference = sample(2000, 0, 0.3, 9);
    Dataset lacking;
    lacking.addColumn(reference.column(0));
    const std::vector<DriftWindowInput> missing{{QStringLiteral("w1"), kNaN, kNaN, &lacking, {}}};
    const Result<DriftReport> noColumn = computeDriftReport(profilesOf(reference), missing, DriftSettings());
    QVERIFY(!noColumn.ok());
    QCOMPARE(noColumn.error().message, QStringLiteral("window w1 has no column \"n\""));

    Dataset retyped = reference;
    retyped.columns()[2] = numbers(QStringLiteral("colour"), ColumnType::Float, std::vector<double>(2000, 1.0));
    const std::vector<DriftWindowInput> wrongType{{QStringLiteral("w2"), kNaN, kNaN, &retyped, {}}};
    const Result<DriftReport> typeError = computeDriftReport(profilesOf(reference), wrongType, DriftSettings());
    QVERIFY(!typeError.ok());
    QVERIFY(typeError.error().message.contains(QLatin1String("column \"colour\" is float, but the model saw categorical")));
    QVERIFY(!computeDriftReport(profilesOf(reference), {}, DriftSettings()).ok());

    CancelFlag cancel;
    cancel.cancel();
    const std::vector<DriftWindowInput> fine{{QStringLiteral("w3"), kNaN, kNaN, &reference, {}}};
    QVERIFY(computeDriftReport(profilesOf(reference), fine, DriftSettings(), cancel).error().isCancelled());
}

void TestDriftReport::reportJsonNamesEachCell_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("method");
    // Above 1000 reference rows, Evidently's defaults: normed Wasserstein for numbers with more
    // than five values (x, and n with seven), Jensen–Shannon for categories.
    QTest::newRow("x") << QStringLiteral("x") << QStringLiteral("wasserstein_normed");
    QTest::newRow("n") << QStringLiteral("n") << QStringLiteral("wasserstein_normed");
    QTest::newRow("colour") << QStringLiteral("colour") << QStringLiteral("jensenshannon");
}

void TestDriftReport::reportJsonNamesEachCell()
{
    QFETCH(QString, column);
    QFETCH(QString, method);
    const Dataset reference = sample(3000, 0, 0.3, 21);
    const Dataset first = sample(500, 0, 0.3, 22), second = sample(500, 1.0, 0.8, 23);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("first"), kNaN, kNaN, &first, {}},
                                                {QStringLiteral("second"), kNaN, kNaN, &second, {}}};
    const DriftReport report = computeDriftReport(profilesOf(reference), windows, DriftSettings()).value();
    const qsizetype c = report.columns.indexOf(column);
    QVERIFY(c >= 0);
    // As `jq '.windows[].columns[] | select(.column == "x")'` picks them: one entry per window.
    const QJsonArray windowList = report.toJson().value(QLatin1String("windows")).toArray();
    QCOMPARE(windowList.size(), 2);
    for (qsizetype w = 0; w < windowList.size(); ++w) {
        QJsonObject picked;
        int matches = 0;
        for (const QJsonValue &cell : windowList[w].toObject().value(QLatin1String("columns")).toArray())
            if (cell.toObject().value(QLatin1String("column")).toString() == column) {
                picked = cell.toObject();
                ++matches;
            }
        QCOMPARE(matches, 1);
        QCOMPARE(picked.value(QLatin1String("method")).toString(), method);
        QCOMPARE(picked.value(QLatin1String("role")).toString(), QStringLiteral("feature"));
        QCOMPARE(picked.value(QLatin1String("scored")).toBool(), true);
        QCOMPARE(picked.value(QLatin1String("statistic")).toDouble(),
                 report.cells[std::size_t(w)][std::size_t(c)].score->statistic);
        QCOMPARE(picked.value(QLatin1String("threshold")).toDouble(), report.thresholds[std::size_t(c)]);
    }
}

void TestDriftReport::unscoredCellsAreNamed_data()
{
    QTest::addColumn<std::size_t>("firstWindowRows");
    QTest::addColumn<QStringList>("expected"); // describeUnscored of each group, in order
    QTest::addColumn<std::size_t>("scoredInLast");
    // 800 reference rows (Evidently: up to 1000 take the tests); a month column of five whole
    // numbers gets chi-square on its values, and the user chose KS for the categorical colour,
    // which does not apply to it.
    const QString notApplicable = QStringLiteral("ks does not apply to categories; use chisquare, jensenshannon or psi");
    QTest::newRow("method-does-not-apply") << std::size_t(400)
                                           << QStringList{QStringLiteral("colour (every window): ") + notApplicable}
                                           << std::size_t(2);
    // A first window of 20 rows is under the 30-row minimum: each of its columns is named once.
    QTest::newRow("too-few-rows") << std::size_t(20)
                                  << QStringList{QStringLiteral(
                                                     "x, month, colour (small): too few rows to compare (20; at least 30)"),
                                                 QStringLiteral("colour (large): ") + notApplicable}
                                  << std::size_t(2);
}

void TestDriftReport::unscoredCellsAreNamed()
{
    QFETCH(std::size_t, firstWindowRows);
    QFETCH(QStringList, expected);
    QFETCH(std::size_t, scoredInLast);
    const auto table = [](std::size_t rows, unsigned seed) {
        std::mt19937_64 random(seed);
        std::normal_distribution<double> normal;
        std::vector<double> x(rows), month(rows);
        QStringList colour;
        for (std::size_t i = 0; i < rows; ++i) {
            x[i] = normal(random);
            month[i] = double(5 + i % 5);
            colour.append(
                QStringList{QStringLiteral("red"), QStringLiteral("blue"), QStringLiteral("green")}.at(qsizetype(i % 3)));
        }
        Dataset data;
        data.addColumn(numbers(QStringLiteral("x"), ColumnType::Float, x));
        data.addColumn(numbers(QStringLiteral("month"), ColumnType::Integer, month));
        data.addColumn(categories(QStringLiteral("colour"), colour));
        return data;
    };
    const Dataset reference = table(800, 31), small = table(firstWindowRows, 32), large = table(400, 33);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("small"), kNaN, kNaN, &small, {}},
                                                {QStringLiteral("large"), kNaN, kNaN, &large, {}}};
    DriftSettings settings;
    settings.columns[QStringLiteral("colour")].method = DriftMethod::KolmogorovSmirnov;
    const DriftReport report = computeDriftReport(profilesOf(reference), windows, settings).value();
    // Five whole numbers: chi-square on the values, scored.
    QCOMPARE(report.methods[1], DriftMethod::ChiSquare);
    QVERIFY(report.cells[1][1].score);
    QCOMPARE(report.windows[1].scoredFeatures, scoredInLast);
    QStringList described;
    for (const UnscoredCells &cells : unscoredCells(report))
        described.append(describeUnscored(report, cells));
    QCOMPARE(described, expected);
    // The JSON names them too: in the summary and in each window's entry for the column.
    const QJsonObject json = report.toJson();
    QCOMPARE(json.value(QLatin1String("not_scored")).toArray().size(), expected.size());
    const QJsonObject colour = json.value(QLatin1String("windows"))
                                   .toArray()
                                   .at(1)
                                   .toObject()
                                   .value(QLatin1String("columns"))
                                   .toArray()
                                   .at(2)
                                   .toObject();
    QCOMPARE(colour.value(QLatin1String("column")).toString(), QStringLiteral("colour"));
    QCOMPARE(colour.value(QLatin1String("method")).toString(), QStringLiteral("ks"));
    QCOMPARE(colour.value(QLatin1String("scored")).toBool(true), false);
    QCOMPARE(colour.value(QLatin1String("error")).toString(),
             QStringLiteral("ks does not apply to categories; use chisquare, jensenshannon or psi"));
}

void TestDriftReport::reportRefusesSettingsForUnknownColumns_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("hint");
    QTest::newRow("typo") << QStringLiteral("colur") << QStringLiteral("; close names: colour");
    QTest::newRow("case-only") << QStringLiteral("Colour") << QStringLiteral("; close names: colour");
    QTest::newRow("nothing-close") << QStringLiteral("humidity") << QString();
}

void TestDriftReport::reportRefusesSettingsForUnknownColumns()
{
    QFETCH(QString, name);
    QFETCH(QString, hint);
    const Dataset reference = sample(2000, 0, 0.3, 41);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("w"), kNaN, kNaN, &reference, {}}};
    DriftSettings settings;
    settings.columns[name].method = DriftMethod::Psi;
    const Result<DriftReport> report = computeDriftReport(profilesOf(reference), windows, settings);
    QVERIFY(!report.ok());
    QCOMPARE(report.error().message,
             QStringLiteral("a drift method, threshold or bins were set for \"%1\", which is not a feature "
                            "or the target of the model%2")
                 .arg(name, hint));
}

void TestDriftReport::settingsValidation_data()
{
    QTest::addColumn<int>("baselineWindows");
    QTest::addColumn<double>("driftShare");
    QTest::addColumn<QString>("problem");
    // kMinimumBaselineWindows (2): the spread of one window's statistic is zero.
    QTest::newRow("fixed-thresholds") << 0 << 0.5 << QString();
    QTest::newRow("one-window")
        << 1 << 0.5
        << QStringLiteral("a baseline needs at least 2 windows (the spread of one window's statistic is zero); got 1");
    QTest::newRow("two-windows") << 2 << 0.5 << QString();
    QTest::newRow("share-zero") << 0 << 0.0
                                << QStringLiteral(
                                       "the share of drifted features that makes a window drift must lie in (0, 1]; got 0");
    QTest::newRow("share-one") << 0 << 1.0 << QString();
    QTest::newRow("share-above-one")
        << 3 << 1.5 << QStringLiteral("the share of drifted features that makes a window drift must lie in (0, 1]; got 1.5");
}

// One check for `plumb drift` and the Monitor view; the report itself refuses the same settings.
void TestDriftReport::settingsValidation()
{
    QFETCH(int, baselineWindows);
    QFETCH(double, driftShare);
    QFETCH(QString, problem);
    DriftSettings settings;
    settings.baselineWindows = std::size_t(baselineWindows);
    settings.datasetDriftShare = driftShare;
    QCOMPARE(driftSettingsProblem(settings), problem);
    const Dataset reference = sample(2000, 0, 0.3, 41);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("a"), kNaN, kNaN, &reference, {}},
                                                {QStringLiteral("b"), kNaN, kNaN, &reference, {}}};
    const Result<DriftReport> report = computeDriftReport(profilesOf(reference), windows, settings);
    QCOMPARE(report.ok(), problem.isEmpty());
    if (!report.ok())
        QCOMPARE(report.error().message, problem);
}

void TestDriftReport::appendRowsMatchesCategories()
{
    Dataset first;
    first.addColumn(numbers(QStringLiteral("a"), ColumnType::Integer, {1, 2}));
    first.addColumn(categories(QStringLiteral("c"), {QStringLiteral("x"), QStringLiteral("y")}));
    Dataset second;
    second.addColumn(numbers(QStringLiteral("a"), ColumnType::Float, {2.5}));
    second.addColumn(categories(QStringLiteral("c"), {QStringLiteral("z")}));
    Dataset third;
    third.addColumn(numbers(QStringLiteral("a"), ColumnType::Integer, {3}));
    third.addColumn(categories(QStringLiteral("c"), {QStringLiteral("y")}));
    QVERIFY(!first.appendRows(second).has_value());
    QVERIFY(!first.appendRows(third).has_value());
    QCOMPARE(first.rowCount(), std::size_t(4));
    QCOMPARE(first.column(0).type(), ColumnType::Float);
    QCOMPARE(first.column(0).numbers(), (std::vector<double>{1, 2, 2.5, 3}));
    QCOMPARE(first.column(1).displayText(2), QStringLiteral("z"));
    QCOMPARE(first.column(1).displayText(3), QStringLiteral("y"));
    QCOMPARE(first.column(1).categories().size(), 3);

    Dataset renamed;
    renamed.addColumn(numbers(QStringLiteral("b"), ColumnType::Float, {1}));
    renamed.addColumn(categories(QStringLiteral("c"), {QStringLiteral("x")}));
    const std::optional<Error> error = first.appendRows(renamed);
    QVERIFY(error.has_value());
    QVERIFY(error->message.contains(QLatin1String("column 1 is \"b\", not \"a\"")));
    QCOMPARE(first.rowCount(), std::size_t(4)); // unchanged
}

void TestDriftReport::predictionsDriftWithTheirInputs()
{
    // y = 2x + n exactly, so a linear model's predictions follow x: windows whose x moves by
    // 0.8 sd move their predictions, windows drawn like the first do not.
    auto labelled = [](std::size_t rows, double shift, unsigned seed) {
        Dataset data = sample(rows, shift, 0.3, seed);
        std::vector<double> y(rows);
        for (std::size_t i = 0; i < rows; ++i)
            y[i] = 2 * data.column(0).numbers()[i] + data.column(1).numbers()[i];
        data.addColumn(numbers(QStringLiteral("y"), ColumnType::Float, y));
        return data;
    };
    const Dataset training = labelled(3000, 0, 20);
    Result<Pipeline> pipeline = Pipeline::withDefaults(training, {QStringLiteral("x"), QStringLiteral("n")},
                                                       createModel(QStringLiteral("linear_regression")));
    QVERIFY(pipeline.ok());
    QVERIFY(pipeline.value().fit(training, QStringLiteral("y"), {}).ok());
    const Dataset first = labelled(2000, 0, 21), calm = labelled(2000, 0, 22), moved = labelled(2000, 0.8, 23);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("first"), kNaN, kNaN, &first, {}},
                                                {QStringLiteral("calm"), kNaN, kNaN, &calm, {}},
                                                {QStringLiteral("moved"), kNaN, kNaN, &moved, {}}};
    const Result<PredictionDrift> drift = predictionDrift(pipeline.value(), windows, 1);
    QVERIFY(drift.ok());
    QCOMPARE(drift.value().referenceRows, std::size_t(2000));
    QCOMPARE(drift.value().method, DriftMethod::WassersteinNormed); // numbers, more than 1000 reference rows
    QCOMPARE(drift.value().windows[0].score->statistic, 0.0); // the reference against itself
    QVERIFY(!drift.value().windows[1].score->drifted);
    QVERIFY(drift.value().windows[2].score->drifted);
    // The summaries: numpy's percentiles (linear interpolation) of the window's own predictions,
    // written out by position: p50 of 2000 values sits halfway between the 1000th and 1001st,
    // p10 at 199.9.
    QCOMPARE(drift.value().summaries.size(), std::size_t(3));
    QVERIFY(drift.value().classes.isEmpty());
    const Result<Prediction> predicted = pipeline.value().predict(moved, {});
    QVERIFY(predicted.ok());
    std::vector<double> sorted(predicted.value().values.begin(), predicted.value().values.end());
    std::sort(sorted.begin(), sorted.end());
    const PredictionSummary &summary = drift.value().summaries[2];
    QCOMPARE(summary.rows, std::size_t(2000));
    QCOMPARE(summary.percentiles[2], (sorted[999] + sorted[1000]) / 2);
    QVERIFY(std::abs(summary.percentiles[0] - (sorted[199] + 0.9 * (sorted[200] - sorted[199]))) < 1e-12);
    QVERIFY(summary.percentiles[0] < summary.percentiles[1] && summary.percentiles[3] < summary.percentiles[4]);
    // The moved window's median prediction moved with x: by about 2 x 0.8 (y = 2x + n).
    QVERIFY(summary.percentiles[2] - drift.value().summaries[0].percentiles[2] > 1.0);

    Dataset lacking;
    lacking.addColumn(first.column(0));
    const std::vector<DriftWindowInput> broken{{QStringLiteral("first"), kNaN, kNaN, &first, {}},
                                               {QStringLiteral("lacking"), kNaN, kNaN, &lacking, {}}};
    const Result<PredictionDrift> partial = predictionDrift(pipeline.value(), broken, 1);
    QVERIFY(partial.ok());
    QVERIFY(!partial.value().windows[1].score);
    QVERIFY2(partial.value().windows[1].error.contains(QLatin1String("n")), qPrintable(partial.value().windows[1].error));
    QCOMPARE(partial.value().summaries[1].rows, std::size_t(0));
    const std::vector<DriftWindowInput> badReference{{QStringLiteral("lacking"), kNaN, kNaN, &lacking, {}}};
    QVERIFY(!predictionDrift(pipeline.value(), badReference, 1).ok());
}

void TestDriftReport::predictedClassSharesPerWindow()
{
    // A classifier of x > 0: the share predicted "high" follows the share of positive x, about a
    // half in a centred window and more once x moves up by 0.8 sd.
    auto labelled = [](std::size_t rows, double shift, unsigned seed) {
        Dataset data = sample(rows, shift, 0.3, seed);
        QStringList y;
        for (double x : data.column(0).numbers())
            y.append(x > 0 ? QStringLiteral("high") : QStringLiteral("low"));
        data.addColumn(categories(QStringLiteral("y"), y));
        return data;
    };
    const Dataset training = labelled(3000, 0, 30);
    Result<Pipeline> pipeline = Pipeline::withDefaults(training, {QStringLiteral("x"), QStringLiteral("n")},
                                                       createModel(QStringLiteral("logistic_regression")));
    QVERIFY(pipeline.ok());
    QVERIFY(pipeline.value().fit(training, QStringLiteral("y"), {}).ok());
    const Dataset centred = labelled(2000, 0, 31), moved = labelled(2000, 0.8, 32);
    const std::vector<DriftWindowInput> windows{{QStringLiteral("centred"), kNaN, kNaN, &centred, {}},
                                                {QStringLiteral("moved"), kNaN, kNaN, &moved, {}}};
    const Result<PredictionDrift> drift = predictionDrift(pipeline.value(), windows, 1);
    QVERIFY(drift.ok());
    const QStringList &classes = drift.value().classes;
    QCOMPARE(classes.size(), 2);
    const Result<Prediction> predicted = pipeline.value().predict(moved, {});
    QVERIFY(predicted.ok());
    const qsizetype high = classes.indexOf(QStringLiteral("high"));
    QVERIFY(high >= 0);
    const double highCount = double((predicted.value().values.array() == double(high)).count());
    const PredictionSummary &summary = drift.value().summaries[1];
    QCOMPARE(summary.rows, std::size_t(2000));
    QCOMPARE(summary.classShares[std::size_t(high)], highCount / 2000.0);
    QCOMPARE(summary.classShares[0] + summary.classShares[1], 1.0);
    QVERIFY(summary.classShares[std::size_t(high)] > drift.value().summaries[0].classShares[std::size_t(high)] + 0.15);
    const QJsonObject json = drift.value().toJson();
    QCOMPARE(json.value(QStringLiteral("windows"))
                 .toArray()[1]
                 .toObject()
                 .value(QStringLiteral("class_shares"))
                 .toObject()
                 .value(QStringLiteral("high"))
                 .toDouble(),
             summary.classShares[std::size_t(high)]);
}

void TestDriftReport::retrainingPolicy_data()
{
    QTest::addColumn<bool>("datasetDrift");
    QTest::addColumn<bool>("degraded");
    QTest::addColumn<bool>("olderDegraded");
    QTest::addColumn<QString>("reason");
    QTest::newRow("calm") << false << false << false << QString();
    QTest::newRow("an older window only") << false << false << true << QString();
    QTest::newRow("dataset drift") << true << false << false
                                   << QStringLiteral("6 of 10 features drifted in 2026-12 (dataset drift)");
    QTest::newRow("degraded")
        << false << true << false
        << QStringLiteral("accuracy 0.7000 in 2026-12 is worse than its validation 0.8500 (95% band [0.6800, 0.7200])");
    QTest::newRow("both") << true << true << false
                          << QStringLiteral(
                                 "accuracy 0.7000 in 2026-12 is worse than its validation 0.8500 (95% band [0.6800, 0.7200]); "
                                 "6 of 10 features drifted in 2026-12 (dataset drift)");
}

void TestDriftReport::retrainingPolicy()
{
    QFETCH(bool, datasetDrift);
    QFETCH(bool, degraded);
    QFETCH(bool, olderDegraded);
    QFETCH(QString, reason);
    DriftReport report;
    report.windows = {{QStringLiteral("2026-11")}, {QStringLiteral("2026-12")}};
    report.windows[1].scoredFeatures = 10;
    report.windows[1].driftedFeatures = datasetDrift ? 6 : 1;
    report.windows[1].datasetDrift = datasetDrift;
    PerformanceReport performance;
    performance.metric = QStringLiteral("accuracy");
    performance.baseline = 0.85;
    performance.windows = {{500, 0.7, 0.68, 0.72, olderDegraded, {}},
                           {500, degraded ? 0.7 : 0.84, degraded ? 0.68 : 0.82, degraded ? 0.72 : 0.86, degraded, {}}};
    const RetrainingProposal proposal = proposeRetraining(report, &performance);
    QCOMPARE(proposal.proposed, !reason.isEmpty());
    QCOMPARE(proposal.reason, reason);
    // Without labels only drift can call for it.
    QCOMPARE(proposeRetraining(report, nullptr).proposed, datasetDrift);
}

QTEST_GUILESS_MAIN(TestDriftReport)
#include "tst_driftreport.moc"
