#include "serve/predictrequest.h"

#include "learn/shapexplainer.h"
#include "serve/errorstatus.h"
#include "serve/featurebatch.h"
#include "serve/jsonrow.h"
#include "serve/orderedrowreader.h"
#include "serve/predictionjson.h"

namespace plumb {

namespace {

constexpr std::size_t kRowsBetweenChecks = 1024; // rows validated between two looks at the clock

Error overTime(const PredictJob &job)
{
    return {QStringLiteral("scoring took longer than %1 s (the limit per request)").arg(double(job.timeoutMs) / 1000.0),
            Error::Kind::Cancelled};
}

// {"predictions": [...], "classes": [...], "probabilities": [[...]], "model_digest": "..."}, and
// "notice" when rows were read by position.
void appendAnswer(const Prediction &p, const QString &digest, const QString &notice, std::string &out)
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
    if (!notice.isEmpty()) {
        out += ",\"notice\":";
        appendJsonString(notice.toStdString(), out);
    }
    out += '}';
}

// {"space": "log-odds", "outputs": [...], "columns": [...], "values": [[...], ...], "model_digest": "..."}.
void appendExplanations(const ShapExplainer &explainer, const Pipeline &pipeline, const Dataset &inputs, const QString &digest,
                        std::string &out)
{
    const auto appendStrings = [&out](const QStringList &texts) {
        out += '[';
        for (qsizetype i = 0; i < texts.size(); ++i) {
            if (i > 0)
                out += ',';
            appendJsonString(texts[i].toStdString(), out);
        }
        out += ']';
    };
    out = "{\"space\":";
    appendJsonString(explainer.space().toStdString(), out);
    out += ",\"outputs\":";
    appendStrings(explainer.outputs());
    out += ",\"columns\":";
    appendStrings(explainer.columnNames());
    out += ",\"values\":[";
    TransformNotes notes;
    const Eigen::MatrixXd X = pipeline.router().transform(inputs, {}, notes);
    std::vector<double> values(std::size_t(explainer.columnNames().size()));
    Eigen::VectorXd row(X.cols());
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
        row = X.row(r).transpose();
        explainer.explainColumns(row.data(), values.data());
        out += r > 0 ? ",[" : "[";
        for (std::size_t c = 0; c < values.size(); ++c) {
            if (c > 0)
                out += ',';
            appendJsonNumber(values[c], out);
        }
        out += ']';
    }
    out += "],\"model_digest\":";
    appendJsonString(digest.toStdString(), out);
    out += '}';
}

// The body's rows, validated, into `batch`; the refusal's kind gives its HTTP status. The common shape (keys in the model's order, plain
// values) goes straight in; any other body, and every refusal, through the general reader and
// the validator, whose messages name the row and column. `positionalRows` counts the rows whose
// keys were read by position (RowValidator::readJsonRow).
std::optional<Error> readRows(const PredictJob &job, const QDeadlineTimer &deadline, FeatureBatch &batch,
                              std::size_t &positionalRows)
{
    JsonRowLimits limits;
    limits.maxDepth = job.maxDepth;
    const std::string_view body(job.body.constData(), std::size_t(job.body.size()));
    switch (OrderedRowReader(*job.validator).read(body, job.maxRows, limits, deadline, batch)) {
    case OrderedRowReader::Outcome::Read:
        return std::nullopt;
    case OrderedRowReader::Outcome::Expired:
        return overTime(job);
    case OrderedRowReader::Outcome::NotHandled:
        batch.takeDataset(); // drops what it read
        break;
    }
    std::vector<JsonRow> rows;
    if (auto error = readJsonRows(body, rows, job.maxRows, limits)) {
        if (error->kind == Error::Kind::TooLarge)
            error->message += QStringLiteral(" (the limit per request)");
        return error;
    }
    if (rows.empty())
        return Error::invalid(QStringLiteral("no rows"));
    batch.reserve(rows.size());
    std::vector<FeatureValue> values;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r % kRowsBetweenChecks == 0 && deadline.hasExpired())
            return overTime(job);
        bool byPosition = false;
        if (auto reason = job.validator->readJsonRow(rows[r], values, &byPosition))
            return Error::invalid(rows.size() > 1 ? QStringLiteral("%1: %2").arg(requestRowName(r), *reason) : *reason);
        positionalRows += byPosition ? 1 : 0;
        batch.append(values);
    }
    return std::nullopt;
}

} // namespace

PredictAnswer answerPredict(const PredictJob &job, const QDeadlineTimer &deadline)
{
    PredictAnswer answer;
    answer.record.modelName = job.modelName;
    answer.record.modelDigest = job.digest;
    const auto refuse = [&answer](const Error &error) {
        answer.record.error = error.message;
        answer.status = httpStatusFor(error.kind);
        answer.body = "{\"error\":";
        appendJsonString(error.message.toStdString(), answer.body);
        answer.body += '}';
        return std::move(answer);
    };
    FeatureBatch batch(job.validator->features());
    std::size_t positionalRows = 0;
    if (auto refusal = readRows(job, deadline, batch, positionalRows))
        return refuse(*refusal);
    Dataset inputs = batch.takeDataset();
    if (job.explainer) {
        appendExplanations(*job.explainer, *job.pipeline, inputs, job.digest, answer.body);
        if (deadline.hasExpired())
            return refuse(overTime(job));
        answer.rowsScored = inputs.rowCount();
        return answer;
    }
    Result<Prediction> prediction = job.pipeline->predict(inputs);
    if (!prediction) // the rows were validated: a failure now is this program's, not the client's
        return refuse({prediction.error().message, Error::Kind::Internal});
    if (deadline.hasExpired())
        return refuse(overTime(job));
    answer.rowsScored = inputs.rowCount();
    const QString notice = positionalRows == 0
        ? QString()
        : job.validator->positionalNotice(QStringLiteral("the keys of %1 row(s) in their order").arg(positionalRows));
    appendAnswer(prediction.value(), job.digest, notice, answer.body);
    if (job.keepRecord) { // the log's writer turns these into text on its own thread
        answer.record.inputs = std::move(inputs);
        answer.record.outputs = std::move(prediction).value();
    }
    return answer;
}

} // namespace plumb
