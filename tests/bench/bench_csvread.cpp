// bench_csvread: loads one CSV file with CsvReader::readFile several times and prints, as one JSON
// line, the median and every wall-clock time and how far the process's peak memory rose:
// peak_rss_increase_kib (getrusage ru_maxrss after minus before), vmhwm_increase_kib (the same from
// /proc/self/status VmHWM) and peak_above_start_kib (VmHWM after minus VmRSS before, which still
// counts when start-up had already set a higher peak than a small load reaches).
// Not a test: run it from bench_csv.py (side by side with pandas) or by hand, see README.md.
//
//   bench_csvread FILE [--repeat N]

#include "data/csvreader.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace {

// Peak resident set size so far, in KiB (Linux reports ru_maxrss in KiB).
long peakRssKib()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"), or -1.
long statusKib(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLong();
    return -1;
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_csvread FILE [--repeat N]\n");
        return 2;
    }
    const QString path = args.at(1);
    int repeat = 5;
    const qsizetype repeatAt = args.indexOf(QStringLiteral("--repeat"));
    if (repeatAt > 0 && repeatAt + 1 < args.size())
        repeat = std::max(1, args.at(repeatAt + 1).toInt());

    const long rssBefore = peakRssKib();
    const long hwmBefore = statusKib("VmHWM:");
    const long residentBefore = statusKib("VmRSS:");
    std::vector<double> seconds;
    std::size_t rows = 0;
    std::size_t columns = 0;
    for (int i = 0; i < repeat; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const plumb::Result<plumb::Dataset> result = plumb::CsvReader::readFile(path);
        const auto stop = std::chrono::steady_clock::now();
        if (!result.ok()) {
            std::fprintf(stderr, "%s\n", qPrintable(result.error().message));
            return 1;
        }
        rows = result.value().rowCount();
        columns = result.value().columnCount();
        seconds.push_back(std::chrono::duration<double>(stop - start).count());
    }
    const long rssAfter = peakRssKib();
    const long hwmAfter = statusKib("VmHWM:");

    QStringList times;
    for (const double s : seconds)
        times.append(QString::number(s, 'f', 4));
    std::printf("{\"tool\": \"plumb\", \"rows\": %zu, \"columns\": %zu, \"median_s\": %.4f, \"runs_s\": [%s], "
                "\"peak_rss_increase_kib\": %ld, \"vmhwm_increase_kib\": %ld, \"peak_above_start_kib\": %ld}\n",
                rows, columns, median(seconds), qPrintable(times.join(QStringLiteral(", "))), rssAfter - rssBefore,
                hwmAfter - hwmBefore, hwmAfter - residentBefore);
    return 0;
}
