// Permutation importance on generated data where the answer is known by construction: the target
// depends on `signal` only, so shuffling `signal` must cost the model most of its score, while
// shuffling the pure-noise columns (`noise`, numeric, and `colour`, categorical) may only move it
// by chance. The bounds below are far from both: with 400 validation rows a noise column's mean
// drop stays within a few hundredths, while the signal's is above 0.3 (accuracy) or 1 (R^2).

#include "base/random.h"
#include "learn/permutationimportance.h"

#include <QTest>

#include <cmath>

#include <atomic>

using namespace Qt::StringLiterals;

namespace plumb {

namespace {

constexpr std::size_t kRows = 1000;
constexpr std::size_t kTrainingRows = 600;
constexpr double kNoiseBound = 0.05;

// signal, noise ~ N(0, 1), colour uniform over three labels; y = 2 signal + N(0, 0.3) for
// regression, "yes" when signal + N(0, 0.3) > 0 for classification.
Dataset generated(Task task)
{
    Random random(7);
    Column signal(u"signal"_s, ColumnType::Float), noise(u"noise"_s, ColumnType::Float);
    Column colour(u"colour"_s, ColumnType::Categorical);
    colour.categories() = {u"red"_s, u"green"_s, u"blue"_s};
    Column y(u"y"_s, task == Task::Regression ? ColumnType::Float : ColumnType::Categorical);
    if (task == Task::Classification)
        y.categories() = {u"no"_s, u"yes"_s};
    for (std::size_t i = 0; i < kRows; ++i) {
        const double s = random.normal();
        signal.numbers().push_back(s);
        noise.numbers().push_back(random.normal());
        colour.codes().push_back(std::int32_t(random.below(3)));
        const double value = 2 * s + 0.3 * random.normal();
        if (task == Task::Regression)
            y.numbers().push_back(value);
        else
            y.codes().push_back(value > 0 ? 1 : 0);
    }
    Dataset data;
    for (Column *column : {&signal, &noise, &colour, &y})
        data.addColumn(std::move(*column));
    return data;
}

std::vector<std::size_t> range(std::size_t from, std::size_t to)
{
    std::vector<std::size_t> rows;
    for (std::size_t i = from; i < to; ++i)
        rows.push_back(i);
    return rows;
}

Result<Pipeline> fittedPipeline(const Dataset &data, const QString &kind, Task task)
{
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, {u"signal"_s, u"noise"_s, u"colour"_s}, createModel(kind, task));
    if (!pipeline)
        return pipeline.error();
    Result<FitReport> report = pipeline.value().fit(data, u"y"_s, range(0, kTrainingRows));
    if (!report)
        return report.error();
    return std::move(pipeline).value();
}

// Cancels once `after` progress reports have arrived; records the fractions.
class CancelAfter final : public ProgressSink
{
public:
    explicit CancelAfter(int after) : mAfter(after) { }
    void setProgress(double fraction, const QString &) override
    {
        fractions.push_back(fraction);
        if (int(fractions.size()) >= mAfter)
            mCancelled = true;
    }
    bool isCancelled() const override { return mCancelled; }
    std::vector<double> fractions;

private:
    int mAfter;
    std::atomic<bool> mCancelled{false};
};

} // namespace

class TestPermutationImportance : public QObject
{
    Q_OBJECT

private slots:
    void signalMattersNoiseDoesNot_data();
    void signalMattersNoiseDoesNot();
    void sameSeedSameResult();
    void progressAndCancellation();
    void refusesBadInput();
    void foldsPoolTheirDrops();
};

void TestPermutationImportance::signalMattersNoiseDoesNot_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("classification");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<double>("signalAtLeast");
    QTest::newRow("ridge-r2") << u"ridge"_s << false << u"r2"_s << 1.0;
    QTest::newRow("logistic-accuracy") << u"logistic_regression"_s << true << u"accuracy"_s << 0.3;
    QTest::newRow("knn-classification") << u"knn"_s << true << u"accuracy"_s << 0.3;
    QTest::newRow("knn-regression") << u"knn"_s << false << u"r2"_s << 1.0;
    QTest::newRow("gaussian-nb") << u"gaussian_nb"_s << true << u"accuracy"_s << 0.3;
}

void TestPermutationImportance::signalMattersNoiseDoesNot()
{
    QFETCH(QString, kind);
    QFETCH(bool, classification);
    QFETCH(QString, metric);
    QFETCH(double, signalAtLeast);
    const Task task = classification ? Task::Classification : Task::Regression;
    const Dataset data = generated(task);
    Result<Pipeline> pipeline = fittedPipeline(data, kind, task);
    QVERIFY2(pipeline.ok(), qPrintable(pipeline.ok() ? QString() : pipeline.error().message));

    PermutationOptions options;
    options.seed = 3;
    const Result<PermutationImportance> result = permutationImportance(pipeline.value(), data, range(kTrainingRows, kRows),
                                                                       options);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    const PermutationImportance &importance = result.value();
    QCOMPARE(importance.metric, metric);
    QVERIFY2(importance.baseline > 0.8, qPrintable(u"baseline %1"_s.arg(importance.baseline)));
    QCOMPARE(importance.features.size(), std::size_t(3));
    QCOMPARE(importance.features[0].feature, u"signal"_s);
    for (const FeatureImportance &feature : importance.features) {
        QCOMPARE(feature.drops.size(), std::size_t(options.repeats));
        QVERIFY(feature.standardDeviation >= 0);
        if (feature.feature == u"signal"_s)
            QVERIFY2(feature.mean >= signalAtLeast, qPrintable(u"signal: %1"_s.arg(feature.mean)));
        else
            QVERIFY2(std::fabs(feature.mean) <= kNoiseBound, qPrintable(u"%1: %2"_s.arg(feature.feature).arg(feature.mean)));
    }
}

void TestPermutationImportance::sameSeedSameResult()
{
    const Dataset data = generated(Task::Regression);
    Result<Pipeline> pipeline = fittedPipeline(data, u"ridge"_s, Task::Regression);
    QVERIFY(pipeline.ok());
    const auto run = [&](std::uint64_t seed) {
        PermutationOptions options;
        options.seed = seed;
        return permutationImportance(pipeline.value(), data, range(kTrainingRows, kRows), options).value();
    };
    const PermutationImportance first = run(11), again = run(11), other = run(12);
    for (std::size_t f = 0; f < first.features.size(); ++f) {
        QCOMPARE(again.features[f].drops, first.features[f].drops);
        QCOMPARE(again.features[f].mean, first.features[f].mean);
    }
    QVERIFY(other.features[0].drops != first.features[0].drops);
}

void TestPermutationImportance::progressAndCancellation()
{
    const Dataset data = generated(Task::Classification);
    Result<Pipeline> pipeline = fittedPipeline(data, u"logistic_regression"_s, Task::Classification);
    QVERIFY(pipeline.ok());

    CancelAfter never(1'000'000);
    QVERIFY(permutationImportance(pipeline.value(), data, range(kTrainingRows, kRows), {}, never).ok());
    QCOMPARE(never.fractions.size(), std::size_t(3 * 5));
    QVERIFY(std::is_sorted(never.fractions.begin(), never.fractions.end()));
    QCOMPARE(never.fractions.back(), 1.0);

    CancelAfter soon(4);
    const Result<PermutationImportance> cancelled = permutationImportance(pipeline.value(), data, range(kTrainingRows, kRows), {},
                                                                          soon);
    QVERIFY(!cancelled.ok());
    QVERIFY(cancelled.error().isCancelled());
    QCOMPARE(soon.fractions.size(), std::size_t(4));
}

void TestPermutationImportance::refusesBadInput()
{
    const Dataset data = generated(Task::Regression);
    Result<Pipeline> pipeline = fittedPipeline(data, u"ridge"_s, Task::Regression);
    QVERIFY(pipeline.ok());
    PermutationOptions none;
    none.repeats = 0;
    Result<PermutationImportance> result = permutationImportance(pipeline.value(), data, {}, none);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(u"repeats must be at least 1"_s), qPrintable(result.error().message));

    Result<Pipeline> unfitted = Pipeline::withDefaults(data, {u"signal"_s}, createModel(u"ridge"_s));
    QVERIFY(unfitted.ok());
    result = permutationImportance(unfitted.value(), data, {});
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(u"not fitted"_s), qPrintable(result.error().message));

    Dataset withoutSignal;
    for (const Column &column : data.columns())
        if (column.name() != u"signal"_s)
            withoutSignal.addColumn(column);
    result = permutationImportance(pipeline.value(), withoutSignal, {});
    QVERIFY(!result.ok());
    QVERIFY2(result.error().message.contains(u"signal"_s), qPrintable(result.error().message));
}

// k-fold validation pools each feature's drops over the folds: the mean and the population
// deviation are those of all drops together, the baseline the folds' mean.
void TestPermutationImportance::foldsPoolTheirDrops()
{
    const PermutationImportance first{u"accuracy"_s, 0.8, {{u"a"_s, 0, 0, {0.1, 0.3}}, {u"b"_s, 0, 0, {0.0, 0.0}}}};
    const PermutationImportance second{u"accuracy"_s, 0.6, {{u"a"_s, 0, 0, {0.2, 0.2}}, {u"b"_s, 0, 0, {0.4, 0.0}}}};
    const PermutationImportance pooled = pooledImportance({first, second});
    QCOMPARE(pooled.metric, u"accuracy"_s);
    QCOMPARE(pooled.baseline, 0.7);
    QCOMPARE(pooled.features.size(), std::size_t(2));
    QCOMPARE(pooled.features[0].drops, (std::vector<double>{0.1, 0.3, 0.2, 0.2}));
    QCOMPARE(pooled.features[0].mean, 0.2);
    QVERIFY(std::fabs(pooled.features[0].standardDeviation - std::sqrt(0.02 / 4)) < 1e-15);
    QCOMPARE(pooled.features[1].mean, 0.1);
    QVERIFY(pooledImportance({}).features.empty());
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestPermutationImportance)
#include "tst_permutationimportance.moc"
