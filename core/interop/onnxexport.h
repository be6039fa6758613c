#pragma once

#include "artifact/modelartifact.h"
#include "base/result.h"

#include <QByteArray>

namespace plumb {

// Exports a model's whole fitted pipeline (column routing, preprocessing and model) as an ONNX
// model (IR 8, opset 17, ai.onnx.ml opset 3) that ONNX Runtime runs without Plumb.
//
// Inputs: one tensor per feature, named as the feature, shape [N, 1]: double for numbers
// (datetimes as seconds since 1970-01-01 UTC, NaN for a missing value), string for categories and
// booleans (the text Plumb shows; "" for a missing value).
// Outputs: regression, "value" (double [N, 1]); classification, "label" (string [N], the class
// label) and "probabilities" (double [N, classes], columns in the order of the "classes" metadata).
// metadata_props: name, plumb_digest, task, model_kind, target, features and classes (JSON), and
// training_data (JSON: source file, its SHA-256, rows, columns).
//
// Every exported model passes the ONNX checker. A step or model that has no exact ONNX form (a
// kind or step the export does not know, a feature read both as text and as a number) is refused
// with an error naming the step and why. Where the result is exact up to an
// operator's output type (tree ensembles output float32), the result's warnings say so.
Result<QByteArray> exportOnnx(const ModelArtifact &artifact);

// exportOnnx, then writes the bytes to `path` atomically (QSaveFile). Refuses to replace an
// existing file unless `overwrite`. On success returns the export's warnings (possibly none).
// A model that cannot be exported fails with Error::Kind::Invalid, a file that cannot be written
// (or exists) with Error::Kind::Io.
Result<QStringList> writeOnnxFile(const ModelArtifact &artifact, const QString &path, bool overwrite);

} // namespace plumb
