#include "serve/scoringservice.h"

#include "learn/shapexplainer.h"
#include "serve/jsonrow.h"
#include "serve/limitedtcpserver.h"
#include "serve/predictionjson.h"
#include "serve/predictionlog.h"
#include "serve/predictrequest.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <string_view>

namespace plumb {

namespace {

using Status = QHttpServerResponse::StatusCode;

double secondsSinceEpoch()
{
    return double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
}

QHttpServerResponse json(const std::string &body, Status status)
{
    return QHttpServerResponse(QByteArrayLiteral("application/json"), QByteArray::fromStdString(body), status);
}

QHttpServerResponse errorResponse(const QString &message, Status status)
{
    std::string body = "{\"error\":";
    appendJsonString(message.toStdString(), body);
    body += '}';
    return json(body, status);
}

// Bodies up to this size (a few rows) are answered on the service's thread: handing them to the
// pool and back cost 10-20% of single-row throughput in bench_serve_ceiling.sh.
constexpr qsizetype kInlineBodyBytes = 4096;
// Predict threads with --log-durability strict, where most of a request's time is the wait for its
// commit (tests/bench/bench_serve_log.sh measures the effect).
constexpr int kStrictLogThreads = 32;

// A BLAKE2b digest of `text`: tokens are compared through their digests, in constant time.
std::array<unsigned char, crypto_generichash_BYTES> digestOf(QByteArrayView text)
{
    std::array<unsigned char, crypto_generichash_BYTES> digest{};
    crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char *>(text.data()),
                       std::size_t(text.size()), nullptr, 0);
    return digest;
}

} // namespace

std::optional<Error> checkBearerToken(const QByteArray &token)
{
    const QString howTo = QStringLiteral("make one with 'openssl rand -hex 32' or 'head -c 32 /dev/urandom | base64'");
    QByteArrayView body = token;
    while (body.endsWith('='))
        body.chop(1);
    const auto isIn = [body](auto predicate) { return std::all_of(body.begin(), body.end(), predicate); };
    const bool b64token = !body.isEmpty() && isIn([](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::string_view("-._~+/").find(c) != std::string_view::npos;
    });
    if (!b64token)
        return Error::invalid(QStringLiteral("the token may hold only letters, digits and -._~+/ (then '='): %1").arg(howTo));
    const bool hex = isIn([](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
    const qsizetype bits = body.size() * (hex ? 4 : 6);
    if (bits < 128)
        return Error::invalid(
            QStringLiteral("the token is too weak: %1 %2 characters hold at most %3 bits, and a token needs 128 "
                           "(32 hexadecimal or 22 base64 characters); %4")
                .arg(body.size())
                .arg(hex ? QStringLiteral("hexadecimal") : QStringLiteral("base64"))
                .arg(bits)
                .arg(howTo));
    return std::nullopt;
}

void ServiceMetrics::record(int status, double seconds)
{
    ++requestsByStatus[status];
    ++latencyCount;
    latencySum += seconds;
    for (std::size_t b = 0; b < std::size(kBuckets); ++b)
        if (seconds <= kBuckets[b])
            ++bucketCounts[b];
}

QByteArray ServiceMetrics::exposition(const QString &digest, const PredictionLog *log) const
{
    QByteArray text;
    text += "# HELP plumb_requests_total Requests answered, by HTTP status.\n# TYPE plumb_requests_total counter\n";
    for (const auto &[status, count] : requestsByStatus)
        text += "plumb_requests_total{status=\"" + QByteArray::number(status) + "\"} " + QByteArray::number(count) + '\n';
    text += "# HELP plumb_request_seconds Time to answer a request.\n# TYPE plumb_request_seconds histogram\n";
    for (std::size_t b = 0; b < std::size(kBuckets); ++b)
        text += "plumb_request_seconds_bucket{le=\"" + QByteArray::number(kBuckets[b]) + "\"} "
            + QByteArray::number(bucketCounts[b]) + '\n';
    text += "plumb_request_seconds_bucket{le=\"+Inf\"} " + QByteArray::number(latencyCount) + '\n';
    text += "plumb_request_seconds_sum " + QByteArray::number(latencySum, 'g', 17) + '\n';
    text += "plumb_request_seconds_count " + QByteArray::number(latencyCount) + '\n';
    text += "# HELP plumb_rows_scored_total Rows scored.\n# TYPE plumb_rows_scored_total counter\n";
    text += "plumb_rows_scored_total " + QByteArray::number(rowsScored) + '\n';
    text += "# HELP plumb_model_info The model being served.\n# TYPE plumb_model_info gauge\n";
    text += "plumb_model_info{digest=\"" + digest.toLatin1() + "\"} 1\n";
    if (log) {
        text += "# HELP plumb_log_records_total Requests given to the prediction log, by outcome (dropped: the "
                "writer's queue was full; failed: the store refused them).\n# TYPE plumb_log_records_total counter\n";
        text += "plumb_log_records_total{outcome=\"written\"} " + QByteArray::number(log->writtenRecords()) + '\n';
        text += "plumb_log_records_total{outcome=\"dropped\"} " + QByteArray::number(log->droppedRecords()) + '\n';
        text += "plumb_log_records_total{outcome=\"failed\"} " + QByteArray::number(log->failedRecords()) + '\n';
    }
    return text;
}

ScoringService::ScoringService(ServedModel model, ServiceOptions options, QObject *parent)
    : QObject(parent), mModel(std::move(model)), mOptions(std::move(options)),
      mValidator(std::make_shared<const RowValidator>(*mModel.pipeline, ValueSyntax{}, mModel.positionalFeatures)),
      mServer(std::make_unique<QHttpServer>())
{
    mPool.setMaxThreadCount(mOptions.threads > 0 ? mOptions.threads : std::max(1, QThread::idealThreadCount()));
    setExplainer();
    addRoutes();
}

// The served model's explainer, which keeps the model alive as long as a request uses it.
void ScoringService::setExplainer()
{
    mExplainer.reset();
    const Pipeline &pipeline = *mModel.pipeline;
    // Linear SHAP needs the training mean of each model input: the model file's profile has them.
    Eigen::VectorXd means;
    if (ShapExplainer::availability(pipeline, false) == ShapAvailability::NeedsTrainingMeans && !mModel.profiles.empty()) {
        Result<Eigen::VectorXd> fromProfile = inputMeansFromProfile(pipeline, mModel.profiles);
        if (!fromProfile) {
            mNoExplainer = QStringLiteral("SHAP values of this %1 model need the training means, which its reference profile "
                                          "cannot give: %2")
                               .arg(pipeline.model().kind(), fromProfile.error().message);
            return;
        }
        means = std::move(fromProfile).value();
    }
    Result<ShapExplainer> explainer = ShapExplainer::create(pipeline, means);
    mNoExplainer = explainer ? QString() : explainer.error().message;
    if (explainer)
        mExplainer = std::shared_ptr<const ShapExplainer>(new ShapExplainer(std::move(explainer).value()),
                                                          [pipeline = mModel.pipeline](const ShapExplainer *e) { delete e; });
}

ScoringService::~ScoringService()
{
    // Work still on the pool refers to this service's continuations: let it finish first.
    mPool.waitForDone();
}

std::optional<Error> ScoringService::listen(const QHostAddress &address, quint16 port)
{
    ConnectionLimits limits;
    limits.maxRequestBytes = mOptions.limits.maxBodyBytes;
    limits.requestTimeoutMs = mOptions.limits.requestTimeoutMs;
    limits.idleTimeoutMs = mOptions.limits.idleTimeoutMs;
    limits.maxConnections = mOptions.limits.maxConnections;
    limits.maxInflightBytes = mOptions.limits.maxInflightBytes;
    auto *tcp = new LimitedTcpServer(limits, mServer.get());
    if (!mOptions.bearerToken.isEmpty())
        tcp->setAuthoriser([this](QByteArrayView authorization) { return authorised(authorization); });
    if (!tcp->listen(address, port)) {
        const QString reason = tcp->errorString();
        delete tcp;
        return Error::io(QStringLiteral("cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(reason));
    }
    connect(tcp, &LimitedTcpServer::refused, this, [this](int status, const QString &reason) {
        LoggedRequest record;
        record.receivedAt = secondsSinceEpoch();
        record.error = reason;
        logRequest(record, status, 0);
    });
    mServer->bind(tcp);
    mTcpServer = tcp;
    return std::nullopt;
}

quint16 ScoringService::port() const
{
    return mTcpServer ? mTcpServer->serverPort() : 0;
}

bool ScoringService::authorised(QByteArrayView authorization) const
{
    if (mOptions.bearerToken.isEmpty())
        return true;
    // Compared through digests with sodium_memcmp: the time taken says nothing of how much of the
    // token a guess got right, nor of its length.
    const auto expected = digestOf(QByteArray("Bearer " + mOptions.bearerToken));
    const auto given = digestOf(authorization);
    return sodium_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

void ScoringService::addRoutes()
{
    // Every route: the bearer token first, then the handler; the status and time go to the metrics.
    auto handled = [this](auto handler) {
        return [this, handler](const QHttpServerRequest &request) {
            QElapsedTimer timer;
            timer.start();
            QHttpServerResponse response = authorised(request.value("Authorization"))
                ? handler(request)
                : errorResponse(QStringLiteral("a bearer token is required"), Status::Unauthorized);
            mMetrics.record(int(response.statusCode()), double(timer.nsecsElapsed()) * 1e-9);
            return response;
        };
    };
    using Method = QHttpServerRequest::Method;
    // Predict requests also go to the prediction log, refused ones included.
    mServer->route(QStringLiteral("/v1/predict"), Method::Post,
                   [this](const QHttpServerRequest &request) { return predict(request); });
    mServer->route(QStringLiteral("/v1/explain"), Method::Post,
                   [this](const QHttpServerRequest &request) { return predict(request, true); });
    mServer->route(QStringLiteral("/v1/model"), Method::Get, handled([this](const QHttpServerRequest &) { return modelInfo(); }));
    mServer->route(QStringLiteral("/healthz"), Method::Get,
                   handled([](const QHttpServerRequest &) { return json("{\"status\":\"ok\"}", Status::Ok); }));
    mServer->route(QStringLiteral("/readyz"), Method::Get, handled([this](const QHttpServerRequest &) {
                       return mModel.pipeline->isFitted() ? json("{\"status\":\"ready\"}", Status::Ok)
                                                          : json("{\"status\":\"no model\"}", Status::ServiceUnavailable);
                   }));
    mServer->route(QStringLiteral("/v1/reload"), Method::Post,
                   handled([this](const QHttpServerRequest &request) { return reloadResponse(request); }));
    mServer->route(QStringLiteral("/metrics"), Method::Get, handled([this](const QHttpServerRequest &) {
                       return QHttpServerResponse(QByteArrayLiteral("text/plain; version=0.0.4"),
                                                  mMetrics.exposition(mModel.digest, mLog));
                   }));
    // A known path with another method: 405 naming the allowed one (RFC 9110 15.5.6), not 404.
    // QHttpServer 6.4 sends whatever no rule takes (wrong method included) to the missing handler.
    mServer->setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        static const QHash<QString, QByteArray> kAllowed{
            {QStringLiteral("/v1/predict"), "POST"}, {QStringLiteral("/v1/explain"), "POST"},
            {QStringLiteral("/v1/model"), "GET"},    {QStringLiteral("/healthz"), "GET"},
            {QStringLiteral("/readyz"), "GET"},      {QStringLiteral("/v1/reload"), "POST"},
            {QStringLiteral("/metrics"), "GET"}};
        const QString path = request.url().path();
        const auto allowed = kAllowed.constFind(path);
        if (allowed == kAllowed.constEnd()) {
            errorResponse(QStringLiteral("no such path: %1").arg(path), Status::NotFound).write(std::move(responder));
            return;
        }
        QHttpServerResponse response = errorResponse(QStringLiteral("%1 takes %2 only").arg(path, QString::fromLatin1(*allowed)),
                                                     Status::MethodNotAllowed);
        response.setHeader("Allow", *allowed);
        mMetrics.record(int(Status::MethodNotAllowed), 0);
        response.write(std::move(responder));
    });
}

void ScoringService::logRequest(LoggedRequest &record, int status, double seconds)
{
    mMetrics.record(status, seconds);
    if (!mLog)
        return;
    if (record.modelDigest.isEmpty()) { // refused before a model was taken: the one serving now
        record.modelName = mModel.name;
        record.modelDigest = mModel.digest;
    }
    record.status = status;
    record.latencySeconds = seconds;
    mLog->submit(std::move(record));
}

std::optional<Error> ScoringService::reload()
{
    if (!mReloader)
        return Error::invalid(QStringLiteral("this service has no model file to reload"));
    Result<ServedModel> fresh = mReloader();
    if (!fresh)
        return fresh.error();
    if (!fresh.value().pipeline || !fresh.value().pipeline->isFitted())
        return Error::invalid(QStringLiteral("the new model is not fitted"));
    mValidator = std::make_shared<const RowValidator>(*fresh.value().pipeline, ValueSyntax{}, fresh.value().positionalFeatures);
    mModel = std::move(fresh).value();
    setExplainer();
    return std::nullopt;
}

QHttpServerResponse ScoringService::reloadResponse(const QHttpServerRequest &)
{
    // Reloading changes what every client gets: allowed only to callers holding the token.
    if (mOptions.bearerToken.isEmpty())
        return errorResponse(QStringLiteral("reload over HTTP needs a bearer token (--token-file); send SIGHUP instead"),
                             Status::Forbidden);
    if (auto error = reload())
        return errorResponse(QStringLiteral("the model was not replaced: %1").arg(error->message), Status::Conflict);
    std::string out = "{\"digest\":";
    appendJsonString(mModel.digest.toStdString(), out);
    out += '}';
    return json(out, Status::Ok);
}

QFuture<QHttpServerResponse> ScoringService::predict(const QHttpServerRequest &request, bool explain)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    const QDeadlineTimer deadline = mOptions.limits.requestTimeoutMs > 0 ? QDeadlineTimer(mOptions.limits.requestTimeoutMs)
                                                                         : QDeadlineTimer(QDeadlineTimer::Forever);
    const double receivedAt = secondsSinceEpoch();
    // Everything the work needs is copied here: the request object is not the work's to read.
    const ServiceLimits &limits = mOptions.limits;
    auto job = std::make_shared<PredictJob>(PredictJob{mModel.pipeline, mValidator, mModel.name, mModel.digest, limits.maxRows,
                                                       limits.maxDepth, limits.requestTimeoutMs, request.body(),
                                                       mLog != nullptr && !explain, explain ? mExplainer : nullptr});
    const bool allowed = authorised(request.value("Authorization"));
    const QString unexplained = explain && !mExplainer ? mNoExplainer : QString();
    // --log-durability strict: the work commits the record itself before the answer is returned,
    // waiting on a pool thread (never on the event loop) while concurrent requests share commits.
    // Explanations are not predictions: they are counted in the metrics, not written to the log.
    PredictionLog *const strictLog = mLog && !explain && mLog->durability() == LogDurability::Strict ? mLog : nullptr;
    // The answer is made on the pool (or here, for a small body); the count and the log go to this
    // thread as an event posted before the answer is finished, so they are up to date when the
    // client reads it.
    auto work = [this, job, deadline, allowed, timer, receivedAt, strictLog, unexplained, explain] {
        auto answer = std::make_shared<PredictAnswer>();
        if (allowed && !unexplained.isEmpty()) { // 422: the request is fine, this model cannot answer it
            answer->status = int(Status::UnprocessableEntity);
            answer->record.error = unexplained;
            answer->body = errorResponse(unexplained, Status::UnprocessableEntity).data().toStdString();
            answer->record.modelName = job->modelName;
            answer->record.modelDigest = job->digest;
        } else if (allowed) {
            *answer = answerPredict(*job, deadline);
        } else {
            answer->status = int(Status::Unauthorized);
            answer->record.error = QStringLiteral("a bearer token is required");
            answer->body = R"({"error":"a bearer token is required"})";
            answer->record.modelName = job->modelName;
            answer->record.modelDigest = job->digest;
        }
        answer->record.receivedAt = receivedAt;
        QHttpServerResponse response = json(answer->body, Status(answer->status));
        const double seconds = double(timer->nsecsElapsed()) * 1e-9;
        if (strictLog) {
            LoggedRequest record = std::move(answer->record);
            record.modelName = record.modelDigest.isEmpty() ? job->modelName : record.modelName;
            record.modelDigest = record.modelDigest.isEmpty() ? job->digest : record.modelDigest;
            record.status = answer->status;
            record.latencySeconds = seconds;
            strictLog->submit(std::move(record)); // returns once committed
        }
        QMetaObject::invokeMethod(
            this,
            [this, answer, seconds, strictLog, explain] {
                mMetrics.rowsScored += answer->rowsScored;
                if (strictLog || explain)
                    mMetrics.record(answer->status, seconds);
                else
                    logRequest(answer->record, answer->status, seconds);
            },
            Qt::QueuedConnection);
        return response;
    };
    // A small request costs less to answer here than to hand to the pool and back.
    if (job->body.size() <= kInlineBodyBytes && !strictLog)
        return QtFuture::makeReadyFuture(work());
    // Threads waiting for a commit use no core: more of them let more requests share a commit.
    if (strictLog && mPool.maxThreadCount() < kStrictLogThreads)
        mPool.setMaxThreadCount(kStrictLogThreads);
    return QtConcurrent::run(&mPool, std::move(work));
}

QHttpServerResponse ScoringService::modelInfo() const
{
    std::string out = "{\"name\":";
    appendJsonString(mModel.name.toStdString(), out);
    out += ",\"digest\":";
    appendJsonString(mModel.digest.toStdString(), out);
    out += ",\"kind\":";
    appendJsonString(mModel.pipeline->model().kind().toStdString(), out);
    out += ",\"task\":";
    appendJsonString(mModel.pipeline->target().task == Task::Classification ? "classification" : "regression", out);
    out += ",\"features\":[";
    for (std::size_t f = 0; f < mValidator->featureCount(); ++f) {
        const FeatureSpec &feature = mValidator->features()[f];
        out += f > 0 ? ",{\"name\":" : "{\"name\":";
        appendJsonString(feature.name.toStdString(), out);
        out += ",\"type\":";
        appendJsonString(columnTypeName(feature.type).toStdString(), out);
        out += mValidator->acceptsMissing(f) ? ",\"missing_allowed\":true}" : ",\"missing_allowed\":false}";
    }
    out += "],\"classes\":[";
    for (qsizetype c = 0; c < mModel.pipeline->target().classes.size(); ++c) {
        if (c > 0)
            out += ',';
        appendJsonString(mModel.pipeline->target().classes[c].toStdString(), out);
    }
    out += "]}";
    return json(out, Status::Ok);
}

} // namespace plumb
