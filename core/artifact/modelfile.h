#pragma once

#include "base/result.h"
#include "learn/componentstate.h"

#include <QByteArray>
#include <QJsonObject>

#include <map>

namespace plumb {

// The .plumb container: data only, never code. Layout (all integers little-endian):
//   0   magic "\x89PLUMB\r\n" (8 bytes; the high byte and CR LF catch text-mode transfers)
//   8   u32 format version
//   12  u32 flags (0)
//   16  u64 manifest length M (at most kMaxManifestBytes)
//   24  manifest: UTF-8 JSON object, M bytes, then zero padding to a multiple of 64
//   ... data section: float64 arrays, each starting on a 64-byte boundary (zero padding between),
//       in the order of the manifest's "arrays" index, which gives each one's id, shape and offset
//   end trailer: "PLUMBSUM" and the SHA-256 of every byte before the trailer (40 bytes)
// The loader checks the digest (on one core, while another parses the content, which is kept, and
// its errors reported, only when the digest matches) and the manifest strictly (the safetensors rules: capped header, no
// duplicate keys, contiguous arrays that cover the data section exactly, shapes checked with
// overflow-checked arithmetic, unknown fields refused).
struct ModelFileContents
{
    QJsonObject manifest; // without "arrays": the codec fills that in
    std::map<QString, Tensor> arrays;
    QString digest; // the embedded SHA-256 in hex, as checked (set when read)
    quint32 version = 0; // the file's format version (set when read; files are written as kModelFormatVersion)
};

// The versioning rule (also in the README, "When the format version changes"):
//   - bump kModelFormatVersion whenever an older reader would refuse or misread a file this one
//     writes: a new field anywhere (readers refuse unknown fields), a new component kind,
//     parameter or metric name, a field whose meaning or unit changes;
//   - one decode branch per version: a field is refused in files of versions without it and
//     required in files of versions with it (see readImport in modelmetadata.cpp, and profiles);
//   - a golden file per version in tests/artifact/golden/formatN, read by tst_formatcompat forever;
//   - a file newer than kModelFormatVersion is refused naming both versions (Error::Kind::Unsupported).
// Format history:
//   1  the first format
//   2  an imported model's metadata says whether its features are positional
//      ("import.positional_features"), which format 1 readers would refuse as an unknown field;
//      an ordinal encoder's category list may end with the nested list of the rare categories it
//      groups into one code (gradient boosting's high-cardinality columns), which they would refuse
//      as a category that is not text
//   3  a numeric column's reference profile keeps its distribution as CDF knots ("distribution",
//      data/cdfknots.h), exact enough for drift; format 2 readers would refuse the field. Profiles
//      without it (format 2 files, and their profiles carried into a format 3 file) are read
//      from their histograms, and drift says its statistics are approximate
//   4  the validation keeps a SHAP summary of the validation rows ("validation.shap": mean |SHAP|
//      per feature and a beeswarm sample, evaluationjson.h), which format 3 readers would refuse as
//      an unknown field; optional (models without an exact explanation have none)
constexpr quint32 kModelFormatVersion = 4;
constexpr qsizetype kMaxManifestBytes = 64 << 20;

QByteArray encodeModelFile(const ModelFileContents &contents);
// `name` is used in messages. Fails with a message naming what is wrong: not a Plumb model, a
// format newer than this Plumb reads (naming both versions), a digest mismatch (modified,
// truncated or extended), a malformed manifest or array index.
Result<ModelFileContents> decodeModelFile(const QByteArray &bytes, const QString &name);

// decodeModelFile in two halves that can run at the same time on different cores: the envelope
// and digest check (every error about a modified, truncated, extended or newer file), and the
// reading of the manifest and arrays. readModelFileContents never reads outside `bytes` whatever
// they hold, but its result and errors mean something only when verifyModelFile found nothing:
// a caller takes verifyModelFile's verdict first and discards the contents when it fails.
std::optional<Error> verifyModelFile(const QByteArray &bytes, const QString &name);
Result<ModelFileContents> readModelFileContents(const QByteArray &bytes, const QString &name);

// The SHA-256 digest embedded in a file (hex), after checking it; for display and signatures.
Result<QString> embeddedDigest(const QByteArray &bytes, const QString &name);

// Reads a whole file (at most 4 GiB), naming it in messages.
Result<QByteArray> readFileBytes(const QString &path);
// Writes atomically (QSaveFile): a crash leaves the old file or the complete new one. Refuses to
// replace an existing file unless `overwrite`.
std::optional<Error> writeFileAtomically(const QString &path, const QByteArray &bytes, bool overwrite);

} // namespace plumb
