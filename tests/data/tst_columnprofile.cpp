// Tests for profileColumn and profileDataset.
// Expected statistics were computed with numpy 1.24.2 (/usr/bin/python3):
//   x.mean(), x.std(ddof=1), np.quantile(x, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
// over the non-missing values, and checked by hand where the data is small (noted per row).

#include "data/columnprofile.h"
#include "datatestutil.h"

#include <QJsonArray>
#include <QTest>

#include <limits>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(plumb::ColumnType)

namespace plumb {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Column numericColumn(ColumnType type, const QList<double> &values)
{
    Column column(u"x"_s, type);
    column.numbers().assign(values.begin(), values.end());
    return column;
}

Column categoricalColumn(const QStringList &categories, const QList<int> &codes)
{
    Column column(u"c"_s, ColumnType::Categorical);
    column.categories() = categories;
    column.codes().assign(codes.begin(), codes.end());
    return column;
}

// Equal within `relative` of the larger magnitude; NaN only equals NaN.
bool near(double actual, double expected, double relative)
{
    if (std::isnan(expected) || std::isnan(actual))
        return std::isnan(expected) && std::isnan(actual);
    return std::abs(actual - expected) <= relative * std::max({std::abs(actual), std::abs(expected), 1e-300});
}

QString categoryList(const std::vector<ColumnProfile::Category> &categories)
{
    QStringList parts;
    for (const auto &category : categories)
        parts.append(u"%1:%2"_s.arg(category.value).arg(category.count));
    return parts.join(u", "_s);
}

bool sameDouble(double a, double b)
{
    return std::bit_cast<quint64>(a) == std::bit_cast<quint64>(b) || (std::isnan(a) && std::isnan(b));
}

// Field-by-field equality of two profiles, doubles bit for bit.
QString profileDifference(const ColumnProfile &a, const ColumnProfile &b)
{
    if (a.name != b.name || a.type != b.type || a.role != b.role)
        return u"name, type or role"_s;
    if (a.count != b.count || a.missing != b.missing || a.unique != b.unique)
        return u"counts"_s;
    if (!sameDouble(a.mean, b.mean) || !sameDouble(a.std, b.std) || !sameDouble(a.min, b.min) || !sameDouble(a.max, b.max))
        return u"moments"_s;
    for (std::size_t i = 0; i < a.quantiles.size(); ++i)
        if (!sameDouble(a.quantiles[i], b.quantiles[i]))
            return u"quantile %1"_s.arg(i);
    if (a.histogram.size() != b.histogram.size())
        return u"histogram size"_s;
    for (std::size_t i = 0; i < a.histogram.size(); ++i)
        if (a.histogram[i].count != b.histogram[i].count || !sameDouble(a.histogram[i].lower, b.histogram[i].lower))
            return u"histogram bin %1"_s.arg(i);
    if (categoryList(a.topCategories) != categoryList(b.topCategories))
        return u"top categories"_s;
    return {};
}

// Checks the histogram's shape against the values: contiguous equal-width bins from min to max,
// counts summing to `count`, each count between the values strictly inside its bin and those
// inside it widened by a rounding margin. Returns the first problem, or nothing.
QString histogramProblem(const ColumnProfile &profile, const QList<double> &values)
{
    const auto &bins = profile.histogram;
    if (profile.count == 0)
        return bins.empty() ? QString() : u"bins for no values"_s;
    if (bins.empty())
        return u"no bins"_s;
    // columnprofile.h: an Integer column spanning at most 50 gets whole-number bins centred on
    // the values, [min - 0.5, max + 0.5]; other columns' bins span [min, max].
    const bool unitBins = profile.type == ColumnType::Integer && profile.max - profile.min <= 50;
    const double expectedLower = unitBins ? profile.min - 0.5 : profile.min;
    const double expectedUpper = unitBins ? profile.max + 0.5 : profile.max;
    if (profile.max > profile.min && (bins.front().lower != expectedLower || bins.back().upper != expectedUpper))
        return u"bins span [%1, %2], values [%3, %4]"_s.arg(bins.front().lower)
            .arg(bins.back().upper)
            .arg(profile.min)
            .arg(profile.max);
    std::size_t total = 0;
    const double width = bins.front().upper - bins.front().lower;
    // Edges are computed in floating point: allow a relative 1e-9 of the range, and a few ulps of
    // the values themselves (at 1e9 an ulp is 1.2e-7, more than a tiny range's 1e-9).
    const double magnitude = std::max(std::abs(profile.min), std::abs(profile.max));
    const double margin = std::max(1e-9 * std::max(profile.max - profile.min, 1.0),
                                   8 * std::numeric_limits<double>::epsilon() * magnitude);
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const auto &bin = bins[i];
        total += bin.count;
        if (i + 1 < bins.size() && bin.upper != bins[i + 1].lower)
            return u"bin %1 ends at %2, the next starts at %3"_s.arg(i).arg(bin.upper).arg(bins[i + 1].lower);
        if (std::abs((bin.upper - bin.lower) - width) > margin)
            return u"bin %1 has width %2, the first %3"_s.arg(i).arg(bin.upper - bin.lower).arg(width);
        std::size_t inside = 0;
        std::size_t loose = 0;
        for (const double v : values) {
            if (std::isnan(v))
                continue;
            inside += v > bin.lower + margin && v < bin.upper - margin;
            loose += v >= bin.lower - margin && v <= bin.upper + margin;
        }
        if (bin.count < inside || bin.count > loose)
            return u"bin %1 [%2, %3] counts %4; %5 values lie inside, %6 on or inside"_s.arg(i)
                .arg(bin.lower)
                .arg(bin.upper)
                .arg(bin.count)
                .arg(inside)
                .arg(loose);
    }
    if (total != profile.count)
        return u"bins hold %1 values, count is %2"_s.arg(total).arg(profile.count);
    return {};
}

} // namespace

class TestColumnProfile : public QObject
{
    Q_OBJECT

private slots:
    void profilesNumbers_data();
    void profilesNumbers();
    void histogramClosesTheLastBin();
    void ranksCategories_data();
    void ranksCategories();
    void categoricalHasNoMoments();
    void profilesDatasetColumnByColumn();
    void profileDatasetStopsWhenCancelled();
    void profileJsonRoundTrip_data();
    void profileJsonRoundTrip();
    void profileJsonRefusesMalformed_data();
    void profileJsonRefusesMalformed();
};

void TestColumnProfile::profilesNumbers_data()
{
    QTest::addColumn<ColumnType>("type");
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<std::size_t>("count");
    QTest::addColumn<std::size_t>("missing");
    QTest::addColumn<std::size_t>("unique");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("std");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<QList<double>>("quantiles");

    // Hand check: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, std sqrt(32/7);
    // quantile at level p is x[h] with h = 7p interpolated, e.g. p = 0.95: h = 6.65, 7 + 0.65 * 2 = 8.3.
    QTest::newRow("small-with-missing") << ColumnType::Float << QList<double>{2, 4, kNaN, 4, 4, 5, 5, 7, 9} << std::size_t(8)
                                        << std::size_t(1) << std::size_t(5) << 5.0 << 2.138089935299395 << 2.0 << 9.0
                                        << QList<double>{2.14, 2.7, 4.0, 4.5, 5.5, 8.299999999999999, 8.86};
    // numpy: z = [-1.5, 2.0, 0.25]; hand check: mean 0.75/3, deviations 3.0625+3.0625+0 over 2.
    QTest::newRow("three-values") << ColumnType::Float << QList<double>{-1.5, 2.0, 0.25} << std::size_t(3) << std::size_t(0)
                                  << std::size_t(3) << 0.25 << 1.75 << -1.5 << 2.0
                                  << QList<double>{-1.465, -1.325, -0.625, 0.25, 1.125, 1.8249999999999997, 1.9649999999999999};
    // numpy: v_i = ((37 i) mod 101) / 4 - 3 for i < 1000 (below).
    QList<double> generated;
    for (int i = 0; i < 1000; ++i)
        generated.append(((i * 37) % 101) / 4.0 - 3);
    QTest::newRow("thousand-values") << ColumnType::Float << generated << std::size_t(1000) << std::size_t(0) << std::size_t(101)
                                     << 9.5025 << 7.298536660686674 << -3.0 << 22.0
                                     << QList<double>{-2.7525,           -1.7624999999999993, 3.25, 9.5, 15.75,
                                                      20.76249999999999, 21.752499999999998};
    // numpy: y = 1e9 + 0.1 i for i < 5; a one-pass E[x^2] - E[x]^2 formula loses every digit here.
    QList<double> offset;
    for (int i = 0; i < 5; ++i)
        offset.append(1e9 + 0.1 * i);
    QTest::newRow("large-offset") << ColumnType::Float << offset << std::size_t(5) << std::size_t(0) << std::size_t(5)
                                  << 1000000000.2 << 0.15811386415978768 << offset.first() << offset.last() << QList<double>{};
    // Hand check: pandas' describe() gives NaN for the sample std of one value (n - 1 = 0).
    QTest::newRow("single-value") << ColumnType::Float << QList<double>{3.5} << std::size_t(1) << std::size_t(0) << std::size_t(1)
                                  << 3.5 << kNaN << 3.5 << 3.5 << QList<double>{3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5};
    // numpy on [1, 2, 2, 3, 3, 3]; hand check: mean 14/6, quantile 0.05 at h = 0.25: 1 + 0.25 * 1.
    // The bins must still be equal-width over [min, max] = [1, 3] (columnprofile.h).
    QTest::newRow("integer-small-range") << ColumnType::Integer << QList<double>{1, 2, 2, 3, 3, 3} << std::size_t(6)
                                         << std::size_t(0) << std::size_t(3) << 2.3333333333333335 << 0.816496580927726 << 1.0
                                         << 3.0 << QList<double>{1.05, 1.25, 2.0, 2.5, 3.0, 3.0, 3.0};
    // Hand check: booleans are numbers 1/0, so the mean is the share of true, 4/6; std and
    // quantiles from numpy on [1, 0, 1, 1, 0, 1].
    QTest::newRow("boolean") << ColumnType::Boolean << QList<double>{1, 0, 1, 1, kNaN, 0, 1} << std::size_t(6) << std::size_t(1)
                             << std::size_t(2) << 4.0 / 6.0 << 0.5163977794943223 << 0.0 << 1.0
                             << QList<double>{0.0, 0.0, 0.25, 1.0, 1.0, 1.0, 1.0};
    // columnprofile.h: NaN statistics when count == 0.
    QTest::newRow("all-missing") << ColumnType::Float << QList<double>{kNaN, kNaN, kNaN} << std::size_t(0) << std::size_t(3)
                                 << std::size_t(0) << kNaN << kNaN << kNaN << kNaN
                                 << QList<double>{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
    QTest::newRow("empty") << ColumnType::Float << QList<double>{} << std::size_t(0) << std::size_t(0) << std::size_t(0) << kNaN
                           << kNaN << kNaN << kNaN << QList<double>{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};
}

void TestColumnProfile::profilesNumbers()
{
    QFETCH(ColumnType, type);
    QFETCH(QList<double>, values);
    QFETCH(std::size_t, count);
    QFETCH(std::size_t, missing);
    QFETCH(std::size_t, unique);
    QFETCH(double, mean);
    QFETCH(double, std);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(QList<double>, quantiles);

    const ColumnProfile profile = profileColumn(numericColumn(type, values));
    QCOMPARE(profile.name, u"x"_s);
    QCOMPARE(columnTypeName(profile.type), columnTypeName(type));
    QCOMPARE(profile.count, count);
    QCOMPARE(profile.missing, missing);
    QCOMPARE(profile.unique, unique);
    // numpy and a careful implementation may order the additions differently: allow a few ulps
    // (the large-offset row keeps 1e-9, far below what a cancelling formula gets wrong).
    QVERIFY2(near(profile.mean, mean, 1e-14),
             qPrintable(u"mean %1, expected %2"_s.arg(profile.mean, 0, 'g', 17).arg(mean, 0, 'g', 17)));
    QVERIFY2(near(profile.std, std, 1e-9),
             qPrintable(u"std %1, expected %2"_s.arg(profile.std, 0, 'g', 17).arg(std, 0, 'g', 17)));
    QVERIFY2(sameDouble(profile.min, min), qPrintable(u"min %1"_s.arg(profile.min)));
    QVERIFY2(sameDouble(profile.max, max), qPrintable(u"max %1"_s.arg(profile.max)));
    for (qsizetype i = 0; i < quantiles.size(); ++i)
        QVERIFY2(near(profile.quantiles[std::size_t(i)], quantiles[i], 1e-13),
                 qPrintable(u"quantile %1: %2, expected %3"_s.arg(ColumnProfile::kQuantileLevels[std::size_t(i)])
                                .arg(profile.quantiles[std::size_t(i)], 0, 'g', 17)
                                .arg(quantiles[i], 0, 'g', 17)));
    const QString problem = histogramProblem(profile, values);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    if (type != ColumnType::Boolean)
        QVERIFY(profile.topCategories.empty());
    QCOMPARE(profile.missingRate(), count + missing ? double(missing) / double(count + missing) : 0.0);
}

void TestColumnProfile::histogramClosesTheLastBin()
{
    // Three values at the minimum and one at the maximum: whatever the bin count, the first bin
    // holds 3, the last (closed) bin holds 1 and every other bin is empty.
    const ColumnProfile profile = profileColumn(numericColumn(ColumnType::Float, {0, 0, 10, 0}));
    QVERIFY(profile.histogram.size() >= 2);
    QCOMPARE(profile.histogram.front().count, std::size_t(3));
    QCOMPARE(profile.histogram.back().count, std::size_t(1));
    for (std::size_t i = 1; i + 1 < profile.histogram.size(); ++i)
        QCOMPARE(profile.histogram[i].count, std::size_t(0));
}

void TestColumnProfile::ranksCategories_data()
{
    QTest::addColumn<QStringList>("categories");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<QString>("top");
    QTest::addColumn<std::size_t>("unique");

    // Counted by hand: b 2, a 3, c 3, d 1, one missing; a and c tie and a appears first.
    QTest::newRow("ties-in-first-appearance-order")
        << QStringList{u"b"_s, u"a"_s, u"c"_s, u"d"_s} << QList<int>{0, 1, 1, 2, 1, 2, 2, 0, 3, -1} << u"a:3, c:3, b:2, d:1"_s
        << std::size_t(4);
    // A category nobody uses is not listed and not counted as a distinct value.
    QTest::newRow("unused-category") << QStringList{u"x"_s, u"unused"_s, u"y"_s} << QList<int>{2, 0, 2} << u"y:2, x:1"_s
                                     << std::size_t(2);
    // 25 categories, k0..k24, where k_i appears 25 - i times: only the 20 most frequent are kept.
    QStringList many;
    QList<int> manyCodes;
    QStringList manyTop;
    for (int i = 0; i < 25; ++i) {
        many.append(u"k%1"_s.arg(i));
        for (int n = 0; n < 25 - i; ++n)
            manyCodes.append(i);
        if (i < 20)
            manyTop.append(u"k%1:%2"_s.arg(i).arg(25 - i));
    }
    QTest::newRow("at-most-20") << many << manyCodes << manyTop.join(u", "_s) << std::size_t(25);
}

void TestColumnProfile::ranksCategories()
{
    QFETCH(QStringList, categories);
    QFETCH(QList<int>, codes);
    QFETCH(QString, top);
    QFETCH(std::size_t, unique);

    const ColumnProfile profile = profileColumn(categoricalColumn(categories, codes));
    QCOMPARE(categoryList(profile.topCategories), top);
    QCOMPARE(profile.unique, unique);
    QCOMPARE(profile.count + profile.missing, std::size_t(codes.size()));
    QCOMPARE(profile.missing, std::size_t(codes.count(-1)));
}

void TestColumnProfile::categoricalHasNoMoments()
{
    const ColumnProfile profile = profileColumn(categoricalColumn({u"a"_s}, {0, 0}));
    QVERIFY(std::isnan(profile.mean) && std::isnan(profile.std) && std::isnan(profile.min) && std::isnan(profile.max));
    for (const double q : profile.quantiles)
        QVERIFY(std::isnan(q));
    QVERIFY(profile.histogram.empty());

    // Boolean columns are ranked as true/false (column.h's display text), most frequent first,
    // and a tie goes to the value seen first.
    QCOMPARE(categoryList(profileColumn(numericColumn(ColumnType::Boolean, {1, 0, 0, kNaN})).topCategories),
             u"false:2, true:1"_s);
    QCOMPARE(categoryList(profileColumn(numericColumn(ColumnType::Boolean, {0, 1})).topCategories), u"false:1, true:1"_s);
}

void TestColumnProfile::profilesDatasetColumnByColumn()
{
    Dataset dataset;
    QList<double> generated;
    for (int i = 0; i < 5000; ++i)
        generated.append(i % 7 == 0 ? kNaN : std::sin(i) * 100);
    for (int c = 0; c < 9; ++c) {
        Column column = c % 3 == 2 ? categoricalColumn({u"p"_s, u"q"_s}, QList<int>(5000, c % 2))
                                   : numericColumn(c % 3 ? ColumnType::Integer : ColumnType::Float, generated);
        column.setName(u"col%1"_s.arg(c));
        column.setRole(c == 4 ? ColumnRole::Target : ColumnRole::Feature);
        dataset.addColumn(std::move(column));
    }
    const Result<std::vector<ColumnProfile>> result = profileDataset(dataset);
    QVERIFY(result.ok());
    QCOMPARE(result.value().size(), dataset.columnCount());
    for (std::size_t c = 0; c < dataset.columnCount(); ++c) {
        const ColumnProfile single = profileColumn(dataset.column(c));
        QCOMPARE(result.value()[c].name, u"col%1"_s.arg(c));
        const QString difference = profileDifference(result.value()[c], single);
        QVERIFY2(difference.isEmpty(), qPrintable(u"column %1: %2"_s.arg(c).arg(difference)));
    }
    QCOMPARE(columnRoleName(result.value()[4].role), u"target"_s);
}

void TestColumnProfile::profileDatasetStopsWhenCancelled()
{
    Dataset dataset;
    dataset.addColumn(numericColumn(ColumnType::Float, {1, 2, 3}));
    CancelFlag flag;
    flag.cancel();
    const Result<std::vector<ColumnProfile>> result = profileDataset(dataset, flag);
    QVERIFY(!result.ok());
    QVERIFY(result.error().isCancelled());
}

// A model file keeps profileToJson's output; profileFromJson must give back the same profile
// (NaN statistics travel as null).
void TestColumnProfile::profileJsonRoundTrip_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("float-with-missing") << 0;
    QTest::newRow("integer-unit-bins") << 1;
    QTest::newRow("categorical") << 2;
    QTest::newRow("boolean") << 3;
    QTest::newRow("all-missing") << 4;
}

void TestColumnProfile::profileJsonRoundTrip()
{
    QFETCH(int, kind);
    Column column = kind == 0 ? numericColumn(ColumnType::Float, {0.5, kNaN, -2.25, 1e6, 3})
        : kind == 1           ? numericColumn(ColumnType::Integer, {1, 2, 2, 9})
        : kind == 2           ? categoricalColumn({u"a"_s, u"b b"_s}, {0, 1, 1, -1})
        : kind == 3           ? numericColumn(ColumnType::Boolean, {1, 0, 0})
                              : numericColumn(ColumnType::Float, {kNaN, kNaN});
    column.setRole(ColumnRole::Target);
    const ColumnProfile profile = profileColumn(column);
    const Result<ColumnProfile> back = profileFromJson(profileToJson(profile));
    QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
    const QString difference = profileDifference(back.value(), profile);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestColumnProfile::profileJsonRefusesMalformed_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("named");
    QTest::newRow("unknown-type") << u"type"_s << QJsonValue(u"complex"_s) << u".type is not a column type"_s;
    QTest::newRow("negative-count") << u"count"_s << QJsonValue(-1) << u".count must be a whole number"_s;
    QTest::newRow("fractional-missing") << u"missing"_s << QJsonValue(0.5) << u".missing must be a whole number"_s;
    QTest::newRow("bin-without-count") << u"histogram"_s << QJsonValue(QJsonArray{QJsonObject{{u"lower"_s, 0}, {u"upper"_s, 1}}})
                                       << u".histogram[0] lacks the field \"count\""_s;
    QTest::newRow("name-not-text") << u"name"_s << QJsonValue(3) << u".name must be text"_s;
}

void TestColumnProfile::profileJsonRefusesMalformed()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QFETCH(QString, named);
    QJsonObject json = profileToJson(profileColumn(numericColumn(ColumnType::Float, {1, 2, 3})));
    json.insert(field, value);
    const Result<ColumnProfile> back = profileFromJson(json);
    QVERIFY(!back.ok());
    QVERIFY2(back.error().message.startsWith(u"profile \""_s), qPrintable(back.error().message));
    QVERIFY2(back.error().message.contains(named), qPrintable(back.error().message));
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestColumnProfile)
#include "tst_columnprofile.moc"
