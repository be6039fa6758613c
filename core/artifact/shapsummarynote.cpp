#include "artifact/shapsummarynote.h"

#include "artifact/modelfile.h"
#include "learn/shapexplainer.h"

namespace plumb {

QString missingShapSummaryReason(const ModelArtifact &artifact)
{
    const ModelMetadata &metadata = artifact.metadata;
    if (!metadata.shap.isEmpty() || !artifact.pipeline)
        return {};
    const bool importance = !metadata.importance.features.empty();
    const QString instead = importance ? QStringLiteral(": permutation importance is shown instead")
                                       : QStringLiteral("; the file holds no permutation importance either");
    const Pipeline &pipeline = *artifact.pipeline;
    const ShapAvailability availability = ShapExplainer::availability(pipeline, true);
    if (availability == ShapAvailability::NotForModelKind)
        return QStringLiteral("SHAP summary not available for %1 models%2").arg(pipeline.model().kind(), instead);
    if (availability != ShapAvailability::Exact)
        return ShapExplainer::unavailableReason(pipeline, availability, importance);
    const int format = metadata.software.value(QLatin1String("format")).toInt();
    if (format > 0 && quint32(format) < 4)
        return QStringLiteral("No SHAP summary: this model file was saved before they were kept (model format %1; this "
                              "Plumb writes format %2). Train the model again to get one%3")
            .arg(format)
            .arg(kModelFormatVersion)
            .arg(instead);
    if (!metadata.imported.isEmpty())
        return QStringLiteral("No SHAP summary: an imported model has no validation rows to summarise%1").arg(instead);
    return QStringLiteral("No SHAP summary: it was not measured when this model was trained%1").arg(instead);
}

} // namespace plumb
