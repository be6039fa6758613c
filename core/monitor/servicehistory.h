#pragma once

#include "base/result.h"
#include "monitor/timewindows.h"

#include <QJsonObject>

#include <cstddef>
#include <vector>

namespace plumb {

// The scoring service's own health over time, from its prediction log: how many requests came in
// each period, how many failed, how fast they were answered and how many rows they scored.

// One request as the log keeps it (the plumb_requests table, without the data).
struct ServiceRequest
{
    double receivedAt = 0; // seconds since 1970-01-01T00:00:00Z
    int status = 0; // the HTTP status sent
    double latencySeconds = 0;
    std::size_t rows = 0; // rows scored (0 when refused)
};

// One period: counts, the error rate (status 400 and above), latency percentiles in milliseconds
// (linear interpolation between ranks, numpy's default) and the average request rate over the
// period's span.
struct ServiceWindow
{
    QString label;
    double start = 0;
    double end = 0;
    std::size_t requests = 0;
    std::size_t errors = 0;
    std::size_t rows = 0;
    double errorRate = 0;
    double p50Ms = 0, p95Ms = 0, p99Ms = 0, maxMs = 0;
    double requestsPerSecond = 0;
};

struct ServiceHistory
{
    WindowPeriod period = WindowPeriod::Day;
    std::vector<ServiceWindow> windows; // in time order, only periods with requests

    // {period, windows: [{label, start, end, requests, errors, rows, error_rate, latency_ms: {p50,
    //  p95, p99, max}, requests_per_second}]}
    QJsonObject toJson() const;
};

// Groups `requests` by the calendar period of when they were received (windowsByPeriod's labels,
// so the windows line up with a drift report over the same log). Fails when there are none.
Result<ServiceHistory> serviceHistoryByPeriod(const std::vector<ServiceRequest> &requests, WindowPeriod period);

} // namespace plumb
