#include "monitor/servicehistory.h"

#include "data/columnprofile.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>

namespace plumb {

namespace {

ServiceWindow measure(const std::vector<ServiceRequest> &requests, const TimeWindow &window)
{
    ServiceWindow measured{window.label, window.start, window.end};
    std::vector<double> latencies;
    latencies.reserve(window.rows.size());
    for (std::size_t index : window.rows) {
        const ServiceRequest &request = requests[index];
        ++measured.requests;
        measured.errors += request.status >= 400;
        measured.rows += request.rows;
        latencies.push_back(1000.0 * request.latencySeconds);
    }
    std::sort(latencies.begin(), latencies.end());
    measured.errorRate = double(measured.errors) / double(measured.requests);
    measured.p50Ms = quantileOfSorted(latencies, 0.50);
    measured.p95Ms = quantileOfSorted(latencies, 0.95);
    measured.p99Ms = quantileOfSorted(latencies, 0.99);
    measured.maxMs = latencies.back();
    measured.requestsPerSecond = window.end > window.start ? double(measured.requests) / (window.end - window.start) : 0.0;
    return measured;
}

} // namespace

Result<ServiceHistory> serviceHistoryByPeriod(const std::vector<ServiceRequest> &requests, WindowPeriod period)
{
    if (requests.empty())
        return Error::invalid(QStringLiteral("the log holds no requests"));
    std::vector<double> times;
    times.reserve(requests.size());
    for (const ServiceRequest &request : requests)
        times.push_back(request.receivedAt);
    std::size_t missing = 0;
    Result<std::vector<TimeWindow>> windows = windowsByPeriod(times, period, missing);
    if (!windows)
        return windows.error();
    ServiceHistory metrics;
    metrics.period = period;
    for (const TimeWindow &window : windows.value())
        metrics.windows.push_back(measure(requests, window));
    return metrics;
}

QJsonObject ServiceHistory::toJson() const
{
    QJsonArray list;
    for (const ServiceWindow &window : windows)
        list.append(QJsonObject{{QStringLiteral("label"), window.label},
                                {QStringLiteral("start"), window.start},
                                {QStringLiteral("end"), window.end},
                                {QStringLiteral("requests"), double(window.requests)},
                                {QStringLiteral("errors"), double(window.errors)},
                                {QStringLiteral("rows"), double(window.rows)},
                                {QStringLiteral("error_rate"), window.errorRate},
                                {QStringLiteral("latency_ms"),
                                 QJsonObject{{QStringLiteral("p50"), window.p50Ms},
                                             {QStringLiteral("p95"), window.p95Ms},
                                             {QStringLiteral("p99"), window.p99Ms},
                                             {QStringLiteral("max"), window.maxMs}}},
                                {QStringLiteral("requests_per_second"), window.requestsPerSecond}});
    return {{QStringLiteral("period"), windowPeriodName(period)}, {QStringLiteral("windows"), list}};
}

} // namespace plumb
