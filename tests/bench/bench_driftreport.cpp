// A full drift report at production scale; run by hand, see README.md.
//
//   bench_driftreport [--features F] [--days D] [--rows-per-day N] [--repeat R] [--dump FILE]
//
// Builds in memory (seeded) a reference of 100,000 rows and a current table of D x N rows with a
// timestamp one day per N rows, F features: every fifth categorical (8 values), the others
// numeric at varied scales; from day D/2 on, every tenth feature shifts by 0.3 standard deviations
// (categorical ones move 15% of their mass to one value). Times, R times each: the reference's
// profile (profileDataset; its size as compact JSON is printed too), windowing by day
// (windowsByPeriod) and the report (computeDriftReport with the default methods). Prints one JSON
// line with the times, their medians, the report's processor time summed over its threads (what the
// wall time would be on one idle core: a loaded machine inflates wall times, much less this) and
// how many windows found each shifted feature.
// Default: 50 features x 365 days x 10,000 rows (the aim: the whole report in at most 2 s).
// --dump writes every cell's statistic and p-value (%.17g, one line per window), so that two
// builds can be checked to give the same report bit for bit.

#include "benchcommon.h"

#include "base/parallel.h"
#include "data/columnprofile.h"
#include "monitor/driftreport.h"
#include "monitor/timewindows.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <ctime>
#include <random>

using namespace plumb;
using namespace plumb::bench;

namespace {

constexpr std::size_t kReferenceRows = 100000;
constexpr int kCategories = 8;
constexpr double kSecondsPerDay = 86400;
constexpr double kFirstDay = 1767225600; // 2026-01-01T00:00:00Z

bool isCategorical(int feature)
{
    return feature % 5 == 4;
}
bool shifts(int feature)
{
    return feature % 10 == 9 || feature % 10 == 3;
}

// One feature's column: `rows` values, the shift applied to rows from `shiftFrom` on.
Column makeColumn(int feature, std::size_t rows, std::size_t shiftFrom, std::uint64_t seed)
{
    std::mt19937_64 random(seed * 1000003 + std::uint64_t(feature));
    const QString name = QStringLiteral("f%1").arg(feature, 2, 10, QLatin1Char('0'));
    if (isCategorical(feature)) {
        Column column(name, ColumnType::Categorical);
        for (int c = 0; c < kCategories; ++c)
            column.categories().append(QStringLiteral("v%1").arg(c));
        std::uniform_int_distribution<int> pick(0, kCategories - 1);
        std::uniform_real_distribution<double> uniform;
        column.codes().resize(rows);
        for (std::size_t i = 0; i < rows; ++i)
            column.codes()[i] = (i >= shiftFrom && shifts(feature) && uniform(random) < 0.15) ? 0 : pick(random);
        return column;
    }
    const double scale = std::pow(10.0, feature % 4 - 1), offset = feature * 3.0;
    std::normal_distribution<double> normal;
    Column column(name, ColumnType::Float);
    column.numbers().resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        column.numbers()[i] = offset + scale * (normal(random) + (i >= shiftFrom && shifts(feature) ? 0.3 : 0.0));
    return column;
}

void dump(const DriftReport &report, const QString &path)
{
    std::FILE *file = std::fopen(path.toLocal8Bit().constData(), "w");
    if (!file)
        fail(QStringLiteral("cannot write %1").arg(path));
    for (const auto &row : report.cells) {
        for (const DriftCell &cell : row)
            if (cell.score)
                std::fprintf(file, "%.17g %.17g %d ", cell.score->statistic, cell.score->pValue.value_or(-1),
                             int(cell.score->drifted));
            else
                std::fprintf(file, "error ");
        std::fprintf(file, "\n");
    }
    std::fclose(file);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int features = intOption(args, QStringLiteral("--features"), 50);
    const int days = intOption(args, QStringLiteral("--days"), 365);
    const auto perDay = std::size_t(intOption(args, QStringLiteral("--rows-per-day"), 10000));
    const int repeat = intOption(args, QStringLiteral("--repeat"), 3);
    const std::size_t rows = std::size_t(days) * perDay;

    Dataset referenceData, current;
    std::vector<Column> referenceColumns(static_cast<std::size_t>(features)), columns(static_cast<std::size_t>(features));
    parallelFor(std::size_t(features), [&](std::size_t f) {
        referenceColumns[f] = makeColumn(int(f), kReferenceRows, kReferenceRows, 1);
        columns[f] = makeColumn(int(f), rows, std::size_t(days / 2) * perDay, 2);
    });
    for (Column &column : referenceColumns)
        referenceData.addColumn(std::move(column));
    // What a model file keeps: the profile's build time and its size as compact JSON.
    std::vector<ColumnProfile> reference;
    std::vector<double> profileSeconds;
    for (int r = 0; r < repeat; ++r) {
        const auto start = Clock::now();
        reference = profileDataset(referenceData).value();
        profileSeconds.push_back(secondsSince(start));
    }
    QJsonArray profileJson;
    for (const ColumnProfile &profile : reference)
        profileJson.append(profileToJson(profile));
    const qint64 profileBytes = QJsonDocument(profileJson).toJson(QJsonDocument::Compact).size();
    Column time(QStringLiteral("time"), ColumnType::Datetime);
    time.numbers().resize(rows);
    for (std::size_t i = 0; i < rows; ++i)
        time.numbers()[i] = kFirstDay + double(i / perDay) * kSecondsPerDay
            + double(i % perDay) * (kSecondsPerDay / double(perDay));
    current.addColumn(std::move(time));
    for (Column &column : columns)
        current.addColumn(std::move(column));

    std::vector<TimeWindow> windows;
    std::vector<double> windowSeconds, reportSeconds, reportCpuSeconds;
    DriftReport report;
    for (int r = 0; r < repeat; ++r) {
        auto start = Clock::now();
        std::size_t missing = 0;
        Result<std::vector<TimeWindow>> grouped = windowsByPeriod(current.column(0).numbers(), WindowPeriod::Day, missing);
        if (!grouped)
            fail(grouped.error().message);
        windows = std::move(grouped).value();
        windowSeconds.push_back(secondsSince(start));
        std::vector<DriftWindowInput> inputs;
        for (TimeWindow &window : windows)
            inputs.push_back({window.label, window.start, window.end, &current, window.rows});
        start = Clock::now();
        const std::clock_t cpuStart = std::clock();
        Result<DriftReport> computed = computeDriftReport(reference, inputs, DriftSettings());
        reportSeconds.push_back(secondsSince(start));
        reportCpuSeconds.push_back(double(std::clock() - cpuStart) / CLOCKS_PER_SEC);
        if (!computed)
            fail(computed.error().message);
        report = std::move(computed).value();
    }
    if (const qsizetype at = args.indexOf(QStringLiteral("--dump")); at >= 0 && at + 1 < args.size())
        dump(report, args[at + 1]);
    QJsonObject found;
    for (int f = 0; f < features; ++f) {
        int drifted = 0;
        for (const auto &row : report.cells)
            drifted += row[std::size_t(f)].score && row[std::size_t(f)].score->drifted;
        found.insert(report.columns[f], drifted);
    }
    std::vector<double> total(windowSeconds.size());
    for (std::size_t r = 0; r < total.size(); ++r)
        total[r] = windowSeconds[r] + reportSeconds[r];
    print(QJsonObject{
        {QStringLiteral("tool"), QStringLiteral("plumb")},
        {QStringLiteral("features"), features},
        {QStringLiteral("windows"), qint64(windows.size())},
        {QStringLiteral("rows_per_window"), qint64(perDay)},
        {QStringLiteral("threads"), workerCount()},
        {QStringLiteral("profile_s"), toJson(profileSeconds)},
        {QStringLiteral("profile_json_bytes"), profileBytes},
        {QStringLiteral("window_s"), toJson(windowSeconds)},
        {QStringLiteral("report_s"), toJson(reportSeconds)},
        {QStringLiteral("report_cpu_s"), toJson(reportCpuSeconds)},
        {QStringLiteral("total_median_s"), median(total)},
        {QStringLiteral("windows_drifted_per_feature"), found},
    });
    return 0;
}
