#include "artifact/trainedmodel.h"

#include "data/columnprofile.h"

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
    metadata.importance = outcome.importance;
    metadata.seed = spec.seed;
    metadata.fitSeconds = outcome.fitSeconds;
    return metadata;
}

QJsonArray referenceProfile(const Dataset &data, const Pipeline &pipeline)
{
    QJsonArray profile;
    QStringList columns;
    for (const FeatureSpec &feature : pipeline.features())
        columns.append(feature.name);
    columns.append(pipeline.target().name);
    for (const QString &name : columns)
        if (const auto index = data.indexOf(name))
            profile.append(profileToJson(profileColumn(data.column(*index))));
    return profile;
}

} // namespace plumb
