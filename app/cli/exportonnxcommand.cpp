#include "exportonnxcommand.h"

#include "interop/onnxexport.h"

namespace plumb::cli {

int runExportOnnx(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Export a model's whole pipeline (column routing, preprocessing and model) as "
                       "an ONNX model for ONNX Runtime. A step without an exact ONNX form is "
                       "refused (exit 3) with the reason."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("The .plumb model file."));
    parser.addOptions({
        {{QStringLiteral("o"), QStringLiteral("output")},
         QStringLiteral("Where to save the ONNX model."),
         QStringLiteral("MODEL.onnx")},
        {QStringLiteral("force"), QStringLiteral("Overwrite an existing output file.")},
    });
    if (auto exit = parseArguments(parser, QStringLiteral("export-onnx"), arguments, 1, io))
        return *exit;
    const QString output = parser.value(QStringLiteral("output"));
    if (output.isEmpty()) {
        io.err << "plumb export-onnx: --output MODEL.onnx is required\n";
        return kExitUsage;
    }
    Result<ModelArtifact> artifact = openedArtifact(parser.positionalArguments().constFirst());
    if (!artifact) {
        io.err << "plumb export-onnx: " << artifact.error().message << '\n';
        return artifact.error().kind == Error::Kind::Integrity ? kExitVerification : kExitError;
    }
    Result<QStringList> written = writeOnnxFile(artifact.value(), output, parser.isSet(QStringLiteral("force")));
    if (!written) {
        io.err << "plumb export-onnx: " << written.error().message << '\n';
        return written.error().kind == Error::Kind::Io ? kExitError : kExitVerification;
    }
    for (const QString &note : written.value())
        io.out << "note: " << note << '\n';
    io.out << "saved " << output << '\n';
    return kExitOk;
}

} // namespace plumb::cli
