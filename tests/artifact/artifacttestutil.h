#pragma once

// Shared by the model-file suites, the crash-during-save child and the fuzz seed generator:
// generated training data, fitted pipelines with fixed metadata (so files are byte-for-byte
// reproducible), and container surgery that edits a .plumb file and re-seals its digest.

#include "artifact/modelartifact.h"
#include "artifact/modelfile.h"
#include "data/dataset.h"
#include "learn/pipeline.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QVariant>

#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace plumb::testutil {

// The generated table (see trainingCsv): features x1, x2 (float), x3 (integer 0..9),
// color (red, green, blue), size (S, M, L, XL; XL rare) and flag (boolean), then the target.
enum class Target { Regression, Binary, ThreeClass };

QStringList featureNames();
QStringList numericFeatures(); // x1, x2, x3
QStringList categoricalFeatures(); // color, size, flag
QString targetName(Target target); // y, or label for both classification tables

// `rows` training rows as CSV text, reproducible from `seed` (plumb::Random). Features miss a
// value on a fixed pattern (x1 every 7th row, color every 11th, ...), so imputers have work.
// The target never misses. Regression: y is linear in the features plus noise; classification:
// the label is the arg max of linear class scores plus noise ("no"/"yes" or "a"/"b"/"c").
QByteArray trainingCsv(Target target, int rows, std::uint64_t seed);
// Rows to score: ordinary rows, a row with every feature missing, rows with missing values, a row
// with categories never seen in training ("purple", "XXL") and one outside the training range.
QByteArray scoringCsv();
// How many categorical values of scoringCsv() no training table holds ("purple", "XXL").
constexpr int kUnseenScoringValues = 2;

Result<Dataset> readCsv(const QByteArray &csv, const QString &name);

// A transformer of `kind` with parameters set by name; null for an unknown kind or a bad value.
std::unique_ptr<Transformer> makeStep(const QString &kind, const std::vector<std::pair<QString, QVariant>> &params = {});
// A branch over `columns` with the given steps.
RouterBranch makeBranch(const QString &name, const QStringList &columns, bool categorical,
                        std::vector<std::unique_ptr<Transformer>> steps);

// Fits `pipeline` on every row of `data`, predicting `target`.
Result<Pipeline> fitted(Pipeline pipeline, const Dataset &data, const QString &target);
// Pipeline::withDefaults over `features`, around a model of `kind`, fitted.
Result<Pipeline> fittedDefaults(const Dataset &data, const QStringList &features, const QString &kind, const QString &target);

// Metadata with every field set to a fixed, non-default value (a seed above 2^63, a NaN metric,
// a created time with milliseconds), so a round trip can compare them all.
ModelMetadata sampleMetadata();
// profileToJson of every column of `data`.
QJsonArray profileOf(const Dataset &data);

// The small model the integrity tests flip every byte of: linear regression on x1 alone
// (median imputer, standard scaler), 30 rows, an empty profile. About 2 kB.
Result<QByteArray> smallModelFile();

// --- Container surgery (the layout of core/artifact/modelfile.h) ---

// The parts of a .plumb file, split by trusting its header; nothing is validated.
struct Container
{
    quint32 version = 1;
    quint32 flags = 0;
    QByteArray manifest; // the JSON text, "arrays" index included
    QByteArray data; // the data section: from the 64-byte boundary after the manifest to the trailer
};

// Splits a well-formed file (one encodeModelArtifact wrote); empty manifest when it is too short.
Container splitContainer(const QByteArray &file);
// Writes the header (the manifest length is the manifest's size), the manifest, zero padding to
// a multiple of 64, the data section and a fresh trailer.
QByteArray buildContainer(const Container &container);
// `body` + "PLUMBSUM" + SHA-256(body).
QByteArray sealed(const QByteArray &body);
// The file without its 40-byte trailer.
QByteArray withoutTrailer(const QByteArray &file);
// Overwrites bytes of the body at `offset` with `bytes`, then re-seals.
QByteArray patchedAndResealed(const QByteArray &file, qsizetype offset, const QByteArray &bytes);
// Parses the manifest, lets `edit` change it, writes it back compactly and re-seals.
QByteArray withEditedManifest(const QByteArray &file, const std::function<void(QJsonObject &)> &edit);
// Decodes the container (arrays with it), lets `edit` change manifest or arrays, then re-encodes
// with encodeModelFile, which rewrites a consistent "arrays" index.
QByteArray withEditedContents(const QByteArray &file, const std::function<void(ModelFileContents &)> &edit);
// A boosting model file as Plumb wrote it before node covers were stored: the model's
// "node_cover" array and the SHAP summary removed, re-encoded.
QByteArray withoutNodeCovers(const QByteArray &file);

// Sets or removes the value at a path of object keys (QString) and array indices (int) inside a
// JSON object, creating nothing on the way: {"pipeline", "router", "branches", 0, "name"}.
void setAt(QJsonObject &root, const QVariantList &path, const QJsonValue &value);
void removeAt(QJsonObject &root, const QVariantList &path);
QJsonValue valueAt(const QJsonObject &root, const QVariantList &path);

} // namespace plumb::testutil
