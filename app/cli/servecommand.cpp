#include "servecommand.h"

#include "artifact/keyring.h"
#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "artifact/openedmodel.h"
#include "serve/limitedtcpserver.h"
#include "serve/predictionlog.h"
#include "serve/scoringservice.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSocketNotifier>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

namespace plumb::cli {

namespace {

void addServeOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addOption({QStringLiteral("host"),
                      QStringLiteral("Address to listen on (default 127.0.0.1). Another than "
                                     "loopback needs --token-file."),
                      QStringLiteral("ADDR")});
    parser.addOption({QStringLiteral("port"), QStringLiteral("Port (default 8080; 0 picks a free one)."), QStringLiteral("N")});
    parser.addOption({QStringLiteral("token-file"),
                      QStringLiteral("Require 'Authorization: Bearer <token>', the token "
                                     "being this file's first line."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("max-body-bytes"), QStringLiteral("Largest request body (default 16 MiB): 413 past it."),
                      QStringLiteral("N")});
    parser.addOption(QCommandLineOption(QStringLiteral("require-signature"),
                                        QStringLiteral("Refuse to start unless a trusted key signed MODEL.")));
    parser.addOption({QStringLiteral("keyring"),
                      QStringLiteral("Folder of trusted public keys (default: %1).").arg(Keyring::defaultDirectory()),
                      QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("log"),
                      QStringLiteral("The prediction log: a SQLite file (default: beside MODEL, "
                                     "MODEL.predictions.sqlite) or postgresql://user@host:port/database."),
                      QStringLiteral("STORE")});
    parser.addOption(QCommandLineOption(QStringLiteral("no-log"), QStringLiteral("Keep no prediction log.")));
    parser.addOption({QStringLiteral("log-durability"),
                      QStringLiteral("batched (default): the log is written behind the answers, and a killed service loses "
                                     "the last milliseconds of requests; strict: each request is committed to the log "
                                     "before its answer is sent."),
                      QStringLiteral("batched|strict"), QStringLiteral("batched")});
    parser.addOption({QStringLiteral("max-rows"), QStringLiteral("Most rows in one request (default 10000): 413 past it."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("request-timeout"),
                      QStringLiteral("Seconds one request may take (default 10; 0: no limit). A request not received whole "
                                     "in time is answered 408 and its connection closed; one whose scoring runs past it, 503."),
                      QStringLiteral("SECONDS")});
    parser.addOption({QStringLiteral("threads"), QStringLiteral("Threads that work on predict requests (default: one per core)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("idle-timeout"),
                      QStringLiteral("Seconds a keep-alive connection may wait between requests before it is closed "
                                     "(default 75; 0: no limit)."),
                      QStringLiteral("SECONDS")});
    parser.addOption({QStringLiteral("max-connections"),
                      QStringLiteral("Most open connections (default: the descriptor limit less 64, at most 10000); past it "
                                     "the longest-idle one is closed."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("max-inflight-bytes"),
                      QStringLiteral("Most request body bytes held at once across connections (default 128 MiB): 503 with "
                                     "Retry-After past it."),
                      QStringLiteral("N")});
}

// Reads the connection limits (--idle-timeout, --max-connections, --max-inflight-bytes) into
// `limits`; false with the reason in `error`.
bool connectionLimitsFrom(const QCommandLineParser &parser, ServiceLimits &limits, QString &error)
{
    bool ok = true;
    if (parser.isSet(QStringLiteral("idle-timeout"))) {
        const double seconds = parser.value(QStringLiteral("idle-timeout")).toDouble(&ok);
        if (!ok || !(seconds >= 0) || seconds > 86400) {
            error = QStringLiteral("--idle-timeout takes seconds, from 0 (no limit) to 86400");
            return false;
        }
        limits.idleTimeoutMs = seconds > 0 ? std::max(1, int(seconds * 1000.0 + 0.5)) : 0;
    }
    if (parser.isSet(QStringLiteral("max-connections"))) {
        const int most = LimitedTcpServer::defaultMaxConnections();
        rlimit open{};
        const qint64 ceiling = ::getrlimit(RLIMIT_NOFILE, &open) == 0 ? qint64(open.rlim_cur) - 64 : most;
        const qlonglong connections = parser.value(QStringLiteral("max-connections")).toLongLong(&ok);
        if (!ok || connections < 1 || connections > ceiling) {
            error = QStringLiteral("--max-connections takes a number from 1 to %1 (the open-file limit less 64)").arg(ceiling);
            return false;
        }
        limits.maxConnections = int(connections);
    }
    if (parser.isSet(QStringLiteral("max-inflight-bytes"))) {
        const qlonglong bytes = parser.value(QStringLiteral("max-inflight-bytes")).toLongLong(&ok);
        if (!ok || bytes < limits.maxBodyBytes) {
            error = QStringLiteral("--max-inflight-bytes takes a number of bytes, at least --max-body-bytes (%1)")
                        .arg(limits.maxBodyBytes);
            return false;
        }
        limits.maxInflightBytes = bytes;
    }
    return true;
}

// Reads the options into `options`, `address` and `port`; false with the reason in `error`.
bool serveOptionsFrom(const QCommandLineParser &parser, ServiceOptions &options, QHostAddress &address, quint16 &port,
                      QString &error)
{
    address = QHostAddress(parser.isSet(QStringLiteral("host")) ? parser.value(QStringLiteral("host"))
                                                                : QStringLiteral("127.0.0.1"));
    if (address.isNull()) {
        error = QStringLiteral("--host takes an IP address");
        return false;
    }
    bool ok = true;
    port = parser.isSet(QStringLiteral("port")) ? parser.value(QStringLiteral("port")).toUShort(&ok) : 8080;
    const qlonglong body = parser.isSet(QStringLiteral("max-body-bytes"))
        ? parser.value(QStringLiteral("max-body-bytes")).toLongLong(&ok)
        : options.limits.maxBodyBytes;
    const qlonglong rows = parser.isSet(QStringLiteral("max-rows")) ? parser.value(QStringLiteral("max-rows")).toLongLong(&ok)
                                                                    : qlonglong(options.limits.maxRows);
    if (!ok || body < 1 || rows < 1) {
        error = QStringLiteral("--port, --max-body-bytes and --max-rows take positive numbers");
        return false;
    }
    options.limits.maxBodyBytes = body;
    options.limits.maxRows = std::size_t(rows);
    if (parser.isSet(QStringLiteral("threads"))) {
        const int threads = parser.value(QStringLiteral("threads")).toInt(&ok);
        if (!ok || threads < 1 || threads > 256) {
            error = QStringLiteral("--threads takes a number from 1 to 256");
            return false;
        }
        options.threads = threads;
    }
    if (parser.isSet(QStringLiteral("request-timeout"))) {
        const double seconds = parser.value(QStringLiteral("request-timeout")).toDouble(&ok);
        if (!ok || !(seconds >= 0) || seconds > 86400) {
            error = QStringLiteral("--request-timeout takes seconds, from 0 (no limit) to 86400");
            return false;
        }
        options.limits.requestTimeoutMs = seconds > 0 ? std::max(1, int(seconds * 1000.0 + 0.5)) : 0;
    }
    if (parser.isSet(QStringLiteral("token-file"))) {
        QFile file(parser.value(QStringLiteral("token-file")));
        if (!file.open(QIODevice::ReadOnly)) {
            error = QStringLiteral("cannot read %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
        options.bearerToken = file.readLine().trimmed();
        if (options.bearerToken.isEmpty()) {
            error = QStringLiteral("%1 holds no token").arg(file.fileName());
            return false;
        }
        if (auto weak = checkBearerToken(options.bearerToken)) {
            error = QStringLiteral("%1: %2").arg(file.fileName(), weak->message);
            return false;
        }
    }
    if (!connectionLimitsFrom(parser, options.limits, error))
        return false;
    if (!address.isLoopback() && options.bearerToken.isEmpty()) {
        error = QStringLiteral("listening on %1, beyond loopback, needs --token-file").arg(address.toString());
        return false;
    }
    return true;
}

// Opens MODEL (its digest checked) and judges its signature: an invalid signature always refuses,
// and with --require-signature anything but a trusted key's does. Errors are printed; Integrity
// ones exit 3.
Result<OpenedModel> loadChecked(const QCommandLineParser &parser, const QString &path, Io io)
{
    const Keyring keyring = Keyring::load(parser.isSet(QStringLiteral("keyring")) ? parser.value(QStringLiteral("keyring"))
                                                                                  : Keyring::defaultDirectory());
    const bool required = parser.isSet(QStringLiteral("require-signature"));
    Result<OpenedModel> model = openModelFile(path, keyring,
                                              required ? SignatureRequirement::Trusted : SignatureRequirement::NotInvalid);
    if (!model) {
        io.err << "plumb serve: " << model.error().message << '\n';
        return model.error();
    }
    io.err << "plumb serve: " << path << ": " << model.value().signature.describe() << '\n';
    return model;
}

// The reference profile travels with the model: linear models are explained against its means.
ServedModel servedModel(OpenedModel opened, const QString &path)
{
    ModelArtifact &artifact = opened.artifact;
    return {std::make_shared<const Pipeline>(std::move(*artifact.pipeline)), QFileInfo(path).fileName(), artifact.digest,
            artifact.metadata.imported.positionalFeatures, std::move(opened.profiles)};
}

// SIGHUP reloads the model; SIGTERM and SIGINT stop the service, so that the prediction log writes
// what it holds. The handler only writes the signal's number to a pipe (all a signal handler may
// safely do); the event loop reads it and acts between two requests.
int gHangupPipe[2] = {-1, -1};

void handleSignals(ScoringService &service, Io io)
{
    if (::pipe(gHangupPipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(gHangupPipe[0], QSocketNotifier::Read, &service);
    QObject::connect(notifier, &QSocketNotifier::activated, &service, [&service, io] {
        char byte = 0;
        if (::read(gHangupPipe[0], &byte, 1) != 1)
            return;
        if (byte != SIGHUP) {
            QCoreApplication::quit();
            return;
        }
        if (auto error = service.reload())
            io.err << "plumb serve: SIGHUP: the model was not replaced: " << error->message << '\n';
        else
            io.err << "plumb serve: SIGHUP: now serving " << service.model().name << " (digest " << service.model().digest
                   << ")\n";
        io.err.flush();
    });
    struct sigaction action = {};
    action.sa_handler = [](int signal) {
        const char byte = char(signal);
        [[maybe_unused]] const auto written = ::write(gHangupPipe[1], &byte, 1);
    };
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signal : {SIGHUP, SIGTERM, SIGINT})
        ::sigaction(signal, &action, nullptr);
}

} // namespace

int runServe(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Serve MODEL over HTTP: POST /v1/predict (a JSON row object or an array of them), GET /v1/model, /healthz, "
        "/readyz and /metrics (Prometheus). Rows are validated against the model's schema."));
    addServeOptions(parser);
    if (const auto exit = parseArguments(parser, QStringLiteral("serve"), arguments, 1, io))
        return *exit;
    // Every connection is a descriptor: the soft limit (often 1,024) goes up to the hard one first.
    const DescriptorLimits descriptors = LimitedTcpServer::raiseDescriptorLimit();
    ServiceOptions options;
    QHostAddress address;
    quint16 port = 0;
    QString error;
    if (!serveOptionsFrom(parser, options, address, port, error)) {
        io.err << "plumb serve: " << error << '\n';
        return kExitUsage;
    }
    const QString path = parser.positionalArguments()[0];
    Result<OpenedModel> model = loadChecked(parser, path, io);
    if (!model)
        return exitCodeFor(model.error().kind);
    // Declared before the service, so that it outlives it and writes what is queued when it stops.
    std::unique_ptr<PredictionLog> log;
    if (!parser.isSet(QStringLiteral("no-log"))) {
        const QString store = parser.isSet(QStringLiteral("log")) ? parser.value(QStringLiteral("log")) : defaultLogPath(path);
        const std::optional<LogDurability> durability = logDurabilityFromName(parser.value(QStringLiteral("log-durability")));
        if (!durability) {
            io.err << "plumb serve: --log-durability is batched or strict, not '"
                   << parser.value(QStringLiteral("log-durability")) << "'\n";
            return kExitUsage;
        }
        Result<std::unique_ptr<PredictionLog>> opened = PredictionLog::open(store, {}, *durability);
        if (!opened) {
            io.err << "plumb serve: " << opened.error().message << '\n';
            return kExitError;
        }
        log = std::move(opened).value();
        io.err << "plumb serve: logging predictions to the " << log->store().describe()
               << (*durability == LogDurability::Strict ? ", each committed before its answer" : "") << '\n';
    }
    ScoringService service(servedModel(std::move(model).value(), path), options);
    service.setPredictionLog(log.get());
    service.setReloader([&parser, path, io]() -> Result<ServedModel> {
        Result<OpenedModel> fresh = loadChecked(parser, path, io);
        if (!fresh)
            return fresh.error();
        return servedModel(std::move(fresh).value(), path);
    });
    handleSignals(service, io);
    if (auto failure = service.listen(address, port)) {
        io.err << "plumb serve: " << failure->message << '\n';
        return kExitError;
    }
    io.err << "plumb serve: open-file limit " << descriptors.soft << " (soft, was " << descriptors.softBefore << "; hard "
           << (descriptors.hard < 0 ? QStringLiteral("unlimited") : QString::number(descriptors.hard)) << "); at most "
           << (options.limits.maxConnections > 0 ? options.limits.maxConnections : LimitedTcpServer::defaultMaxConnections())
           << " connections, "
           << (options.limits.idleTimeoutMs > 0
                   ? QStringLiteral("idle ones closed after %1 s").arg(double(options.limits.idleTimeoutMs) / 1000.0)
                   : QStringLiteral("idle ones kept"))
           << '\n';
    io.err << "listening on http://"
           << (address.protocol() == QAbstractSocket::IPv6Protocol ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                                                                   : address.toString())
           << ':' << service.port() << '\n';
    io.err.flush();
    return QCoreApplication::exec() == 0 ? kExitOk : kExitError;
}

} // namespace plumb::cli
