// Reading the prediction log back: its inputs as a Dataset, for drift, and its requests, for the
// service's metrics.
#include "serve/predictionlog.h"

#include "serve/featurebatch.h"
#include "serve/jsonrow.h"
#include "serve/rowvalidator.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <functional>
#include <limits>

namespace plumb {

namespace {

// A name for the timestamp column that no feature has.
QString timestampName(const std::vector<FeatureSpec> &features)
{
    QString name = QStringLiteral("received_at");
    while (std::any_of(features.begin(), features.end(), [&](const FeatureSpec &f) { return f.name == name; }))
        name += QLatin1Char('_');
    return name;
}

// Reads every answered request of the open connection into `batch` and `timestamps`.
std::optional<Error> readRequests(QSqlDatabase db, const LogStore &store, const RowValidator &validator, FeatureBatch &batch,
                                  std::vector<double> &timestamps, std::size_t &requests, QStringList &warnings)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, received_at, inputs FROM plumb_requests "
                                   "WHERE status = 200 AND inputs IS NOT NULL ORDER BY id")))
        return Error::io(QStringLiteral("cannot read the log, %1: %2").arg(store.describe(), query.lastError().text()));
    std::vector<JsonRow> rows;
    std::vector<FeatureValue> values;
    std::size_t skipped = 0;
    QString firstReason;
    while (query.next()) {
        const qint64 id = query.value(0).toLongLong();
        const double receivedAt = query.value(1).toDouble();
        const QByteArray inputs = query.value(2).toString().toUtf8();
        if (auto error = readJsonRows(std::string_view(inputs.constData(), std::size_t(inputs.size())), rows,
                                      std::numeric_limits<std::size_t>::max())) {
            warnings.append(QStringLiteral("%1: request %2: the inputs are not JSON rows (%3); skipped")
                                .arg(store.describe())
                                .arg(id)
                                .arg(error->message));
            continue;
        }
        ++requests;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            if (auto reason = validator.readJsonRow(rows[r], values)) {
                if (skipped++ == 0)
                    firstReason = QStringLiteral("request %1, %2: %3").arg(id).arg(requestRowName(r), *reason);
                continue;
            }
            batch.append(values);
            timestamps.push_back(receivedAt);
        }
    }
    if (query.lastError().isValid())
        return Error::io(QStringLiteral("cannot read the log, %1: %2").arg(store.describe(), query.lastError().text()));
    if (skipped > 0)
        warnings.append(QStringLiteral("%1: %2 logged rows do not fit the model and are left out (the first: %3)")
                            .arg(store.describe())
                            .arg(skipped)
                            .arg(firstReason));
    return std::nullopt;
}

// Opens the log `spec` names on a connection of this thread, runs `read` on it, and closes it.
// A SQLite log that does not exist is an error (opening it would create one).
std::optional<Error> readStore(const QString &spec,
                               const std::function<std::optional<Error>(QSqlDatabase, const LogStore &)> &read)
{
    Result<LogStore> store = LogStore::parse(spec);
    if (!store)
        return store.error();
    if (store.value().kind == LogStore::Kind::Sqlite && !QFileInfo::exists(store.value().path))
        return Error::io(QStringLiteral("no log at %1").arg(store.value().path));
    const QString connection = QStringLiteral("plumb-log-reader-%1").arg(quintptr(&store), 0, 16);
    std::optional<Error> error = store.value().connect(connection);
    if (!error)
        error = read(QSqlDatabase::database(connection, false), store.value());
    QSqlDatabase::database(connection, false).close();
    QSqlDatabase::removeDatabase(connection);
    return error;
}

} // namespace

Result<LoggedInputs> readLoggedInputs(const QString &spec, const Pipeline &pipeline)
{
    const RowValidator validator(pipeline);
    FeatureBatch batch(validator.features());
    std::vector<double> timestamps;
    std::size_t requests = 0;
    QStringList warnings;
    LogStore described;
    if (std::optional<Error> error = readStore(spec, [&](QSqlDatabase db, const LogStore &store) {
            described = store;
            return readRequests(db, store, validator, batch, timestamps, requests, warnings);
        }))
        return *error;
    if (timestamps.empty())
        return Error::invalid(QStringLiteral("%1 holds no scored rows for this model").arg(described.describe()));
    LoggedInputs logged{batch.takeDataset(), timestampName(validator.features()), requests};
    Column timestamp(logged.timestampColumn, ColumnType::Datetime);
    timestamp.setRole(ColumnRole::Timestamp);
    timestamp.numbers() = std::move(timestamps);
    logged.data.addColumn(std::move(timestamp));
    Result<LoggedInputs> result(std::move(logged));
    result.setWarnings(warnings);
    return result;
}

Result<std::vector<ServiceRequest>> readServiceRequests(const QString &spec)
{
    std::vector<ServiceRequest> requests;
    LogStore described;
    if (std::optional<Error> error = readStore(spec, [&](QSqlDatabase db, const LogStore &store) -> std::optional<Error> {
            described = store;
            QSqlQuery query(db);
            query.setForwardOnly(true);
            if (!query.exec(
                    QStringLiteral("SELECT received_at, status, latency_seconds, row_count FROM plumb_requests ORDER BY id")))
                return Error::io(QStringLiteral("cannot read the log, %1: %2").arg(store.describe(), query.lastError().text()));
            while (query.next())
                requests.push_back({query.value(0).toDouble(), query.value(1).toInt(), query.value(2).toDouble(),
                                    std::size_t(std::max<qlonglong>(0, query.value(3).toLongLong()))});
            if (query.lastError().isValid())
                return Error::io(QStringLiteral("cannot read the log, %1: %2").arg(store.describe(), query.lastError().text()));
            return std::nullopt;
        }))
        return *error;
    if (requests.empty())
        return Error::invalid(QStringLiteral("%1 holds no requests").arg(described.describe()));
    return requests;
}

} // namespace plumb
