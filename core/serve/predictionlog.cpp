#include "serve/predictionlog.h"

#include "serve/predictionjson.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

namespace plumb {

namespace {

QString sqlError(const QSqlError &error)
{
    const QString text = error.text().trimmed();
    return text.isEmpty() ? QStringLiteral("unknown error") : text;
}

// The table, in the SQL both SQLite and PostgreSQL take; only the id column differs.
QStringList schema(LogStore::Kind kind)
{
    const QString id = kind == LogStore::Kind::Postgres ? QStringLiteral("id BIGSERIAL PRIMARY KEY")
                                                        : QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT");
    return {QStringLiteral("CREATE TABLE IF NOT EXISTS plumb_requests (%1, received_at DOUBLE PRECISION NOT NULL, "
                           "model_name TEXT NOT NULL, model_digest TEXT NOT NULL, status INTEGER NOT NULL, "
                           "latency_seconds DOUBLE PRECISION NOT NULL, row_count INTEGER NOT NULL, inputs TEXT, "
                           "outputs TEXT, probabilities TEXT, error TEXT)")
                .arg(id),
            QStringLiteral("CREATE INDEX IF NOT EXISTS plumb_requests_received_at ON plumb_requests (received_at)")};
}

constexpr std::size_t kMaxBatch = 4096;

// Records per INSERT statement: one round trip to the store for each, not one per record (10
// parameters a record: 640 per statement, far under PostgreSQL's 65,535 and SQLite's 32,766).
constexpr std::size_t kRecordsPerInsert = 64;

// An INSERT of `records` records, with positional placeholders.
QString insertStatement(std::size_t records)
{
    QString sql = QStringLiteral("INSERT INTO plumb_requests (received_at, model_name, model_digest, status, latency_seconds, "
                                 "row_count, inputs, outputs, probabilities, error) VALUES ");
    for (std::size_t r = 0; r < records; ++r)
        sql += r > 0 ? QStringLiteral(", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") : QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    return sql;
}

// Binds one record's 10 values, in the column order of insertStatement. `text` is scratch space.
void bindRecord(QSqlQuery &insert, const LoggedRequest &record, std::string &text)
{
    const bool scored = record.inputs.rowCount() > 0;
    const QVariant null{QMetaType(QMetaType::QString)};
    const auto json = [&](auto append, const auto &value) {
        text.clear();
        append(value, text);
        return QString::fromStdString(text);
    };
    insert.addBindValue(record.receivedAt);
    insert.addBindValue(record.modelName);
    insert.addBindValue(record.modelDigest);
    insert.addBindValue(record.status);
    insert.addBindValue(record.latencySeconds);
    insert.addBindValue(qint64(record.inputs.rowCount()));
    insert.addBindValue(scored ? json(appendRowsJson, record.inputs) : null);
    insert.addBindValue(scored ? json(appendPredictionsJson, record.outputs) : null);
    insert.addBindValue(scored && !record.outputs.classes.isEmpty() ? json(appendProbabilitiesJson, record.outputs) : null);
    insert.addBindValue(record.error.isEmpty() ? null : QVariant(record.error));
}

} // namespace

Result<LogStore> LogStore::parse(const QString &spec)
{
    LogStore store;
    if (!spec.startsWith(QLatin1String("postgresql://")) && !spec.startsWith(QLatin1String("postgres://"))) {
        if (spec.isEmpty())
            return Error::invalid(QStringLiteral("the log store has no name"));
        store.path = spec;
        return store;
    }
    const QUrl url(spec, QUrl::StrictMode);
    store.kind = Kind::Postgres;
    store.database = url.path().mid(1);
    if (!url.isValid() || store.database.isEmpty() || store.database.contains(QLatin1Char('/')))
        return Error::invalid(QStringLiteral("%1 is not postgresql://[user[:password]@][host][:port]/database")
                                  .arg(url.toDisplayString(QUrl::RemovePassword)));
    store.host = url.host();
    store.port = url.port(-1);
    store.user = url.userName();
    store.password = url.password();
    QStringList options;
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        options.append(key + QLatin1Char('=') + value);
    store.options = options.join(QLatin1Char(';'));
    return store;
}

QString LogStore::describe() const
{
    if (kind == Kind::Sqlite)
        return QStringLiteral("SQLite file %1").arg(path);
    const QString where = host.isEmpty() ? QStringLiteral("the local socket")
                                         : (port > 0 ? QStringLiteral("%1:%2").arg(host).arg(port) : host);
    return QStringLiteral("PostgreSQL database %1 on %2").arg(database, where);
}

std::optional<Error> LogStore::connect(const QString &connection) const
{
    const QString driver = kind == Kind::Postgres ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE");
    if (!QSqlDatabase::isDriverAvailable(driver))
        return Error::io(QStringLiteral("%1: Qt's %2 driver is not installed%3")
                             .arg(describe(), driver,
                                  kind == Kind::Postgres ? QStringLiteral(" (Debian: libqt6sql6-psql)")
                                                         : QStringLiteral(" (Debian: libqt6sql6-sqlite)")));
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, connection);
    if (kind == Kind::Sqlite) {
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    } else {
        db.setDatabaseName(database);
        db.setHostName(host);
        db.setPort(port);
        db.setUserName(user);
        db.setPassword(password);
        db.setConnectOptions(options);
    }
    if (!db.open())
        return Error::io(QStringLiteral("cannot open the log, %1: %2").arg(describe(), sqlError(db.lastError())));
    QSqlQuery query(db);
    QStringList statements = schema(kind);
    if (kind == Kind::Sqlite) // the service writes while plumb drift reads
        statements.prepend(QStringLiteral("PRAGMA journal_mode=WAL"));
    else // no "already exists, skipping" notices on stderr
        statements.prepend(QStringLiteral("SET client_min_messages TO WARNING"));
    for (const QString &statement : statements)
        if (!query.exec(statement))
            return Error::io(QStringLiteral("cannot set up the log, %1: %2").arg(describe(), sqlError(query.lastError())));
    return std::nullopt;
}

QString defaultLogPath(const QString &modelPath)
{
    const QFileInfo model(modelPath);
    return model.dir().filePath(model.completeBaseName() + QStringLiteral(".predictions.sqlite"));
}

std::optional<LogDurability> logDurabilityFromName(const QString &name)
{
    if (name == QLatin1String("batched"))
        return LogDurability::Batched;
    if (name == QLatin1String("strict"))
        return LogDurability::Strict;
    return std::nullopt;
}

PredictionLog::PredictionLog(LogStore store, PredictionLogLimits limits, LogDurability durability)
    : mStore(std::move(store)), mLimits(limits), mDurability(durability)
{
}

Result<std::unique_ptr<PredictionLog>> PredictionLog::open(const QString &spec, PredictionLogLimits limits,
                                                           LogDurability durability)
{
    Result<LogStore> store = LogStore::parse(spec);
    if (!store)
        return store.error();
    std::unique_ptr<PredictionLog> log(new PredictionLog(std::move(store).value(), limits, durability));
    std::promise<std::optional<Error>> opened;
    std::future<std::optional<Error>> result = opened.get_future();
    log->mThread = std::thread([raw = log.get(), promise = std::move(opened)]() mutable { raw->run(std::move(promise)); });
    if (std::optional<Error> error = result.get()) {
        log->mThread.join(); // the writer has already returned
        return *error;
    }
    return log;
}

PredictionLog::~PredictionLog()
{
    {
        std::lock_guard lock(mMutex);
        mStop = true;
    }
    mWake.notify_all();
    if (mThread.joinable())
        mThread.join();
}

bool PredictionLog::submit(LoggedRequest record)
{
    const std::size_t rows = record.inputs.rowCount();
    std::unique_lock lock(mMutex);
    if (mQueue.size() >= mLimits.maxQueuedRequests || (mQueuedRows > 0 && mQueuedRows + rows > mLimits.maxQueuedRows)) {
        ++mDropped;
        return false;
    }
    mQueue.push_back(std::move(record));
    mQueuedRows += rows;
    const quint64 sequence = ++mSubmitted;
    mWake.notify_one();
    // Strict: the records are numbered in queue order and the writer takes them in that order, so
    // mDone passing this record's number means its transaction has ended.
    if (mDurability == LogDurability::Strict)
        mBatchDone.wait(lock, [&] { return mDone >= sequence; });
    return true;
}

void PredictionLog::flush()
{
    std::unique_lock lock(mMutex);
    const quint64 target = mSubmitted;
    mBatchDone.wait(lock, [&] { return mDone >= target || !mThread.joinable(); });
}

QString PredictionLog::lastError() const
{
    std::lock_guard lock(mMutex);
    return mLastError;
}

void PredictionLog::run(std::promise<std::optional<Error>> opened)
{
    // The connection is made, used and removed on this thread only.
    const QString connection = QStringLiteral("plumb-prediction-log-%1").arg(quintptr(this), 0, 16);
    std::optional<Error> error = mStore.connect(connection);
    const bool ok = !error;
    if (!ok)
        QSqlDatabase::removeDatabase(connection);
    opened.set_value(std::move(error));
    if (!ok)
        return;
    std::unique_lock lock(mMutex);
    for (;;) {
        mWake.wait(lock, [&] { return mStop || !mQueue.empty(); });
        if (mQueue.empty())
            break; // stopping, and everything is written
        // At most kMaxBatch records per transaction, so that the counters move and a batch's text stays small.
        std::deque<LoggedRequest> batch;
        if (mQueue.size() <= kMaxBatch) {
            batch.swap(mQueue);
        } else {
            batch.insert(batch.end(), std::make_move_iterator(mQueue.begin()),
                         std::make_move_iterator(mQueue.begin() + kMaxBatch));
            mQueue.erase(mQueue.begin(), mQueue.begin() + kMaxBatch);
        }
        for (const LoggedRequest &record : batch)
            mQueuedRows -= record.inputs.rowCount();
        const quint64 upTo = mSubmitted - mQueue.size();
        lock.unlock();
        writeBatch(batch, connection);
        batch.clear(); // free the rows before taking the lock again
        lock.lock();
        mDone = upTo;
        mBatchDone.notify_all();
    }
    lock.unlock();
    QSqlDatabase::database(connection, false).close();
    QSqlDatabase::removeDatabase(connection);
}

void PredictionLog::writeBatch(std::deque<LoggedRequest> &batch, const QString &connection)
{
    QSqlDatabase db = QSqlDatabase::database(connection, false);
    QString failure;
    if (!db.transaction())
        failure = sqlError(db.lastError());
    // Full statements of kRecordsPerInsert records share one prepared query; the rest takes one more.
    QSqlQuery full(db), rest(db);
    bool fullPrepared = false;
    std::string text;
    for (std::size_t start = 0; start < batch.size() && failure.isEmpty(); start += kRecordsPerInsert) {
        const std::size_t count = std::min(kRecordsPerInsert, batch.size() - start);
        const bool isFull = count == kRecordsPerInsert;
        QSqlQuery &insert = isFull ? full : rest;
        if (!(isFull && fullPrepared) && !insert.prepare(insertStatement(count))) {
            failure = sqlError(insert.lastError());
            break;
        }
        fullPrepared = fullPrepared || isFull;
        for (std::size_t i = start; i < start + count; ++i)
            bindRecord(insert, batch[i], text);
        if (!insert.exec())
            failure = sqlError(insert.lastError());
    }
    if (failure.isEmpty() && !db.commit())
        failure = sqlError(db.lastError());
    if (failure.isEmpty()) {
        mWritten += batch.size();
        return;
    }
    db.rollback();
    mFailed += batch.size();
    std::lock_guard lock(mMutex);
    mLastError = QStringLiteral("%1: %2").arg(mStore.describe(), failure);
}

} // namespace plumb
