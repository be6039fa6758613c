#pragma once

#include "interop/sklearnimporter.h"

namespace plumb {

// Converts the Importable scan of the scikit-learn file `sourcePath` (importSklearn) and saves the
// pipeline as a .plumb file at `outputPath`, atomically, replacing an existing file only when
// `overwrite`. The metadata records the source file's name and SHA-256 (as sha256sum prints it),
// the scikit-learn version found, the container, every global and the conversion; the model is
// named `name`, or after the output file when empty; `featureNames` names the features of a model
// fitted on an array (importSklearn), and without them such a model's features are recorded as
// positional. Fails with the importer's or the saver's message; nothing is written then.
Result<ImportedModel> importSklearnToFile(const PickleScanReport &report, const QString &sourcePath, const QString &outputPath,
                                          const QString &name = {}, bool overwrite = false, const QStringList &featureNames = {});

} // namespace plumb
