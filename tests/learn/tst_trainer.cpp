// What gets trained by default: the task read from the target, the target picked when none is
// named, a task asked for that the model cannot do, and wide categories in gradient boosting.
// Datasets are the public ones in tests/reference/datasets (make_datasets.sh writes them).
#include "data/csvreader.h"
#include "learn/encoders.h"
#include "learn/gaussiannaivebayes.h"
#include "learn/gradientboosting.h"
#include "learn/trainer.h"

#include <QTest>

#include <numeric>

using namespace plumb;

namespace {

Dataset dataset(const QString &name)
{
    Result<Dataset> data = CsvReader::readFile(QStringLiteral(PLUMB_SOURCE_DIR "/tests/reference/datasets/") + name);
    return data ? std::move(data).value() : Dataset();
}

// iris with Species as the integer labels 0, 1, 2 (setosa, versicolor, virginica), as
// sklearn's load_iris gives them.
Dataset integerIris()
{
    QFile file(QStringLiteral(PLUMB_SOURCE_DIR "/tests/reference/datasets/iris.csv"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray csv = file.readAll();
    csv.replace("\"setosa\"", "0").replace("\"versicolor\"", "1").replace("\"virginica\"", "2");
    Result<Dataset> data = CsvReader::readBytes(csv, QStringLiteral("iris.csv"));
    return data ? std::move(data).value() : Dataset();
}

// `rows` rows: x numeric, city one of `cities` categories ("c000".."c299"), the first ones far
// more frequent; y depends on whether the city's number is even (by construction).
Dataset wideCategories(int rows, int cities)
{
    QByteArray csv = "x,city,y\n";
    for (int i = 0; i < rows; ++i) {
        const int city = i < rows / 2 ? i % 20 : i % cities; // c000..c019 common, the rest rare
        csv += QByteArray::number((i * 37) % 101) + ",c" + QByteArray::number(city).rightJustified(3, '0') + ','
            + (city % 2 == 0 ? "even" : "odd") + '\n';
    }
    Result<Dataset> data = CsvReader::readBytes(csv, QStringLiteral("wide.csv"));
    return data ? std::move(data).value() : Dataset();
}

TrainingSpec specFor(const QString &target, const QString &model, std::optional<Task> task = std::nullopt)
{
    TrainingSpec spec;
    spec.target = target;
    spec.modelKind = model;
    spec.task = task;
    spec.importance = false;
    return spec;
}

} // namespace

class TestTrainer : public QObject
{
    Q_OBJECT

private slots:
    void inferredTask_data();
    void inferredTask();
    void integerLabelsClassify_data();
    void integerLabelsClassify();
    void taskFlag_data();
    void taskFlag();
    void defaultTarget_data();
    void defaultTarget();
    void wideCategoriesInBoosting();
    void ordinalEncoderGroupsRareCategories();
    void errorsNameColumns();
};

void TestTrainer::inferredTask_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("task");
    QTest::addColumn<QString>("reason");
    // Counts of distinct values and rows from the files themselves (R: length(unique(x)), sum(!is.na(x))).
    QTest::newRow("text-species") << "iris.csv"
                                  << "Species" << int(Task::Classification) << "target 'Species' holds text";
    QTest::newRow("mtcars-carb-6-of-32") << "mtcars.csv"
                                         << "carb" << int(Task::Classification) << "target 'carb' holds 6 integer values";
    QTest::newRow("binary-integers") << "birthwt.csv"
                                     << "low" << int(Task::Classification) << "target 'low' holds 2 integer values";
    QTest::newRow("float-target-regression") << "mtcars.csv"
                                             << "mpg" << int(Task::Regression) << "target 'mpg' holds numbers that are not whole";
    QTest::newRow("airquality-ozone-67-of-116")
        << "airquality.csv"
        << "Ozone" << int(Task::Regression) << "target 'Ozone' holds 67 distinct integers in 116 rows";
    QTest::newRow("diabetes-214-of-442") << "diabetes.csv"
                                         << "target" << int(Task::Regression)
                                         << "target 'target' holds 214 distinct integers in 442 rows";
    // birthwt 'age': 24 distinct whole years in 189 rows, more than the 20 a class target may have.
    QTest::newRow("integers-above-twenty") << "birthwt.csv"
                                           << "age" << int(Task::Regression)
                                           << "target 'age' holds 24 distinct integers in 189 rows";
}

void TestTrainer::inferredTask()
{
    QFETCH(QString, file);
    QFETCH(QString, target);
    QFETCH(int, task);
    QFETCH(QString, reason);
    const Dataset data = dataset(file);
    const auto index = data.indexOf(target);
    if (!index)
        QFAIL(qPrintable(QStringLiteral("%1 has no column %2").arg(file, target)));
    const TaskChoice choice = inferTask(data.column(*index));
    QCOMPARE(int(choice.task), task);
    QVERIFY2(choice.reason.startsWith(reason), qPrintable(choice.reason));
    QVERIFY(choice.inferred);
}

void TestTrainer::integerLabelsClassify_data()
{
    QTest::addColumn<QString>("model");
    // Every family that does both tasks, and the one-task classifiers: the same task for all.
    for (const char *model : {"random_forest", "gradient_boosting", "knn", "decision_tree", "logistic_regression", "gaussian_nb"})
        QTest::newRow(qPrintable(QStringLiteral("integer-labels-multiclass-%1")
                                     .arg(QString::fromLatin1(model).replace(QLatin1Char('_'), QLatin1Char('-')))))
            << QString::fromLatin1(model);
}

void TestTrainer::integerLabelsClassify()
{
    QFETCH(QString, model);
    const Dataset data = integerIris();
    QCOMPARE(data.rowCount(), std::size_t(150));
    Result<TrainingOutcome> outcome = trainAndValidate(data, specFor(QStringLiteral("Species"), model));
    QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
    QCOMPARE(outcome.value().task.task, Task::Classification);
    QCOMPARE(outcome.value().pipeline.target().task, Task::Classification);
    QCOMPARE(outcome.value().pipeline.target().classes,
             (QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")}));
    QVERIFY(!std::isnan(outcome.value().validation.metric(QStringLiteral("accuracy"))));
    QCOMPARE(outcome.value().task.reason, QStringLiteral("target 'Species' holds 3 integer values"));
}

void TestTrainer::taskFlag_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("task");
    QTest::addColumn<QString>("error"); // empty: trains for `task`
    QTest::newRow("task-flag-conflict-refused")
        << "linear_regression" << int(Task::Classification)
        << "linear_regression does regression only; for classification use logistic_regression, knn, gaussian_nb, "
           "decision_tree, random_forest, gradient_boosting";
    QTest::newRow("task-flag-conflict-refused-logistic")
        << "logistic_regression" << int(Task::Regression)
        << "logistic_regression does classification only; for regression use linear_regression, ridge, lasso, elastic_net, "
           "knn, decision_tree, random_forest, gradient_boosting";
    QTest::newRow("task-flag-honoured-regression") << "random_forest" << int(Task::Regression) << QString();
    QTest::newRow("task-flag-honoured-classification") << "knn" << int(Task::Classification) << QString();
}

void TestTrainer::taskFlag()
{
    QFETCH(QString, model);
    QFETCH(int, task);
    QFETCH(QString, error);
    // mtcars 'carb' reads as classes, so a regression here is only ever the flag's doing.
    const Dataset data = dataset(QStringLiteral("mtcars.csv"));
    Result<TrainingOutcome> outcome = trainAndValidate(data, specFor(QStringLiteral("carb"), model, Task(task)));
    if (!error.isEmpty()) {
        QVERIFY(!outcome);
        QCOMPARE(outcome.error().message, error);
        return;
    }
    QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
    QCOMPARE(int(outcome.value().pipeline.target().task), task);
    QVERIFY(!outcome.value().task.inferred);
}

void TestTrainer::defaultTarget_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("targetRole"); // a column given the Target role first, as a workspace does
    QTest::addColumn<QString>("expected");
    QTest::newRow("workspace-target-role") << QByteArray("customer_id,churned,tenure\n1,yes,3\n2,no,5\n") << "churned"
                                           << "churned";
    QTest::newRow("label-named-column") << QByteArray("customer_id,CLASS,tenure\n1,a,3\n2,b,5\n") << QString() << "CLASS";
    QTest::newRow("last-column") << QByteArray("customer_id,tenure,spend\n1,3,9.5\n2,5,1.5\n") << QString() << "spend";
    QTest::newRow("never-an-id-column") << QByteArray("tenure,spend,customer_id\n3,9.5,1\n5,1.5,2\n") << QString() << "spend";
}

void TestTrainer::defaultTarget()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, targetRole);
    QFETCH(QString, expected);
    Result<Dataset> data = CsvReader::readBytes(csv, QStringLiteral("t.csv"));
    QVERIFY(data);
    Dataset &table = data.value();
    QCOMPARE(table.column(*table.indexOf(QStringLiteral("customer_id"))).role(), ColumnRole::Id); // the reader's own rule
    if (!targetRole.isEmpty())
        table.column(*table.indexOf(targetRole)).setRole(ColumnRole::Target);
    QCOMPARE(plumb::defaultTarget(table).column, expected);
}

void TestTrainer::wideCategoriesInBoosting()
{
    // gb-300-categories: 300 cities, more than the 255 codes max_bins allows, train without error.
    const Dataset data = wideCategories(1200, 300);
    QCOMPARE(data.column(*data.indexOf(QStringLiteral("city"))).categories().size(), 300);
    Result<TrainingOutcome> outcome = trainAndValidate(data, specFor(QStringLiteral("y"), QStringLiteral("gradient_boosting")));
    QVERIFY2(outcome, qPrintable(outcome ? QString() : outcome.error().message));
    const Pipeline &pipeline = outcome.value().pipeline;
    const auto *encoder = dynamic_cast<const OrdinalEncoder *>(pipeline.router().branches().back().steps.back().get());
    QVERIFY(encoder);
    // 254 categories of their own and 46 sharing code 254 (max_bins 255 codes in all).
    QCOMPARE(encoder->categories().front().size(), 254);
    QCOMPARE(encoder->infrequent().front().size(), 46);
    // The common cities (the first half of the rows) decide y by construction: the fit has learned them.
    std::vector<std::size_t> common(100);
    std::iota(common.begin(), common.end(), 0);
    Result<Prediction> predicted = pipeline.predict(data, common);
    QVERIFY(predicted);
    const Column &y = data.column(*data.indexOf(QStringLiteral("y")));
    for (std::size_t row : common)
        QCOMPARE(predicted.value().label(Eigen::Index(row)), y.displayText(row));
    // With max_bins lowered, the encoder follows it.
    TrainingSpec narrow = specFor(QStringLiteral("y"), QStringLiteral("gradient_boosting"));
    narrow.parameters = {{QStringLiteral("max_bins"), QStringLiteral("32")}};
    Result<TrainingOutcome> narrowed = trainAndValidate(data, narrow);
    QVERIFY2(narrowed, qPrintable(narrowed ? QString() : narrowed.error().message));
    const auto *narrowEncoder = dynamic_cast<const OrdinalEncoder *>(
        narrowed.value().pipeline.router().branches().back().steps.back().get());
    QCOMPARE(narrowEncoder->categories().front().size(), 31);
}

void TestTrainer::ordinalEncoderGroupsRareCategories()
{
    // Counts a:3, b:1, c:2, d:1 with room for 3 codes: a and c keep codes (sorted order), b and d share code 2.
    Block block;
    block.names = {QStringLiteral("k")};
    block.vocabularies = {{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d")}};
    block.codes = {{0, 0, 0, 1, 2, 2, 3, kMissingCode}};
    OrdinalEncoder encoder;
    encoder.setMostCategories(3);
    Result<Block> out = encoder.fitTransform(block);
    QVERIFY(out);
    QCOMPARE(encoder.categories().front(), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
    QCOMPARE(encoder.infrequent().front(), (QStringList{QStringLiteral("b"), QStringLiteral("d")}));
    const std::vector<double> expected{0, 0, 0, 2, 1, 1, 2};
    for (std::size_t i = 0; i < expected.size(); ++i)
        QCOMPARE(out.value().numbers(Eigen::Index(i), 0), expected[i]);
    QVERIFY(std::isnan(out.value().numbers(7, 0)));
    // The grouping survives its saved state; a clone keeps the limit.
    OrdinalEncoder restored;
    QVERIFY(!restored.restore(encoder.state(), 1));
    QCOMPARE(restored.infrequent().front(), encoder.infrequent().front());
    TransformNotes notes;
    const Eigen::MatrixXd again = restored.transform(block, notes).numbers;
    QCOMPARE(again.topRows(7), out.value().numbers.topRows(7));
    QVERIFY(std::isnan(again(7, 0)));
    QCOMPARE(static_cast<OrdinalEncoder &>(*encoder.cloneUnfitted()).mostCategories(), 3);
}

void TestTrainer::errorsNameColumns()
{
    // A category code past max_bins, named as the pipeline names the input.
    GradientBoosting boosting(Task::Regression);
    boosting.setInputNames({QStringLiteral("x"), QStringLiteral("city")});
    QVERIFY(!boosting.setCategoricalFeatures({1}));
    Eigen::MatrixXd X(4, 2);
    X << 0, 0, 1, 1, 2, 300, 3, 2;
    FitTarget y;
    y.values = Eigen::VectorXd::LinSpaced(4, 0, 3);
    Result<FitReport> fitted = boosting.fit(X, y, nullProgress());
    QVERIFY(!fitted);
    QVERIFY2(fitted.error().message.contains(QLatin1String("categorical feature 'city' holds 300")),
             qPrintable(fitted.error().message));

    // A feature with no spread within a class, through the whole pipeline.
    QByteArray csv = "steady,x,y\n";
    for (int i = 0; i < 20; ++i)
        csv += QByteArray::number(i % 2 ? 1 : 5) + ',' + QByteArray::number(i) + ',' + (i % 2 ? "a" : "b") + '\n';
    Result<Dataset> data = CsvReader::readBytes(csv, QStringLiteral("steady.csv"));
    QVERIFY(data);
    TrainingSpec spec = specFor(QStringLiteral("y"), QStringLiteral("gaussian_nb"));
    spec.parameters = {{QStringLiteral("var_smoothing"), QStringLiteral("0")}};
    spec.preprocessing.numericScaler = QStringLiteral("none");
    Result<TrainingOutcome> outcome = trainAndValidate(data.value(), spec);
    QVERIFY(!outcome);
    QVERIFY2(outcome.error().message.contains(QLatin1String("feature 'steady' has variance 0")),
             qPrintable(outcome.error().message));
}

QTEST_GUILESS_MAIN(TestTrainer)
#include "tst_trainer.moc"
