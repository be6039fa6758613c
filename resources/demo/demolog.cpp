// Writes the demo workspace's prediction log: a month of a scoring service's traffic for the
// logistic model, as `plumb serve --log` keeps it, so the Monitor view can read a log without a
// service having run for a month.
//
//   plumb-demo-log WORKSPACE_DIR
//
// writes WORKSPACE_DIR/models/churn-logistic.predictions.sqlite (the file plumb serve uses by
// default beside the model). December 2026, day by day: 120 to 200 requests a day (fewer at
// weekends) of 1 to 3 rows, now and then a batch of 40, drawn from the October batch early in the
// month, November's in the middle and December's at the end, so the inputs drift as the batches
// do. Answered in about a millisecond, except a slow spell on December 14-16 (a noisy neighbour:
// latency x4, long tails) and a bad deploy of a client on December 20-21 that sends rows without
// a column (6% answered 400). Deterministic: the same file on every machine.

#include "artifact/modelartifact.h"
#include "data/csvreader.h"
#include "serve/predictionlog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

#include <cmath>
#include <cstdio>

using namespace plumb;

namespace {

constexpr double kDecember1 = 1796083200; // 2026-12-01T00:00:00Z
constexpr double kDay = 86400;

// xorshift64*: small, and the same sequence everywhere (std distributions are not).
class Random
{
public:
    explicit Random(std::uint64_t seed) : mState(seed) { }
    double uniform()
    {
        mState ^= mState >> 12;
        mState ^= mState << 25;
        mState ^= mState >> 27;
        return double((mState * 2685821657736338717ULL) >> 11) * 0x1.0p-53;
    }
    std::size_t below(std::size_t n) { return std::min(n - 1, std::size_t(uniform() * double(n))); }
    double normal() { return std::sqrt(-2.0 * std::log(1.0 - uniform())) * std::cos(6.283185307179586 * uniform()); }

private:
    std::uint64_t mState;
};

// The model's features of `rows` of `batch`, as the service logs a validated request.
Dataset requestRows(const Dataset &batch, const Pipeline &pipeline, const std::vector<std::size_t> &rows)
{
    const Dataset chosen = batch.selectRows(rows);
    Dataset inputs;
    for (const FeatureSpec &feature : pipeline.features())
        inputs.addColumn(chosen.column(*chosen.indexOf(feature.name)));
    return inputs;
}

double latencySeconds(Random &random, int day, std::size_t rows)
{
    const bool slow = day >= 14 && day <= 16;
    double milliseconds = 0.55 * std::exp(0.35 * random.normal()) + 0.004 * double(rows);
    if (slow)
        milliseconds *= 4.0;
    if (random.uniform() < (slow ? 0.03 : 0.005))
        milliseconds *= slow ? 12.0 : 5.0; // the tail
    return milliseconds / 1000.0;
}

LoggedRequest request(Random &random, int day, const Dataset &batch, const ModelArtifact &model, const QString &modelName)
{
    const double receivedAt = kDecember1 + (day - 1) * kDay + random.uniform() * kDay;
    const bool badClient = day >= 20 && day <= 21 && random.uniform() < 0.06;
    if (badClient || random.uniform() < 0.004)
        return {receivedAt,
                modelName,
                model.digest,
                400,
                latencySeconds(random, day, 0),
                {},
                {},
                QStringLiteral("the row has no column \"tenure_months\", which the model needs")};
    const std::size_t count = random.uniform() < 0.03 ? 40 : 1 + random.below(3);
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < count; ++i)
        rows.push_back(random.below(batch.rowCount()));
    LoggedRequest record{
        receivedAt, modelName, model.digest, 200, latencySeconds(random, day, count), requestRows(batch, *model.pipeline, rows),
        {},         {}};
    record.outputs = model.pipeline->predict(record.inputs).value();
    return record;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication application(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: plumb-demo-log WORKSPACE_DIR\n");
        return 2;
    }
    const QDir workspace(QString::fromLocal8Bit(argv[1]));
    const QString modelPath = workspace.filePath(QStringLiteral("models/churn-logistic.plumb"));
    Result<ModelArtifact> model = loadModelArtifact(modelPath);
    if (!model) {
        std::fprintf(stderr, "plumb-demo-log: %s\n", qPrintable(model.error().message));
        return 1;
    }
    std::vector<Dataset> batches;
    for (const char *month : {"2026-10", "2026-11", "2026-12"}) {
        Result<Dataset> batch = CsvReader::readFile(
            workspace.filePath(QStringLiteral("batches/%1.csv").arg(QLatin1String(month))));
        if (!batch) {
            std::fprintf(stderr, "plumb-demo-log: %s\n", qPrintable(batch.error().message));
            return 1;
        }
        batches.push_back(std::move(batch).value());
    }
    const QString logPath = defaultLogPath(modelPath);
    QFile::remove(logPath);
    {
        Result<std::unique_ptr<PredictionLog>> log = PredictionLog::open(logPath);
        if (!log) {
            std::fprintf(stderr, "plumb-demo-log: %s\n", qPrintable(log.error().message));
            return 1;
        }
        Random random(20261201);
        const QString modelName = QFileInfo(modelPath).fileName();
        for (int day = 1; day <= 31; ++day) {
            const Dataset &batch = batches[day <= 10 ? 0 : day <= 20 ? 1 : 2];
            const int weekday = (day + 1) % 7; // December 1, 2026 is a Tuesday: 0 is Sunday
            const int count = (weekday == 0 || weekday == 6 ? 120 : 160) + int(random.below(41));
            for (int i = 0; i < count; ++i)
                log.value()->submit(request(random, day, batch, model.value(), modelName));
        }
        log.value()->flush();
        if (!log.value()->lastError().isEmpty()) {
            std::fprintf(stderr, "plumb-demo-log: %s\n", qPrintable(log.value()->lastError()));
            return 1;
        }
    }
    return 0;
}
