#pragma once

#include "base/error.h"
#include "base/result.h"
#include "data/columnprofile.h"
#include "learn/pipeline.h"
#include "serve/rowvalidator.h"

#include <QFuture>
#include <QHostAddress>
#include <QObject>
#include <QThreadPool>

#include <functional>

#include <iterator>
#include <map>
#include <memory>
#include <optional>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponse;

namespace plumb {

class ShapExplainer;

class LimitedTcpServer;
class PredictionLog;
struct LoggedRequest;

// Limits on what one request may ask of the service; each is answered with its own status.
struct ServiceLimits
{
    qint64 maxBodyBytes = 16 << 20; // 413, enforced at the socket before buffering
    std::size_t maxRows = 10000; // rows in one request: 413
    int maxDepth = 32; // JSON nesting inside a row: 400
    // Time for one request, in milliseconds (0: none). Receiving it whole (head and body) past
    // this is answered 408 at the socket; working on it past this (checked between stages and
    // between blocks of rows) is answered 503.
    int requestTimeoutMs = 10000;
    int idleTimeoutMs = 75000; // a keep-alive connection idle this long is closed (nginx's default; 0: never)
    int maxConnections = 0; // open connections, the longest-idle closed for a new one; 0: from the descriptor limit
    qint64 maxInflightBytes = 128 << 20; // request bodies held at once: 503 with Retry-After past it
};

// Whether `token` is strong enough to guard a service: at least 128 bits, measured as its length
// times the bits per character of the smallest alphabet that holds it (hexadecimal: 4, so 32
// characters; base64 or base64url: 6, so 22 characters), and only characters of RFC 6750's b64token
// (letters, digits, -._~+/ and trailing =). Fails with a message that shows how to make one.
std::optional<Error> checkBearerToken(const QByteArray &token);

// How the service runs.
struct ServiceOptions
{
    ServiceLimits limits;
    QByteArray bearerToken; // when set, every request needs "Authorization: Bearer <token>" (401)
    int threads = 0; // threads working on predict requests; 0: one per core
};

// The model a service scores with: a fitted pipeline, its file name and SHA-256 digest (hex),
// shown by /v1/model, in every answer and in /metrics.
struct ServedModel
{
    std::shared_ptr<const Pipeline> pipeline;
    QString name;
    QString digest;
    bool positionalFeatures = false; // ImportProvenance::positionalFeatures: rows may be read by position
    // The model file's reference profile (OpenedModel::profiles): its training means let
    // POST /v1/explain explain linear and logistic models. Empty: those models are refused (422).
    std::vector<ColumnProfile> profiles{};
};

// Counters behind GET /metrics (Prometheus text exposition format 0.0.4).
struct ServiceMetrics
{
    static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0};
    std::map<int, quint64> requestsByStatus;
    quint64 bucketCounts[std::size(kBuckets)] = {}; // cumulative: requests at or under each bound
    quint64 latencyCount = 0;
    double latencySum = 0;
    quint64 rowsScored = 0;

    void record(int status, double seconds);
    // The text GET /metrics returns, with the model's digest as a label of plumb_model_info, and
    // the prediction log's records written, dropped (queue full) and failed, when there is a log.
    QByteArray exposition(const QString &digest, const PredictionLog *log = nullptr) const;
};

// The scoring service: an HTTP server (QHttpServer) that scores JSON rows with a fitted pipeline.
//   POST /v1/predict  one row object {"feature": value, ...} or an array of them; answers
//                     {"predictions": [...]} (and "classes" and "probabilities" for classifiers).
//                     Rows are validated as MLflow enforces a signature (RowValidator): 400 naming the
//                     row and column for a missing column, a wrong type, NaN/Inf where not allowed,
//                     malformed JSON or nesting over the limit; 413 for too many rows or a body over
//                     the limit (refused at the socket); 408 for a request not received whole within
//                     the time limit (at the socket, the connection closed); 503 when its work runs
//                     past that limit; 401 without the bearer token when one is set. A key left out
//                     for a feature the pipeline fills in is a missing value. Rows are named by
//                     their 0-based index in the array (requestRowName).
//   GET /v1/model     the model's name, digest, kind, task, features (name, type) and classes.
//   GET /healthz      200 while the process serves; GET /readyz 200 once the model is loaded.
//   GET /metrics      requests by status, a latency histogram, rows scored, the model digest.
//   POST /v1/reload   reloads the model through the reloader (only when a bearer token is set).
// A known path asked with another method is answered 405 with an Allow header naming its method.
// Before any route, the socket guard (LimitedTcpServer) refuses, from the request head: 401 without
// the token, 400 for malformed or conflicting framing, 431 for header floods, 413 for a declared
// body over the limit, 503 past the in-flight limit (ServiceLimits).
// With a prediction log, every POST /v1/predict and every refusal at the socket (whatever its
// path) is submitted to it after the answer is made; the log writes on its own thread.
// Predictions are Pipeline::predict's, bit for bit. HTTP is read and written on the thread that owns
// the service; the work of a predict request (parsing, validation, prediction, the answer's JSON)
// runs on a pool with one thread per core (ServiceOptions::threads), except for small bodies (a few
// rows), answered on the service's thread because the hand-over would cost more than the work. Each request takes the model and validator as they are
// when it arrives (shared, immutable), so a reload swaps the model between two requests: none sees
// half of each. Metrics and the prediction log are updated back on the service's thread.
class ScoringService : public QObject
{
    Q_OBJECT

public:
    // The model's pipeline must be fitted.
    ScoringService(ServedModel model, ServiceOptions options, QObject *parent = nullptr);
    ~ScoringService() override;

    // Starts listening (port 0: any free port). Fails naming the address and the reason.
    std::optional<Error> listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    const ServiceMetrics &metrics() const { return mMetrics; }
    const ServedModel &model() const { return mModel; }
    // The socket guard (connections, in-flight bytes, refusals); null before listen().
    const LimitedTcpServer *connections() const { return mTcpServer; }

    // Where requests to POST /v1/predict are logged (null: nowhere). The log must outlive the service.
    void setPredictionLog(PredictionLog *log) { mLog = log; }

    // What reload() calls to read the model again (from its file, checked as at start-up).
    void setReloader(std::function<Result<ServedModel>()> reloader) { mReloader = std::move(reloader); }
    // Replaces the model with the reloader's, or keeps the old one serving and says why not
    // (no reloader, or the new file did not load or verify).
    std::optional<Error> reload();

private:
    void addRoutes();
    // Answers a predict request (or with `explain`, POST /v1/explain: the rows' SHAP values), its
    // work on the pool; logs it when done.
    QFuture<QHttpServerResponse> predict(const QHttpServerRequest &request, bool explain = false);
    void setExplainer();
    void logRequest(LoggedRequest &record, int status, double seconds);
    QHttpServerResponse modelInfo() const;
    bool authorised(QByteArrayView authorization) const;

    QHttpServerResponse reloadResponse(const QHttpServerRequest &request);

    ServedModel mModel;
    ServiceOptions mOptions;
    std::shared_ptr<const RowValidator> mValidator;
    std::shared_ptr<const ShapExplainer> mExplainer; // null: mNoExplainer says why
    QString mNoExplainer;
    std::function<Result<ServedModel>()> mReloader;
    ServiceMetrics mMetrics;
    PredictionLog *mLog = nullptr;
    std::unique_ptr<QHttpServer> mServer;
    LimitedTcpServer *mTcpServer = nullptr; // owned by mServer once bound
    QThreadPool mPool; // predict work: one thread per core
};

} // namespace plumb
