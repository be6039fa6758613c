#pragma once

#include "cli.h"

namespace plumb::cli {

// plumb export-onnx MODEL.plumb -o MODEL.onnx [--force]: exports the model's whole pipeline as an
// ONNX model checked by the ONNX checker (see core/interop/onnxexport.h for its inputs and
// outputs). Exit 0 when written, 3 when the model file fails its integrity check or the model
// has no exact ONNX form (the message names the step and why), 1 when a file cannot be read or
// written.
int runExportOnnx(const QStringList &arguments, Io io);

} // namespace plumb::cli
