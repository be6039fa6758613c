#include "serve/predictrequest.h"

#include "serve/featurebatch.h"
#include "serve/jsonrow.h"
#include "serve/predictionjson.h"

namespace plumb {

namespace {

constexpr std::size_t kRowsBetweenChecks = 1024; // rows validated between two looks at the clock

QString overTime(const PredictJob &job)
{
    return QStringLiteral("scoring took longer than %1 s (the limit per request)").arg(double(job.timeoutMs) / 1000.0);
}

// {"predictions": [...], "classes": [...], "probabilities": [[...]], "model_digest": "..."}
void appendAnswer(const Prediction &p, const QString &digest, std::string &out)
{
    out = "{\"predictions\":";
    appendPredictionsJson(p, out);
    if (!p.classes.isEmpty()) {
        out += ",\"classes\":[";
        for (qsizetype c = 0; c < p.classes.size(); ++c) {
            if (c > 0)
                out += ',';
            appendJsonString(p.classes[c].toStdString(), out);
        }
        out += "],\"probabilities\":";
        appendProbabilitiesJson(p, out);
    }
    out += ",\"model_digest\":";
    appendJsonString(digest.toStdString(), out);
    out += '}';
}

} // namespace

PredictAnswer answerPredict(const PredictJob &job, const QDeadlineTimer &deadline)
{
    PredictAnswer answer;
    answer.record.modelName = job.modelName;
    answer.record.modelDigest = job.digest;
    const auto refuse = [&answer](const QString &reason, int status) {
        answer.record.error = reason;
        answer.status = status;
        answer.body = "{\"error\":";
        appendJsonString(reason.toStdString(), answer.body);
        answer.body += '}';
        return std::move(answer);
    };
    std::vector<JsonRow> rows;
    JsonRowLimits limits;
    limits.maxDepth = job.maxDepth;
    if (auto error = readJsonRows(std::string_view(job.body.constData(), std::size_t(job.body.size())), rows, job.maxRows,
                                  limits)) {
        const bool tooMany = error->startsWith(QLatin1String("more than"));
        return refuse(tooMany ? QStringLiteral("%1 (the limit per request)").arg(*error) : *error, tooMany ? 413 : 400);
    }
    if (rows.empty())
        return refuse(QStringLiteral("no rows"), 400);
    FeatureBatch batch(job.validator->features());
    batch.reserve(rows.size());
    std::vector<FeatureValue> values;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r % kRowsBetweenChecks == 0 && deadline.hasExpired())
            return refuse(overTime(job), 503);
        if (auto reason = job.validator->readJsonRow(rows[r], values))
            return refuse(rows.size() > 1 ? QStringLiteral("row %1: %2").arg(r).arg(*reason) : *reason, 400);
        batch.append(values);
    }
    Dataset inputs = batch.takeDataset();
    Result<Prediction> prediction = job.pipeline->predict(inputs);
    if (!prediction)
        return refuse(prediction.error().message, 500);
    if (deadline.hasExpired())
        return refuse(overTime(job), 503);
    answer.rowsScored = rows.size();
    appendAnswer(prediction.value(), job.digest, answer.body);
    if (job.keepRecord) { // the log's writer turns these into text on its own thread
        answer.record.inputs = std::move(inputs);
        answer.record.outputs = std::move(prediction).value();
    }
    return answer;
}

} // namespace plumb
