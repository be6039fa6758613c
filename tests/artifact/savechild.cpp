// A child process for tst_crashsave: saves two different models to one path, alternately and
// with overwriting, until it is killed. Usage: savechild PATH
// On start it prints the SHA-256 digests of the two versions it writes (one per line), saves the
// first once, prints "ready", then alternates. The parent kills it with SIGKILL at random moments
// and checks that PATH always holds one complete version.

#include "artifacttestutil.h"

#include "artifact/modelfile.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace plumb;

namespace {

constexpr int kMaxSaves = 100000; // a bound in case the parent never kills the child

int fail(const QString &message)
{
    std::fprintf(stderr, "savechild: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() != 2)
        return fail(QStringLiteral("usage: savechild PATH"));
    const QString path = arguments[1];

    Result<Dataset> data = testutil::readCsv(testutil::trainingCsv(testutil::Target::Regression, 200, 3),
                                             QStringLiteral("train.csv"));
    if (!data)
        return fail(data.error().message);
    // Version A: a small ridge model. Version B: every feature, with a profile repeated to about
    // a megabyte, so that a kill often lands while its bytes are being written.
    Result<Pipeline> small = testutil::fittedDefaults(data.value(), {QStringLiteral("x1")}, QStringLiteral("ridge"),
                                                      QStringLiteral("y"));
    Result<Pipeline> large = testutil::fittedDefaults(data.value(), testutil::featureNames(), QStringLiteral("linear_regression"),
                                                      QStringLiteral("y"));
    if (!small || !large)
        return fail(QStringLiteral("cannot fit the two models"));
    const QJsonArray one = testutil::profileOf(data.value());
    const qsizetype oneSize = QJsonDocument(one).toJson(QJsonDocument::Compact).size();
    QJsonArray profile;
    for (qsizetype size = 0; size < (1 << 20); size += oneSize)
        for (const QJsonValue &column : one)
            profile.append(column);
    const ModelMetadata metadata = testutil::sampleMetadata();

    const Pipeline *pipelines[2] = {&small.value(), &large.value()};
    const QJsonArray profiles[2] = {QJsonArray(), profile};
    for (int version = 0; version < 2; ++version) {
        const QByteArray bytes = encodeModelArtifact(*pipelines[version], metadata, profiles[version]);
        std::printf("%s\n", qPrintable(embeddedDigest(bytes, path).value()));
    }
    for (int save = 0; save < kMaxSaves; ++save) {
        const int version = save % 2;
        if (auto error = saveModelArtifact(path, *pipelines[version], metadata, profiles[version], true))
            return fail(error->message);
        if (save == 0) {
            std::printf("ready\n");
            std::fflush(stdout);
        }
    }
    return 0;
}
