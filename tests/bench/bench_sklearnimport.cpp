// Plumb's side of bench_sklearnimport.py: scans a scikit-learn joblib file and converts it into a
// Plumb pipeline, --repeat times, and prints one JSON line with the seconds of each step and of
// both together, the file size and what was converted.
//
//   bench_sklearnimport FILE [--repeat 5]
//
// Each repeat reads the file from the page cache (the driver warms it), scans it (no code runs),
// and imports it (every tree validated before the pipeline exists), as `plumb import-sklearn` does
// before saving. Not registered with CTest: timings do not belong in pass/fail tests.

#include "benchcommon.h"

#include "interop/picklescanner.h"
#include "interop/sklearnimporter.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonObject>

#include <cstdio>

using namespace plumb;
using namespace plumb::bench;

int main(int argc, char *argv[])
{
    QCoreApplication application(argc, argv);
    const QStringList args = application.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_sklearnimport FILE [--repeat N]\n");
        return 2;
    }
    const QString path = args.at(1);
    const int repeats = intOption(args, QStringLiteral("--repeat"), 5);
    std::vector<double> scans, imports, totals;
    std::size_t components = 0;
    for (int repeat = 0; repeat < repeats; ++repeat) {
        const auto start = Clock::now();
        const PickleScanReport report = scanPickleFile(path);
        const double scanned = secondsSince(start);
        if (!report.isImportable()) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(verdictName(report.verdict)), qPrintable(report.reason));
            return 1;
        }
        const auto importStart = Clock::now();
        const Result<ImportedModel> imported = importSklearn(report);
        if (!imported) {
            std::fprintf(stderr, "import failed: %s\n", qPrintable(imported.error().message));
            return 1;
        }
        imports.push_back(secondsSince(importStart));
        scans.push_back(scanned);
        totals.push_back(secondsSince(start));
        components = imported.value().components.size();
    }
    print(QJsonObject{{QStringLiteral("file_bytes"), double(QFileInfo(path).size())},
                      {QStringLiteral("scan_s"), toJson(scans)},
                      {QStringLiteral("import_s"), toJson(imports)},
                      {QStringLiteral("total_s"), toJson(totals)},
                      {QStringLiteral("components"), double(components)}});
    return 0;
}
