// Every model kind and every preprocessing kind survives the model file: fit -> encode -> decode
// -> predict gives bit-identical predictions and probabilities (memcmp) on rows with missing
// values and unseen categories, the metadata and profile come back field for field, and
// re-encoding the decoded model writes the same bytes. The expected outputs are the fitted
// pipeline's own predictions before saving; the data is generated (artifacttestutil.h).

#include "artifacttestutil.h"

#include "artifact/modelfile.h"

#include <QSet>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace Qt::StringLiterals;

namespace plumb {

using testutil::Target;

namespace {

// How to build one pipeline: a model kind around Pipeline::withDefaults, or a hand-built router.
struct PipelineCase
{
    const char *name;
    Target target;
    QString modelKind;
    std::vector<std::pair<QString, QVariant>> modelParams;
    std::function<ColumnRouter()> router; // empty: ColumnRouter::withDefaults over every feature
};

using Steps = std::vector<std::unique_ptr<Transformer>>;

template<typename... T> Steps steps(T... step)
{
    Steps list;
    (list.push_back(std::move(step)), ...);
    return list;
}

ColumnRouter router(RouterBranch first, std::optional<RouterBranch> second = std::nullopt)
{
    ColumnRouter result;
    result.addBranch(std::move(first));
    if (second)
        result.addBranch(std::move(*second));
    return result;
}

RouterBranch numeric(Steps list)
{
    return testutil::makeBranch(u"numeric"_s, testutil::numericFeatures(), false, std::move(list));
}
RouterBranch categorical(Steps list)
{
    return testutil::makeBranch(u"categorical"_s, testutil::categoricalFeatures(), true, std::move(list));
}

std::unique_ptr<Transformer> step(const QString &kind, std::vector<std::pair<QString, QVariant>> params = {})
{
    return testutil::makeStep(kind, params);
}

std::unique_ptr<Transformer> imputer(const QString &strategy, std::vector<std::pair<QString, QVariant>> more = {})
{
    more.emplace_back(u"strategy"_s, strategy);
    return step(u"simple_imputer"_s, more);
}

// One row per model kind and task (regression on the regression table, classification on a
// binary and a three-class table), then one per preprocessing configuration around ridge.
const std::vector<PipelineCase> &pipelineCases()
{
    static const std::vector<PipelineCase> cases = [] {
        std::vector<PipelineCase> list;
        for (const QString &kind : modelKinds()) {
            std::vector<std::pair<QString, QVariant>> params;
            if (kind == u"lasso"_s || kind == u"elastic_net"_s)
                params.emplace_back(u"alpha"_s, 0.05); // the default 1.0 zeroes most coefficients here
            if (kind == u"decision_tree"_s || kind == u"random_forest"_s)
                params.emplace_back(u"max_depth"_s, 3); // impure leaves: every class fraction counts
            if (kind == u"knn"_s)
                params.emplace_back(u"weights"_s, u"distance"_s); // predictions then depend on every bit of the rows
            const std::optional<Task> only = onlyTaskOf(kind);
            if (only != Task::Classification)
                list.push_back({"", Target::Regression, kind, params, {}});
            if (only != Task::Regression) {
                list.push_back({"", Target::Binary, kind, params, {}});
                list.push_back({"", Target::ThreeClass, kind, params, {}});
            }
        }
        const auto ridge = [&](const char *name, std::function<ColumnRouter()> build, Target target = Target::Regression) {
            list.push_back(
                {name, target, target == Target::Regression ? u"ridge"_s : u"logistic_regression"_s, {}, std::move(build)});
        };
        ridge("simple_imputer-numeric-mean", [] { return router(numeric(steps(imputer(u"mean"_s)))); });
        ridge("simple_imputer-numeric-median", [] { return router(numeric(steps(imputer(u"median"_s)))); });
        ridge("simple_imputer-numeric-most_frequent", [] { return router(numeric(steps(imputer(u"most_frequent"_s)))); });
        ridge("simple_imputer-numeric-constant", [] {
            return router(numeric(steps(imputer(u"constant"_s, {{u"fill_value"_s, -1.5}}))));
        });
        ridge("simple_imputer-categorical-most_frequent",
              [] { return router(categorical(steps(imputer(u"most_frequent"_s), step(u"one_hot_encoder"_s)))); });
        ridge("simple_imputer-categorical-constant", [] {
            return router(
                categorical(steps(imputer(u"constant"_s, {{u"fill_text"_s, u"unknown"_s}}), step(u"one_hot_encoder"_s))));
        });
        ridge("standard_scaler", [] { return router(numeric(steps(imputer(u"mean"_s), step(u"standard_scaler"_s)))); });
        ridge("standard_scaler-without-mean", [] {
            return router(numeric(steps(imputer(u"mean"_s), step(u"standard_scaler"_s, {{u"with_mean"_s, false}}))));
        });
        ridge("standard_scaler-without-std", [] {
            return router(numeric(steps(imputer(u"mean"_s), step(u"standard_scaler"_s, {{u"with_std"_s, false}}))));
        });
        ridge("min_max_scaler", [] { return router(numeric(steps(imputer(u"median"_s), step(u"min_max_scaler"_s)))); });
        ridge("one_hot_encoder", [] { return router(categorical(steps(step(u"one_hot_encoder"_s)))); });
        ridge("one_hot_encoder-max_categories-2", [] {
            return router(categorical(steps(step(u"one_hot_encoder"_s, {{u"max_categories"_s, 2}}))));
        });
        ridge("one_hot_encoder-max_categories-3", [] {
            return router(categorical(steps(step(u"one_hot_encoder"_s, {{u"max_categories"_s, 3}}))));
        });
        ridge("ordinal_encoder", [] {
            return router(categorical(steps(step(u"ordinal_encoder"_s), imputer(u"mean"_s), step(u"standard_scaler"_s))));
        });
        ridge("ordinal_encoder-after-imputer",
              [] { return router(categorical(steps(imputer(u"most_frequent"_s), step(u"ordinal_encoder"_s)))); });
        ridge("two-branches", [] {
            return router(numeric(steps(imputer(u"median"_s), step(u"min_max_scaler"_s))),
                          categorical(steps(imputer(u"constant"_s), step(u"one_hot_encoder"_s, {{u"max_categories"_s, 3}}))));
        });
        ridge(
            "two-branches-logistic-3-class",
            [] {
                return router(numeric(steps(imputer(u"mean"_s), step(u"standard_scaler"_s))),
                              categorical(steps(step(u"ordinal_encoder"_s), imputer(u"most_frequent"_s))));
            },
            Target::ThreeClass);
        return list;
    }();
    return cases;
}

// The model array the control below moves by one ulp: the coefficients, or for a kind without
// them, the array its predictions are computed from.
QString nudgedArray(const QString &modelKind)
{
    if (modelKind == u"knn"_s)
        return u"model.training"_s;
    if (modelKind == u"gaussian_nb"_s)
        return u"model.means"_s;
    if (modelKind == u"decision_tree"_s || modelKind == u"random_forest"_s)
        return u"model.values"_s;
    if (modelKind == u"gradient_boosting"_s)
        return u"model.node_value"_s;
    return u"model.coefficients"_s;
}

QString rowName(const PipelineCase &c)
{
    if (*c.name)
        return QString::fromLatin1(c.name);
    const QString suffix = c.target == Target::Binary ? u"-binary"_s
                                                      : (c.target == Target::ThreeClass ? u"-3-class"_s : QString());
    return c.modelKind + suffix;
}

Result<Pipeline> fitCase(const PipelineCase &c, const Dataset &data)
{
    std::unique_ptr<Model> model = createModel(c.modelKind,
                                               c.target == Target::Regression ? Task::Regression : Task::Classification);
    for (const auto &[name, value] : c.modelParams)
        if (auto error = model->setParam(name, value))
            return *error;
    if (c.router)
        return testutil::fitted(Pipeline(c.router(), std::move(model)), data, testutil::targetName(c.target));
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, testutil::featureNames(), std::move(model));
    if (!pipeline)
        return pipeline.error();
    return testutil::fitted(std::move(pipeline).value(), data, testutil::targetName(c.target));
}

bool sameBytes(const Eigen::MatrixXd &a, const Eigen::MatrixXd &b)
{
    return a.rows() == b.rows() && a.cols() == b.cols()
        && (a.size() == 0 || std::memcmp(a.data(), b.data(), std::size_t(a.size()) * sizeof(double)) == 0);
}

bool sameDouble(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

} // namespace

class TestArtifactRoundTrip : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyKindHasARow();
    void roundTrip_data();
    void roundTrip();
    void metadataRoundTrip();

private:
    std::map<Target, Dataset> mTraining;
    Dataset mScoring;
};

void TestArtifactRoundTrip::initTestCase()
{
    for (Target target : {Target::Regression, Target::Binary, Target::ThreeClass}) {
        Result<Dataset> data = testutil::readCsv(testutil::trainingCsv(target, 120, 42), u"train.csv"_s);
        QVERIFY2(data.ok(), qPrintable(data.ok() ? QString() : data.error().message));
        mTraining.emplace(target, std::move(data).value());
    }
    Result<Dataset> scoring = testutil::readCsv(testutil::scoringCsv(), u"score.csv"_s);
    QVERIFY2(scoring.ok(), qPrintable(scoring.ok() ? QString() : scoring.error().message));
    mScoring = std::move(scoring).value();
    // The scoring rows must hold what the test claims they hold: a missing value in every column,
    // and categories no training table has.
    for (const Column &column : mScoring.columns())
        QVERIFY2(column.missingCount() > 0, qPrintable(column.name()));
    int unseen = 0;
    for (const QString &name : {u"color"_s, u"size"_s})
        for (const QString &category : mScoring.column(*mScoring.indexOf(name)).categories())
            unseen += mTraining.at(Target::Regression)
                          .column(*mTraining.at(Target::Regression).indexOf(name))
                          .categories()
                          .contains(category)
                ? 0
                : 1;
    QCOMPARE(unseen, testutil::kUnseenScoringValues);
}

// The table above names every model kind and every transformer kind; a new kind without a row
// fails here instead of going untested.
void TestArtifactRoundTrip::everyKindHasARow()
{
    QSet<QString> models, transformers;
    for (const PipelineCase &c : pipelineCases()) {
        models.insert(c.modelKind);
        const ColumnRouter built = c.router ? c.router() : ColumnRouter::withDefaults({{u"x1"_s, ColumnType::Float}});
        for (const RouterBranch &branch : built.branches())
            for (const auto &s : branch.steps) {
                QVERIFY2(s, "a step in the table has a bad kind or parameter");
                transformers.insert(s->kind());
            }
    }
    const QStringList allModels = modelKinds(), allTransformers = transformerKinds();
    QCOMPARE(models, QSet<QString>(allModels.begin(), allModels.end()));
    QCOMPARE(transformers, QSet<QString>(allTransformers.begin(), allTransformers.end()));
}

void TestArtifactRoundTrip::roundTrip_data()
{
    QTest::addColumn<int>("index");
    const auto &cases = pipelineCases();
    for (std::size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(rowName(cases[i]).toUtf8().constData()) << int(i);
}

void TestArtifactRoundTrip::roundTrip()
{
    QFETCH(int, index);
    const PipelineCase &c = pipelineCases()[std::size_t(index)];
    const Dataset &training = mTraining.at(c.target);

    Result<Pipeline> pipeline = fitCase(c, training);
    QVERIFY2(pipeline.ok(), qPrintable(pipeline.ok() ? QString() : pipeline.error().message));
    const Result<Prediction> before = pipeline.value().predict(mScoring);
    QVERIFY2(before.ok(), qPrintable(before.ok() ? QString() : before.error().message));
    QVERIFY2(before.value().values.allFinite(), "the scoring rows must all be predicted");
    // A constant prediction would pass the comparison below even if the file lost the model.
    QVERIFY(before.value().values.maxCoeff() > before.value().values.minCoeff());

    const ModelMetadata metadata = testutil::sampleMetadata();
    const QJsonArray profile = testutil::profileOf(training);
    const QByteArray bytes = encodeModelArtifact(pipeline.value(), metadata, profile);
    const Result<ModelArtifact> decoded = decodeModelArtifact(bytes, u"roundtrip.plumb"_s);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    QVERIFY(decoded.value().pipeline.has_value());
    const Pipeline &restored = *decoded.value().pipeline;

    const Result<Prediction> after = restored.predict(mScoring);
    QVERIFY2(after.ok(), qPrintable(after.ok() ? QString() : after.error().message));
    QVERIFY(sameBytes(after.value().values, before.value().values));
    QVERIFY(sameBytes(after.value().probabilities, before.value().probabilities));
    QCOMPARE(after.value().classes, before.value().classes);
    QCOMPARE(after.value().notes.unknownCategories, before.value().notes.unknownCategories);
    if (c.target != Target::Regression) {
        QCOMPARE(after.value().probabilities.rows(), Eigen::Index(mScoring.rowCount()));
        QCOMPARE(after.value().probabilities.cols(), c.target == Target::Binary ? 2 : 3);
    }

    // The parts read back as they were written.
    QCOMPARE(restored.model().kind(), pipeline.value().model().kind());
    QVERIFY(restored.model().params() == pipeline.value().model().params());
    QCOMPARE(restored.router().outputNames(), pipeline.value().router().outputNames());
    QCOMPARE(restored.router().branches().size(), pipeline.value().router().branches().size());
    for (std::size_t b = 0; b < restored.router().branches().size(); ++b) {
        const RouterBranch &x = restored.router().branches()[b], &y = pipeline.value().router().branches()[b];
        QCOMPARE(x.columns, y.columns);
        QCOMPARE(x.vocabularies, y.vocabularies);
        QCOMPARE(x.steps.size(), y.steps.size());
        for (std::size_t s = 0; s < x.steps.size(); ++s) {
            QCOMPARE(x.steps[s]->kind(), y.steps[s]->kind());
            QVERIFY(x.steps[s]->params() == y.steps[s]->params());
        }
    }
    QCOMPARE(restored.features().size(), pipeline.value().features().size());
    for (std::size_t f = 0; f < restored.features().size(); ++f) {
        const FeatureSpec &x = restored.features()[f], &y = pipeline.value().features()[f];
        QCOMPARE(x.name, y.name);
        QCOMPARE(x.type, y.type);
        QCOMPARE(x.categories, y.categories);
        QVERIFY(sameDouble(x.minimum, y.minimum) || (std::isnan(x.minimum) && std::isnan(y.minimum)));
        QVERIFY(sameDouble(x.maximum, y.maximum) || (std::isnan(x.maximum) && std::isnan(y.maximum)));
    }
    QCOMPARE(restored.target().name, pipeline.value().target().name);
    QCOMPARE(restored.target().classes, pipeline.value().target().classes);
    QCOMPARE(decoded.value().profile, profile);
    QCOMPARE(decoded.value().digest, embeddedDigest(bytes, u"roundtrip.plumb"_s).value());

    // Whatever the loader restored, the writer writes back byte for byte.
    QCOMPARE(encodeModelArtifact(restored, decoded.value().metadata, decoded.value().profile), bytes);

    // The comparison above sees one ulp: the same file with every model coefficient moved to the
    // next double predicts different bytes (a value of exactly 1, a tree leaf's class fraction
    // that may not grow, stays).
    const QByteArray nudged = testutil::withEditedContents(bytes, [&](ModelFileContents &contents) {
        for (double &value : contents.arrays[nudgedArray(c.modelKind)].data)
            if (value != 1.0)
                value = std::nextafter(value, 1e300);
    });
    const Result<ModelArtifact> control = decodeModelArtifact(nudged, u"nudged.plumb"_s);
    QVERIFY2(control.ok(), qPrintable(control.ok() ? QString() : control.error().message));
    const Result<Prediction> moved = control.value().pipeline->predict(mScoring);
    QVERIFY(moved.ok());
    QVERIFY(!sameBytes(moved.value().values, before.value().values)
            || !sameBytes(moved.value().probabilities, before.value().probabilities));
}

// Every metadata field, compared one by one after a round trip (sampleMetadata sets each to a
// value that differs from the default; the permutation importance, which format-1 files written
// before it existed lack, is set here).
void TestArtifactRoundTrip::metadataRoundTrip()
{
    Result<Pipeline> pipeline = testutil::fittedDefaults(mTraining.at(Target::Regression), {u"x1"_s, u"color"_s}, u"ridge"_s,
                                                         u"y"_s);
    QVERIFY(pipeline.ok());
    ModelMetadata m = testutil::sampleMetadata();
    m.importance = {u"r2"_s, 0.9, {{u"x1"_s, 0.25, 0.0625, {}}, {u"color"_s, -0.001, 0.5, {}}}};
    m.imported = {u"model.joblib"_s,
                  u"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"_s,
                  u"scikit-learn"_s,
                  u"1.2.1"_s,
                  u"joblib (zlib)"_s,
                  {u"sklearn.linear_model._ridge.Ridge"_s, u"numpy.dtype"_s},
                  QJsonArray{QJsonObject{{u"path"_s, u"(root)"_s},
                                         {u"class"_s, u"sklearn.linear_model._ridge.Ridge"_s},
                                         {u"component"_s, u"ridge"_s}}}};
    const Result<ModelArtifact> decoded = decodeModelArtifact(encodeModelArtifact(pipeline.value(), m, {}), u"m.plumb"_s);
    QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
    const ModelMetadata &r = decoded.value().metadata;
    QCOMPARE(r.name, m.name);
    QCOMPARE(r.description, m.description);
    QCOMPARE(r.tags, m.tags);
    QCOMPARE(r.author, m.author);
    QCOMPARE(r.created, m.created);
    QCOMPARE(r.created.time().msec(), 123);
    QCOMPARE(r.software, m.software);
    QCOMPARE(r.sourceFile, m.sourceFile);
    QCOMPARE(r.sourceSha256, m.sourceSha256);
    QCOMPARE(r.rows, m.rows);
    QCOMPARE(r.columns, m.columns);
    QCOMPARE(r.validation, m.validation);
    QCOMPARE(r.metrics.size(), m.metrics.size());
    for (std::size_t i = 0; i < m.metrics.size(); ++i) {
        QCOMPARE(r.metrics[i].first, m.metrics[i].first);
        QVERIFY(sameDouble(r.metrics[i].second, m.metrics[i].second)
                || (std::isnan(r.metrics[i].second) && std::isnan(m.metrics[i].second)));
    }
    QCOMPARE(r.seed, m.seed);
    QCOMPARE(r.fitSeconds, m.fitSeconds);
    QCOMPARE(r.parentDigest, m.parentDigest);
    QCOMPARE(r.lineageReason, m.lineageReason);
    QCOMPARE(r.imported.source, m.imported.source);
    QCOMPARE(r.imported.sha256, m.imported.sha256);
    QCOMPARE(r.imported.library, m.imported.library);
    QCOMPARE(r.imported.libraryVersion, m.imported.libraryVersion);
    QCOMPARE(r.imported.container, m.imported.container);
    QCOMPARE(r.imported.globals, m.imported.globals);
    QCOMPARE(r.imported.conversion, m.imported.conversion);
    QCOMPARE(r.importance.metric, m.importance.metric);
    QCOMPARE(r.importance.baseline, m.importance.baseline);
    QCOMPARE(r.importance.features.size(), m.importance.features.size());
    for (std::size_t f = 0; f < m.importance.features.size(); ++f) {
        QCOMPARE(r.importance.features[f].feature, m.importance.features[f].feature);
        QCOMPARE(r.importance.features[f].mean, m.importance.features[f].mean);
        QCOMPARE(r.importance.features[f].standardDeviation, m.importance.features[f].standardDeviation);
    }
}

} // namespace plumb

QTEST_GUILESS_MAIN(plumb::TestArtifactRoundTrip)
#include "tst_artifactroundtrip.moc"
