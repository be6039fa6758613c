#include "predictcommand.h"

#include "artifact/modelartifact.h"
#include "csvoptionargs.h"
#include "serve/batchscorer.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>
#include <malloc.h>

namespace plumb::cli {

namespace {

const QString kStdio = QStringLiteral("-");

std::optional<RowFormat> formatNamed(const QString &name)
{
    if (name == QLatin1String("csv"))
        return RowFormat::Csv;
    if (name == QLatin1String("jsonl") || name == QLatin1String("ndjson"))
        return RowFormat::JsonLines;
    return std::nullopt;
}

// .jsonl and .ndjson files hold JSON Lines; anything else is CSV (or TSV, which the sniffer finds).
RowFormat formatOfPath(const QString &path)
{
    const QString lower = path.toLower();
    return lower.endsWith(QLatin1String(".jsonl")) || lower.endsWith(QLatin1String(".ndjson")) ? RowFormat::JsonLines
                                                                                               : RowFormat::Csv;
}

void printSummary(const QString &prefix, const BatchSummary &summary, const QString &rejectsPath, QTextStream &err)
{
    if (!summary.notice.isEmpty())
        err << prefix << summary.notice << '\n';
    const double rate = summary.seconds > 0 ? double(summary.rowsScored) / summary.seconds : 0;
    err << prefix << summary.rowsScored << " rows scored, " << summary.rowsRejected << " rejected";
    if (summary.rowsRejected > 0 && !rejectsPath.isEmpty())
        err << " (listed in " << rejectsPath << ")";
    err << ", " << QString::number(summary.seconds, 'f', 2) << " s, "
        << (rate >= 1e4 ? QString::number(rate / 1e6, 'f', 2) + QStringLiteral(" M rows/s\n")
                        : QString::number(rate, 'f', 0) + QStringLiteral(" rows/s\n")); // explain is slower than predict
    if (summary.unknownCategories > 0)
        err << "warning: " << summary.unknownCategories
            << " value(s) were categories the model never saw; each was scored as an unknown category (every one-hot "
               "column 0, or an ordinal encoder's unknown code)\n";
}

void addPredictOptions(QCommandLineParser &parser)
{
    parser.addPositionalArgument(QStringLiteral("MODEL"), QStringLiteral("A .plumb model file."));
    parser.addPositionalArgument(QStringLiteral("INPUT"),
                                 QStringLiteral("The rows to score: CSV, TSV or JSON Lines; - for "
                                                "standard input."));
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")},
                      QStringLiteral("Write here instead of standard output (- is standard output)."),
                      QStringLiteral("OUT")});
    parser.addOption({QStringLiteral("rejects"),
                      QStringLiteral("Write rows that fail validation here as CSV (line,reason); without it they are "
                                     "listed on standard error."),
                      QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("format"),
                      QStringLiteral("Input format: csv or jsonl (default: from the file name, "
                                     "else csv)."),
                      QStringLiteral("FORMAT")});
    parser.addOption({QStringLiteral("output-format"),
                      QStringLiteral("Output format: csv or jsonl (default: from the "
                                     "output name, else the input format)."),
                      QStringLiteral("FORMAT")});
    parser.addOption(
        {QStringLiteral("chunk-size"), QStringLiteral("Input bytes scored at once (default 2 MiB)."), QStringLiteral("BYTES")});
    addCsvOptions(parser);
}

// Reads the options into `options`; false with the reason in `error`.
bool batchOptionsFrom(const QCommandLineParser &parser, BatchOptions &options, QString &error)
{
    const auto csv = csvOptionsFrom(parser, error);
    if (!csv)
        return false;
    options.csv = *csv;
    const QString input = parser.positionalArguments()[1];
    const QString output = parser.value(QStringLiteral("output"));
    options.input = formatOfPath(input);
    if (parser.isSet(QStringLiteral("format"))) {
        const auto format = formatNamed(parser.value(QStringLiteral("format")));
        if (!format) {
            error = QStringLiteral("--format takes csv or jsonl");
            return false;
        }
        options.input = *format;
    }
    options.output = output.isEmpty() || output == kStdio ? options.input : formatOfPath(output);
    if (parser.isSet(QStringLiteral("output-format"))) {
        const auto format = formatNamed(parser.value(QStringLiteral("output-format")));
        if (!format) {
            error = QStringLiteral("--output-format takes csv or jsonl");
            return false;
        }
        options.output = *format;
    }
    if (parser.isSet(QStringLiteral("chunk-size"))) {
        bool ok = false;
        const qlonglong bytes = parser.value(QStringLiteral("chunk-size")).toLongLong(&ok);
        if (!ok || bytes < 1) {
            error = QStringLiteral("--chunk-size takes a positive number of bytes");
            return false;
        }
        options.chunkBytes = std::size_t(bytes);
    }
    return true;
}

// Opens INPUT (or standard input) for reading, unbuffered: the scorer reads in large blocks.
bool openInput(const QString &path, QFile &file, QString &error)
{
    const bool ok = path == kStdio ? file.open(stdin, QIODevice::ReadOnly | QIODevice::Unbuffered)
                                   : (file.setFileName(path), file.open(QIODevice::ReadOnly | QIODevice::Unbuffered));
    if (!ok)
        error = QStringLiteral("cannot read %1: %2")
                    .arg(path == kStdio ? QStringLiteral("standard input") : path, file.errorString());
    return ok;
}

} // namespace

int runPredict(const QStringList &arguments, Io io)
{
    const QString description = QStringLiteral(
        "Score INPUT with MODEL as a stream, in bounded memory: each row's input fields, then the prediction and, for "
        "classifiers, one proba:<class> column per class. Rows that fail validation against the model's schema are "
        "rejected with their line number and reason, and scoring goes on; a summary goes to standard error.");
    return runBatch(QStringLiteral("predict"), description, arguments, io, {});
}

int runBatch(const QString &command, const QString &description, const QStringList &arguments, Io io, const BatchSetup &setup)
{
    const QString prefix = QStringLiteral("plumb %1: ").arg(command);
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    addPredictOptions(parser);
    if (const auto exit = parseArguments(parser, command, arguments, 2, io))
        return *exit;
    BatchOptions options;
    QString error;
    if (!batchOptionsFrom(parser, options, error)) {
        io.err << prefix << error << '\n';
        return kExitUsage;
    }
    Result<ModelArtifact> artifact = openedArtifact(parser.positionalArguments()[0]);
    if (!artifact) {
        io.err << prefix << artifact.error().message << '\n';
        return exitCodeFor(artifact.error().kind);
    }
    if (setup) {
        if (const std::optional<Error> refused = setup(artifact.value(), options)) {
            io.err << prefix << refused->message << '\n';
            return exitCodeFor(refused->kind);
        }
    }
    const QString inputPath = parser.positionalArguments()[1];
    QFile input;
    if (!openInput(inputPath, input, error)) {
        io.err << prefix << error << '\n';
        return kExitError;
    }
    const QString outputPath = parser.value(QStringLiteral("output"));
    // A regular file is replaced atomically (a failed run leaves the old one); anything else that
    // exists (a device such as /dev/null, a FIFO) is written in place, never replaced.
    const QFileInfo outputInfo(outputPath);
    const bool toStdout = outputPath.isEmpty() || outputPath == kStdio;
    const bool inPlace = !toStdout && outputInfo.exists() && !outputInfo.isFile();
    QFile plainOutput;
    QSaveFile outputFile(outputPath);
    const bool atomic = !toStdout && !inPlace;
    QFileDevice &output = atomic ? static_cast<QFileDevice &>(outputFile) : plainOutput;
    bool opened = false;
    if (toStdout)
        opened = plainOutput.open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered);
    else if (inPlace)
        opened = (plainOutput.setFileName(outputPath), plainOutput.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
    else
        opened = outputFile.open(QIODevice::WriteOnly);
    const QString rejectsPath = parser.value(QStringLiteral("rejects"));
    QFile rejects;
    const bool rejectsOpened = rejectsPath.isEmpty() ? rejects.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered)
                                                     : (rejects.setFileName(rejectsPath), rejects.open(QIODevice::WriteOnly));
    if (!opened || !rejectsOpened) {
        io.err << prefix << "cannot write " << (opened ? rejectsPath : outputPath) << ": "
               << (opened ? rejects.errorString() : output.errorString()) << '\n';
        return kExitError;
    }
    io.out.flush();
    io.err.flush();
    // Chunks are allocated and freed over and over: keep freed memory in the process instead of
    // returning it to the system (mmap/munmap, trimming), which made the kernel fault the same
    // pages in again for every chunk and cost as much time as the scoring.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    options.rejectsHeader = !rejectsPath.isEmpty(); // on standard error, the reject lines alone
    options.positionalFeatures = artifact.value().metadata.imported.positionalFeatures;
    const QString inputName = inputPath == kStdio ? QStringLiteral("standard input") : inputPath;
    Result<BatchSummary> summary = BatchScorer(*artifact.value().pipeline, options).run(input, inputName, output, &rejects);
    if (!summary || (atomic && !outputFile.commit())) {
        io.err << prefix
               << (summary ? QStringLiteral("cannot write %1: %2").arg(outputPath, outputFile.errorString())
                           : summary.error().message)
               << '\n';
        return kExitError;
    }
    printSummary(prefix, summary.value(), rejectsPath, io.err);
    return kExitOk;
}

} // namespace plumb::cli
