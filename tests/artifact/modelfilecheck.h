#pragma once

// What must hold for any bytes given to the model-file loader; shared by the libFuzzer target
// (tests/fuzz/fuzz_modelfile.cpp) and the seed-corpus test (tst_modelfile), so every committed
// seed is also a regression test in ordinary builds. Header-only: the fuzz build does not build
// the test utility library.
//
// Almost every mutation of a real file breaks its SHA-256 digest, so a loader that stops at the
// digest would be all a fuzzer ever reaches. checkModelFileInput therefore decodes the input as
// given and again with its trailer recomputed (resealedForFuzzing), which lets mutations reach
// the manifest parser, the array index and every component's restore().

#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"

#include <QCryptographicHash>

#include <cmath>

namespace plumb::fuzz {

// The input with a valid trailer: its last 40 bytes are replaced when they start with
// "PLUMBSUM", otherwise a trailer is appended.
inline QByteArray resealedForFuzzing(const QByteArray &input)
{
    constexpr qsizetype kTrailerBytes = 40;
    QByteArray body = input;
    if (body.size() >= kTrailerBytes && QByteArrayView(body).sliced(body.size() - kTrailerBytes, 8) == QByteArrayView("PLUMBSUM"))
        body.chop(kTrailerBytes);
    return body + QByteArray("PLUMBSUM") + QCryptographicHash::hash(body, QCryptographicHash::Sha256);
}

// Four rows for the pipeline's features as the file describes them: ordinary values, missing
// values, a category it never saw, and values outside the training range.
inline Dataset scoringRowsFor(const Pipeline &pipeline)
{
    Dataset data;
    for (const FeatureSpec &feature : pipeline.features()) {
        Column column(feature.name, feature.type);
        if (feature.type == ColumnType::Categorical) {
            column.categories() = feature.categories;
            column.categories().append(QStringLiteral("never-seen-in-training"));
            const auto unseen = std::int32_t(column.categories().size() - 1);
            column.codes() = {feature.categories.isEmpty() ? unseen : 0, -1, unseen, unseen};
        } else if (feature.type == ColumnType::Boolean) {
            column.numbers() = {1.0, std::nan(""), 0.0, 1.0};
        } else {
            const double low = std::isfinite(feature.minimum) ? feature.minimum : 0.0;
            const double high = std::isfinite(feature.maximum) ? feature.maximum : 1.0;
            column.numbers() = {low, std::nan(""), high * 10.0 + 1.0, (low + high) / 2.0};
        }
        data.addColumn(std::move(column));
    }
    return data;
}

// Decodes `bytes` and checks what must hold for the result; the problem found, or empty.
//  - a refusal names the file;
//  - a decoded model is complete, and its digest is the embedded one;
//  - the writer writes back what the loader accepted, and that reads back to the same bytes;
//  - predicting rows with missing and unseen values gives one value per row, class indices in
//    range and a probability row per row for classifiers (finiteness is not required: a
//    well-formed file may hold coefficients large enough to overflow).
inline QString modelFileProblem(const QByteArray &bytes, const QString &name)
{
    const Result<ModelArtifact> decoded = decodeModelArtifact(bytes, name);
    if (!decoded) {
        if (decoded.error().message.isEmpty() || !decoded.error().message.contains(name))
            return QStringLiteral("a refusal does not name the file: %1").arg(decoded.error().message);
        return {};
    }
    const ModelArtifact &artifact = decoded.value();
    if (!artifact.pipeline || !artifact.pipeline->isFitted())
        return QStringLiteral("decoded without a fitted pipeline");
    const Result<QString> digest = embeddedDigest(bytes, name);
    if (!digest || digest.value() != artifact.digest)
        return QStringLiteral("the decoded digest is not the embedded one");

    const QByteArray rewritten = encodeModelArtifact(*artifact.pipeline, artifact.metadata, artifact.profile);
    const Result<ModelArtifact> again = decodeModelArtifact(rewritten, name);
    if (!again)
        return QStringLiteral("a decoded model written back does not load: %1").arg(again.error().message);
    if (encodeModelArtifact(*again.value().pipeline, again.value().metadata, again.value().profile) != rewritten)
        return QStringLiteral("a decoded model written back twice gives different bytes");

    const Pipeline &pipeline = *artifact.pipeline;
    const Dataset rows = scoringRowsFor(pipeline);
    const Result<Prediction> prediction = pipeline.predict(rows);
    if (!prediction)
        return {}; // refusing input it cannot score is allowed; crashing is not
    const Eigen::Index count = Eigen::Index(rows.rowCount());
    if (prediction.value().values.size() != count)
        return QStringLiteral("%1 predictions for %2 rows").arg(prediction.value().values.size()).arg(count);
    if (pipeline.target().task == Task::Classification) {
        const Eigen::MatrixXd &probabilities = prediction.value().probabilities;
        if (probabilities.rows() != count || probabilities.cols() != pipeline.target().classes.size())
            return QStringLiteral("probabilities are %1 x %2 for %3 rows and %4 classes")
                .arg(probabilities.rows())
                .arg(probabilities.cols())
                .arg(count)
                .arg(pipeline.target().classes.size());
        for (Eigen::Index i = 0; i < count; ++i) {
            const double label = prediction.value().values[i];
            if (!(label >= 0 && label < double(pipeline.target().classes.size())))
                return QStringLiteral("row %1 predicts class index %2").arg(i).arg(label);
        }
    }
    return {};
}

// Both checks the fuzz target runs on one input: as given, and resealed.
inline QString checkModelFileInput(const QByteArray &input)
{
    const QString name = QStringLiteral("fuzz.plumb");
    if (QString problem = modelFileProblem(input, name); !problem.isEmpty())
        return problem;
    return modelFileProblem(resealedForFuzzing(input), name);
}

} // namespace plumb::fuzz
