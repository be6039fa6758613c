#include "artifact/trainedmodel.h"

#include "data/columnprofile.h"

#include <QFileInfo>

namespace plumb {

ModelMetadata trainingMetadata(const Dataset &data, const TrainingSpec &spec, const TrainingOutcome &outcome)
{
    ModelMetadata metadata;
    metadata.author = defaultAuthor();
    metadata.created = QDateTime::currentDateTimeUtc();
    metadata.software = softwareEnvironment();
    metadata.rows = qint64(outcome.trainingRows);
    metadata.columns = qint64(data.columnCount());
    metadata.validation = spec.validation.toString();
    metadata.metrics = outcome.validation.metrics;
    for (const auto &[name, value] : outcome.validation.metrics)
        if (const QString reason = outcome.validation.undefinedReason(name); !reason.isEmpty())
            metadata.metricReasons[name] = reason;
    metadata.importance = outcome.importance;
    metadata.shap = outcome.shap;
    metadata.evaluation = compactEvaluation(outcome.validation);
    metadata.seed = spec.seed;
    metadata.fitSeconds = outcome.fitSeconds;
    if (!data.sourcePath().isEmpty()) {
        metadata.sourceFile = QFileInfo(data.sourcePath()).fileName();
        metadata.sourceSha256 = data.sourceSha256(); // of the bytes these rows were read from
    }
    return metadata;
}

} // namespace plumb
