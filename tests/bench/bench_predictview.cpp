// The Predict view batch-scoring a large CSV: the time until the scored rows are shown in the
// table, and how long the GUI thread goes without serving its event loop meanwhile (the worst gap
// between ticks of a 5 ms probe timer), against the 100 ms budget.
//
//   bench_predictview [ROWS] [DATA_DIR]      (defaults 1000000 rows, /tmp/plumb-bench)
//
// Trains a logistic regression (median imputer, standard scaler) on 20,000 generated rows of 20
// numeric features, saves it, writes (once, cached) a ROWS x 20 scoring CSV with one unreadable
// value, then scores it three times in a PredictView on the offscreen platform, scrolling the
// results table to its end after each run. Not registered with CTest: timings do not belong in
// pass/fail tests.

#include "artifacttestutil.h"

#include "data/csvreader.h"
#include "learn/trainer.h"
#include "ui/common/theme.h"
#include "ui/data/datasettablemodel.h"
#include "ui/predict/batchscoringpanel.h"
#include "ui/predict/predictview.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <charconv>
#include <random>

using namespace plumb;

namespace {

constexpr int kFeatures = 20;

// Rows of f1..f20 (normal draws) and, with `label`, a class from a linear score plus noise.
QByteArray generate(int rows, bool label, unsigned seed, int badLine)
{
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal;
    QByteArray csv;
    csv.reserve(qsizetype(rows) * 21 * 12);
    for (int f = 1; f <= kFeatures; ++f)
        csv += (f > 1 ? "," : "") + QByteArray("f") + QByteArray::number(f);
    csv += label ? ",label\n" : "\n";
    char buffer[32];
    for (int row = 0; row < rows; ++row) {
        double score = 0;
        for (int f = 0; f < kFeatures; ++f) {
            const double x = normal(random);
            score += (f % 3 == 0 ? 1.0 : -0.5) * x;
            if (f > 0)
                csv += ',';
            if (row + 2 == badLine && f == 3) {
                csv += "n/a?";
                continue;
            }
            const auto end = std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::general, 10).ptr;
            csv.append(buffer, end - buffer);
        }
        if (label)
            csv += score + 0.5 * normal(random) > 0 ? ",yes" : ",no";
        csv += '\n';
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
    const int rows = argc > 1 ? QString::fromLocal8Bit(argv[1]).toInt() : 1000000;
    const QString dataDir = argc > 2 ? QString::fromLocal8Bit(argv[2]) : QStringLiteral("/tmp/plumb-bench");

    const QByteArray training = generate(20000, true, 1, -1);
    Result<Dataset> data = CsvReader::readBytes(training, QStringLiteral("train.csv"));
    TrainingSpec spec;
    for (int f = 1; f <= kFeatures; ++f)
        spec.features.append(QStringLiteral("f%1").arg(f));
    spec.target = QStringLiteral("label");
    spec.modelKind = QStringLiteral("logistic_regression");
    spec.validation = ValidationScheme::parse(QStringLiteral("holdout:0.2")).value();
    Result<TrainingOutcome> outcome = data ? trainAndValidate(data.value(), spec) : Result<TrainingOutcome>(data.error());
    if (!outcome) {
        out << "training failed: " << outcome.error().message << Qt::endl;
        return 1;
    }
    QTemporaryDir directory;
    const QString modelPath = directory.filePath(QStringLiteral("logistic.plumb"));
    ModelMetadata metadata = testutil::sampleMetadata();
    metadata.metrics = outcome.value().validation.metrics;
    if (auto error = saveModelArtifact(modelPath, outcome.value().pipeline, metadata, testutil::profileOf(data.value()), true)) {
        out << "saving failed: " << error->message << Qt::endl;
        return 1;
    }
    QDir().mkpath(dataDir);
    const QString input = QDir(dataDir).filePath(QStringLiteral("predictview-%1x20.csv").arg(rows));
    if (!QFile::exists(input)) {
        QFile file(input);
        if (!file.open(QIODevice::WriteOnly) || file.write(generate(rows, false, 2, 1001)) < 0) {
            out << "cannot write " << input << Qt::endl;
            return 1;
        }
    }
    out << "input: " << input << ", " << rows << " rows x 20, " << QFileInfo(input).size() / 1000000 << " MB" << Qt::endl;

    Result<ui::LoadedModelPtr> model = ui::readModel(modelPath, directory.filePath(QStringLiteral("no-keyring")));
    if (!model) {
        out << "cannot open the model: " << model.error().message << Qt::endl;
        return 1;
    }
    ui::PredictView view;
    view.resize(1268, 800);
    view.setModel(model.value());
    view.tabs()->setCurrentIndex(1);
    view.show();
    ui::BatchScoringPanel *panel = view.batchPanel();

    QElapsedTimer clock;
    qint64 last = 0, worst = 0, worstAt = 0;
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (now - last > worst) {
            worst = now - last;
            worstAt = now;
        }
        last = now;
    });
    for (int run = 0; run < 3; ++run) {
        QSignalSpy finished(panel->job(), &ui::BatchScoringJob::finished);
        clock.start();
        last = 0;
        worst = 0;
        worstAt = 0;
        probe.start();
        QElapsedTimer call;
        call.start();
        panel->scoreFile(input);
        out << "scoreFile() returned after " << call.elapsed() << " ms" << Qt::endl;
        if (!QTest::qWaitFor([&] { return !finished.isEmpty(); }, 600000) || !finished.front().at(0).toBool()) {
            out << "scoring failed: " << (finished.isEmpty() ? QStringLiteral("timeout") : finished.front().at(2).toString())
                << Qt::endl;
            return 1;
        }
        const qint64 shown = clock.elapsed();
        panel->resultsTable()->scrollToBottom();
        QTest::qWait(100); // painting the last rows under the probe too
        probe.stop();
        const auto result = panel->job()->result();
        out << "run " << run + 1 << ": " << panel->resultsModel()->rowCount() << " rows shown after " << shown << " ms (scoring "
            << qint64(result->summary.seconds * 1000) << " ms), " << result->summary.rowsRejected
            << " row(s) refused; worst event-loop gap " << worst << " ms, ending at " << worstAt << " ms" << Qt::endl;
    }
    return 0;
}
