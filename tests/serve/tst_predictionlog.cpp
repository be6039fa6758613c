// The prediction log: where a store spec points, what a record looks like in the table, that the
// reader gives the logged inputs back typed as the model's features with their timestamps, that
// a full queue drops and counts, and a PostgreSQL store shared by two writers (a real local
// server, where one is installed).
#include "serve/predictionlog.h"

#include "data/valueparser.h"
#include "localpostgres.h"
#include "serve/featurebatch.h"
#include "serve/predictionjson.h"
#include "servetestutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <set>

#include <QElapsedTimer>
#include <QFile>

#include <algorithm>
#include <cstring>
#include <iterator>

using namespace plumb;

namespace {

// 2026-03-01T00:00:00Z and 2026-03-02T12:00:00Z in seconds since the epoch (Python's datetime).
constexpr double kMarch1 = 1772323200.0;
constexpr double kMarch2Noon = 1772452800.0;

// Validated rows from a JSON body, as the service builds them.
Dataset rowsFrom(const Pipeline &pipeline, const std::string &json)
{
    const RowValidator validator(pipeline);
    std::vector<JsonRow> rows;
    if (readJsonRows(json, rows, 1000))
        return {};
    FeatureBatch batch(validator.features());
    std::vector<FeatureValue> values;
    for (const JsonRow &row : rows) {
        if (validator.readJsonRow(row, values))
            return {};
        batch.append(values);
    }
    return batch.takeDataset();
}

LoggedRequest scored(const Pipeline &pipeline, const std::string &json, double receivedAt)
{
    LoggedRequest record{
        receivedAt, QStringLiteral("ridge.plumb"), QStringLiteral("abc123"), 200, 0.0015, rowsFrom(pipeline, json), {}, {}};
    record.outputs = pipeline.predict(record.inputs).value();
    return record;
}

LoggedRequest refused(double receivedAt)
{
    return {receivedAt,
            QStringLiteral("ridge.plumb"),
            QStringLiteral("abc123"),
            400,
            0.0002,
            {},
            {},
            QStringLiteral("no column 'x2', which the model needs")};
}

// One keep-alive connection to plumb serve with at most one predict request in flight; each request
// carries its number as x1, which the log keeps in its inputs.
struct Client
{
    std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
    QByteArray buffer;
    int inFlight = -1; // the number of the request awaiting its answer, -1 for none

    void send(int number)
    {
        const QByteArray body = R"([{"x1":)" + QByteArray::number(number) + R"(,"x2":1.25,"colour":"red"}])";
        socket->write("POST /v1/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                      + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        socket->flush();
        inFlight = number;
    }
    // The status of a complete answer in the buffer (removed from it), or 0 while incomplete.
    int takeAnswer()
    {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return 0;
        const QRegularExpressionMatch length = QRegularExpression(QStringLiteral("(?i)content-length: *(\\d+)"))
                                                   .match(QString::fromLatin1(buffer.left(headerEnd)));
        const qsizetype total = headerEnd + 4 + (length.hasMatch() ? length.captured(1).toLongLong() : 0);
        if (buffer.size() < total)
            return 0;
        const int status = buffer.mid(9, 3).toInt(); // "HTTP/1.1 200"
        buffer.remove(0, total);
        return status;
    }
};

// The x1 of every request in the SQLite log at `path`.
std::set<int> loggedNumbers(const QString &path)
{
    std::set<int> numbers;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("killed-log"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(QStringLiteral("SELECT inputs FROM plumb_requests"), db);
            while (query.next())
                numbers.insert(QJsonDocument::fromJson(query.value(0).toString().toUtf8())
                                   .array()
                                   .at(0)
                                   .toObject()
                                   .value(QLatin1String("x1"))
                                   .toInt());
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("killed-log"));
    return numbers;
}

} // namespace

class TestPredictionLog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void parsesStores_data();
    void parsesStores();
    void rowsJson();
    void writesRecords();
    void writesManyRecordsPerStatement_data();
    void writesManyRecordsPerStatement();
    void readsInputsBack();
    void countsDropped();
    void refusesStoreItCannotOpen();
    void postgresqlSharedByTwoWriters();
    void strictLosesNothingOnKill();

private:
    std::unique_ptr<Pipeline> mRidge;
    QTemporaryDir mDir;
};

void TestPredictionLog::initTestCase()
{
    QVERIFY(mDir.isValid());
    mRidge = std::make_unique<Pipeline>(test::fittedPipeline(QStringLiteral("ridge")));
}

void TestPredictionLog::parsesStores_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("described"); // empty: refused
    QTest::addColumn<QString>("options");
    QTest::newRow("sqlite-file") << QStringLiteral("/var/log/m.predictions.sqlite")
                                 << QStringLiteral("SQLite file /var/log/m.predictions.sqlite") << QString();
    QTest::newRow("postgresql-full") << QStringLiteral(
        "postgresql://svc:pw@db.example:6543/plumb?sslmode=require&connect_timeout=5")
                                     << QStringLiteral("PostgreSQL database plumb on db.example:6543")
                                     << QStringLiteral("sslmode=require;connect_timeout=5");
    QTest::newRow("postgres-scheme-no-port")
        << QStringLiteral("postgres://db/plumb") << QStringLiteral("PostgreSQL database plumb on db") << QString();
    QTest::newRow("postgresql-socket") << QStringLiteral("postgresql:///plumb?host=/run/postgresql")
                                       << QStringLiteral("PostgreSQL database plumb on the local socket")
                                       << QStringLiteral("host=/run/postgresql");
    QTest::newRow("postgresql-no-database") << QStringLiteral("postgresql://db:5432/") << QString() << QString();
    QTest::newRow("empty") << QString() << QString() << QString();
}

void TestPredictionLog::parsesStores()
{
    QFETCH(QString, spec);
    QFETCH(QString, described);
    QFETCH(QString, options);
    const Result<LogStore> store = LogStore::parse(spec);
    QCOMPARE(store.ok(), !described.isEmpty());
    if (!store)
        return;
    QCOMPARE(store.value().describe(), described);
    QCOMPARE(store.value().options, options);
    if (spec.contains(QLatin1String("svc:pw"))) {
        QCOMPARE(store.value().user, QStringLiteral("svc"));
        QCOMPARE(store.value().password, QStringLiteral("pw"));
        QCOMPARE(store.value().port, 6543);
    }
}

void TestPredictionLog::rowsJson()
{
    // One column of each type, the second row missing everywhere: written by hand from the
    // documented form (numbers, true/false, strings, datetimes as seconds, null when missing).
    Dataset data;
    Column number(QStringLiteral("x"), ColumnType::Float), count(QStringLiteral("n"), ColumnType::Integer),
        flag(QStringLiteral("ok"), ColumnType::Boolean), colour(QStringLiteral("colour \\c"), ColumnType::Categorical),
        when(QStringLiteral("t"), ColumnType::Datetime);
    number.numbers() = {0.1, NAN};
    count.numbers() = {-3, NAN};
    flag.numbers() = {1, NAN};
    colour.categories() = {QStringLiteral("grün")};
    colour.codes() = {0, -1};
    when.numbers() = {kMarch1, NAN};
    for (Column *column : {&number, &count, &flag, &colour, &when})
        data.addColumn(*column);
    std::string text;
    appendRowsJson(data, text);
    QCOMPARE(QString::fromStdString(text),
             QStringLiteral(R"([{"x":0.1,"n":-3,"ok":true,"colour \\c":"grün","t":1772323200},)"
                            R"({"x":null,"n":null,"ok":null,"colour \\c":null,"t":null}])"));
}

void TestPredictionLog::writesRecords()
{
    const QString path = mDir.filePath(QStringLiteral("writes.sqlite"));
    Result<std::unique_ptr<PredictionLog>> log = PredictionLog::open(path);
    QVERIFY2(log, qPrintable(log ? QString() : log.error().message));
    const LoggedRequest first = scored(*mRidge, R"([{"x1":1.5,"x2":null,"colour":"red"},{"x1":-2,"x2":4.25,"colour":"blue"}])",
                                       kMarch1 + 0.25);
    QVERIFY(log.value()->submit(first));
    QVERIFY(log.value()->submit(refused(kMarch1 + 1)));
    log.value()->flush();
    QCOMPARE(log.value()->writtenRecords(), quint64(2));
    QCOMPARE(log.value()->lastError(), QString());
    log.value().reset(); // closes the store

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check-writes"));
    db.setDatabaseName(path);
    QVERIFY(db.open());
    {
        QSqlQuery query(
            QStringLiteral("SELECT received_at, model_name, model_digest, status, latency_seconds, row_count, inputs, "
                           "outputs, probabilities, error FROM plumb_requests ORDER BY id"),
            db);
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toDouble(), kMarch1 + 0.25);
        QCOMPARE(query.value(1).toString(), QStringLiteral("ridge.plumb"));
        QCOMPARE(query.value(2).toString(), QStringLiteral("abc123"));
        QCOMPARE(query.value(3).toInt(), 200);
        QCOMPARE(query.value(4).toDouble(), 0.0015);
        QCOMPARE(query.value(5).toInt(), 2);
        // The features only, in the model's order, as sent (null for the missing x2).
        QCOMPARE(query.value(6).toString(),
                 QStringLiteral(R"([{"x1":1.5,"x2":null,"colour":"red"},{"x1":-2,"x2":4.25,"colour":"blue"}])"));
        // The outputs read back as the very doubles Pipeline::predict gave.
        const QStringList outputs = query.value(7).toString().mid(1).chopped(1).split(QLatin1Char(','));
        QCOMPARE(outputs.size(), 2);
        for (qsizetype r = 0; r < 2; ++r) {
            const double value = *parseNumber(outputs[r].toStdString());
            QCOMPARE(std::memcmp(&value, &first.outputs.values[r], sizeof value), 0);
        }
        QVERIFY(query.value(8).isNull()); // a regressor has no probabilities
        QVERIFY(query.value(9).isNull());
        QVERIFY(query.next());
        QCOMPARE(query.value(3).toInt(), 400);
        QCOMPARE(query.value(5).toInt(), 0);
        QVERIFY(query.value(6).isNull());
        QVERIFY(query.value(7).isNull());
        QCOMPARE(query.value(9).toString(), QStringLiteral("no column 'x2', which the model needs"));
        QVERIFY(!query.next());
    }
    db.close();
    db = {};
    QSqlDatabase::removeDatabase(QStringLiteral("check-writes"));
}

// Records alternate scored (even) and refused (odd), received one second apart from March 1.
std::vector<LoggedRequest> alternating(const Pipeline &pipeline, int count)
{
    std::vector<LoggedRequest> records;
    for (int i = 0; i < count; ++i)
        records.push_back(i % 2 == 0 ? scored(pipeline, R"({"x1":1,"x2":2,"colour":"red"})", kMarch1 + i) : refused(kMarch1 + i));
    return records;
}

// Reads back status and received_at of every record, in the order written; a failure message
// when the table does not hold exactly `records`.
QString checkWritten(QSqlDatabase db, const std::vector<LoggedRequest> &records)
{
    QSqlQuery query(QStringLiteral("SELECT status, received_at, row_count FROM plumb_requests ORDER BY id"), db);
    std::size_t i = 0;
    for (; query.next(); ++i) {
        if (i >= records.size())
            return QStringLiteral("more than %1 records").arg(records.size());
        if (query.value(0).toInt() != records[i].status || query.value(1).toDouble() != records[i].receivedAt
            || query.value(2).toLongLong() != qint64(records[i].inputs.rowCount()))
            return QStringLiteral("record %1 differs").arg(i);
    }
    return i == records.size() ? QString() : QStringLiteral("%1 records of %2").arg(i).arg(records.size());
}

void TestPredictionLog::writesManyRecordsPerStatement_data()
{
    // Records go to the store 64 to an INSERT statement (kRecordsPerInsert in predictionlog.cpp):
    // counts below, at and across that size, each written whole and in order.
    QTest::addColumn<int>("count");
    QTest::newRow("one") << 1;
    QTest::newRow("one-statement") << 64;
    QTest::newRow("one-statement-and-one") << 65;
    QTest::newRow("three-statements") << 150;
}

void TestPredictionLog::writesManyRecordsPerStatement()
{
    QFETCH(int, count);
    const QString path = mDir.filePath(QStringLiteral("many-%1.sqlite").arg(count));
    const std::vector<LoggedRequest> records = alternating(*mRidge, count);
    {
        Result<std::unique_ptr<PredictionLog>> log = PredictionLog::open(path);
        QVERIFY2(log, qPrintable(log ? QString() : log.error().message));
        for (const LoggedRequest &record : records)
            QVERIFY(log.value()->submit(record));
        log.value()->flush();
        QCOMPARE(log.value()->lastError(), QString());
        QCOMPARE(log.value()->writtenRecords(), quint64(count));
    }
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check-many"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        const QString failure = checkWritten(db, records);
        db.close();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check-many"));
}

void TestPredictionLog::readsInputsBack()
{
    // Two answered requests on two days, a refused one, and a request logged for another model
    // (its x1 is text, where this model needs a number): the reader gives back the three rows
    // that fit, with their requests' timestamps, and warns about the one that does not.
    const QString path = mDir.filePath(QStringLiteral("reads.sqlite"));
    {
        auto log = std::move(PredictionLog::open(path)).value();
        QVERIFY(log->submit(
            scored(*mRidge, R"([{"x1":1.5,"x2":null,"colour":"red"},{"x1":-2,"x2":4.25,"colour":"blue"}])", kMarch1)));
        QVERIFY(log->submit(refused(kMarch1 + 5)));
        QVERIFY(log->submit(scored(*mRidge, R"({"x1":7,"x2":1,"colour":"green"})", kMarch2Noon)));
        LoggedRequest other = scored(*mRidge, R"({"x1":3,"x2":1,"colour":"red"})", kMarch2Noon + 1);
        other.inputs = Dataset();
        Column only(QStringLiteral("x1"), ColumnType::Categorical);
        only.categories() = {QStringLiteral("three")};
        only.codes() = {0};
        other.inputs.addColumn(only);
        QVERIFY(log->submit(std::move(other)));
    }
    const Result<LoggedInputs> logged = readLoggedInputs(path, *mRidge);
    QVERIFY2(logged, qPrintable(logged ? QString() : logged.error().message));
    const Dataset &data = logged.value().data;
    QCOMPARE(logged.value().timestampColumn, QStringLiteral("received_at"));
    QCOMPARE(logged.value().requests, std::size_t(3)); // the refused one has no inputs
    QCOMPARE(data.rowCount(), std::size_t(3));
    QCOMPARE(data.columnCount(), std::size_t(4));
    QCOMPARE(data.column(0).name(), QStringLiteral("x1"));
    QCOMPARE(data.column(0).numbers(), (std::vector<double>{1.5, -2, 7}));
    QVERIFY(std::isnan(data.column(1).numbers()[0]));
    QCOMPARE(data.column(1).numbers()[1], 4.25);
    QCOMPARE(data.column(2).type(), ColumnType::Categorical);
    QCOMPARE(data.column(2).displayText(0), QStringLiteral("red"));
    QCOMPARE(data.column(2).displayText(2), QStringLiteral("green"));
    QCOMPARE(data.column(3).type(), ColumnType::Datetime);
    QCOMPARE(data.column(3).numbers(), (std::vector<double>{kMarch1, kMarch1, kMarch2Noon}));
    QCOMPARE(logged.warnings().size(), 1);
    QVERIFY2(logged.warnings()[0].contains(QLatin1String("1 logged rows do not fit the model")),
             qPrintable(logged.warnings()[0]));
    QVERIFY2(logged.warnings()[0].contains(
                 QLatin1String("request 4, row 0 (0-based index in the request's array): column 'x1' must be a number")),
             qPrintable(logged.warnings()[0]));
    // The pipeline scores what the reader gives back.
    QVERIFY(mRidge->predict(data).ok());
    // The service's view of the same log: every request, refused ones included, in order.
    const Result<std::vector<ServiceRequest>> requests = readServiceRequests(path);
    QVERIFY2(requests, qPrintable(requests ? QString() : requests.error().message));
    QCOMPARE(requests.value().size(), std::size_t(4));
    const std::vector<int> statuses{200, 400, 200, 200};
    const std::vector<std::size_t> rows{2, 0, 1, 1};
    const std::vector<double> received{kMarch1, kMarch1 + 5, kMarch2Noon, kMarch2Noon + 1};
    for (std::size_t i = 0; i < 4; ++i) {
        QCOMPARE(requests.value()[i].status, statuses[i]);
        QCOMPARE(requests.value()[i].rows, rows[i]);
        QCOMPARE(requests.value()[i].receivedAt, received[i]);
        QCOMPARE(requests.value()[i].latencySeconds, statuses[i] == 200 ? 0.0015 : 0.0002); // scored() and refused()
    }
}

void TestPredictionLog::countsDropped()
{
    // No room at all in the queue: every record is dropped and counted, none written.
    PredictionLogLimits limits;
    limits.maxQueuedRequests = 0;
    auto log = std::move(PredictionLog::open(mDir.filePath(QStringLiteral("dropped.sqlite")), limits)).value();
    for (int i = 0; i < 3; ++i)
        QVERIFY(!log->submit(refused(kMarch1)));
    log->flush();
    QCOMPARE(log->droppedRecords(), quint64(3));
    QCOMPARE(log->writtenRecords(), quint64(0));
}

void TestPredictionLog::refusesStoreItCannotOpen()
{
    const QString path = mDir.filePath(QStringLiteral("no/such/folder/log.sqlite"));
    const Result<std::unique_ptr<PredictionLog>> log = PredictionLog::open(path);
    QVERIFY(!log);
    QVERIFY2(log.error().message.startsWith(QStringLiteral("cannot open the log, SQLite file %1: ").arg(path)),
             qPrintable(log.error().message));
    const Result<LoggedInputs> read = readLoggedInputs(path, *mRidge);
    QVERIFY(!read);
    QCOMPARE(read.error().message, QStringLiteral("no log at %1").arg(path));
    const Result<std::vector<ServiceRequest>> requests = readServiceRequests(path);
    QVERIFY(!requests);
    QCOMPARE(requests.error().message, QStringLiteral("no log at %1").arg(path));
}

void TestPredictionLog::postgresqlSharedByTwoWriters()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        QSKIP("Qt's QPSQL driver is not installed (Debian: libqt6sql6-psql)");
    if (test::LocalPostgres::binDirectory().isEmpty())
        QSKIP("no PostgreSQL server is installed (initdb and pg_ctl not found; Debian: postgresql)");
    test::LocalPostgres server;
    QString error;
    QVERIFY2(server.start(error), qPrintable(error));
    // Two service instances logging to one database at once.
    {
        auto first = PredictionLog::open(server.url());
        QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
        auto second = PredictionLog::open(server.url());
        QVERIFY2(second, qPrintable(second ? QString() : second.error().message));
        QCOMPARE(first.value()->store().describe(),
                 QStringLiteral("PostgreSQL database postgres on %1")
                     .arg(server.url().section(QLatin1Char('@'), 1).section(QLatin1Char('/'), 0, 0)));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(first.value()->submit(scored(*mRidge, R"({"x1":1,"x2":2,"colour":"red"})", kMarch1 + i)));
            QVERIFY(second.value()->submit(
                scored(*mRidge, R"([{"x1":5,"x2":6,"colour":"blue"},{"x1":5,"x2":6,"colour":"blue"}])", kMarch2Noon + i)));
        }
        QVERIFY(second.value()->submit(refused(kMarch2Noon)));
        first.value()->flush();
        second.value()->flush();
        QCOMPARE(first.value()->lastError(), QString());
        QCOMPARE(second.value()->lastError(), QString());
        QCOMPARE(first.value()->writtenRecords() + second.value()->writtenRecords(), quint64(7));
    }
    const Result<LoggedInputs> logged = readLoggedInputs(server.url(), *mRidge);
    QVERIFY2(logged, qPrintable(logged ? QString() : logged.error().message));
    QCOMPARE(logged.value().requests, std::size_t(6));
    {
        // Then, on an emptied table, 150 records, 64 to a statement: all written, in order.
        const QString connection = QStringLiteral("check-postgres-many");
        QVERIFY(!LogStore::parse(server.url()).value().connect(connection));
        QSqlDatabase db = QSqlDatabase::database(connection, false);
        QVERIFY(QSqlQuery(QStringLiteral("DELETE FROM plumb_requests"), db).isActive());
        const std::vector<LoggedRequest> records = alternating(*mRidge, 150);
        {
            auto log = PredictionLog::open(server.url());
            QVERIFY2(log, qPrintable(log ? QString() : log.error().message));
            for (const LoggedRequest &record : records)
                QVERIFY(log.value()->submit(record));
            log.value()->flush();
            QCOMPARE(log.value()->lastError(), QString());
            QCOMPARE(log.value()->writtenRecords(), quint64(150));
        }
        const QString failure = checkWritten(db, records);
        db.close();
        db = {};
        QSqlDatabase::removeDatabase(connection);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    QCOMPARE(logged.value().data.rowCount(), std::size_t(3 + 6)); // 3 one-row and 3 two-row requests
    // The timestamps are stored as double precision: exact, as in SQLite.
    const std::vector<double> &times = logged.value().data.column(3).numbers();
    QCOMPARE(std::count(times.begin(), times.end(), kMarch1 + 2), std::ptrdiff_t(1));
    QCOMPARE(std::count(times.begin(), times.end(), kMarch2Noon + 2), std::ptrdiff_t(2));
}

void TestPredictionLog::strictLosesNothingOnKill()
{
    // plumb serve --log-durability strict, four clients each with a request always in flight, killed
    // with SIGKILL after 2,000 answers: every request answered 200 must be in the log read back.
    // (With the default, batched durability, the last records still queued are lost.)
    QFile training(mDir.filePath(QStringLiteral("kill-training.csv")));
    QVERIFY(training.open(QIODevice::WriteOnly));
    training.write(test::trainingTable(300));
    training.close();
    const QString model = mDir.filePath(QStringLiteral("killed.plumb"));
    QProcess train;
    train.start(QStringLiteral(PLUMB_CLI_PATH),
                {QStringLiteral("train"), training.fileName(), QStringLiteral("--target"), QStringLiteral("y"),
                 QStringLiteral("--features"), QStringLiteral("x1,x2,colour"), QStringLiteral("--model"), QStringLiteral("ridge"),
                 QStringLiteral("-o"), model, QStringLiteral("--no-importance")});
    QVERIFY(train.waitForFinished(120000));
    QCOMPARE(train.exitCode(), 0);

    const QString logPath = mDir.filePath(QStringLiteral("killed.sqlite"));
    QProcess serve;
    serve.start(QStringLiteral(PLUMB_CLI_PATH),
                {QStringLiteral("serve"), model, QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--log"), logPath,
                 QStringLiteral("--log-durability"), QStringLiteral("strict")});
    QByteArray err;
    quint16 port = 0;
    const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)\n"));
    QVERIFY(QTest::qWaitFor(
        [&] {
            serve.waitForReadyRead(20);
            err += serve.readAllStandardError();
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(err));
            port = match.hasMatch() ? match.captured(1).toUShort() : 0;
            return port > 0;
        },
        30000));
    QVERIFY2(err.contains("each committed before its answer"), err.constData());

    std::vector<Client> clients(4);
    int next = 0;
    for (Client &client : clients) {
        client.socket->connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.socket->waitForConnected(5000));
        client.send(next++);
    }
    std::set<int> answered;
    QElapsedTimer deadline;
    deadline.start();
    while (answered.size() < 2000 && deadline.elapsed() < 60000) {
        for (Client &client : clients) {
            client.socket->waitForReadyRead(1);
            client.buffer += client.socket->readAll();
            if (const int status = client.takeAnswer()) {
                QCOMPARE(status, 200);
                answered.insert(client.inFlight);
                client.send(next++);
            }
        }
    }
    QVERIFY(answered.size() >= 2000);
    serve.kill(); // SIGKILL, with four requests in flight
    QVERIFY(serve.waitForFinished(10000));
    QCOMPARE(serve.exitStatus(), QProcess::CrashExit);

    const std::set<int> logged = loggedNumbers(logPath);
    std::vector<int> lost;
    std::set_difference(answered.begin(), answered.end(), logged.begin(), logged.end(), std::back_inserter(lost));
    QVERIFY2(lost.empty(),
             qPrintable(QStringLiteral("%1 answered requests are not in the log, the first %2")
                            .arg(lost.size())
                            .arg(lost.empty() ? -1 : lost.front())));
    QVERIFY(logged.size() >= answered.size()); // requests in flight may be logged but not yet answered
}

QTEST_GUILESS_MAIN(TestPredictionLog)
#include "tst_predictionlog.moc"
