#include "interop/onnxexport.h"

#include "artifact/modelfile.h"
#include "data/columntype.h"
#include "interop/onnxsteps.h"

#include <onnx/checker.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <exception>

namespace plumb {

using namespace onnxexport;

namespace {

void describeTensor(onnx::ValueInfoProto &info, const std::string &name, int type, std::vector<std::int64_t> dims)
{
    info.set_name(name);
    onnx::TypeProto_Tensor &tensor = *info.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(type);
    onnx::TensorShapeProto &shape = *tensor.mutable_shape();
    shape.add_dim()->set_dim_param("N");
    for (std::int64_t extent : dims)
        shape.add_dim()->set_dim_value(extent);
}

void addMetadata(onnx::ModelProto &model, const char *key, const QString &value)
{
    onnx::StringStringEntryProto &entry = *model.add_metadata_props();
    entry.set_key(key);
    entry.set_value(toStd(value));
}

QString compactJson(const QJsonValue &value)
{
    return QString::fromUtf8(value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                             : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

void writeMetadata(onnx::ModelProto &model, const ModelArtifact &artifact)
{
    const Pipeline &pipeline = *artifact.pipeline;
    const ModelMetadata &metadata = artifact.metadata;
    QJsonArray features;
    for (const FeatureSpec &feature : pipeline.features()) {
        QJsonObject spec{{QStringLiteral("name"), feature.name},
                         {QStringLiteral("type"), columnTypeName(feature.type)},
                         {QStringLiteral("onnx_type"),
                          isTextFeature(pipeline, feature.name) ? QStringLiteral("string") : QStringLiteral("double")}};
        if (!feature.categories.isEmpty())
            spec.insert(QStringLiteral("categories"), QJsonArray::fromStringList(feature.categories));
        features.append(spec);
    }
    addMetadata(model, "name", metadata.name);
    addMetadata(model, "plumb_digest", artifact.digest);
    addMetadata(model, "task",
                pipeline.target().task == Task::Classification ? QStringLiteral("classification") : QStringLiteral("regression"));
    addMetadata(model, "model_kind", pipeline.model().kind());
    addMetadata(model, "target", pipeline.target().name);
    addMetadata(model, "features", compactJson(features));
    if (pipeline.target().task == Task::Classification)
        addMetadata(model, "classes", compactJson(QJsonArray::fromStringList(pipeline.target().classes)));
    addMetadata(model, "training_data",
                compactJson(QJsonObject{{QStringLiteral("source_file"), metadata.sourceFile},
                                        {QStringLiteral("sha256"), metadata.sourceSha256},
                                        {QStringLiteral("rows"), double(metadata.rows)},
                                        {QStringLiteral("columns"), double(metadata.columns)}}));
}

// Names a graph value as an output through an Identity node.
void addOutput(GraphBuilder &graph, const std::string &value, const char *name, int type, std::vector<std::int64_t> dims)
{
    onnx::NodeProto &identity = *graph.graph().add_node();
    identity.set_op_type("Identity");
    identity.set_name(std::string("output_") + name);
    identity.add_input(value);
    identity.add_output(name);
    describeTensor(*graph.graph().add_output(), name, type, std::move(dims));
}

Result<QStringList> buildGraph(onnx::GraphProto &proto, const Pipeline &pipeline)
{
    GraphBuilder graph(proto);
    FeatureInputs inputs;
    const QStringList outputNames = pipeline.target().task == Task::Regression
        ? QStringList{QStringLiteral("value")}
        : QStringList{QStringLiteral("label"), QStringLiteral("probabilities")};
    for (const FeatureSpec &feature : pipeline.features()) {
        // Graph inputs are named as the features; the outputs and the export's own values must not
        // take those names.
        if (outputNames.contains(feature.name) || feature.name.startsWith(QLatin1String(kInternalPrefix)))
            return Error::invalid(
                QStringLiteral("feature '%1': an ONNX input with this name would clash with %2; rename the column and retrain")
                    .arg(feature.name,
                         outputNames.contains(feature.name)
                             ? QStringLiteral("the output of the same name")
                             : QStringLiteral("the export's own values (prefix %1)").arg(QLatin1String(kInternalPrefix))));
        if (inputs.count(feature.name))
            return Error::invalid(QStringLiteral("feature '%1' is listed twice; an ONNX input has one name").arg(feature.name));
        const bool text = isTextFeature(pipeline, feature.name);
        for (const RouterBranch &branch : pipeline.router().branches())
            if (text && !branch.categorical && branch.columns.contains(feature.name))
                return Error::invalid(
                    QStringLiteral("feature '%1' is read both as text and as a number; an ONNX input has one type")
                        .arg(feature.name));
        const std::string name = toStd(feature.name);
        describeTensor(*proto.add_input(), name, text ? onnx::TensorProto::STRING : onnx::TensorProto::DOUBLE, {1});
        inputs[feature.name] = name;
    }
    Result<std::string> features = exportPreprocessing(graph, pipeline, inputs);
    if (!features)
        return Error::invalid(QStringLiteral("preprocessing: %1").arg(features.error().message));
    Result<ModelOutputs> outputs = exportModel(graph, pipeline.model(), features.value());
    if (!outputs)
        return outputs.error();
    const ModelOutputs &model = outputs.value();
    if (pipeline.target().task == Task::Regression) {
        addOutput(graph, model.value, "value", onnx::TensorProto::DOUBLE, {1});
        return model.notes;
    }
    const std::string classes = graph.strings("classes", pipeline.target().classes, {pipeline.target().classes.size()});
    addOutput(graph, graph.apply("Gather", {classes, model.labelIndex}), "label", onnx::TensorProto::STRING, {});
    addOutput(graph, model.probabilities, "probabilities", onnx::TensorProto::DOUBLE, {pipeline.target().classes.size()});
    return model.notes;
}

} // namespace

Result<QByteArray> exportOnnx(const ModelArtifact &artifact)
{
    if (!artifact.pipeline || !artifact.pipeline->isFitted())
        return Error::invalid(QStringLiteral("the model holds no fitted pipeline to export"));
    onnx::ModelProto model;
    model.set_ir_version(8);
    model.set_producer_name("Plumb");
    model.set_producer_version(toStd(artifact.metadata.software.value(QLatin1String("plumb")).toString()));
    model.set_doc_string(toStd(artifact.metadata.description));
    onnx::OperatorSetIdProto &standard = *model.add_opset_import();
    standard.set_domain("");
    standard.set_version(kOpset);
    onnx::OperatorSetIdProto &ml = *model.add_opset_import();
    ml.set_domain(kMlDomain);
    ml.set_version(kMlOpset);
    onnx::GraphProto &graph = *model.mutable_graph();
    graph.set_name(toStd(artifact.metadata.name.isEmpty() ? QStringLiteral("plumb_model") : artifact.metadata.name));
    Result<QStringList> notes = buildGraph(graph, *artifact.pipeline);
    if (!notes)
        return notes.error();
    writeMetadata(model, artifact);
    // The checker reports by exception; this is the one place they are caught.
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception &error) {
        return Error::invalid(
            QStringLiteral("the ONNX checker refuses the exported model: %1").arg(QString::fromUtf8(error.what())));
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        return Error::invalid(QStringLiteral("the ONNX model could not be serialised (over 2 GB?)"));
    Result<QByteArray> result(QByteArray(bytes.data(), qsizetype(bytes.size())));
    result.setWarnings(notes.value());
    return result;
}

Result<QStringList> writeOnnxFile(const ModelArtifact &artifact, const QString &path, bool overwrite)
{
    Result<QByteArray> bytes = exportOnnx(artifact);
    if (!bytes)
        return bytes.error();
    // Any failure from here on is about the file, not the model: an I/O error for the caller.
    if (auto error = writeFileAtomically(path, bytes.value(), overwrite))
        return Error::io(error->message);
    return bytes.warnings();
}

} // namespace plumb
