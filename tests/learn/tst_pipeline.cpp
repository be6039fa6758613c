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
    void rowScoringMatchesBatchForEveryStep_data();
    void rowScoringMatchesBatchForEveryStep();
    void ordinalRowPathMatchesBatch();
    void acceptsMissingFollowsTheSteps_data();
    void acceptsMissingFollowsTheSteps();
    void rowValuesAreReadAsBatchFieldsAre_data();
    void rowValuesAreReadAsBatchFieldsAre();
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

// The one-row path runs each step's transformRow; every step, every option of it and every kind
// of value (missing, unseen, the constant imputer's own fill text, a category folded into the
// infrequent column) gives the bits Pipeline::predict gives, and the same count of unknown values.
void TestPipeline::rowScoringMatchesBatchForEveryStep_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("target");
    QTest::addColumn<PreprocessingChoices>("choices");
    QTest::addColumn<int>("maxCategories"); // one-hot max_categories; 0: the default
    QTest::addColumn<int>("maxBins"); // gradient boosting max_bins; 0: the default

    const QString none = QStringLiteral("none"), minMax = QStringLiteral("min_max_scaler"),
                  oneHot = QStringLiteral("one_hot_encoder"), ordinal = QStringLiteral("ordinal_encoder"),
                  constant = QStringLiteral("constant");
    const QString ridge = QStringLiteral("ridge"), logistic = QStringLiteral("logistic_regression"),
                  boosting = QStringLiteral("gradient_boosting");
    const QString value = QStringLiteral("y_value"), label = QStringLiteral("y_class");
    QTest::newRow("median-standard") << ridge << value << PreprocessingChoices{} << 0 << 0;
    QTest::newRow("mean-minmax") << ridge << value << PreprocessingChoices{QStringLiteral("mean"), minMax, {}, {}} << 0 << 0;
    QTest::newRow("most-frequent-no-scaler")
        << ridge << value << PreprocessingChoices{QStringLiteral("most_frequent"), none, {}, {}} << 0 << 0;
    QTest::newRow("constant-both") << logistic << label << PreprocessingChoices{constant, minMax, constant, {}} << 0 << 0;
    QTest::newRow("one-hot-max-categories") << logistic << label << PreprocessingChoices{} << 2 << 0;
    QTest::newRow("one-hot-max-categories-no-imputer") << boosting << value << PreprocessingChoices{{}, {}, {}, oneHot} << 2 << 0;
    QTest::newRow("ordinal-with-imputer") << ridge << value << PreprocessingChoices{{}, {}, {}, ordinal} << 0 << 0;
    QTest::newRow("native-categories") << boosting << label << PreprocessingChoices{} << 0 << 0;
    QTest::newRow("native-categories-grouped") << boosting << value << PreprocessingChoices{} << 0 << 2;
    QTest::newRow("native-categories-imputed")
        << boosting << label << PreprocessingChoices{QStringLiteral("mean"), minMax, constant, {}} << 0 << 0;
}

void TestPipeline::rowScoringMatchesBatchForEveryStep()
{
    QFETCH(QString, model);
    QFETCH(QString, target);
    QFETCH(PreprocessingChoices, choices);
    QFETCH(int, maxCategories);
    QFETCH(int, maxBins);
    const Dataset data = load(trainingCsv());
    std::unique_ptr<Model> estimator = createModel(model,
                                                   target == QLatin1String("y_value") ? Task::Regression : Task::Classification);
    QVERIFY(estimator);
    if (maxBins > 0)
        QVERIFY(!estimator->setParam(QStringLiteral("max_bins"), maxBins));
    // Pipeline::withDefaults, with max_categories set on the one-hot encoder before fitting.
    std::vector<std::pair<QString, ColumnType>> columns;
    for (const QString &name : kFeatures + QStringList{QStringLiteral("when")})
        columns.emplace_back(name, data.column(*data.indexOf(name)).type());
    ColumnRouter router = ColumnRouter::withDefaults(columns, estimator->inputNeeds());
    QVERIFY(!router.applyChoices(choices));
    for (RouterBranch &branch : router.branches())
        for (auto &step : branch.steps)
            if (maxCategories > 0 && step->kind() == QLatin1String("one_hot_encoder"))
                QVERIFY(!step->setParam(QStringLiteral("max_categories"), maxCategories));
    Pipeline pipeline(std::move(router), std::move(estimator));
    Result<FitReport> fitted = pipeline.fit(data, target, {});
    QVERIFY2(fitted.ok(), fitted.ok() ? "" : qPrintable(fitted.error().message));
    // The training rows (missing x1 and colour among them) and rows of values not seen in training:
    // an unknown colour, the constant imputer's fill text, gaps in every column, a rare colour.
    const Dataset fresh = load("x1,x2,colour,flag,when\n"
                               ",1.5,purple,true,2025-01-03\n3,,missing,false,2025-01-04\n4.5,2,,,\n"
                               "1,1,blue,true,2025-01-05\n-50,1e6,red,false,1999-12-31\n");
    QCOMPARE(fresh.rowCount(), std::size_t(5));
    for (const Dataset *rows : {&data, &fresh}) {
        const Prediction batch = pipeline.predict(*rows).value();
        const RowScorer scorer(pipeline);
        const Eigen::Index outputs = pipeline.model().rowOutputs();
        std::vector<double> out(static_cast<std::size_t>(outputs));
        TransformNotes notes;
        for (std::size_t row = 0; row < rows->rowCount(); ++row) {
            QVERIFY(!scorer.score(rowValues(*rows, pipeline, row), out.data(), notes));
            for (Eigen::Index k = 0; k < outputs; ++k) {
                const double expected = pipeline.target().task == Task::Classification ? batch.probabilities(Eigen::Index(row), k)
                                                                                       : batch.values[Eigen::Index(row)];
                QVERIFY2(std::memcmp(&out[std::size_t(k)], &expected, sizeof(double)) == 0,
                         qPrintable(QStringLiteral("row %1: %2, batch %3").arg(row).arg(out[std::size_t(k)]).arg(expected)));
            }
        }
        QCOMPARE(notes.unknownCategories, batch.notes.unknownCategories);
    }
}

void TestPipeline::ordinalRowPathMatchesBatch()
{
    // An ordinal encoder before an imputer (codes, then NaN filled as a number).
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
    const Prediction batch = pipeline.predict(data).value();
    TransformNotes notes;
    for (std::size_t row = 0; row < data.rowCount(); ++row) {
        double out = 0;
        QVERIFY(!scorer.score(rowValues(data, pipeline, row), &out, notes));
        QVERIFY2(std::memcmp(&out, &batch.values[Eigen::Index(row)], sizeof(double)) == 0, qPrintable(QString::number(row)));
    }
}

// A feature may be missing when a step of its branch defines a missing value (an imputer, a
// one-hot encoder's zeros) or the model takes missing values; not otherwise.
void TestPipeline::acceptsMissingFollowsTheSteps_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<PreprocessingChoices>("choices");
    QTest::addColumn<QList<bool>>("accepts"); // x1, x2, colour, flag

    const QString none = QStringLiteral("none");
    QTest::newRow("imputers") << QStringLiteral("ridge") << PreprocessingChoices{} << QList<bool>{true, true, true, true};
    QTest::newRow("no-numeric-imputer") << QStringLiteral("ridge") << PreprocessingChoices{none, {}, {}, {}}
                                        << QList<bool>{false, false, true, true};
    QTest::newRow("one-hot-zeros") << QStringLiteral("ridge") << PreprocessingChoices{{}, {}, none, {}}
                                   << QList<bool>{true, true, true, true};
    QTest::newRow("ordinal-passes-gaps") << QStringLiteral("ridge")
                                         << PreprocessingChoices{{}, {}, none, QStringLiteral("ordinal_encoder")}
                                         << QList<bool>{true, true, false, false};
    QTest::newRow("model-takes-gaps") << QStringLiteral("gradient_boosting") << PreprocessingChoices{}
                                      << QList<bool>{true, true, true, true};
}

void TestPipeline::acceptsMissingFollowsTheSteps()
{
    QFETCH(QString, model);
    QFETCH(PreprocessingChoices, choices);
    QFETCH(QList<bool>, accepts);
    const Dataset data = load(trainingCsv());
    const Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(model, Task::Regression), choices).value();
    for (std::size_t f = 0; f < pipeline.features().size(); ++f)
        QVERIFY2(pipeline.acceptsMissing(f) == accepts[qsizetype(f)], qPrintable(pipeline.features()[f].name));
}

// A value typed for one row is read as a CSV field is (readFeatureText): the same values are
// valid, missing or refused, with the feature named.
void TestPipeline::rowValuesAreReadAsBatchFieldsAre_data()
{
    QTest::addColumn<QString>("feature");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error"); // empty: scored

    QTest::newRow("number") << QStringLiteral("x1") << QStringLiteral(" 2.5 ") << QString();
    QTest::newRow("missing-token") << QStringLiteral("x1") << QStringLiteral("NA") << QString();
    QTest::newRow("not-a-number") << QStringLiteral("x1") << QStringLiteral("abc")
                                  << QStringLiteral("feature 'x1': 'abc' is not a number");
    QTest::newRow("infinite") << QStringLiteral("x2") << QStringLiteral("inf")
                              << QStringLiteral("feature 'x2': infinite values are not allowed");
    QTest::newRow("boolean-spelling") << QStringLiteral("flag") << QStringLiteral("True") << QString();
    QTest::newRow("not-a-boolean") << QStringLiteral("flag") << QStringLiteral("maybe")
                                   << QStringLiteral("feature 'flag': 'maybe' is not true or false");
    QTest::newRow("category-missing-token") << QStringLiteral("colour") << QStringLiteral("NA") << QString();
}

void TestPipeline::rowValuesAreReadAsBatchFieldsAre()
{
    QFETCH(QString, feature);
    QFETCH(QString, text);
    QFETCH(QString, error);
    const Dataset data = load(trainingCsv());
    Pipeline pipeline = Pipeline::withDefaults(data, kFeatures, createModel(QStringLiteral("ridge"))).value();
    QVERIFY(pipeline.fit(data, QStringLiteral("y_value"), {}).ok());
    const qsizetype at = kFeatures.indexOf(feature);
    std::vector<RowValue> values = rowValues(data, pipeline, 1);
    values[std::size_t(at)] = RowValue::of(text);
    double out = 0;
    TransformNotes notes;
    const std::optional<Error> refused = RowScorer(pipeline).score(values, &out, notes);
    QCOMPARE(refused ? refused->message : QString(), error);
    if (refused)
        return;
    // The batch path reads the same text in a CSV file (with a second row of training values, so
    // that column types do not hang on the one value) to the same prediction.
    QStringList first, second;
    for (const QString &name : kFeatures) {
        const Column &column = data.column(*data.indexOf(name));
        first.append(name == feature ? text : column.displayText(1));
        second.append(column.displayText(2));
    }
    const QString csv = kFeatures.join(QLatin1Char(',')) + QLatin1Char('\n') + first.join(QLatin1Char(',')) + QLatin1Char('\n')
        + second.join(QLatin1Char(',')) + QLatin1Char('\n');
    Result<Prediction> batch = pipeline.predict(load(csv.toUtf8()));
    QVERIFY2(batch.ok(), batch.ok() ? "" : qPrintable(batch.error().message));
    QCOMPARE(out, batch.value().values[0]);
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
