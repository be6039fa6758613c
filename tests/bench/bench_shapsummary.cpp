// What the SHAP summary adds to training: trainAndValidate (hold-out, with permutation
// importance and the SHAP summary) timed beside the SHAP summary alone on the same validation fit.
// Run by hand: bench_shapsummary --data FILE.csv --target NAME --model KIND [--repeats 3]
// Prints one JSON line: median seconds of the whole training and of the summary, and the share.
#include "benchcommon.h"

#include "learn/shapexplainer.h"
#include "learn/trainer.h"
#include "learn/validationexplanation.h"

#include <QCoreApplication>

using namespace plumb;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    double readSeconds = 0;
    const Dataset data = bench::load(bench::option(args, QStringLiteral("--data"), {}), readSeconds);
    TrainingSpec spec;
    spec.target = bench::option(args, QStringLiteral("--target"), bench::kTarget);
    spec.modelKind = bench::option(args, QStringLiteral("--model"), QStringLiteral("gradient_boosting"));
    spec.validation = ValidationScheme::parse(QStringLiteral("holdout:0.2")).value();
    const int repeats = bench::intOption(args, QStringLiteral("--repeats"), 3);
    std::vector<double> training, summary;
    qint64 explained = 0, validation = 0;
    for (int r = 0; r < repeats; ++r) {
        const auto start = bench::Clock::now();
        Result<TrainingOutcome> outcome = trainAndValidate(data, spec);
        if (!outcome)
            bench::fail(outcome.error().message);
        training.push_back(bench::secondsSince(start));
        // The summary alone, as training computes it: the final pipeline on an evenly spaced
        // 20% of the rows stands in for the validation fit (the same model size and rows).
        const Pipeline &pipeline = outcome.value().pipeline;
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < data.rowCount(); i += 5)
            rows.push_back(i);
        Eigen::VectorXd means;
        if (ShapExplainer::availability(pipeline, false) == ShapAvailability::NeedsTrainingMeans)
            means = inputMeans(pipeline, data).value();
        const auto shapStart = bench::Clock::now();
        Result<ShapSummary> shap = shapSummary(pipeline, data, rows, means);
        if (!shap)
            bench::fail(shap.error().message);
        summary.push_back(bench::secondsSince(shapStart));
        explained = shap.value().explainedRows;
        validation = shap.value().validationRows;
    }
    const double whole = bench::median(training), part = bench::median(summary);
    bench::print({{QStringLiteral("model"), spec.modelKind},
                  {QStringLiteral("rows"), double(data.rowCount())},
                  {QStringLiteral("train_seconds"), whole},
                  {QStringLiteral("shap_summary_seconds"), part},
                  {QStringLiteral("shap_share_of_training"), part / whole},
                  {QStringLiteral("explained_rows"), double(explained)},
                  {QStringLiteral("validation_rows"), double(validation)},
                  {QStringLiteral("train_runs"), bench::toJson(training)},
                  {QStringLiteral("shap_runs"), bench::toJson(summary)}});
    return 0;
}
