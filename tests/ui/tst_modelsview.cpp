// The Models view (the inspector) on models this suite trains and saves itself: logistic regression
// and a decision tree on the generated table of tests/artifact (features x1, x2, x3, color, size,
// flag; target "label"), fitted with trainAndValidate and saved with saveModelArtifact.
// Expected values come from what the test wrote into the files (names, features, metrics), from
// core's sha256 of the file bytes, and from the container layout in core/artifact/modelfile.h
// (bytes 8..11 hold the format version; the last 40 bytes are the digest trailer).
// The scikit-learn cases open fixtures of tests/interop/fixtures (written by
// make_sklearn_fixtures.py; manifest.json names their classes) and hand-built hostile streams.
// The XGBoost cases open fixtures of tests/interop/fixtures/xgboost (make_xgboost_fixtures.py);
// their verdicts are what plumb import-xgboost prints for the same files.

#include "artifacttestutil.h"
#include "uitestsupport.h"

#include "artifact/modelfile.h"
#include "artifact/signing.h"
#include "base/sha256.h"
#include "learn/trainer.h"
#include "ui/charts/confusionchart.h"
#include "ui/charts/curvechart.h"
#include "ui/charts/importancechart.h"
#include "ui/charts/profilechart.h"
#include "ui/charts/shapsummarychart.h"
#include "ui/common/displayformat.h"
#include "ui/common/emptystateview.h"
#include "ui/common/messagebanner.h"
#include "ui/common/recentfiles.h"
#include "ui/data/profilepanel.h"
#include "ui/mainwindow.h"
#include "ui/models/modelcomparison.h"
#include "ui/models/modeldetails.h"
#include "ui/models/modellistmodel.h"
#include "ui/models/modelsummarycard.h"
#include "ui/models/modelsview.h"
#include "ui/models/modeltrustcard.h"
#include "ui/models/picklescanpage.h"

#include <QApplication>
#include <QClipboard>
#include <QListWidget>
#include <QMimeData>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>

using namespace Qt::StringLiterals;

namespace plumb::ui {

namespace {

using test::kLoadTimeoutMs;

// Trains `kind` on the generated binary table and saves it under `path` with fixed metadata.
std::optional<QString> trainAndSave(const QString &path, const QString &kind, const QString &name, std::uint64_t seed)
{
    const QByteArray csv = testutil::trainingCsv(testutil::Target::Binary, 240, 5);
    Result<Dataset> data = testutil::readCsv(csv, u"churn-sample.csv"_s);
    if (!data)
        return data.error().message;
    TrainingSpec spec;
    spec.features = testutil::featureNames();
    spec.target = testutil::targetName(testutil::Target::Binary);
    spec.modelKind = kind;
    spec.validation = ValidationScheme::parse(u"holdout:0.25"_s).value();
    spec.seed = seed;
    spec.importance = true;
    Result<TrainingOutcome> outcome = trainAndValidate(data.value(), spec);
    if (!outcome)
        return outcome.error().message;
    ModelMetadata metadata;
    metadata.name = name;
    metadata.description = u"Churn classifier for the inspector tests."_s;
    metadata.tags = {u"test"_s, kind};
    metadata.author = u"Inspector Suite"_s;
    metadata.created = QDateTime(QDate(2026, 3, 14), QTime(9, 26, 53), Qt::UTC);
    metadata.software = softwareEnvironment();
    metadata.sourceFile = u"churn-sample.csv"_s;
    metadata.sourceSha256 = QString::fromLatin1(sha256(csv).toHex());
    metadata.rows = qint64(outcome.value().trainingRows);
    metadata.columns = qint64(data.value().columnCount());
    metadata.validation = spec.validation.toString();
    metadata.metrics = outcome.value().validation.metrics;
    metadata.importance = outcome.value().importance;
    metadata.shap = outcome.value().shap;
    metadata.evaluation = compactEvaluation(outcome.value().validation);
    metadata.seed = seed;
    metadata.fitSeconds = outcome.value().fitSeconds;
    if (auto error = saveModelArtifact(path, outcome.value().pipeline, metadata, testutil::profileOf(data.value()), true))
        return error->message;
    return std::nullopt;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString fixture(const QString &name)
{
    return QStringLiteral(PLUMB_SOURCE_DIR "/tests/interop/fixtures/") + name;
}

// Opens a scikit-learn file in `view` and waits for its scan report.
bool scanAndWait(ModelsView &view, const QString &path)
{
    QSignalSpy finished(view.scanDocument(), &SklearnFileDocument::scanFinished);
    return view.openModel(path) && finished.wait(kLoadTimeoutMs) && view.currentPage() == ModelsView::Page::Scan;
}

// Opens `path` in `view` and waits for the outcome; true when a model is shown.
bool openAndWait(ModelsView &view, const QString &path)
{
    QSignalSpy loaded(view.document(), &ModelDocument::modelLoaded);
    QSignalSpy failed(view.document(), &ModelDocument::loadFailed);
    if (!view.openModel(path))
        return false;
    // The load runs on a worker thread; its outcome arrives as one of the two signals.
    return QTest::qWaitFor([&] { return loaded.size() + failed.size() == 1; }, kLoadTimeoutMs) && loaded.size() == 1;
}

} // namespace

class TestModelsView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsSummaryAndFeatures();
    void showsProfileValidationAndProvenance();
    void showsTheStoredShapSummary_data();
    void showsTheStoredShapSummary();
    void shaMatchesCore();
    void brokenFilesOpenAsErrorPage_data();
    void brokenFilesOpenAsErrorPage();
    void comparesTwoModels();
    void signsFromTheGui();
    void exportsOnnx();
    void listsAModelsFolder();
    void sameNamesShowTheirFiles();
    void mainWindowOpensModelFiles();
    void scikitLearnFilesOpenAsScanReport_data();
    void scikitLearnFilesOpenAsScanReport();
    void importsAScannedFile();
    void xgboostFilesOpenAsImportVerdict_data();
    void xgboostFilesOpenAsImportVerdict();

private:
    QString path(const QString &name) const { return QDir(mDirectory.path()).filePath(name); }

    QTemporaryDir mDirectory;
    QString mLogistic;
    QString mTree;
};

void TestModelsView::initTestCase()
{
    QVERIFY(mDirectory.isValid());
    qputenv("PLUMB_KEYRING", path(u"no-keyring"_s).toUtf8()); // never the user's keyring
    QDir().mkpath(path(u"models"_s));
    QDir().mkpath(path(u"shap"_s));
    mLogistic = path(u"models/churn-logistic.plumb"_s);
    mTree = path(u"models/churn-tree.plumb"_s);
    const auto first = trainAndSave(mLogistic, u"logistic_regression"_s, u"churn-logistic"_s, 7);
    QVERIFY2(!first, qPrintable(first.value_or(QString())));
    const auto second = trainAndSave(mTree, u"decision_tree"_s, u"churn-tree"_s, 8);
    QVERIFY2(!second, qPrintable(second.value_or(QString())));
}

void TestModelsView::showsSummaryAndFeatures()
{
    ModelsView view;
    QCOMPARE(view.currentPage(), ModelsView::Page::Empty);
    QVERIFY(openAndWait(view, mLogistic));
    QCOMPARE(view.currentPage(), ModelsView::Page::Model);

    // As written by trainAndSave.
    const ModelSummaryCard *card = view.summaryCard();
    QCOMPARE(card->title(), u"churn-logistic"_s);
    QCOMPARE(card->field(u"Task"_s), u"Classification"_s);
    QCOMPARE(card->field(u"Model"_s), u"logistic_regression"_s);
    QCOMPARE(card->field(u"Target"_s), u"label (categorical)"_s);
    QCOMPARE(card->field(u"Classes"_s), u"no, yes"_s); // sorted as text, as scikit-learn's classes_
    QCOMPARE(card->field(u"Author"_s), u"Inspector Suite"_s);
    QCOMPARE(card->field(u"Created"_s), u"2026-03-14 09:26 UTC"_s);
    QCOMPARE(card->field(u"Validation"_s), u"holdout:0.25"_s);
    const ModelMetadata &metadata = view.document()->model()->metadata();
    QVERIFY(!metadata.metrics.empty());
    QCOMPARE(card->metrics().value(metadata.metrics.front().first), formatMetric(metadata.metrics.front().second));

    // The feature schema in the pipeline's order: the generated table's feature columns.
    const QTableWidget *features = view.details()->featureTable();
    const QStringList names = testutil::featureNames();
    QCOMPARE(features->rowCount(), int(names.size()));
    for (int row = 0; row < features->rowCount(); ++row)
        QCOMPARE(features->item(row, 0)->text(), names[row]);
    QCOMPARE(features->item(0, 1)->text(), u"Float"_s); // x1
    QCOMPARE(features->item(2, 1)->text(), u"Integer"_s); // x3
    QCOMPARE(features->item(3, 1)->text(), u"Categorical"_s); // color
    // color takes three values in the generator (red, green, blue), listed sorted.
    QCOMPARE(features->item(3, 4)->text(), u"blue, green, red"_s);
    // x1 misses a value on every 7th row from row 3: 34 of 240 (rows 3, 10, ..., 234).
    QCOMPARE(features->item(0, 2)->text(), formatPercent(34.0 / 240.0));

    // Pipeline: one node per column branch, then the model with its parameters.
    const QTreeWidget *pipeline = view.details()->pipelineTree();
    const QTreeWidgetItem *model = pipeline->topLevelItem(pipeline->topLevelItemCount() - 1);
    QVERIFY2(model->text(0).endsWith(u"Model: logistic_regression"_s), qPrintable(model->text(0)));
    QCOMPARE(model->childCount(), int(view.document()->model()->pipeline().model().params().schema().size()));
}

void TestModelsView::showsProfileValidationAndProvenance()
{
    ModelsView view;
    QVERIFY(openAndWait(view, mLogistic));
    ModelDetails *details = view.details();
    // profileOf keeps every column of the table: six features and the target.
    QCOMPARE(details->profileColumns()->count(), 7);
    details->profileColumns()->setCurrentRow(0);
    QCOMPARE(details->profilePanel()->columnName(), u"x1"_s);
    QVERIFY(details->profilePanel()->chart()->barCount() > 0);

    const ModelMetadata &metadata = view.document()->model()->metadata();
    QCOMPARE(details->metricsTable()->rowCount(), int(metadata.metrics.size()));
    QCOMPARE(details->metricsTable()->item(0, 0)->text(), metadata.metrics.front().first);
    // Importance was measured for every feature.
    QCOMPARE(details->importanceChart()->barCount(), int(testutil::featureNames().size()));
    // The validation charts the file keeps: a two-class confusion matrix, and one ROC line (the
    // positive class) beside the dashed chance line, which seriesCount does not count.
    QCOMPARE(details->validationCharts().confusionChart()->classCount(), 2);
    QCOMPARE(details->validationCharts().curveChart(0)->seriesCount(), 1);

    // Provenance shows the training file's SHA-256 that trainAndSave recorded.
    const QTreeWidget *provenance = details->provenanceTree();
    const auto found = provenance->findItems(metadata.sourceSha256, Qt::MatchExactly | Qt::MatchRecursive, 1);
    QCOMPARE(found.size(), 1);
    QCOMPARE(found.front()->text(0), u"Source SHA-256"_s);
}

void TestModelsView::showsTheStoredShapSummary_data()
{
    QTest::addColumn<QString>("file"); // under the suite's folder, or "golden:" + a path under tests/artifact/golden
    QTest::addColumn<QString>("message"); // what the chart says instead; empty: it draws the stored summary
    QTest::newRow("logistic") << u"models/churn-logistic.plumb"_s << QString();
    QTest::newRow("decision-tree") << u"models/churn-tree.plumb"_s << QString();
    QTest::newRow("knn-not-available") << u"shap/churn-knn.plumb"_s
                                       << u"SHAP summary not available for knn models: permutation importance is shown instead"_s;
    // Written by Plumb with format 3, before summaries were kept (tests/artifact/golden/format3/README.md).
    QTest::newRow("format-3-file") << u"golden:format3/ridge.plumb"_s
                                   << u"No SHAP summary: this model file was saved before they were kept (model format 3; "
                                      "this Plumb writes format 4). Train the model again to get one: permutation "
                                      "importance is shown instead"_s;
    // A boosting file saved before node covers were stored: its summary and covers removed.
    QTest::newRow("boosting-without-node-covers")
        << u"shap/churn-boosting-old.plumb"_s
        << u"SHAP values need each tree node's training cover, which this model file does not store: it was saved by an "
           "earlier version of Plumb. Train the model again with this version (or import it again) to get SHAP values. "
           "The permutation importance stored in the model file is available instead"_s;
}

// The Models view draws the summary the file stores (never recomputed: the model's rows are not
// there), its features in the order of their stored mean |SHAP|; without one it says why.
void TestModelsView::showsTheStoredShapSummary()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    QString modelPath = file.startsWith(u"golden:"_s) ? QStringLiteral(PLUMB_SOURCE_DIR "/tests/artifact/golden/") + file.mid(7)
                                                      : path(file);
    if (file.contains(u"knn"_s)) {
        const auto error = trainAndSave(modelPath, u"knn"_s, u"churn-knn"_s, 9);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
    } else if (file.contains(u"boosting-old"_s)) {
        const QString fresh = path(u"shap/churn-boosting.plumb"_s);
        const auto error = trainAndSave(fresh, u"gradient_boosting"_s, u"churn-boosting"_s, 10);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        const QByteArray old = testutil::withoutNodeCovers(readAll(fresh)); // as an older Plumb wrote it
        QFile out(modelPath);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(out.write(old), old.size());
        out.close();
    }
    ModelsView view;
    view.resize(1400, 900);
    QVERIFY(openAndWait(view, modelPath));
    const ShapSummaryChart *chart = view.details()->shapChart();
    const ShapSummary &stored = view.document()->model()->metadata().shap;
    if (!message.isEmpty()) {
        QVERIFY(stored.isEmpty());
        QVERIFY2(chart->message().startsWith(message), qPrintable(chart->message()));
        QCOMPARE(chart->pointCount(), 0);
        return;
    }
    QVERIFY(chart->message().isEmpty());
    QCOMPARE(int(stored.features.size()), int(testutil::featureNames().size()));
    std::vector<std::pair<double, QString>> byWeight; // one output (two classes): its mean |SHAP|
    for (const ShapSummary::Feature &feature : stored.features)
        byWeight.emplace_back(-feature.meanAbs.front(), feature.feature);
    std::stable_sort(byWeight.begin(), byWeight.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList expected;
    for (const auto &[weight, name] : byWeight)
        expected.append(name);
    QCOMPARE(chart->shownFeatures(), expected);
    QCOMPARE(chart->pointCount(), stored.beeswarmRows() * int(stored.features.size()));
    QVERIFY2(chart->axisTitle().startsWith(u"SHAP value (%1 of 'yes')"_s.arg(stored.space)), qPrintable(chart->axisTitle()));
    view.details()->setCurrentIndex(ModelDetails::ValidationTab);
    QVERIFY(
        test::grabScrolledTo(view, view.details()->shapChart(), u"shap-models-%1"_s.arg(QLatin1String(QTest::currentDataTag()))));
}

void TestModelsView::shaMatchesCore()
{
    ModelsView view;
    QVERIFY(openAndWait(view, mLogistic));
    const Result<QString> expected = fileSha256Hex(mLogistic);
    QVERIFY(expected.ok());
    QCOMPARE(view.trustCard()->sha256(), expected.value());
    QCOMPARE(view.trustCard()->signatureHeadline(), u"Not signed"_s);
    // Copy puts exactly the digest on the clipboard, for pasting next to a published checksum.
    QApplication::clipboard()->clear();
    QTest::mouseClick(view.trustCard()->copyButton(), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), expected.value());
}

void TestModelsView::brokenFilesOpenAsErrorPage_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("heading");
    QTest::addColumn<QString>("reason");

    const QByteArray good = readAll(mLogistic);
    QByteArray flipped = good;
    flipped[good.size() / 2] = char(flipped[good.size() / 2] ^ 0x01);
    QByteArray future = good;
    future[8] = char(kModelFormatVersion + 1); // the next format, digest resealed below so only the version is wrong
    future = testutil::sealed(testutil::withoutTrailer(future));

    const QString integrity = u"This model file failed its integrity check"_s;
    QTest::newRow("tampered-byte") << u"tampered.plumb"_s << flipped << integrity
                                   << u"tampered.plumb: the content does not match its SHA-256 digest"_s;
    QTest::newRow("truncated") << u"truncated.plumb"_s << good.left(good.size() - 100) << integrity
                               << u"tampered.plumb: the integrity trailer is missing"_s.replace(u"tampered"_s, u"truncated"_s);
    QTest::newRow("future-version") << u"future.plumb"_s << future << u"This model file cannot be opened"_s
                                    << QStringLiteral("future.plumb: the file has model format %1, newer than format %2")
                                           .arg(kModelFormatVersion + 1)
                                           .arg(kModelFormatVersion);
    QTest::newRow("not-a-model") << u"table.plumb"_s << QByteArray("a,b\n1,2\n") << integrity
                                 << u"table.plumb is not a Plumb model file"_s;
    QTest::newRow("unreadable-missing") << u"missing.plumb"_s << QByteArray() << u"This file could not be read"_s
                                        << u"cannot open "_s;
}

void TestModelsView::brokenFilesOpenAsErrorPage()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, heading);
    QFETCH(QString, reason);
    const QString file = path(name);
    if (!bytes.isEmpty())
        QVERIFY(!test::writeFile(mDirectory, name, bytes).isEmpty());

    ModelsView view;
    // A good model first: a failure must replace it whole, never leave it half shown.
    QVERIFY(openAndWait(view, mLogistic));
    QVERIFY(!openAndWait(view, file));
    QCOMPARE(view.currentPage(), ModelsView::Page::Error);
    QVERIFY(view.document()->model() == nullptr);
    QCOMPARE(view.errorPage()->heading(), heading);
    QVERIFY2(view.errorPage()->text().contains(reason), qPrintable(view.errorPage()->text()));
}

void TestModelsView::comparesTwoModels()
{
    ModelsView view;
    QVERIFY(openAndWait(view, mLogistic));
    QSignalSpy compared(view.comparedDocument(), &ModelDocument::modelLoaded);
    QVERIFY(view.compareWith(mTree));
    QVERIFY(compared.wait(kLoadTimeoutMs));
    QCOMPARE(view.currentPage(), ModelsView::Page::Comparison);

    const ModelComparisonView *comparison = view.comparisonView();
    const auto rowOf = [&](const QString &field) -> const ComparisonRow * {
        for (const ComparisonRow &row : comparison->rows())
            if (row.field == field)
                return &row;
        return nullptr;
    };
    // The two files differ in kind and name, and share target and features.
    const ComparisonRow *kind = rowOf(u"Model kind"_s);
    QVERIFY(kind && kind->differs);
    QCOMPARE(kind->left, u"logistic_regression"_s);
    QCOMPARE(kind->right, u"decision_tree"_s);
    const ComparisonRow *target = rowOf(u"Target"_s);
    QVERIFY(target && !target->differs);
    const ComparisonRow *x1 = rowOf(u"x1"_s);
    QVERIFY(x1 && !x1->differs);
    // A parameter only the tree has appears as absent on the logistic side.
    const ComparisonRow *depth = rowOf(u"decision_tree / max_depth"_s);
    QVERIFY(depth && depth->differs && depth->left == u"(absent)"_s);

    // The differing row is highlighted in the tree; an equal one is not.
    const auto kinds = comparison->tree()->findItems(u"Model kind"_s, Qt::MatchExactly | Qt::MatchRecursive, 0);
    QCOMPARE(kinds.size(), 1);
    QCOMPARE(kinds.front()->background(1).color(), ModelComparisonView::highlightColor());
    const auto targets = comparison->tree()->findItems(u"Target"_s, Qt::MatchExactly | Qt::MatchRecursive, 0);
    QCOMPARE(targets.size(), 1);
    QCOMPARE(targets.front()->background(1).style(), Qt::NoBrush);

    // "Show only differences" hides the shared target and keeps the differing kind.
    view.comparisonView()->setDifferencesOnly(true);
    QVERIFY(targets.front()->isHidden());
    QVERIFY(!kinds.front()->isHidden());
}

// Export ONNX… writes the model through core's exporter off the GUI thread and says where; a
// path that cannot be written gives the reason in the banner and leaves no file.
void TestModelsView::exportsOnnx()
{
    ModelsView view;
    QVERIFY(openAndWait(view, mLogistic));
    QSignalSpy exported(view.document(), &ModelDocument::onnxExportFinished);
    const QString onnx = path(u"logistic.onnx"_s);
    QVERIFY(view.exportOnnxTo(onnx));
    QVERIFY(exported.wait(kLoadTimeoutMs));
    QVERIFY2(exported.front().at(0).toBool(), qPrintable(exported.front().at(2).toStringList().join(u' ')));
    QVERIFY(QFileInfo(onnx).size() > 0);
    QVERIFY2(view.banner()->text().contains(u"Exported"_s), qPrintable(view.banner()->text()));

    exported.clear();
    const QString nowhere = path(u"no-such-folder/logistic.onnx"_s);
    QVERIFY(view.exportOnnxTo(nowhere));
    QVERIFY(exported.wait(kLoadTimeoutMs));
    QVERIFY(!exported.front().at(0).toBool());
    QVERIFY2(view.banner()->text().startsWith(u"ONNX export failed: "_s), qPrintable(view.banner()->text()));
    QVERIFY(!QFileInfo::exists(nowhere));
}

void TestModelsView::signsFromTheGui()
{
    const QString model = path(u"signed.plumb"_s);
    QVERIFY(QFile::copy(mLogistic, model));
    const SecretKey key = SecretKey::generate();
    QVERIFY(!test::writeFile(mDirectory, u"keys/signer.key"_s, key.toFile({})).isEmpty());
    QVERIFY(!test::writeFile(mDirectory, u"keyring/signer.pub"_s, key.publicKey().toFile()).isEmpty());

    ModelsView view;
    view.setKeyringDirectory(path(u"keyring"_s));
    QVERIFY(openAndWait(view, model));
    QCOMPARE(view.document()->model()->signature.state, SignatureStatus::State::Unsigned);

    QSignalSpy signedSpy(view.document(), &ModelDocument::signingFinished);
    QSignalSpy reloaded(view.document(), &ModelDocument::modelLoaded);
    QVERIFY(view.signWithKey(path(u"keys/signer.key"_s), {}));
    QVERIFY(signedSpy.wait(kLoadTimeoutMs));
    QVERIFY2(signedSpy.front().at(0).toBool(), qPrintable(signedSpy.front().at(1).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.size(), 1, kLoadTimeoutMs);

    const SignatureStatus &status = view.document()->model()->signature;
    QCOMPARE(status.state, SignatureStatus::State::Trusted);
    QCOMPARE(status.keyId, key.publicKey().id());
    QCOMPARE(view.trustCard()->signatureHeadline(), u"Signed by a trusted key"_s);
    QVERIFY(QFile::exists(model + u".minisig"_s));

    // A wrong key file fails with the reason and leaves the signature as it was.
    QVERIFY(!test::writeFile(mDirectory, u"keys/bad.key"_s, "not a key\n").isEmpty());
    signedSpy.clear();
    QVERIFY(view.signWithKey(path(u"keys/bad.key"_s), {}));
    QVERIFY(signedSpy.wait(kLoadTimeoutMs));
    QVERIFY(!signedSpy.front().at(0).toBool());
    QVERIFY(view.banner()->text().startsWith(u"Signing failed: "_s));
    QCOMPARE(view.document()->model()->signature.state, SignatureStatus::State::Trusted);
}

void TestModelsView::listsAModelsFolder()
{
    const QString folder = path(u"listed"_s);
    QDir().mkpath(folder);
    QVERIFY(QFile::copy(mLogistic, folder + u"/a-logistic.plumb"_s));
    QVERIFY(QFile::copy(mTree, folder + u"/b-tree.plumb"_s));
    QByteArray damaged = readAll(mTree);
    damaged[100] = char(damaged[100] ^ 0x40);
    QVERIFY(!test::writeFile(mDirectory, u"listed/c-damaged.plumb"_s, damaged).isEmpty());

    ModelsView view;
    QSignalSpy listed(view.modelList(), &ModelListModel::listed);
    view.setModelsFolder(folder);
    QVERIFY(listed.wait(kLoadTimeoutMs));
    const ModelListModel *list = view.modelList();
    QCOMPARE(list->rowCount(), 3);
    const auto cell = [&](int row, int column) { return list->index(row, column).data().toString(); };
    QCOMPARE(cell(0, ModelListModel::NameColumn), u"churn-logistic"_s); // metadata name, files in name order
    QCOMPARE(cell(0, ModelListModel::TaskColumn), u"Classification"_s);
    QCOMPARE(cell(0, ModelListModel::CreatedColumn), u"2026-03-14 09:26"_s);
    const auto &metric = view.modelList()->entries().front();
    QVERIFY(metric.metric.startsWith(u"accuracy "_s)); // the first metric of a classifier
    QCOMPARE(cell(0, ModelListModel::SignatureColumn), u"unsigned"_s);
    QCOMPARE(cell(1, ModelListModel::NameColumn), u"churn-tree"_s);
    QCOMPARE(cell(2, ModelListModel::SignatureColumn), u"damaged"_s);
    QVERIFY(list->index(2, 0).data(Qt::ToolTipRole).toString().contains(u"does not match its SHA-256 digest"_s));

    // Clicking a row opens that model.
    view.resize(1200, 800);
    view.show();
    QSignalSpy loaded(view.document(), &ModelDocument::modelLoaded);
    QTableView *table = view.modelTable();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(list->index(1, 0)).center());
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(view.summaryCard()->title(), u"churn-tree"_s);
    QCOMPARE(table->selectionModel()->selectedRows().value(0).row(), 1);
}

// Two files with one model name ("churn-logistic" saved twice) are told apart by their file names;
// a name of its own stays as it is.
void TestModelsView::sameNamesShowTheirFiles()
{
    const QString folder = path(u"twins"_s);
    QDir().mkpath(folder);
    QVERIFY(QFile::copy(mLogistic, folder + u"/a-logistic.plumb"_s));
    QVERIFY(QFile::copy(mLogistic, folder + u"/b-logistic-again.plumb"_s));
    QVERIFY(QFile::copy(mTree, folder + u"/c-tree.plumb"_s));
    ModelsView view;
    QSignalSpy listed(view.modelList(), &ModelListModel::listed);
    view.setModelsFolder(folder);
    QVERIFY(listed.wait(kLoadTimeoutMs));
    const ModelListModel *list = view.modelList();
    QCOMPARE(list->rowCount(), 3);
    const auto name = [&](int row) { return list->index(row, ModelListModel::NameColumn).data().toString(); };
    QCOMPARE(name(0), u"churn-logistic (a-logistic.plumb)"_s);
    QCOMPARE(name(1), u"churn-logistic (b-logistic-again.plumb)"_s);
    QCOMPARE(name(2), u"churn-tree"_s);
}

void TestModelsView::mainWindowOpensModelFiles()
{
    MainWindow window(MainWindow::Persistence::Forget);
    ModelsView *view = window.modelsView();
    QCOMPARE(window.viewWidget(MainWindow::View::Models), view);
    QSignalSpy loaded(view->document(), &ModelDocument::modelLoaded);
    // Dropped onto the window from the Data view, as a file manager would.
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(mTree)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&window, &drop);
    QCOMPARE(window.currentView(), MainWindow::View::Models);
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(view->summaryCard()->title(), u"churn-tree"_s);
    // Opened models join the recent files, so File > Open Recent reopens them.
    QCOMPARE(window.recentFiles()->paths().value(0), QFileInfo(mTree).absoluteFilePath());
}

void TestModelsView::scikitLearnFilesOpenAsScanReport_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("bytes"); // written to `file` first when not empty
    QTest::addColumn<QString>("headline");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("estimator"); // the root estimator's class; empty when none is shown
    QTest::addColumn<bool>("importable");

    const QString safe = u"Safe to import: only scikit-learn objects that Plumb reads as data"_s;
    const QString refused = u"Refused: this file will not be imported"_s;
    QTest::newRow("pipeline-joblib") << fixture(u"mixed_pipeline_logistic.joblib"_s) << QByteArray() << safe << QString()
                                     << u"sklearn.pipeline.Pipeline"_s << true;
    QTest::newRow("forest-pickle-protocol-2") << fixture(u"random_forest_classifier.p2.pkl"_s) << QByteArray() << safe
                                              << QString() << u"sklearn.ensemble._forest.RandomForestClassifier"_s << true;
    // The demo's hostile pickle: os.system("id") by reduction, protocol 2 (GLOBAL posix.system, REDUCE).
    QTest::newRow("code-execution") << QStringLiteral(PLUMB_SOURCE_DIR "/resources/demo/scikit-learn/downloaded-model.pkl")
                                    << QByteArray() << refused << u"posix.system"_s << QString() << false;
    QTest::newRow("garbage") << u"notes.joblib"_s << QByteArray("these are not the droids\n") << u"This file could not be read"_s
                             << QString() << QString() << false;
}

void TestModelsView::scikitLearnFilesOpenAsScanReport()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, headline);
    QFETCH(QString, reason);
    QFETCH(QString, estimator);
    QFETCH(bool, importable);
    if (!bytes.isEmpty())
        file = test::writeFile(mDirectory, file, bytes);

    ModelsView view;
    QVERIFY(scanAndWait(view, file));
    PickleScanPage *page = view.scanPage();
    QCOMPARE(page->verdictHeadline(), headline);
    QVERIFY2(page->reason().contains(reason), qPrintable(page->reason()));
    QCOMPARE(page->importButton()->isVisibleTo(page), importable);
    QCOMPARE(page->estimatorTree()->topLevelItemCount(), estimator.isEmpty() ? 0 : 1);
    if (!estimator.isEmpty())
        QCOMPARE(page->estimatorTree()->topLevelItem(0)->text(1), estimator);
    // The SHA-256 card shows what sha256sum prints for the file.
    QFile source(file);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(view.scanDocument()->scanned()->report.fileSha256, QString::fromLatin1(sha256(source.readAll()).toHex()));
}

void TestModelsView::importsAScannedFile()
{
    ModelsView view;
    QVERIFY(scanAndWait(view, fixture(u"mixed_pipeline_logistic.joblib"_s)));
    const QString output = path(u"imported/churn-from-sklearn.plumb"_s);
    QDir().mkpath(QFileInfo(output).path());
    QSignalSpy loaded(view.document(), &ModelDocument::modelLoaded);
    QVERIFY(view.importScanned(output));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(view.currentPage(), ModelsView::Page::Model);
    QCOMPARE(view.document()->model()->path, QFileInfo(output).absoluteFilePath());
    // Every column the pipeline was fitted on (feature_names_in_): age, income, city and plan,
    // which its ColumnTransformer reads, and tenure, which it drops but scikit-learn still requires.
    QCOMPARE(int(view.document()->model()->pipeline().features().size()), 5);
}

void TestModelsView::xgboostFilesOpenAsImportVerdict_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("bytes"); // written to `file` first when not empty
    QTest::addColumn<QString>("reason"); // a line of the verdict's reason
    QTest::addColumn<QStringList>("featureNames"); // given at import; empty: the file's
    QTest::addColumn<QString>("firstFeature"); // of the imported model; empty: refused

    const QString xgboost = u"xgboost/"_s;
    QTest::newRow("named-json") << fixture(xgboost + u"binary_logistic.json"_s) << QByteArray()
                                << u"XGBoost 1.7.4, JSON, binary:logistic: 30 features, 2 classes"_s << QStringList() << u"f_0"_s;
    QStringList names;
    for (int i = 0; i < 30; ++i)
        names.append(QStringLiteral("cell %1").arg(i));
    QTest::newRow("positional-ubjson-named-at-import")
        << fixture(xgboost + u"binary_logistic_missing.ubj"_s) << QByteArray()
        << u"The file names none of its 30 features: the import asks for their names"_s << names << u"cell 0"_s;
    QTest::newRow("categorical") << fixture(xgboost + u"cat_multi_softprob_missing.json"_s) << QByteArray()
                                 << u"city: category codes 0..254, as numbers"_s << QStringList() << u"a"_s;
    QTest::newRow("dart-refused") << fixture(xgboost + u"refused_dart.json"_s) << QByteArray()
                                  << u"the dart booster is not supported"_s << QStringList() << QString();
    QTest::newRow("other-json-refused") << u"settings.json"_s << QByteArray("{\"theme\": \"dark\"}")
                                        << u"settings.json: the field 'version' is missing"_s << QStringList() << QString();
}

// An XGBoost file opens as the importer's verdict; an importable one imports through the same
// core function as plumb import-xgboost and opens as the new .plumb model.
void TestModelsView::xgboostFilesOpenAsImportVerdict()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    QFETCH(QStringList, featureNames);
    QFETCH(QString, firstFeature);
    if (!bytes.isEmpty())
        file = test::writeFile(mDirectory, file, bytes);

    ModelsView view;
    QVERIFY(scanAndWait(view, file));
    PickleScanPage *page = view.scanPage();
    const bool importable = !firstFeature.isEmpty();
    QCOMPARE(page->verdictHeadline(),
             importable ? u"Ready to import: an XGBoost model Plumb reads as data"_s
                        : u"Refused: this file will not be imported"_s);
    QVERIFY2(page->reason().contains(reason), qPrintable(page->reason()));
    QCOMPARE(page->importButton()->isVisibleTo(page), importable);
    QFile source(file);
    QVERIFY(source.open(QIODevice::ReadOnly));
    QCOMPARE(view.scanDocument()->scanned()->xgboost->sha256, QString::fromLatin1(sha256(source.readAll()).toHex()));
    if (!importable) {
        QVERIFY(!view.importScanned(path(u"refused.plumb"_s)));
        return;
    }
    const QString output = path(QStringLiteral("xgboost/%1.plumb").arg(QString::fromLatin1(QTest::currentDataTag())));
    QDir().mkpath(QFileInfo(output).path());
    QSignalSpy loaded(view.document(), &ModelDocument::modelLoaded);
    QVERIFY(view.importScanned(output, featureNames));
    QVERIFY(loaded.wait(kLoadTimeoutMs));
    QCOMPARE(view.currentPage(), ModelsView::Page::Model);
    QCOMPARE(view.document()->model()->path, QFileInfo(output).absoluteFilePath());
    QCOMPARE(view.document()->model()->pipeline().features().front().name, firstFeature);
    QCOMPARE(view.document()->model()->metadata().imported.library, u"XGBoost"_s);
}

} // namespace plumb::ui

QTEST_MAIN(plumb::ui::TestModelsView)
#include "tst_modelsview.moc"
