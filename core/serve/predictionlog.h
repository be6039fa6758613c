#pragma once

#include "base/result.h"
#include "data/dataset.h"
#include "learn/pipeline.h"
#include "monitor/servicehistory.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace plumb {

// The prediction log: every request to the scoring service's POST /v1/predict, kept in a SQL
// store (QtSql) that `plumb drift --log` and the Monitor view read as production data. One table,
// one record per request (the schema is in README.md, "The prediction log"):
//   plumb_requests(id, received_at, model_name, model_digest, status, latency_seconds, row_count,
//                  inputs, outputs, probabilities, error)

// Where a log lives: a SQLite file (the default), or a PostgreSQL database named by a URL, which
// several service instances can share.
struct LogStore
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString path; // SQLite: the file
    // PostgreSQL: postgresql://[user[:password]@][host][:port]/database[?key=value&...]; the
    // query's keys are libpq connection options (sslmode, host=/socket/dir, connect_timeout...).
    QString host;
    int port = -1;
    QString database;
    QString user;
    QString password;
    QString options; // "key=value;key=value", as the QPSQL driver takes them

    // A spec starting postgresql:// or postgres:// is PostgreSQL; anything else is a SQLite file
    // path. Fails on a PostgreSQL URL without a database name.
    static Result<LogStore> parse(const QString &spec);
    // "SQLite file /x/model.predictions.sqlite" or "PostgreSQL database plumb on host:port" (no password).
    QString describe() const;
    // Opens a connection named `connection` on the calling thread (QtSql connections belong to
    // one thread) and creates the table where it is absent. Fails naming the store and the
    // driver's reason, or the missing driver (Debian: libqt6sql6-psql for PostgreSQL). The caller
    // removes the connection with QSqlDatabase::removeDatabase once done with it.
    std::optional<Error> connect(const QString &connection) const;
};

// The log file used when none is named: beside the model, "<model>.predictions.sqlite".
QString defaultLogPath(const QString &modelPath);

// One request to POST /v1/predict as the service answered it.
struct LoggedRequest
{
    double receivedAt = 0; // seconds since 1970-01-01T00:00:00Z
    QString modelName;
    QString modelDigest;
    int status = 0;
    double latencySeconds = 0;
    Dataset inputs; // the validated rows, columns named and typed as the model's features; empty when refused
    Prediction outputs; // what was sent back; empty when refused
    QString error; // the reason sent with a 4xx or 5xx
};

// How much may wait for the writer before new records are dropped (and counted) instead of queued.
struct PredictionLogLimits
{
    std::size_t maxQueuedRequests = 100000;
    std::size_t maxQueuedRows = 2000000;
};

// When a logged request is committed to the store, relative to its answer.
enum class LogDurability {
    // submit() queues and returns at once: the answer never waits for the store. Records still
    // queued when the process is killed (kill -9, a crash, power loss) are lost: at most what
    // arrived in the last moments before the kill (a few milliseconds' worth: 59-128 of ~21,000
    // requests a second were measured); SIGTERM and SIGINT lose none.
    Batched,
    // submit() returns once the record is committed (or has failed and been counted), so the
    // service answers only what is in the store: a kill loses no answered request. Concurrent
    // requests still share transactions; the cost is the wait, measured in README.md.
    Strict,
};

// "batched" or "strict"; nullopt for anything else.
std::optional<LogDurability> logDurabilityFromName(const QString &name);

// Writes LoggedRequests to a store in batches, on a thread of its own. With Batched durability
// scoring never waits for the store: submit() only queues (or, with the queue full, drops and
// counts). Whatever is queued when the writer gets to it is written in one transaction. Thread-safe.
class PredictionLog
{
public:
    // Opens `store` (see LogStore::parse) on the writer thread and creates the table; fails
    // naming the store and the reason. Nothing is started when it fails.
    static Result<std::unique_ptr<PredictionLog>> open(const QString &store, PredictionLogLimits limits = {},
                                                       LogDurability durability = LogDurability::Batched);
    // Writes what is queued, then closes the store.
    ~PredictionLog();

    PredictionLog(const PredictionLog &) = delete;
    PredictionLog &operator=(const PredictionLog &) = delete;

    // Queues a record for the writer. Batched: never blocks on the store. Strict: returns once the
    // writer has committed the record, or failed to and counted it (failedRecords). False when the
    // queue is full: the record is dropped and counted (droppedRecords, /metrics).
    bool submit(LoggedRequest record);
    LogDurability durability() const { return mDurability; }
    // Blocks until every record submitted before the call is written (or failed to write).
    void flush();

    const LogStore &store() const { return mStore; }
    quint64 writtenRecords() const { return mWritten.load(); }
    quint64 droppedRecords() const { return mDropped.load(); }
    quint64 failedRecords() const { return mFailed.load(); } // lost to store errors
    // The store's last error, empty when every write succeeded.
    QString lastError() const;

private:
    PredictionLog(LogStore store, PredictionLogLimits limits, LogDurability durability);
    void run(std::promise<std::optional<Error>> opened);
    void writeBatch(std::deque<LoggedRequest> &batch, const QString &connection);

    LogStore mStore;
    PredictionLogLimits mLimits;
    LogDurability mDurability = LogDurability::Batched;
    mutable std::mutex mMutex;
    std::condition_variable mWake; // the writer: records queued, or stop
    std::condition_variable mBatchDone; // flush() and strict submit(): a batch is done
    std::deque<LoggedRequest> mQueue;
    std::size_t mQueuedRows = 0;
    quint64 mSubmitted = 0; // records accepted so far
    quint64 mDone = 0; // records written or failed so far
    bool mStop = false;
    QString mLastError;
    std::atomic<quint64> mWritten{0}, mDropped{0}, mFailed{0};
    std::thread mThread;
};

// The logged inputs of the requests answered 200, as production data: one row per scored row,
// the model's features typed as its features() (read back through RowValidator, so a row the
// model would refuse is skipped with a warning, as are rows logged for a model with other
// features), plus a datetime column `timestampColumn` holding when the request was received.
struct LoggedInputs
{
    Dataset data;
    QString timestampColumn;
    std::size_t requests = 0; // requests the rows came from
};

// Reads the log at `store` for `pipeline` (fitted). Fails naming the store when it cannot be
// opened or read, or when it holds no answered request.
Result<LoggedInputs> readLoggedInputs(const QString &store, const Pipeline &pipeline);

// Every logged request (any status, any model) in the order written, for serviceHistoryByPeriod.
// Fails naming the store when it cannot be opened or read, or holds no request.
Result<std::vector<ServiceRequest>> readServiceRequests(const QString &store);

} // namespace plumb
