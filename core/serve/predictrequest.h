#pragma once

#include "learn/pipeline.h"
#include "serve/predictionlog.h"
#include "serve/rowvalidator.h"

#include <QByteArray>
#include <QDeadlineTimer>

#include <memory>
#include <string>

namespace plumb {

class ShapExplainer;

// One POST /v1/predict request as the scoring service hands it to a worker: the model and the
// validator as they were when the request arrived (shared and immutable, so a reload meanwhile
// changes nothing here), the limits, and the body.
struct PredictJob
{
    std::shared_ptr<const Pipeline> pipeline; // fitted
    std::shared_ptr<const RowValidator> validator;
    QString modelName;
    QString digest;
    std::size_t maxRows = 10000; // more rows: 413
    int maxDepth = 32; // deeper JSON nesting in a row: 400
    int timeoutMs = 0; // the time limit, named in the 503's reason (0: none)
    QByteArray body;
    bool keepRecord = false; // a prediction log wants the inputs and outputs
    // POST /v1/explain: answer with SHAP values (appendExplanationsJson) instead of predictions.
    // It explains `pipeline` and shares its lifetime.
    std::shared_ptr<const ShapExplainer> explainer;
};

// The answer: an HTTP status, the JSON body ({"predictions": ...} or {"error": reason}), and the
// prediction log's record (model, error, and with keepRecord the inputs and outputs).
struct PredictAnswer
{
    int status = 200;
    std::string body;
    LoggedRequest record;
    std::size_t rowsScored = 0;
};

// Reads the body's rows, validates them, predicts and writes the answer (with a "notice" when the
// keys of a row were read by position, see ColumnBinding). Each refusal is an Error whose kind
// gives the status (httpStatusFor): 400 for malformed JSON, a missing column, a wrong type (naming
// the row, counted from 0 as requestRowName says, and the column) or no rows; 413 for more than
// maxRows rows or more than the limit of keys in a row, whether the row is alone or in an array;
// 500 when prediction fails; 503 once `deadline` has expired, which is checked between stages and
// every 1,024 rows. Never throws; safe to call from any thread.
// With an explainer the answer is {"space", "outputs", "columns", "values": [[row's values in
// columns order]...], "model_digest"} (ShapExplainer::columnNames), after the same validation.
PredictAnswer answerPredict(const PredictJob &job, const QDeadlineTimer &deadline);

} // namespace plumb
