#include "cli.h"

#include "artifact/openedmodel.h"

#include "driftcommand.h"
#include "explaincommand.h"
#include "exportonnxcommand.h"
#include "importcommand.h"
#include "modelcommands.h"
#include "predictcommand.h"
#include "profilecommand.h"
#include "retraincommand.h"
#include "scancommand.h"
#include "servecommand.h"
#include "signcommands.h"
#include "traincommand.h"
#include "xgboostcommand.h"

#include <array>

namespace plumb::cli {

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &arguments, Io io);
};

constexpr std::array kCommands{
    Command{"profile", "load a CSV/TSV file and describe its columns", &runProfile},
    Command{"train", "train and validate a model, and save it as a .plumb file", &runTrain},
    Command{"predict", "score a data file with a model", &runPredict},
    Command{"explain", "exact SHAP values of each row of a data file", &runExplain},
    Command{"drift", "compare current data with a model's reference profile, per file or time window", &runDrift},
    Command{"retrain", "refit a model's pipeline on recent data and compare it with the model on the newest window", &runRetrain},
    Command{"serve", "serve a model over HTTP", &runServe},
    Command{"inspect", "show everything a .plumb file holds", &runInspect},
    Command{"verify", "check a .plumb file's integrity and signature (exit 3 when it fails)", &runVerify},
    Command{"keygen", "create a signing key pair (minisign format)", &runKeygen},
    Command{"sign", "sign a .plumb file (writes MODEL.minisig)", &runSign},
    Command{"scan", "read a scikit-learn pickle/joblib file as data and say if it can be imported (exit 3 when refused)",
            &runScan},
    Command{"import-sklearn", "convert a scikit-learn pickle or joblib file into a .plumb file, without running it",
            &runImportSklearn},
    Command{"import-xgboost", "convert an XGBoost JSON or UBJSON model file into a .plumb file (exit 3 when refused)",
            &runImportXgboost},
    Command{"export-onnx", "export a model's whole pipeline as an ONNX model (exit 3 when a step has no exact ONNX form)",
            &runExportOnnx},
};

void printUsage(QTextStream &stream)
{
    stream << "usage: plumb <command> [options]\n\n"
              "Plumb trains, validates, saves, serves and monitors tabular models.\n\ncommands:\n";
    for (const Command &command : kCommands)
        stream << "  " << QString::fromLatin1(command.name).leftJustified(16) << command.summary << '\n';
    stream << "\n'plumb <command> --help' describes a command.\n"
              "exit codes: 0 ok, 1 error, 2 usage, 3 integrity or signature verification failed, or a scanned file refused\n";
}

// QCommandLineParser names the executable in its usage line; a subcommand's help names the command.
QString commandHelp(const QCommandLineParser &parser, const QString &program)
{
    QString help = parser.helpText();
    const qsizetype start = help.indexOf(QLatin1String("Usage: "));
    const qsizetype end = help.indexOf(QLatin1Char(' '), start + 7);
    if (start >= 0 && end > start)
        help.replace(start + 7, end - start - 7, program);
    return help;
}

} // namespace

std::optional<int> parseArguments(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                                  qsizetype positionals, Io io, bool moreAllowed)
{
    const QCommandLineOption help = parser.addHelpOption();
    const QString program = QStringLiteral("plumb ") + command;
    if (!parser.parse(QStringList{program} + arguments)) {
        io.err << program << ": " << parser.errorText() << "\n\n" << commandHelp(parser, program);
        return kExitUsage;
    }
    if (parser.isSet(help)) {
        io.out << commandHelp(parser, program);
        return kExitOk;
    }
    const qsizetype given = parser.positionalArguments().size();
    if (given < positionals || (given > positionals && !moreAllowed)) {
        io.err << program << ": expected " << (moreAllowed ? QStringLiteral("at least ") : QString()) << positionals
               << " argument(s), got " << parser.positionalArguments().size() << "\n\n"
               << commandHelp(parser, program);
        return kExitUsage;
    }
    return std::nullopt;
}

void printAlignedTable(QTextStream &out, const QList<QStringList> &rows, const std::function<bool(qsizetype column)> &isNumeric)
{
    QList<qsizetype> widths(rows.isEmpty() ? 0 : rows.front().size(), 0);
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            line += (isNumeric(i) ? row[i].rightJustified(widths[i]) : row[i].leftJustified(widths[i])) + QStringLiteral("  ");
        out << line.trimmed() << '\n';
    }
}

Result<ModelArtifact> openedArtifact(const QString &path)
{
    Result<OpenedModel> model = openModelFile(path, Keyring::forModel(path));
    if (!model)
        return model.error();
    return std::move(model.value().artifact);
}

int run(const QStringList &arguments, Io io)
{
    if (arguments.isEmpty()) {
        printUsage(io.err);
        return kExitUsage;
    }
    const QString &name = arguments.front();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help")) {
        printUsage(io.out);
        return kExitOk;
    }
    if (name == QLatin1String("--version")) {
        io.out << "plumb " << PLUMB_VERSION << '\n';
        return kExitOk;
    }
    for (const Command &command : kCommands)
        if (name == QLatin1String(command.name))
            return command.run(arguments.mid(1), io);
    io.err << "plumb: unknown command '" << name << "'\n\n";
    printUsage(io.err);
    return kExitUsage;
}

} // namespace plumb::cli
