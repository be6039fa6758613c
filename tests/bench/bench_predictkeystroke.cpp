// The Predict view's time per keystroke for a 100-tree gradient boosting model: from a key press
// in the form to the prediction, the probabilities and the TreeSHAP contributions shown (the
// chart replotted), against the one-frame budget of 16 ms; and, apart, ShapExplainer::explain
// alone on the same row.
//
//   bench_predictkeystroke [KEYSTROKES] [ROUNDS]      (defaults 400 keystrokes, 5 rounds)
//
// Trains gradient boosting (max_iter 100, the other settings Plumb's defaults) on 20,000
// generated rows of 20 numeric features, saves it with its profile, opens it in a PredictView
// on the offscreen platform (shown, 1268 x 800), then per round types KEYSTROKES characters into
// field f1 (alternately a digit and Backspace, so the row stays valid and the value changes),
// timing each QTest::keyClick plus the events it posts. Prints the median, 90th percentile and
// worst keystroke of each round, and the median over rounds. Not registered with CTest: timings
// do not belong in pass/fail tests.

#include "artifacttestutil.h"
#include "benchcommon.h"

#include "data/csvreader.h"
#include "learn/rowscorer.h"
#include "learn/shapexplainer.h"
#include "learn/trainer.h"
#include "ui/common/theme.h"
#include "ui/predict/predictview.h"
#include "ui/predict/scoringform.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <algorithm>
#include <random>

using namespace plumb;
using bench::median;
using bench::quantile;

namespace {

constexpr int kFeatures = 20;

// Rows of f1..f20 (normal draws) and a class from a linear score plus noise.
QByteArray generate(int rows, unsigned seed)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal;
    QByteArray csv;
    for (int f = 1; f <= kFeatures; ++f)
        csv += (f > 1 ? "," : "") + QByteArray("f") + QByteArray::number(f);
    csv += ",label\n";
    for (int row = 0; row < rows; ++row) {
        double score = 0;
        for (int f = 0; f < kFeatures; ++f) {
            const double x = normal(random);
            score += (f % 3 == 0 ? 1.0 : -0.5) * x;
            csv += (f > 0 ? "," : "") + QByteArray::number(x, 'g', 10);
        }
        csv += score + 0.5 * normal(random) > 0 ? ",yes\n" : ",no\n";
    }
    return csv;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication application(argc, argv);
    ui::applyTheme(application);
    QTextStream out(stdout);
    const int keystrokes = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 400;
    const int rounds = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 5;

    Result<Dataset> data = CsvReader::readBytes(generate(20000, 1), QStringLiteral("train.csv"));
    TrainingSpec spec;
    for (int f = 1; f <= kFeatures; ++f)
        spec.features.append(QStringLiteral("f%1").arg(f));
    spec.target = QStringLiteral("label");
    spec.modelKind = QStringLiteral("gradient_boosting");
    spec.parameters = {{QStringLiteral("max_iter"), QStringLiteral("100")}};
    spec.validation = ValidationScheme::parse(QStringLiteral("holdout:0.2")).value();
    spec.importance = false;
    Result<TrainingOutcome> outcome = data ? trainAndValidate(data.value(), spec) : Result<TrainingOutcome>(data.error());
    if (!outcome) {
        out << "training failed: " << outcome.error().message << Qt::endl;
        return 1;
    }
    QTemporaryDir directory;
    const QString modelPath = directory.filePath(QStringLiteral("boosting.plumb"));
    if (auto error = saveModelArtifact(modelPath, outcome.value().pipeline, testutil::sampleMetadata(),
                                       testutil::profileOf(data.value()), true)) {
        out << "saving failed: " << error->message << Qt::endl;
        return 1;
    }
    Result<ui::LoadedModelPtr> model = ui::readModel(modelPath, directory.filePath(QStringLiteral("no-keyring")));
    if (!model) {
        out << "cannot open the model: " << model.error().message << Qt::endl;
        return 1;
    }
    ui::PredictView view;
    view.resize(1268, 800);
    view.show();
    QElapsedTimer opening;
    opening.start();
    view.setModel(model.value());
    out << "model: gradient boosting, 100 trees, 20 features; opening it in the view (explainer built): "
        << QString::number(double(opening.nsecsElapsed()) / 1e6, 'f', 2) << " ms" << Qt::endl;
    QCoreApplication::processEvents();
    auto *edit = qobject_cast<QLineEdit *>(view.form()->editor(QStringLiteral("f1")));
    if (!edit) {
        out << "no line edit for f1" << Qt::endl;
        return 1;
    }
    edit->setFocus();
    edit->end(false);

    std::vector<double> roundMedians;
    for (int round = 0; round < rounds; ++round) {
        std::vector<double> ms;
        for (int k = 0; k < keystrokes; ++k) {
            QElapsedTimer timer;
            timer.start();
            if (k % 2 == 0)
                QTest::keyClick(edit, Qt::Key(Qt::Key_1 + k % 9));
            else
                QTest::keyClick(edit, Qt::Key_Backspace);
            QCoreApplication::processEvents();
            ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        }
        if (view.explanation().values.empty()) {
            out << "the view shows no explanation: " << view.noExplanationReason() << Qt::endl;
            return 1;
        }
        roundMedians.push_back(median(ms));
        out << "round " << round + 1 << ": " << keystrokes << " keystrokes, median " << QString::number(median(ms), 'f', 3)
            << " ms, p90 " << QString::number(quantile(ms, 0.9), 'f', 3) << " ms, worst "
            << QString::number(*std::max_element(ms.begin(), ms.end()), 'f', 3) << " ms" << Qt::endl;
    }

    // The explainer alone, on the row the form holds.
    const Pipeline &pipeline = model.value()->pipeline();
    const ShapExplainer explainer = ShapExplainer::create(pipeline).value();
    RowScorer scorer(pipeline);
    Eigen::VectorXd inputs;
    TransformNotes notes;
    if (auto error = scorer.transform(view.form()->values(), inputs, notes)) {
        out << "cannot transform the row: " << error->message << Qt::endl;
        return 1;
    }
    std::vector<double> phi(std::size_t(explainer.featureCount() * explainer.outputCount()));
    std::vector<double> explainUs;
    for (int round = 0; round < rounds; ++round) {
        constexpr int kCalls = 2000;
        QElapsedTimer timer;
        timer.start();
        for (int c = 0; c < kCalls; ++c)
            explainer.explain(inputs.data(), phi.data());
        explainUs.push_back(double(timer.nsecsElapsed()) / 1e3 / kCalls);
    }
    out << "per keystroke, median of round medians: " << QString::number(median(roundMedians), 'f', 3)
        << " ms (budget: one frame, 16 ms)" << Qt::endl;
    out << "ShapExplainer::explain alone, one row: " << QString::number(median(explainUs), 'f', 1) << " us (median of " << rounds
        << " x 2000 calls)" << Qt::endl;
    return 0;
}
