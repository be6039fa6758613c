#include "predictcommand.h"

#include "artifact/modelartifact.h"
#include "csvoptionargs.h"
#include "data/csvwriter.h"

#include <QFile>

namespace plumb::cli {

namespace {

// The input row, the prediction and the class probabilities, as CSV.
QByteArray predictionsCsv(const Dataset &data, const Prediction &prediction)
{
    QStringList header;
    for (const Column &column : data.columns())
        header.append(column.name());
    header.append(QStringLiteral("prediction"));
    for (const QString &label : prediction.classes)
        header.append(QStringLiteral("proba:") + label);
    const CsvWriter writer;
    QByteArray out;
    writer.appendRow(header, out);
    QStringList fields;
    for (std::size_t row = 0; row < data.rowCount(); ++row) {
        fields.clear();
        for (const Column &column : data.columns())
            fields.append(column.displayText(row));
        fields.append(prediction.label(Eigen::Index(row)));
        for (Eigen::Index c = 0; c < prediction.probabilities.cols(); ++c)
            fields.append(QString::number(prediction.probabilities(Eigen::Index(row), c), 'g', 17));
        writer.appendRow(fields, out);
    }
    return out;
}

} // namespace

int runPredict(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Score DATA with MODEL: the input columns, then the prediction and, for "
                                                    "classifiers, one proba:<class> column per class."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addPositionalArgument(QStringLiteral("DATA"), QStringLiteral("The rows to score (CSV or TSV)."));
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("Write here instead of standard output."),
                      QStringLiteral("OUT.csv")});
    addCsvOptions(parser);
    if (const auto exit = parseArguments(parser, QStringLiteral("predict"), arguments, 2, io))
        return *exit;
    QString error;
    const auto options = csvOptionsFrom(parser, error);
    if (!options) {
        io.err << "plumb predict: " << error << '\n';
        return kExitUsage;
    }
    Result<ModelArtifact> artifact = loadModelArtifact(parser.positionalArguments()[0]);
    if (!artifact) {
        io.err << "plumb predict: " << artifact.error().message << '\n';
        return artifact.error().kind == Error::Kind::Integrity ? kExitVerification : kExitError;
    }
    Result<Dataset> data = CsvReader::readFile(parser.positionalArguments()[1], *options);
    if (!data) {
        io.err << "plumb predict: " << data.error().message << '\n';
        return kExitError;
    }
    Result<Prediction> prediction = artifact.value().pipeline->predict(data.value());
    if (!prediction) {
        io.err << "plumb predict: " << prediction.error().message << '\n';
        return kExitError;
    }
    if (prediction.value().notes.unknownCategories > 0)
        io.err << "warning: " << prediction.value().notes.unknownCategories
               << " value(s) were categories the model never saw; they were encoded as all zeros\n";
    const QByteArray csv = predictionsCsv(data.value(), prediction.value());
    if (!parser.isSet(QStringLiteral("output"))) {
        io.out.flush();
        QFile standardOutput;
        standardOutput.open(stdout, QIODevice::WriteOnly);
        standardOutput.write(csv);
        return kExitOk;
    }
    QFile file(parser.value(QStringLiteral("output")));
    if (!file.open(QIODevice::WriteOnly) || file.write(csv) != csv.size()) {
        io.err << "plumb predict: cannot write " << file.fileName() << ": " << file.errorString() << '\n';
        return kExitError;
    }
    return kExitOk;
}

} // namespace plumb::cli
