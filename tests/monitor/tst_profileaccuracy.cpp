// The reference profile a model file keeps is exact enough for drift: every statistic computed
// from it is within the stated error of the exact one on the full training column.
//  - Public data (the real-data suite's files and whole statsmodels/R datasets): scipy's values
//    between each numeric column and a pseudo-random quarter of its rows, written by
//    make_profile_goldens.py into golden/profile_accuracy.json.
//  - Adversarial columns (point masses, integers up to 10^6, heavy tails, huge and tiny scales):
//    against Plumb's raw-sample statistics, which the public-data rows check against scipy.
// The targets (README, "The reference profile"): KS statistic within 0.005, normed Wasserstein
// within 0.01, PSI and Jensen–Shannon within 0.005.

#include "data/columnprofile.h"
#include "data/csvreader.h"
#include "monitor/driftreport.h"
#include "monitor/driftscore.h"
#include "monitor/numericdrift.h"
#include "monitor/profiledrift.h"
#include "monitor/referencecdf.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <map>
#include <random>

using namespace plumb;

namespace {

constexpr double kKsTarget = 0.005;
constexpr double kWassersteinTarget = 0.01;
constexpr double kBinnedTarget = 0.005;
// Largest profile of one column in a model file, as compact JSON (README).
constexpr qsizetype kMaxProfileBytes = 48 * 1024;

const std::vector<DriftMethod> kNumericMethods{DriftMethod::KolmogorovSmirnov, DriftMethod::WassersteinNormed, DriftMethod::Psi,
                                               DriftMethod::JensenShannon};

double targetFor(DriftMethod method)
{
    switch (method) {
    case DriftMethod::KolmogorovSmirnov:
        return kKsTarget;
    case DriftMethod::WassersteinNormed:
        return kWassersteinTarget;
    default:
        return kBinnedTarget;
    }
}

// The golden script's quarter: rows i with (((i + 1) * 2654435761) mod 2^32) >> 30 == 0.
std::vector<bool> hashQuarter(std::size_t size)
{
    std::vector<bool> chosen(size);
    for (std::size_t i = 0; i < size; ++i)
        chosen[i] = (std::uint32_t((std::uint64_t(i) + 1) * 2654435761ULL) >> 30) == 0;
    return chosen;
}

QJsonArray goldenCases()
{
    QFile file(QStringLiteral(PLUMB_TEST_DATA_DIR "/golden/profile_accuracy.json"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("cases")).toArray();
}

// Each corpus file read once, with the dialect the golden script read it with.
const Dataset *corpusDataset(const QJsonObject &entry, QString &error)
{
    static std::map<QString, Dataset> cache;
    const QString path = entry.value(QLatin1String("file")).toString();
    if (auto found = cache.find(path); found != cache.end())
        return &found->second;
    CsvOptions options;
    options.delimiter = entry.value(QLatin1String("delimiter")).toString().toLatin1().at(0);
    options.decimal = entry.value(QLatin1String("decimal")).toString().toLatin1().at(0);
    const QJsonArray na = entry.value(QLatin1String("na_values")).toArray();
    if (!na.isEmpty()) {
        options.keepDefaultNa = false;
        for (const QJsonValue &token : na)
            options.naValues.append(token.toString());
    }
    Result<Dataset> data = CsvReader::readFile(QStringLiteral(PLUMB_SOURCE_DIR "/") + path, options);
    if (!data) {
        error = data.error().message;
        return nullptr;
    }
    return &cache.emplace(path, std::move(data).value()).first->second;
}

// The profile as a model file holds it: written to JSON and read back.
ColumnProfile savedProfile(const Column &column)
{
    return profileFromJson(profileToJson(profileColumn(column))).value();
}

Column numericColumn(const QString &name, std::vector<double> values, ColumnType type = ColumnType::Float)
{
    Column column(name, type);
    column.numbers() = std::move(values);
    return column;
}

std::vector<double> rowsOf(const std::vector<double> &values, const std::vector<bool> &chosen)
{
    std::vector<double> subset;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (chosen[i])
            subset.push_back(values[i]);
    return subset;
}

std::vector<bool> randomQuarter(std::size_t size, unsigned seed)
{
    std::mt19937_64 random(seed);
    std::vector<bool> chosen(size);
    for (std::size_t i = 0; i < size; ++i)
        chosen[i] = random() % 4 == 0;
    return chosen;
}

// Adversarial columns, 20,000 values each unless named otherwise; NaN is missing.
std::vector<double> adversarialColumn(const QString &name)
{
    std::mt19937_64 random(7);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform;
    std::vector<double> values(20000);
    for (double &v : values) {
        const double u = uniform(random), z = normal(random);
        if (name == QLatin1String("point-mass-60pct-zero"))
            v = u < 0.6 ? 0.0 : std::exp(z);
        else if (name == QLatin1String("two-point-masses"))
            v = u < 0.4 ? 1.0 : u < 0.7 ? 5.0 : 3.0 + z;
        else if (name == QLatin1String("integers-0-to-1e6"))
            v = std::floor(u * 1e6);
        else if (name == QLatin1String("lognormal-tail"))
            v = std::exp(2.0 * z);
        else if (name == QLatin1String("pareto-tail"))
            v = std::pow(1.0 - u, -1.0 / 1.1);
        else if (name == QLatin1String("near-1e300"))
            v = 1e300 * (1.0 + 0.1 * z);
        else if (name == QLatin1String("near-1e-300"))
            v = 1e-300 * (1.0 + 0.1 * z);
        else if (name == QLatin1String("rounded-repeats"))
            v = std::round(z * 300.0) / 10.0; // ~2,000 distinct values, each repeated
        else if (name == QLatin1String("all-missing-but-one"))
            v = std::nan("");
    }
    if (name == QLatin1String("all-missing-but-one"))
        values[12] = 3.5;
    if (name == QLatin1String("integers-0-to-1e6-200k")) {
        values.resize(200000);
        for (double &v : values)
            v = std::floor(uniform(random) * 1e6);
    }
    return values;
}

const QStringList kAdversarial{QStringLiteral("point-mass-60pct-zero"),
                               QStringLiteral("two-point-masses"),
                               QStringLiteral("integers-0-to-1e6"),
                               QStringLiteral("integers-0-to-1e6-200k"),
                               QStringLiteral("lognormal-tail"),
                               QStringLiteral("pareto-tail"),
                               QStringLiteral("near-1e300"),
                               QStringLiteral("near-1e-300"),
                               QStringLiteral("rounded-repeats"),
                               QStringLiteral("all-missing-but-one")};

// The current samples an adversarial column is compared with: a random quarter of itself (no
// drift), and the same quarter moved by a tenth of its spread or stretched by 10% (drift).
std::vector<std::pair<QString, std::vector<double>>> currentSamples(const std::vector<double> &reference)
{
    const std::vector<double> quarter = rowsOf(reference, randomQuarter(reference.size(), 3));
    std::vector<double> finite;
    for (double v : reference)
        if (!std::isnan(v))
            finite.push_back(v);
    const double spread = finite.size() > 1
        ? (*std::max_element(finite.begin(), finite.end()) - *std::min_element(finite.begin(), finite.end()))
        : 1.0;
    std::vector<double> shifted = quarter, stretched = quarter;
    for (double &v : shifted)
        v += spread / 10.0;
    for (double &v : stretched)
        v *= 1.1;
    return {{QStringLiteral("quarter"), quarter}, {QStringLiteral("shifted"), shifted}, {QStringLiteral("stretched"), stretched}};
}

} // namespace

class TestProfileAccuracy : public QObject
{
    Q_OBJECT

private slots:
    void publicDataWithinTargets_data();
    void publicDataWithinTargets();
    void adversarialWithinTargets_data();
    void adversarialWithinTargets();
    void noFalseAlarmsOnRandomQuarters_data();
    void noFalseAlarmsOnRandomQuarters();
    void histogramProfilesMissTheTargets();
    void profileSizeIsBounded();
    void histogramOnlyProfileStillScores();
    void fewValuedNumbersGetChiSquare();
};

void TestProfileAccuracy::publicDataWithinTargets_data()
{
    QTest::addColumn<QJsonObject>("entry");
    const QJsonArray cases = goldenCases();
    if (cases.isEmpty())
        QTest::newRow("golden-missing") << QJsonObject();
    for (const QJsonValue &value : cases) {
        const QJsonObject entry = value.toObject();
        const QString row = entry.value(QLatin1String("dataset")).toString() + QLatin1Char('/')
            + entry.value(QLatin1String("column")).toString();
        QTest::newRow(qPrintable(row)) << entry;
    }
}

void TestProfileAccuracy::publicDataWithinTargets()
{
    QFETCH(QJsonObject, entry);
    if (entry.isEmpty())
        QFAIL("golden/profile_accuracy.json is missing or empty");
    QString error;
    const Dataset *data = corpusDataset(entry, error);
    QVERIFY2(data, qPrintable(error));
    const QString name = entry.value(QLatin1String("column")).toString();
    const std::optional<std::size_t> index = data->indexOf(name);
    QVERIFY2(index, qPrintable(QStringLiteral("no column %1").arg(name)));
    const Column &column = data->column(*index);
    QVERIFY2(isNumericStorage(column.type()) && column.type() != ColumnType::Boolean,
             qPrintable(QStringLiteral("%1 reads as %2, scipy read numbers").arg(name, columnTypeName(column.type()))));
    const std::vector<double> reference = column.numbers(), current = rowsOf(reference, hashQuarter(column.size()));
    const ColumnProfile profile = savedProfile(column);
    QCOMPARE(double(profile.count), entry.value(QLatin1String("reference_count")).toDouble());

    const std::map<DriftMethod, QString> keys{{DriftMethod::KolmogorovSmirnov, QStringLiteral("ks_statistic")},
                                              {DriftMethod::WassersteinNormed, QStringLiteral("wasserstein_normed")},
                                              {DriftMethod::Psi, QStringLiteral("psi")},
                                              {DriftMethod::JensenShannon, QStringLiteral("jensenshannon")}};
    for (const auto &[method, key] : keys) {
        const double expected = entry.value(key).toDouble();
        const Result<DriftScore> exact = numericDrift(method, reference, current);
        QVERIFY2(exact.ok(), qPrintable(exact.ok() ? QString() : exact.error().message));
        // Plumb's raw-sample statistic is scipy's (to rounding): the reference below is right.
        QVERIFY2(std::abs(exact.value().statistic - expected) <= 1e-9 * std::max(1.0, std::abs(expected)),
                 qPrintable(QStringLiteral("%1 on raw samples %2, scipy %3")
                                .arg(key)
                                .arg(exact.value().statistic, 0, 'g', 12)
                                .arg(expected, 0, 'g', 12)));
        const Result<DriftScore> fromProfile = numericDriftFromProfile(method, profile, current);
        QVERIFY2(fromProfile.ok(), qPrintable(fromProfile.ok() ? QString() : fromProfile.error().message));
        QVERIFY2(std::abs(fromProfile.value().statistic - expected) <= targetFor(method),
                 qPrintable(QStringLiteral("%1 from the profile %2, scipy %3 (target %4)")
                                .arg(key)
                                .arg(fromProfile.value().statistic, 0, 'g', 6)
                                .arg(expected, 0, 'g', 6)
                                .arg(targetFor(method))));
    }
    if (entry.contains(QLatin1String("chisquare_pvalue"))) {
        const double expected = entry.value(QLatin1String("chisquare_pvalue")).toDouble();
        const Result<DriftScore> fromProfile = numericDriftFromProfile(DriftMethod::ChiSquare, profile, current);
        QVERIFY2(fromProfile.ok(), qPrintable(fromProfile.ok() ? QString() : fromProfile.error().message));
        // A few-valued column's profile holds every value: chi-square is exact.
        QVERIFY2(
            std::abs(*fromProfile.value().pValue - expected) <= 1e-9,
            qPrintable(
                QStringLiteral("chi-square p from the profile %1, scipy %2").arg(*fromProfile.value().pValue).arg(expected)));
    }
}

void TestProfileAccuracy::adversarialWithinTargets_data()
{
    QTest::addColumn<QString>("column");
    for (const QString &name : kAdversarial)
        QTest::newRow(qPrintable(name)) << name;
}

void TestProfileAccuracy::adversarialWithinTargets()
{
    QFETCH(QString, column);
    const std::vector<double> reference = adversarialColumn(column);
    const ColumnProfile profile = savedProfile(numericColumn(column, reference));
    std::map<DriftMethod, double> worst;
    for (const auto &[label, current] : currentSamples(reference)) {
        for (DriftMethod method : kNumericMethods) {
            const Result<DriftScore> exact = numericDrift(method, reference, current);
            const Result<DriftScore> fromProfile = numericDriftFromProfile(method, profile, current);
            const QString what = QStringLiteral("%1 against the %2 sample").arg(driftMethodName(method), label);
            // What cannot be computed exactly (a current sample with no values) is refused from the profile too.
            QVERIFY2(exact.ok() == fromProfile.ok(), qPrintable(what + QStringLiteral(": one refused, the other not")));
            if (!exact.ok()) {
                QVERIFY(!fromProfile.error().message.isEmpty());
                continue;
            }
            const double difference = std::abs(fromProfile.value().statistic - exact.value().statistic);
            worst[method] = std::max(worst[method], difference);
            QVERIFY2(difference <= targetFor(method),
                     qPrintable(QStringLiteral("%1: from the profile %2, exact %3")
                                    .arg(what)
                                    .arg(fromProfile.value().statistic, 0, 'g', 6)
                                    .arg(exact.value().statistic, 0, 'g', 6)));
        }
    }
    qInfo("%zu knots; largest error: ks %.2g, wasserstein_normed %.2g, psi %.2g, jensenshannon %.2g", profile.knots.size(),
          worst[DriftMethod::KolmogorovSmirnov], worst[DriftMethod::WassersteinNormed], worst[DriftMethod::Psi],
          worst[DriftMethod::JensenShannon]);
}

void TestProfileAccuracy::noFalseAlarmsOnRandomQuarters_data()
{
    publicDataWithinTargets_data();
}

// A random quarter of the training data has not drifted: where the exact computation (Evidently's
// default method and threshold) says so, the profile must say so too.
void TestProfileAccuracy::noFalseAlarmsOnRandomQuarters()
{
    QFETCH(QJsonObject, entry);
    if (entry.isEmpty())
        QFAIL("golden/profile_accuracy.json is missing or empty");
    QString error;
    const Dataset *data = corpusDataset(entry, error);
    QVERIFY2(data, qPrintable(error));
    const Column &column = data->column(*data->indexOf(entry.value(QLatin1String("column")).toString()));
    const ColumnProfile profile = savedProfile(column);
    const DriftMethod method = defaultMethodFor(profile, false);
    for (unsigned seed = 1; seed <= 5; ++seed) {
        const std::vector<double> current = rowsOf(column.numbers(), randomQuarter(column.size(), seed));
        const Result<DriftScore> exact = numericDrift(method, column.numbers(), current);
        const Result<DriftScore> fromProfile = numericDriftFromProfile(method, profile, current);
        if (!exact.ok())
            continue; // a quarter with no values
        QVERIFY2(fromProfile.ok(), qPrintable(fromProfile.ok() ? QString() : fromProfile.error().message));
        QVERIFY2(!fromProfile.value().drifted || exact.value().drifted,
                 qPrintable(QStringLiteral("seed %1: %2 flags drift from the profile (%3) but not exactly (%4)")
                                .arg(seed)
                                .arg(driftMethodName(method))
                                .arg(fromProfile.value().score())
                                .arg(exact.value().score())));
    }
}

// The control: the same comparison with the histogram a format-2 profile kept instead of knots
// misses the targets on public data (the false alarms this profile exists to end).
void TestProfileAccuracy::histogramProfilesMissTheTargets()
{
    int missed = 0, columns = 0;
    for (const QJsonValue &value : goldenCases()) {
        const QJsonObject entry = value.toObject();
        QString error;
        const Dataset *data = corpusDataset(entry, error);
        QVERIFY2(data, qPrintable(error));
        const Column &column = data->column(*data->indexOf(entry.value(QLatin1String("column")).toString()));
        ColumnProfile histogramOnly = profileColumn(column);
        histogramOnly.knots.clear();
        const std::vector<double> current = rowsOf(column.numbers(), hashQuarter(column.size()));
        const Result<DriftScore> ks = numericDriftFromProfile(DriftMethod::KolmogorovSmirnov, histogramOnly, current);
        const Result<DriftScore> wasserstein = numericDriftFromProfile(DriftMethod::WassersteinNormed, histogramOnly, current);
        QVERIFY(ks.ok() && wasserstein.ok());
        ++columns;
        missed += std::abs(ks.value().statistic - entry.value(QLatin1String("ks_statistic")).toDouble()) > kKsTarget
            || std::abs(wasserstein.value().statistic - entry.value(QLatin1String("wasserstein_normed")).toDouble())
                > kWassersteinTarget;
    }
    qInfo("histogram-only profiles miss the KS or Wasserstein target on %d of %d columns", missed, columns);
    QVERIFY(missed > 0);
}

void TestProfileAccuracy::profileSizeIsBounded()
{
    qsizetype largest = 0;
    QString largestName;
    auto measure = [&](const Column &column, const QString &name) {
        const qsizetype bytes = QJsonDocument(profileToJson(profileColumn(column))).toJson(QJsonDocument::Compact).size();
        if (bytes > largest) {
            largest = bytes;
            largestName = name;
        }
    };
    for (const QString &name : kAdversarial)
        measure(numericColumn(name, adversarialColumn(name)), name);
    for (const QJsonValue &value : goldenCases()) {
        const QJsonObject entry = value.toObject();
        QString error;
        const Dataset *data = corpusDataset(entry, error);
        QVERIFY2(data, qPrintable(error));
        const QString name = entry.value(QLatin1String("column")).toString();
        measure(data->column(*data->indexOf(name)), entry.value(QLatin1String("dataset")).toString() + QLatin1Char('/') + name);
    }
    qInfo("largest column profile: %s, %lld bytes", qPrintable(largestName), qlonglong(largest));
    QVERIFY2(largest <= kMaxProfileBytes, qPrintable(QStringLiteral("%1 takes %2 bytes").arg(largestName).arg(largest)));
}

// A model file of format 2 kept histograms only: its profile still scores, read as ReferenceCdf
// says (approximate), and says so.
void TestProfileAccuracy::histogramOnlyProfileStillScores()
{
    const std::vector<double> reference = adversarialColumn(QStringLiteral("lognormal-tail"));
    ColumnProfile profile = profileColumn(numericColumn(QStringLiteral("x"), reference));
    profile.knots.clear();
    QVERIFY(ReferenceCdf(profile).isFromHistogram());
    QVERIFY(!ReferenceCdf(profile).isExact());
    const std::vector<double> current = rowsOf(reference, randomQuarter(reference.size(), 9));
    for (DriftMethod method : kNumericMethods)
        QVERIFY(numericDriftFromProfile(method, profile, current).ok());
    // Whole-number bins of an Integer column held the exact counts: still exact.
    ColumnProfile counts = profileColumn(numericColumn(QStringLiteral("n"), {1, 2, 2, 3, 3, 3, 7}, ColumnType::Integer));
    counts.knots.clear();
    QVERIFY(ReferenceCdf(counts).isExact());
}

// Evidently's default for a numeric column with at most 5 values is chi-square on the values as
// categories; from the profile and from raw samples it is computed, never refused.
void TestProfileAccuracy::fewValuedNumbersGetChiSquare()
{
    const std::vector<double> reference{0.5, 1.5, 1.5, 2.5, 2.5, 2.5, 0.5, 1.5, 2.5, 2.5};
    const std::vector<double> current{0.5, 0.5, 1.5, 2.5};
    const ColumnProfile profile = savedProfile(numericColumn(QStringLiteral("x"), reference));
    QCOMPARE(defaultMethodFor(profile, false), DriftMethod::ChiSquare);
    const Result<DriftScore> exact = numericDrift(DriftMethod::ChiSquare, reference, current);
    const Result<DriftScore> fromProfile = numericDriftFromProfile(DriftMethod::ChiSquare, profile, current);
    QVERIFY(exact.ok());
    QVERIFY(fromProfile.ok());
    // scipy.stats.chisquare([2, 1, 1], [0.8, 1.2, 2.0]) by hand: 1.44 / 0.8 + 0.04 / 1.2 + 1 / 2.
    QCOMPARE(exact.value().statistic, fromProfile.value().statistic);
    QVERIFY(std::abs(exact.value().statistic - (1.44 / 0.8 + 0.04 / 1.2 + 1.0 / 2.0)) < 1e-12);
    // An old float histogram cannot hold the values: the default falls back to KS.
    ColumnProfile old = profile;
    old.knots.clear();
    QCOMPARE(defaultMethodFor(old, false), DriftMethod::KolmogorovSmirnov);
    QVERIFY(!numericDriftFromProfile(DriftMethod::ChiSquare, old, current).ok());
}

QTEST_GUILESS_MAIN(TestProfileAccuracy)
#include "tst_profileaccuracy.moc"
