// Writes the seed corpus of the model-file fuzz target: small real .plumb files covering every
// model kind and every preprocessing kind, and a few refused ones. Deterministic (generated data,
// fixed metadata), so running it again rewrites the same bytes unless the format changed.
// Usage: make_modelfile_seeds tests/fuzz/corpus/modelfile

#include "artifacttestutil.h"

#include "artifact/modelfile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QtEndian>

#include <cstdio>

using namespace plumb;
using testutil::Target;

namespace {

QByteArray littleEndian(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToLittleEndian(value, bytes.data());
    return bytes;
}

using Steps = std::vector<std::unique_ptr<Transformer>>;

Result<Dataset> table(Target target)
{
    return testutil::readCsv(testutil::trainingCsv(target, 40, 17), QStringLiteral("seed.csv"));
}

Result<Pipeline> withRouter(const Dataset &data, Target target, const QString &kind, RouterBranch numeric,
                            RouterBranch categorical)
{
    ColumnRouter router;
    router.addBranch(std::move(numeric));
    router.addBranch(std::move(categorical));
    return testutil::fitted(Pipeline(std::move(router), createModel(kind)), data, testutil::targetName(target));
}

Steps steps(std::unique_ptr<Transformer> a, std::unique_ptr<Transformer> b)
{
    Steps list;
    list.push_back(std::move(a));
    list.push_back(std::move(b));
    return list;
}

// A small model of a kind that may do either task, with the given parameters, around the
// default preprocessing of `features`.
Result<Pipeline> smallModel(const Dataset &data, Target target, const QString &kind, const QStringList &features,
                            const std::vector<std::pair<QString, QVariant>> &params)
{
    std::unique_ptr<Model> model = createModel(kind, target == Target::Regression ? Task::Regression : Task::Classification);
    for (const auto &[name, value] : params)
        if (auto error = model->setParam(name, value))
            return *error;
    Result<Pipeline> pipeline = Pipeline::withDefaults(data, features, std::move(model));
    if (!pipeline)
        return pipeline.error();
    return testutil::fitted(std::move(pipeline).value(), data, testutil::targetName(target));
}

ModelMetadata seedMetadata()
{
    ModelMetadata metadata = testutil::sampleMetadata();
    metadata.description = QStringLiteral("fuzz seed");
    return metadata;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (app.arguments().size() != 2) {
        std::fprintf(stderr, "usage: make_modelfile_seeds DIRECTORY\n");
        return 2;
    }
    const QDir out(app.arguments()[1]);
    Result<Dataset> regression = table(Target::Regression), binary = table(Target::Binary), ternary = table(Target::ThreeClass);
    if (!regression || !binary || !ternary)
        return 1;
    const QString y = testutil::targetName(Target::Regression), label = testutil::targetName(Target::Binary);

    std::vector<std::pair<QString, Result<Pipeline>>> models;
    models.emplace_back(
        QStringLiteral("ok-linear-regression-defaults"),
        testutil::fittedDefaults(regression.value(), testutil::featureNames(), QStringLiteral("linear_regression"), y));
    models.emplace_back(QStringLiteral("ok-ridge-one-feature"),
                        testutil::fittedDefaults(regression.value(), {QStringLiteral("x1")}, QStringLiteral("ridge"), y));
    models.emplace_back(
        QStringLiteral("ok-lasso-min-max-one-hot-capped"),
        withRouter(regression.value(), Target::Regression, QStringLiteral("lasso"),
                   testutil::makeBranch(QStringLiteral("numeric"), {QStringLiteral("x1"), QStringLiteral("x3")}, false,
                                        steps(testutil::makeStep(QStringLiteral("simple_imputer"),
                                                                 {{QStringLiteral("strategy"), QStringLiteral("constant")}}),
                                              testutil::makeStep(QStringLiteral("min_max_scaler")))),
                   testutil::makeBranch(
                       QStringLiteral("categorical"), {QStringLiteral("size")}, true,
                       steps(testutil::makeStep(QStringLiteral("simple_imputer"),
                                                {{QStringLiteral("strategy"), QStringLiteral("constant")}}),
                             testutil::makeStep(QStringLiteral("one_hot_encoder"), {{QStringLiteral("max_categories"), 3}})))));
    models.emplace_back(QStringLiteral("ok-elastic-net-two-features"),
                        testutil::fittedDefaults(regression.value(), {QStringLiteral("x2"), QStringLiteral("size")},
                                                 QStringLiteral("elastic_net"), y));
    models.emplace_back(QStringLiteral("ok-logistic-binary"),
                        testutil::fittedDefaults(binary.value(),
                                                 {QStringLiteral("x1"), QStringLiteral("color"), QStringLiteral("flag")},
                                                 QStringLiteral("logistic_regression"), label));
    models.emplace_back(
        QStringLiteral("ok-logistic-3-class-ordinal"),
        withRouter(
            ternary.value(), Target::ThreeClass, QStringLiteral("logistic_regression"),
            testutil::makeBranch(
                QStringLiteral("numeric"), {QStringLiteral("x1"), QStringLiteral("x2")}, false,
                steps(
                    testutil::makeStep(QStringLiteral("simple_imputer"), {{QStringLiteral("strategy"), QStringLiteral("mean")}}),
                    testutil::makeStep(QStringLiteral("standard_scaler"), {{QStringLiteral("with_mean"), false}}))),
            testutil::makeBranch(QStringLiteral("categorical"), {QStringLiteral("color")}, true,
                                 steps(testutil::makeStep(QStringLiteral("ordinal_encoder")),
                                       testutil::makeStep(QStringLiteral("simple_imputer"),
                                                          {{QStringLiteral("strategy"), QStringLiteral("most_frequent")}})))));

    const QStringList mixed{QStringLiteral("x1"), QStringLiteral("x2"), QStringLiteral("color"), QStringLiteral("size")};
    models.emplace_back(QStringLiteral("ok-decision-tree-regression"),
                        smallModel(regression.value(), Target::Regression, QStringLiteral("decision_tree"), mixed,
                                   {{QStringLiteral("max_depth"), 4}}));
    models.emplace_back(QStringLiteral("ok-random-forest-binary"),
                        smallModel(binary.value(), Target::Binary, QStringLiteral("random_forest"), mixed,
                                   {{QStringLiteral("n_estimators"), 3}, {QStringLiteral("max_depth"), 3}}));
    models.emplace_back(QStringLiteral("ok-gradient-boosting-3-class-categories"),
                        smallModel(ternary.value(), Target::ThreeClass, QStringLiteral("gradient_boosting"), mixed,
                                   {{QStringLiteral("max_iter"), 3}, {QStringLiteral("max_leaf_nodes"), 4}}));
    models.emplace_back(
        QStringLiteral("ok-knn-binary"),
        smallModel(binary.value(), Target::Binary, QStringLiteral("knn"), {QStringLiteral("x1"), QStringLiteral("x2")}, {}));
    models.emplace_back(QStringLiteral("ok-gaussian-nb-3-class"),
                        smallModel(ternary.value(), Target::ThreeClass, QStringLiteral("gaussian_nb"), mixed, {}));

    std::map<QString, QByteArray> files;
    for (auto &[name, pipeline] : models) {
        if (!pipeline) {
            std::fprintf(stderr, "%s: %s\n", qPrintable(name), qPrintable(pipeline.error().message));
            return 1;
        }
        files[name] = encodeModelArtifact(pipeline.value(), seedMetadata(), {});
    }
    // One seed with a profile, as plumb train writes it.
    Dataset profiled;
    for (const char *column : {"x2", "size"})
        profiled.addColumn(regression.value().column(*regression.value().indexOf(QString::fromLatin1(column))));
    files[QStringLiteral("ok-elastic-net-with-profile")] = encodeModelArtifact(models[3].second.value(), seedMetadata(),
                                                                               testutil::profileOf(profiled));

    const QByteArray &small = files[QStringLiteral("ok-ridge-one-feature")];
    files[QStringLiteral("error-future-format-version")] = testutil::patchedAndResealed(small, 8,
                                                                                        littleEndian(kModelFormatVersion + 1));
    files[QStringLiteral("error-unknown-model-kind")] = testutil::withEditedManifest(small, [](QJsonObject &manifest) {
        testutil::setAt(manifest, {QStringLiteral("pipeline"), QStringLiteral("model"), QStringLiteral("kind")},
                        QStringLiteral("support_vector_machine"));
    });
    files[QStringLiteral("error-truncated")] = small.left(small.size() - 100);

    for (const auto &[name, bytes] : files) {
        QFile file(out.filePath(name + QStringLiteral(".plumb")));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(file.fileName()));
            return 1;
        }
        std::printf("%s (%lld bytes)\n", qPrintable(file.fileName()), static_cast<long long>(bytes.size()));
    }
    return 0;
}
