// Pipelines, one-row scoring and training as a user meets them: raw rows in, predictions out.
#include "data/csvreader.h"
#include "learn/encoders.h"
#include "learn/imputer.h"
#include "learn/logisticregression.h"
#include "learn/rowscorer.h"
#include "learn/scalers.h"
#include "learn/trainer.h"

#include <QTest>

#include <cstring>

using namespace plumb;

Q_DECLARE_METATYPE(plumb::PreprocessingChoices)

namespace {

// 300 rows: y_class depends on x1 + x2 and the colour (by construction below); y_value is linear
// in x1, x2 and flag. Some values are missing; colour "blue" is rare.
QByteArray trainingCsv()
{
    QByteArray csv = "x1,x2,colour,flag,when,y_class,y_value\n";
    for (int i = 0; i < 300; ++i) {
        const double x1 = (i * 37 % 101) / 10.0, x2 = (i * 53 % 97) / 10.0;
        const char *colour = i % 10 == 0 ? "blue" : (i % 2 ? "red" : "green");
        const bool flag = i % 3 == 0;
        const int label = (x1 + x2 + (colour[0] == 'r' ? 2 : 0) > 11) ? (i % 7 == 0 ? 2 : 1) : 0;
        csv += (i % 23 == 0 ? QByteArray() : QByteArray::number(x1)) + ',' + QByteArray::number(x2) + ','
            + (i % 29 == 0 ? QByteArray("NA") : QByteArray(colour)) + ',' + (flag ? "true" : "false") + ','
            + QByteArray("2025-01-") + QByteArray::number(1 + i % 28).rightJustified(2, '0') + ','
            + (i == 5 ? QByteArray() : QByteArray("abc").mid(label, 1)) + ','
            + QByteArray::number(1.5 * x1 - 0.5 * x2 + (flag ? 3 : 0) + (i % 5) * 0.01) + '\n';
    }
    return csv;
}

Dataset load(const QByteArray &csv)
{
    Result<Dataset> data = CsvReader::readBytes(csv, QStringLiteral("table.csv"));
    return data.ok() ? std::move(data).value() : Dataset();
}

std::vector<RowValue> rowValues(const Dataset &data, const Pipeline &pipeline, std::size_t row)
{
    std::vector<RowValue> values;
    for (const FeatureSpec &feature : pipeline.features()) {
        const Column &column = data.column(*data.indexOf(feature.name));
        if (column.isMissing(row))
            values.push_back(RowValue::missing());
        else if (column.type() == ColumnType::Categorical)
            values.push_back(RowValue::of(column.displayText(row)));
        else
            values.push_back(RowValue::of(column.numbers()[row]));
    }
    return values;
}

const QStringList kFeatures{QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("colour"), QStringLiteral("flag")};

} // namespace

class TestPipeline : public QObject
{
    Q_OBJECT

private slots:
    void defaultRoutingFollowsTypes();
    void defaultRoutingFollowsTheModel();
    void preprocessingChoicesReplaceDefaults_data();
    void preprocessingChoicesReplaceDefaults();
    void badPreprocessingChoiceIsNamed();
    void rowScoringMatchesBatch_data();
    void rowScoringMatchesBatch();
    void generalRowPathMatchesBatch();
    void unknownCategoriesAreCounted();
    void missingTargetRowsAreLeftOut();
    void schemaIsChecked_data();
    void schemaIsChecked();
    void trainingIsDeterministic();
    void validationSchemesCoverTheirRows_data();
    void validationSchemesCoverTheirRows();
    void unconvergedFitSaysSo();
    void changingAParameterDoesNotRefit();
};

// A scale-free model (a tree) gets no scaler, a model that routes missing values itself no
// imputer; categories are encoded for every model.
void TestPipeline::defaultRoutingFollowsTheModel()
{
    const Dataset data = load(trainingCsv());
    Result<Pipeline> tree = Pipeline::withDefaults(data, kFeatures,
                                                   createModel(QStringLiteral("decision_tree"), Task::Regression));
    QVERIFY(tree.ok());
    const auto &branches = tree.value().router().branches();
    QCOMPARE(branches.size(), std::size_t(2));
    QCOMPARE(branches[0].steps.size(), std::size_t(1));
    QCOMPARE(branches[0].steps[0]->kind(), QStringLiteral("simple_imputer"));
    QCOMPARE(branches[1].steps[1]->kind(), QStringLiteral("one_hot_encoder"));
    const ColumnRouter passThrough = ColumnRouter::withDefaults({{QStringLiteral("x1"), ColumnType::Float}},
                                                                InputNeeds{false, true});
    QVERIFY(passThrough.branches()[0].steps.empty());
    QVERIFY(tree.value().fit(data, QStringLiteral("y_value"), {}).ok());

    // Gradient boosting takes missing values and category codes: numbers pass through, categories
    // are ordinal codes, and the model learns which inputs they are.
    Result<Pipeline> boosting = Pipeline::withDefaults(data, kFeatures,
                                                       createModel(QStringLiteral("gradient_boosting"), Task::Regression));
    QVERIFY(boosting.ok());
    const auto &boostingBranches = boosting.value().router().branches();
    QVERIFY(boostingBranches[0].steps.empty());
    QCOMPARE(boostingBranches[1].steps.size(), std::size_t(1));
    QCOMPARE(boostingBranches[1].steps[0]->kind(), QStringLiteral("ordinal_encoder"));
    QVERIFY(boosting.value().fit(data, QStringLiteral("y_value"), {}).ok());
    QCOMPARE(boosting.value().router().categoryCodeOutputs(), (std::vector<int>{2, 3}));
    QCOMPARE(boosting.value().model().params().text(QStringLiteral("categorical_features")), QStringLiteral("2,3"));
}

// Each row: the choices, then the step kinds of the numeric and categorical branches that follow.
// Defaults for ridge (from defaultRoutingFollowsTypes): [simple_imputer, standard_scaler] and
// [simple_imputer, one_hot_encoder]; for gradient boosting (defaultRoutingFollowsTheModel):
// [] and [ordinal_encoder].
void TestPipeline::preprocessingChoicesReplaceDefaults_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<PreprocessingChoices>("choices");
    QTest::addColumn<QStringList>("numericSteps");
    QTest::addColumn<QStringList>("categoricalSteps");
    QTest::addColumn<QString>("numericStrategy"); // of the numeric imputer, when there is one

    const QString imputer = QStringLiteral("simple_imputer"), standard = QStringLiteral("standard_scaler"),
                  minMax = QStringLiteral("min_max_scaler"), oneHot = QStringLiteral("one_hot_encoder"),
                  ordinal = QStringLiteral("ordinal_encoder");
    QTest::newRow("ridge-defaults") << QStringLiteral("ridge") << PreprocessingChoices{} << QStringList{imputer, standard}
                                    << QStringList{imputer, oneHot} << QStringLiteral("median");
    QTest::newRow("ridge-mean-minmax") << QStringLiteral("ridge") << PreprocessingChoices{QStringLiteral("mean"), minMax, {}, {}}
                                       << QStringList{imputer, minMax} << QStringList{imputer, oneHot} << QStringLiteral("mean");
    QTest::newRow("ridge-no-scaler-ordinal")
        << QStringLiteral("ridge") << PreprocessingChoices{{}, QStringLiteral("none"), {}, ordinal} << QStringList{imputer}
        << QStringList{imputer, ordinal} << QStringLiteral("median");
    QTest::newRow("boosting-adds-imputers") << QStringLiteral(
        "gradient_boosting") << PreprocessingChoices{QStringLiteral("median"), {}, QStringLiteral("most_frequent"), {}}
                                            << QStringList{imputer} << QStringList{imputer, ordinal} << QStringLiteral("median");
    QTest::newRow("boosting-one-hot-scaled")
        << QStringLiteral("gradient_boosting") << PreprocessingChoices{{}, standard, {}, oneHot} << QStringList{standard}
        << QStringList{oneHot} << QString();
}

void TestPipeline::preprocessingChoicesReplaceDefaults()
{
    QFETCH(QString, model);
    QFETCH(PreprocessingChoices, choices);
    QFETCH(QStringList, numericSteps);
    QFETCH(QStringList, categoricalSteps);
    QFETCH(QString, numericStrategy);
    const Dataset data = load(trainingCsv());
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, kFeatures, createModel(model, Task::Regression), choices);
    QVERIFY(pipeline.ok());
    const auto kinds = [](const RouterBranch &branch) {
        QStringList names;
        for (const auto &step : branch.steps)
            names.append(step->kind());
        return names;
    };
    const auto &branches = pipeline.value().router().branches();
    QCOMPARE(kinds(branches[0]), numericSteps);
    QCOMPARE(kinds(branches[1]), categoricalSteps);
    if (!numericStrategy.isEmpty())
        QCOMPARE(branches[0].steps[0]->params().choice(QStringLiteral("strategy")), numericStrategy);
    QCOMPARE(choices.isDefault(), QTest::currentDataTag() == QByteArray("ridge-defaults"));
    // Every combination above fits: the chosen steps are real, working preprocessing.
    Result<FitReport> report = pipeline.value().fit(data, QStringLiteral("y_value"), {});
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().message));
}

void TestPipeline::badPreprocessingChoiceIsNamed()
{
    const Dataset data = load(trainingCsv());
    TrainingSpec spec;
    spec.features = kFeatures;
    spec.target = QStringLiteral("y_class");
    spec.modelKind = QStringLiteral("logistic_regression");
    spec.seed = 1;
    spec.preprocessing.numericScaler = QStringLiteral("robust_scaler");
    Result<TrainingOutcome> outcome = trainAndValidate(data, spec);
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().message,
             QStringLiteral("preprocessing: numeric scaler 'robust_scaler' is not one of "
                            "standard_scaler, min_max_scaler, none"));
    // A valid choice reaches the trained pipeline.
    spec.preprocessing.numericScaler = QStringLiteral("min_max_scaler");
    outcome = trainAndValidate(data, spec);
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.value().pipeline.router().branches()[0].steps.back()->kind(), QStringLiteral("min_max_scaler"));
}

void TestPipeline::defaultRoutingFollowsTypes()
{
    const Dataset data = load(trainingCsv());
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("ridge")));
    QVERIFY(pipeline.ok());
    const auto &branches = pipeline.value().router().branches();
    QCOMPARE(branches.size(), std::size_t(2));
    QCOMPARE(branches[0].columns, (QStringList{QStringLiteral("x1"), QStringLiteral("x2")}));
    QCOMPARE(branches[0].steps[0]->kind(), QStringLiteral("simple_imputer"));
    QCOMPARE(branches[0].steps[0]->params().choice(QStringLiteral("strategy")), QStringLiteral("median"));
    QCOMPARE(branches[0].steps[1]->kind(), QStringLiteral("standard_scaler"));
    QCOMPARE(branches[1].columns, (QStringList{QStringLiteral("colour"), QStringLiteral("flag")}));
    QCOMPARE(branches[1].steps[1]->kind(), QStringLiteral("one_hot_encoder"));
    QVERIFY(pipeline.value().fit(data, QStringLiteral("y_value"), {}).ok());
    // 2 numbers + colour {blue, green, red} + flag {false, true}
    QCOMPARE(
        pipeline.value().router().outputNames(),
        (QStringList{QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("colour_blue"), QStringLiteral("colour_green"),
                     QStringLiteral("colour_red"), QStringLiteral("flag_false"), QStringLiteral("flag_true")}));
}

void TestPipeline::rowScoringMatchesBatch_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("target");
    QTest::newRow("linear-regression") << QStringLiteral("linear_regression") << QStringLiteral("y_value");
    QTest::newRow("ridge") << QStringLiteral("ridge") << QStringLiteral("y_value");
    QTest::newRow("lasso") << QStringLiteral("lasso") << QStringLiteral("y_value");
    QTest::newRow("elastic-net") << QStringLiteral("elastic_net") << QStringLiteral("y_value");
    QTest::newRow("logistic-multinomial") << QStringLiteral("logistic_regression") << QStringLiteral("y_class");
    QTest::newRow("logistic-binary") << QStringLiteral("logistic_regression") << QStringLiteral("flag");
}

void TestPipeline::rowScoringMatchesBatch()
{
    QFETCH(QString, model);
    QFETCH(QString, target);
    const Dataset data = load(trainingCsv());
    QStringList features = kFeatures;
    features.removeAll(target);
    Pipeline pipeline = Pipeline::withDefaults(data, features, createModel(model)).value();
    QVERIFY(pipeline.fit(data, target, {}).ok());
    const Prediction batch = pipeline.predict(data).value();
    const RowScorer scorer(pipeline);
    QVERIFY(scorer.usesFastPath());
    const Eigen::Index outputs = pipeline.model().rowOutputs();
    std::vector<double> out(static_cast<std::size_t>(outputs));
    TransformNotes notes;
    for (std::size_t row = 0; row < data.rowCount(); ++row) {
        QVERIFY(!scorer.score(rowValues(data, pipeline, row), out.data(), notes));
        for (Eigen::Index k = 0; k < outputs; ++k) {
            const double expected = pipeline.target().task == Task::Classification ? batch.probabilities(Eigen::Index(row), k)
                                                                                   : batch.values[Eigen::Index(row)];
            QVERIFY2(std::memcmp(&out[std::size_t(k)], &expected, sizeof(double)) == 0, qPrintable(QString::number(row)));
        }
    }
}

void TestPipeline::generalRowPathMatchesBatch()
{
    // An ordinal encoder is not folded into the fast plan: the scorer falls back to the batch path.
    const Dataset data = load(trainingCsv());
    ColumnRouter router;
    RouterBranch numeric{QStringLiteral("numeric"), {QStringLiteral("x1"), QStringLiteral("x2")}, false, {}, {}};
    numeric.steps.push_back(std::make_unique<SimpleImputer>());
    RouterBranch ordinal{QStringLiteral("ordinal"), {QStringLiteral("colour")}, true, {}, {}};
    ordinal.steps.push_back(std::make_unique<OrdinalEncoder>());
    ordinal.steps.push_back(std::make_unique<SimpleImputer>());
    router.addBranch(std::move(numeric));
    router.addBranch(std::move(ordinal));
    Pipeline pipeline(std::move(router), createModel(QStringLiteral("ridge")));
    QVERIFY(pipeline.fit(data, QStringLiteral("y_value"), {}).ok());
    const RowScorer scorer(pipeline);
    QVERIFY(!scorer.usesFastPath());
    const Prediction batch = pipeline.predict(data).value();
    TransformNotes notes;
    for (std::size_t row = 0; row < data.rowCount(); row += 7) {
        double out = 0;
        QVERIFY(!scorer.score(rowValues(data, pipeline, row), &out, notes));
        QCOMPARE(out, batch.values[Eigen::Index(row)]);
    }
}

void TestPipeline::unknownCategoriesAreCounted()
{
    const Dataset data = load(trainingCsv());
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("ridge"))).value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y_value"), {}).ok());
    const Dataset fresh = load("x1,x2,colour,flag\n1,2,purple,true\n3,4,red,false\n5,6,orange,true\n");
    const Prediction prediction = pipeline.predict(fresh).value();
    QCOMPARE(prediction.notes.unknownCategories, std::size_t(2)); // purple and orange
    const RowScorer scorer(pipeline);
    TransformNotes notes;
    double out = 0;
    QVERIFY(!scorer.score(
        {RowValue::of(1.0), RowValue::of(2.0), RowValue::of(QStringLiteral("purple")), RowValue::of(QStringLiteral("true"))},
        &out, notes));
    QCOMPARE(notes.unknownCategories, std::size_t(1));
    QCOMPARE(out, prediction.values[0]);
}

void TestPipeline::missingTargetRowsAreLeftOut()
{
    const Dataset data = load(trainingCsv());
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("logistic_regression"))).value();
    Result<FitReport> report = pipeline.fit(data, QStringLiteral("y_class"), {});
    QVERIFY(report.ok());
    // Row 5's y_class is empty by construction.
    QVERIFY(report.value().warnings.join(QLatin1Char('\n')).contains(QLatin1String("1 row(s) with a missing target")));
    QCOMPARE(pipeline.target().classes, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
}

void TestPipeline::schemaIsChecked_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing-column") << QByteArray("x1,colour,flag\n1,red,true\n")
                                    << QStringLiteral("the input has no column 'x2', which the model needs");
    QTest::newRow("text-in-numbers") << QByteArray("x1,x2,colour,flag\n1,high,red,true\n")
                                     << QStringLiteral("column 'x2' holds text, but the model reads it as float");
}

void TestPipeline::schemaIsChecked()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, message);
    const Dataset data = load(trainingCsv());
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("ridge"))).value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y_value"), {}).ok());
    Result<Prediction> prediction = pipeline.predict(load(csv));
    QVERIFY(!prediction.ok());
    QCOMPARE(prediction.error().message, message);
}

void TestPipeline::trainingIsDeterministic()
{
    const Dataset data = load(trainingCsv());
    TrainingSpec spec;
    spec.features = kFeatures;
    spec.target = QStringLiteral("y_class");
    spec.modelKind = QStringLiteral("logistic_regression");
    spec.seed = 42;
    spec.validation.kind = ValidationScheme::Kind::KFold;
    spec.validation.folds = 3;
    const TrainingOutcome first = trainAndValidate(data, spec).value();
    const TrainingOutcome second = trainAndValidate(data, spec).value();
    const auto &a = static_cast<const LogisticRegression &>(first.pipeline.model());
    const auto &b = static_cast<const LogisticRegression &>(second.pipeline.model());
    QVERIFY(a.coefficients() == b.coefficients());
    QVERIFY(a.intercepts() == b.intercepts());
    QCOMPARE(first.validation.metrics, second.validation.metrics);
    spec.seed = 43;
    const TrainingOutcome other = trainAndValidate(data, spec).value();
    QVERIFY(other.validation.metrics != first.validation.metrics); // other folds
}

void TestPipeline::validationSchemesCoverTheirRows_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("validated"); // rows in the pooled evaluation
    QTest::addColumn<int>("folds");
    // 299 labelled rows (row 5 has no y_class).
    QTest::newRow("holdout") << QStringLiteral("holdout:0.2") << 60 << 1; // ceil(299 * 0.2)
    QTest::newRow("kfold") << QStringLiteral("kfold:4") << 299 << 4;
    QTest::newRow("time") << QStringLiteral("time:when") << 60 << 1; // at least; 'when' repeats each 28 rows
}

void TestPipeline::validationSchemesCoverTheirRows()
{
    QFETCH(QString, scheme);
    QFETCH(int, validated);
    QFETCH(int, folds);
    const Dataset data = load(trainingCsv());
    TrainingSpec spec;
    spec.features = kFeatures;
    spec.target = QStringLiteral("y_class");
    spec.modelKind = QStringLiteral("logistic_regression");
    spec.validation = ValidationScheme::parse(scheme).value();
    spec.seed = 1;
    Result<TrainingOutcome> outcome = trainAndValidate(data, spec);
    QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
    QCOMPARE(int(outcome.value().foldMetrics.size()), folds);
    const int pooled = outcome.value().validation.confusion.sum();
    if (scheme.startsWith(QLatin1String("time")))
        QVERIFY(pooled >= validated && pooled < 299); // rows tied with the cut's day also validate
    else
        QCOMPARE(pooled, validated);
    QVERIFY(outcome.value().validation.metric(QStringLiteral("accuracy")) > 0.5);
}

void TestPipeline::unconvergedFitSaysSo()
{
    const Dataset data = load(trainingCsv());
    auto model = createModel(QStringLiteral("logistic_regression"));
    QVERIFY(!model->setParam(QStringLiteral("max_iter"), 1));
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, std::move(model)).value();
    Result<FitReport> report = pipeline.fit(data, QStringLiteral("y_class"), {});
    QVERIFY(report.ok());
    QVERIFY(!report.value().converged);
    QVERIFY(report.value().warnings.join(QLatin1Char('\n')).contains(QLatin1String("did not converge in 1 iterations")));
}

void TestPipeline::changingAParameterDoesNotRefit()
{
    const Dataset data = load(trainingCsv());
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("ridge"))).value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y_value"), {}).ok());
    const Eigen::VectorXd before = pipeline.predict(data).value().values;
    QVERIFY(!pipeline.model().setParam(QStringLiteral("alpha"), 100.0));
    QVERIFY(pipeline.predict(data).value().values == before);
    QCOMPARE(pipeline.cloneUnfitted().model().params().real(QStringLiteral("alpha")), 100.0);
}

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
